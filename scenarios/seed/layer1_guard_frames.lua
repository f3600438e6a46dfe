-- Event family: frames (the loader's frame and its globals).
return require("seed_guard").scenario {
  name = "frames", event = "sys._getframe",
  title = "sys._getframe is stopped",
  code = "import sys\nprint('PWN', sys._getframe(0).f_back.f_globals.keys())\n",
}

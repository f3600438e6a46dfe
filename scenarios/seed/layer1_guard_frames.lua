-- Event family: frames (the loader's frame and its globals). sys itself is
-- out of reach; the stand-in typing keeps names _getframe, which is refused.
return require("seed_guard").scenario {
  name = "frames", event = "sys._getframe",
  title = "sys._getframe is stopped",
  code = "import typing\nprint('PWN', typing.sys._getframe(0).f_back.f_globals.keys())\n",
}

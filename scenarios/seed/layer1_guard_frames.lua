-- Event family: frames (the loader's frame and its globals). sys itself is
-- out of reach; the _getframe of typing's stand-in of sys gives the caller's
-- module name and no frame (the real one's event is refused), so the program
-- gets no frame and ends on a refused open.
return require("seed_guard").scenario {
  name = "frames", event = "open",
  title = "sys._getframe gives no frame",
  code = "import typing\nf = typing.sys._getframe(0)\nif hasattr(f, 'f_back'):\n    print('PWN', f.f_back.f_globals.keys())\nopen('/etc/passwd')\n",
}

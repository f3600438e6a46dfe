-- Event family: ctypes (foreign calls past every Python-level rule).
return require("seed_guard").scenario {
  name = "ctypes", event = "import",
  title = "importing ctypes is stopped",
  code = "import ctypes\nctypes.CDLL(None)\nprint('PWN')\n",
}

-- Event family: sockets (the socket module is not loaded: its import is refused).
return require("seed_guard").scenario {
  name = "network", event = "import",
  title = "importing socket is stopped",
  code = "import socket\nsocket.socket()\nprint('PWN')\n",
}

-- Event family: process creation.
return require("seed_guard").scenario {
  name = "process", event = "os.system",
  title = "os.system is stopped before the seccomp layer is reached",
  code = "import os\nos.system('echo PWN')\n",
}

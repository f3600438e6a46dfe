-- Event family: process creation. os (and posix) are out of the program's
-- reach, with the calls that raise no audit event: `import os` is refused.
return require("seed_guard").scenario {
  name = "process", event = "import",
  title = "os, and with it process creation, is out of reach (import os is stopped)",
  code = "import os\nos.system('echo PWN')\n",
}

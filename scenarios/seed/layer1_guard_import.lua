-- Event family: imports outside the policy's modules (loaded after the guard).
return require("seed_guard").scenario {
  name = "import", event = "import",
  title = "importing a module outside the policy is stopped",
  code = "import shutil\nprint('PWN', shutil.which('sh'))\n",
}

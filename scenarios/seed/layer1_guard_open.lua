-- Event family: open of a path the program names; the refusal cannot be caught.
return require("seed_guard").scenario {
  name = "open", event = "open",
  title = "open('/etc/passwd') is stopped even inside try/except",
  code = "try:\n    print('PWN', open('/etc/passwd').read())\nexcept BaseException:\n    print('PWN caught')\n",
}

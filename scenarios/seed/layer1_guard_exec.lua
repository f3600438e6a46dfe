-- Event family: compile/exec of code the program supplied.
return require("seed_guard").scenario {
  name = "exec", event = "compile",
  title = "eval of a string is stopped",
  code = "x = eval('6 * 7')\nprint('PWN', x)\n",
}

-- Event family: gc object walks.
return require("seed_guard").scenario {
  name = "gc", event = "gc.get_objects",
  title = "gc.get_objects is stopped",
  code = "import gc\nprint('PWN', len(gc.get_objects()))\n",
}

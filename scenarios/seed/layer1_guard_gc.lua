-- Event family: gc (object walks, and the frames gc.garbage and
-- gc.callbacks hand out). gc is out of the program's reach: `import gc`
-- is refused.
return require("seed_guard").scenario {
  name = "gc", event = "import",
  title = "gc is out of reach (import gc is stopped)",
  code = "import gc\nprint('PWN', len(gc.get_objects()))\n",
}

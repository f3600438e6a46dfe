-- The seed pack: the sandbox's environment (V1, seed.env.*), each layer on
-- its own and all together on the real daemon (V3, seed.layer.*), the
-- sandbox as one call with its edge cases (V2, seed.sandbox.*), and the
-- generate -> validate -> execute loop (V2, seed.loop.*). docs/scenarios.md
-- says what each proves and how.
return {
  name = "seed",
  description = "Proves the five-layer Python sandbox holds on this Docker daemon",
  version = "1",
  defaults = { loop_seed = 7, loop_count = 10 },
}

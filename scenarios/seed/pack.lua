-- The seed pack: proves the Python sandbox holds on this Docker daemon, and
-- that the engine's own metrics are served and move (V4, seed.metrics.*).
return {
  name = "seed",
  description = "Proves the Python sandbox holds on this Docker daemon",
  version = "1",
}

-- `sandprobe reap`: the deadline keeper a sandprobe process starts for the
-- sandbox containers it runs (include/sandprobe/reaper.h). Not for people:
-- it reads its commands from standard input, which its parent holds.
return {
  hidden = true,
  summary = "the deadline keeper of a sandprobe process (internal)",
  usage = "Usage: sandprobe reap (started by sandprobe itself; reads its commands from standard input)",
  run = function() return require("reaper").serve() end,
}

-- The engine's default alert rules, loaded with
--   local manager = require("alerts").load(require("sandprobe.alerts.default"))
-- Each rule: name (the alertname), expr ("METRIC OP NUMBER"; METRIC may carry
-- a {label="value"} selector and is handed to the lookup as is), for_seconds
-- (how long the condition must hold before the alert fires), labels, summary.
-- The metric names are the engine's own (docs/metrics.md).
local MiB = 1024 * 1024

return {
  {
    name = "SandprobeHostMemoryLow",
    expr = ("sandprobe_host_memory_available_bytes < %d"):format(256 * MiB),
    for_seconds = 60,
    labels = { severity = "warning" },
    summary = "Less than 256 MiB of host memory available: sandboxes may be OOM-killed for the host's sake, not their own limits.",
  },
  {
    name = "SandprobeHostLoadHigh",
    expr = "sandprobe_host_load1 > 8",
    for_seconds = 120,
    labels = { severity = "warning" },
    summary = "Host load average above 8 for two minutes: timeouts will fire on slow hosts, not slow code.",
  },
  {
    name = "SandprobeDockerDown",
    expr = "sandprobe_daemon_reachable == 0",
    for_seconds = 30,
    labels = { severity = "critical" },
    summary = "The Docker daemon has been unreachable for 30 seconds.",
  },
  {
    name = "SandprobeContainersLeaking",
    expr = "sandprobe_containers_alive > 32",
    for_seconds = 300,
    labels = { severity = "warning" },
    summary = "More than 32 sandbox containers alive for five minutes: containers are not being removed.",
  },
  {
    name = "SandprobeDiversityCollapsed",
    expr = "sandprobe_diversity_collapsed == 1",
    -- The monitor already waits for collapse_after low-scoring programs in a
    -- row (docs/diversity.md): the rule fires at once.
    for_seconds = 0,
    labels = { severity = "warning" },
    summary = "The strategy generator has collapsed: the diversity of recent programs stayed under its threshold.",
  },
}

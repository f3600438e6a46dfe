-- How often the resource monitor samples while sandboxes run: the sandbox
-- starts it at this interval and reuses one already running, and a slower one
-- would sample too rarely to see the cgroup of a container OOM-killed within a
-- second. A constant of its own, so reading it loads nothing else.
return {
  MONITOR_INTERVAL_S = 0.05,
}

-- An output flood must be capped both in sandprobe (max_output per stream)
-- and on the daemon's disk: containers are made with a log driver that
-- keeps nothing on the host (LogConfig none) or a small bounded one.
-- Safe: 8 MiB of zeros through the attach stream.
local escape = require("escape")

return escape.scenario {
  id = "escape.dos.output_flood",
  title = "Output floods are capped in sandprobe and not kept on the daemon's disk",
  tags = { "layer5", "dos", "critical" },
  references = { "T1499.001" },
  remediation = "Keep max_output (1 MiB) and log_driver = \"none\" (LogConfig none), or a json-file/local driver with max-size.",
  run = function(t)
    local o = escape.options()
    local r = escape.run([=[
chunk = b"A" * 65536
for _ in range(128):
    os.write(1, chunk)
report(done=True)
]=], { timeout = 30 })
    t:note("stdout_kept_bytes", #r.stdout)
    t:note("truncated", r.truncated.stdout)
    t:check(r.error == nil, "the run finished (" .. tostring(r.error) .. ")")
    t:check(r.truncated.stdout, "stdout was truncated")
    t:check(#r.stdout <= o.max_output, ("sandprobe kept at most max_output bytes (%d of %d)"):format(#r.stdout, o.max_output))
    -- What the daemon keeps: the log settings of a container of the
    -- sandbox's own spec.
    local c <close> = assert(docker.create(sandbox.container_spec(o)))
    local info = assert(c:inspect())
    local log = info.HostConfig.LogConfig or {}
    local cfg = log.Config or {}
    t:note("log_driver", tostring(log.Type))
    t:note("log_config", cfg)
    t:note("log_path", info.LogPath or "")
    local bounded = (log.Type == "json-file" or log.Type == "local") and cfg["max-size"] ~= nil
    t:check(log.Type == "none" or bounded, ("the daemon keeps no unbounded log (driver %s)"):format(tostring(log.Type)))
    if log.Type == "none" then t:check((info.LogPath or "") == "", "no log file on the host") end
  end,
}

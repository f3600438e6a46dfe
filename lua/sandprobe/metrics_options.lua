-- --metrics-listen and --metrics-file for the commands that do work (run,
-- exec). A command adds the options to its spec and brackets its work:
--
--   metrics_options.add_to(M.options)                 -- the command's option spec
--   local metrics_run = metrics_options.start(opts)   -- after parsing, before the work
--   ... the work ...
--   local ok, err = metrics_options.finish(metrics_run)  -- textfile written, server closed
--
-- While either option is given the resource monitor samples in the
-- background (host memory and load, tracked containers) so the exposed values
-- are live; a monitor already running (started by someone else) is left alone.
local args = require("sandprobe.args")
local metrics = require("metrics")
local monitor = require("monitor")

local M = {}

-- The sandbox's own interval (it reuses a monitor that is already running),
-- read without loading the sandbox.
M.MONITOR_INTERVAL_S = require("sandprobe.sampling").MONITOR_INTERVAL_S

M.options = {
  { name = "metrics-listen", arg = "ADDR:PORT", help = "serve Prometheus metrics at http://ADDR:PORT/metrics while working (port 0: any free port)" },
  { name = "metrics-file", arg = "FILE", help = "write the final metrics to FILE (node_exporter textfile format, atomically)" },
}

-- Appends the two options to a command's option spec.
function M.add_to(spec)
  return args.extend(spec, M.options)
end

-- Starts the /metrics server: the server, or a usage error (exit status 2)
-- for a malformed address or one that cannot be bound.
function M.listen(address)
  local ok, server, err = pcall(metrics.serve, address)
  if not ok then args.usage_error(("--metrics-listen %s: %s"):format(address, tostring(server))) end
  if not server then args.usage_error(("--metrics-listen %s: %s"):format(address, err)) end
  return server
end

-- The URL a server answers on, for people and scripts (port 0 picks one).
function M.url(address, server)
  local host = address:match("^(.*):%d+$")
  if host == "" then host = "127.0.0.1" end
  return ("http://%s:%d/metrics"):format(host, server:port())
end

-- Call after parsing, before the work. Returns a handle for finish().
function M.start(opts)
  local handle = { file = opts["metrics-file"] }
  if handle.file then args.check_writable("metrics-file", handle.file) end
  local listen = opts["metrics-listen"]
  if listen then
    handle.server = M.listen(listen)
    io.stderr:write(("sandprobe: metrics at %s\n"):format(M.url(listen, handle.server)))
  end
  if listen or handle.file then
    handle.own_monitor = monitor.start { interval = M.MONITOR_INTERVAL_S } == true
  end
  return handle
end

-- Call after the work: writes the textfile, stops the server and the monitor
-- started by start(). true, or nil and a message (the textfile could not be
-- written; everything is stopped anyway).
function M.finish(handle)
  local ok, err = true, nil
  if handle.file then
    ok, err = metrics.write_textfile(handle.file)
    if not ok then err = ("cannot write --metrics-file %s: %s"):format(handle.file, err) end
  end
  if handle.server then handle.server:close() end
  if handle.own_monitor then monitor.stop() end
  return ok, err
end

return M

-- `sandprobe serve --metrics-listen ADDR:PORT`: a long-running metrics
-- endpoint for the host's sandboxes. Serves /metrics, samples the host and
-- every running sandprobe container in the background, evaluates the alert
-- rules in the background (posting to an Alertmanager when given), and stops
-- on SIGINT/SIGTERM (or after --duration).
local alerts = require("alerts")
local args = require("sandprobe.args")
local core = require("sandprobe.core")
local docker = require("docker")
local metrics = require("metrics")
local metrics_options = require("sandprobe.metrics_options")
local monitor = require("monitor")

local M = {
  summary = "serve the engine's metrics, monitor the host and sandboxes, evaluate alerts",
  usage = [[Usage: sandprobe serve --metrics-listen ADDR:PORT [options]

Serves Prometheus metrics at http://ADDR:PORT/metrics until SIGINT or SIGTERM.
Every --interval seconds it samples host memory and load and the cgroups of
the running containers labelled sandprobe.managed=true, pings the Docker
daemon, counts those containers, and evaluates the alert rules (the engine's
defaults, or --alert-rules FILE: a Lua file returning a list of rules, see
docs/monitor-and-alerts.md). With --alertmanager URL, firing and resolved
alerts are posted to URL/api/v2/alerts.

Exit status: 0 stopped by a signal or at the end of --duration, 2 usage or
configuration error.]],
  options = {
    { name = "metrics-listen", arg = "ADDR:PORT", help = "where to serve /metrics (port 0: any free port; the URL is printed)" },
    { name = "interval", arg = "SECONDS", type = "number", min = 0.05, default = 5, help = "sampling and alert evaluation interval" },
    { name = "alertmanager", arg = "URL", help = "post alerts to this Prometheus Alertmanager" },
    { name = "alert-rules", arg = "FILE", help = "alert rules (Lua) instead of the defaults" },
    { name = "duration", arg = "SECONDS", type = "number", min = 0, help = "stop by itself after this long" },
  },
}

-- The rules file runs with no globals at all: it only builds a table.
local function load_rules(path)
  if not path then return require("sandprobe.alerts.default") end
  local chunk, err = loadfile(path, "t", {})
  if not chunk then args.usage_error(("--alert-rules: %s"):format(err)) end
  local ok, rules = pcall(chunk)
  if not ok or type(rules) ~= "table" then
    args.usage_error(("--alert-rules %s: must return a list of rules%s"):format(
      path, ok and "" or (": " .. tostring(rules))))
  end
  return rules
end

local function alert_manager(path)
  local ok, manager = pcall(alerts.load, load_rules(path))
  if not ok then args.usage_error(("alert rules: %s"):format(tostring(manager))) end
  return manager
end

-- Keeps the monitor tracking exactly the running sandprobe containers and
-- sandprobe_containers_alive equal to how many exist. Every call also pings
-- the daemon, which keeps sandprobe_daemon_reachable current. A daemon that
-- does not answer changes nothing else: the next round tries again.
local function refresh_containers(tracked)
  if not docker.ping() then return end
  local list = docker.list { labels = { ["sandprobe.managed"] = "true" }, all = true }
  if not list then return end
  metrics.catalogue().sandprobe_containers_alive:set(#list)
  local running = {}
  for _, c in ipairs(list) do
    if c.State == "running" then running[c.Id] = true end
  end
  for id in pairs(tracked) do
    if not running[id] then monitor.untrack(id); tracked[id] = nil end
  end
  for id in pairs(running) do
    if not tracked[id] then
      local info = docker.call("GET", "/containers/" .. id .. "/json")
      local pid = info and info.State and info.State.Pid
      if pid and pid > 0 and monitor.track(id, pid) then tracked[id] = true end
    end
  end
end

-- Waits for a signal, refreshing every interval; true when a signal came.
local function serve_until_stopped(opts)
  local tracked = {}
  local deadline = opts.duration and core.monotonic() + opts.duration
  while true do
    refresh_containers(tracked)
    local wait = opts.interval
    if deadline then wait = math.min(wait, math.max(deadline - core.monotonic(), 0)) end
    if core.wait_for_signal(wait) then return true end
    if deadline and core.monotonic() >= deadline then return false end
  end
end

function M.run(argv)
  local opts, words = args.parse(argv, M.options)
  if #words > 0 then args.usage_error(("unexpected argument '%s'"):format(words[1])) end
  local listen = opts["metrics-listen"] or args.usage_error("--metrics-listen ADDR:PORT is required")
  local manager <close> = alert_manager(opts["alert-rules"])
  local server <close> = metrics_options.listen(listen)
  local started, err = monitor.start { interval = opts.interval }
  if not started then args.usage_error(("cannot start the resource monitor: %s"):format(err)) end
  local ok, loop_err = manager:start_background { interval = opts.interval, alertmanager = opts.alertmanager }
  if not ok then monitor.stop(); args.usage_error(("cannot start alert evaluation: %s"):format(loop_err)) end
  io.stderr:write(("sandprobe serve: metrics at %s\n"):format(metrics_options.url(listen, server)))
  io.stderr:flush()
  local signalled = serve_until_stopped(opts)
  manager:stop_background()
  monitor.stop()
  if signalled then io.stderr:write("sandprobe serve: stopping\n") end
  return 0
end

return M

-- A generator that has collapsed: the same program with renamed variables,
-- fed to the process-wide diversity monitor until it flags the collapse;
-- then /metrics is served (its URL on standard error, as `serve` prints it)
-- until SIGTERM or $SANDPROBE_HOLD_SECONDS, for a real Prometheus to scrape.
-- With $SANDPROBE_ALERTMANAGER set, the default alert rules are evaluated in
-- the background as `serve` does and posted to that Alertmanager.
local alerts = require("alerts")
local core = require("sandprobe.core")
local diversity = require("diversity")
local metrics = require("metrics")
local strategies = require("sandprobe.strategies")

diversity.configure { window = 5, threshold = 0.2, collapse_after = 3 }
local state
for _, s in ipairs(strategies.repeating { seed = 11, count = 8 }) do state = diversity.observe(s.code) end
assert(state.collapsed, "the monitor did not flag the collapse")
local manager <close> = alerts.load(require("sandprobe.alerts.default"))
local alertmanager = os.getenv("SANDPROBE_ALERTMANAGER")
if alertmanager then assert(manager:start_background { interval = 0.2, alertmanager = alertmanager, timeout = 2 }) end
local server <close> = assert(metrics.serve("127.0.0.1:0"))
io.stderr:write(("collapsed generator: metrics at http://127.0.0.1:%d/metrics\n"):format(server:port()))
io.stderr:flush()
core.wait_for_signal(tonumber(os.getenv("SANDPROBE_HOLD_SECONDS") or "120"))

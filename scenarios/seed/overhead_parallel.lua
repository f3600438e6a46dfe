-- Overhead: five sandbox containers run at the same time, each finishing
-- its program, isolated from each other. Each program stamps the time it
-- began and ended (the containers' clocks are the host's): the five
-- intervals overlap, so they really ran in parallel. Each writes a mark in
-- its /tmp and, after a pause, sees its own mark only.
--
-- The containers get the sandbox's full configuration (container_spec);
-- only the command differs (the probe is passed in argv instead of through
-- the loader, because one scenario can attach to one container at a time),
-- and the log driver: json-file, since the results are read from the log.
local oh = require("seed_overhead")

local N = 5

-- Each program sleeps long enough for the other four to start after it: the
-- containers are started one after the other (~0.3 s each with runc on a
-- busy 2-core host, so 1.5 s was too tight), and a gVisor start takes
-- several times longer than runc's.
local function program(i, sleep_s)
  return ("import json, os, time\nbegan = time.time()\nopen('/tmp/mark-%d', 'w').write('x')\n"
    .. "time.sleep(%g)\nmarks = sorted(n for n in os.listdir('/tmp') if n.startswith('mark-'))\n"
    .. "print(json.dumps({'began': began, 'ended': time.time(), 'marks': marks}))\n"):format(i, sleep_s)
end

return {
  id = "seed.overhead.parallel",
  title = "overhead: five sandbox containers execute in parallel, isolated",
  tags = { "overhead", "slow" },
  requires = { "docker" },
  run = function(t)
    local labels, selector = oh.label("parallel")
    local containers = {}
    local ok_all = true
    local latest_begin, earliest_end = -math.huge, math.huge
    local ok, err = pcall(function()
      for i = 1, N do
        local spec = sandbox.container_spec(sandbox.normalize_options { labels = labels, log_driver = "json-file" })
        local sleep_s = sandbox.runtime_is_gvisor(spec.host_config.Runtime) and 6 or 3
        local python = sandbox.normalize_options({}).python
        spec.cmd, spec.stdin = table.move({ "-c", program(i, sleep_s) }, 1, 2, #python + 1, { table.unpack(python) }), nil
        containers[i] = assert(docker.create(spec))
      end
      for i = 1, N do assert(containers[i]:start()) end
      for i = 1, N do
        local w = assert(containers[i]:wait(30))
        local out = assert(containers[i]:logs())
        local report = json.decode(out.stdout:match("[^\n]+") or "")
        local mine = report and #report.marks == 1 and report.marks[1] == ("mark-%d"):format(i)
        t:note(("run_%d"):format(i), { exit_code = w.status_code, marks = report and report.marks,
                                       stderr = out.stderr ~= "" and out.stderr or nil })
        ok_all = ok_all and w.status_code == 0 and mine and true or false
        if report then
          latest_begin = math.max(latest_begin, report.began)
          earliest_end = math.min(earliest_end, report.ended)
        end
      end
    end)
    for _, c in ipairs(containers) do c:remove() end
    t:check(ok, "five containers created, started and waited for: " .. tostring(err))
    t:note("overlap_s", oh.ms(earliest_end - latest_begin))
    t:check(ok_all, "every run exited 0 and saw only its own /tmp mark")
    t:check(latest_begin < earliest_end, "all five programs were running at the same moment")
    t:check(oh.count(selector) == 0, "all five containers removed")
  end,
}

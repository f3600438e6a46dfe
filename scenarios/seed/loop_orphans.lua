-- V2 loop: after the loop no container of it is left, asked of the daemon
-- by label (sandprobe.run = this run, plus the loop's own label); and the
-- daemon's event stream shows one create and one destroy per executed
-- strategy, none for the rejected ones.
local loop = require("seed_loop")
local probe = require("seed_probe")

return {
  id = "seed.loop.orphans",
  title = "Loop: zero orphaned containers afterwards (asked of the daemon by label)",
  tags = { "loop", "slow", "cleanup", "integration" },
  requires = { "docker" },
  timeout = 120,
  run = function(t)
    local l = loop.run(t, "loop-orphans")
    local executed = 0
    for _, it in ipairs(l.iterations) do
      if not it.result.rejected then executed = executed + 1 end
    end
    local left = assert(docker.list { labels = { "sandprobe.run=" .. docker.run_id(), "seed.loop=" .. l.label } })
    local created = probe.events("seed.loop=" .. l.label, l.since - 1, l.until_ + 0.5, "create")
    -- Podman's Docker-compatible event stream calls a removal "remove"
    -- where Docker says "destroy".
    local removal = sandbox.engine_is_podman() and "remove" or "destroy"
    -- Until now: Podman removes the loop's containers after its end (the
    -- pool retires them in the background); `left` above proved them gone.
    local destroyed = probe.events("seed.loop=" .. l.label, l.since - 1, nil, removal)
    t:note("executed", executed)
    t:note("left", #left)
    t:note("create_events", #created)
    t:note("destroy_events", #destroyed)
    t:note("removal_event", removal)
    t:check(#left == 0, "no container of the loop is left")
    t:check(#created == executed, "one container created per executed strategy, none for rejected ones")
    t:check(#destroyed == executed, "each of them destroyed")
  end,
}

-- V2: two sandboxes alive at the same time do not share /tmp. Both
-- containers come from sandbox.container_spec (the spec sandbox.run uses)
-- and are started without a program, so the loader waits on stdin and both
-- stay alive; one writes a marker into its /tmp, the other looks for it.
return {
  id = "seed.sandbox.concurrent",
  title = "sandbox: concurrent runs are isolated from each other's /tmp",
  tags = { "layer3", "filesystem", "integration" },
  requires = { "docker" },
  run = function(t)
    local spec = sandbox.container_spec(sandbox.normalize_options { labels = { ["seed.probe"] = "concurrent" } })
    local a <close> = assert(docker.create(spec))
    local b <close> = assert(docker.create(spec))
    assert(a:start())
    assert(b:start())
    local wrote = assert(a:exec { cmd = { "python3", "-c",
      "open('/tmp/marker', 'w').write('secret from A'); print(open('/tmp/marker').read())" } })
    local looked = assert(b:exec { cmd = { "python3", "-c",
      "import os; print(os.path.exists('/tmp/marker'), sorted(os.listdir('/tmp')))" } })
    local a_running = assert(a:inspect()).State.Running
    local b_running = assert(b:inspect()).State.Running
    t:note("a_wrote", wrote.stdout)
    t:note("b_saw", looked.stdout)
    t:check(a_running and b_running, "both containers were alive together")
    t:check(wrote.exit_code == 0 and wrote.stdout == "secret from A\n", "A wrote and read its marker")
    t:check(looked.exit_code == 0 and looked.stdout == "False []\n", "B does not see A's marker (its /tmp is empty)")
  end,
}

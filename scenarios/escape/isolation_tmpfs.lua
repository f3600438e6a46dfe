-- Each sandbox has its own /tmp: a file one writes is not there for another
-- alive at the same time. Safe: a marker file in the sandbox's own tmpfs.
local escape = require("escape")

return escape.scenario {
  id = "escape.isolation.tmpfs",
  title = "A sandbox's /tmp is its own (another one alive at once sees nothing)",
  tags = { "isolation", "layer3" },
  references = { "T1074" },
  remediation = "Keep a per-container tmpfs on /tmp (tmpfs = {\"/tmp:...\"}); no shared volume.",
  run = function(t)
    local holder_out, f = escape.beside_holder(t, [=[
open("/tmp/sandprobe-escape-marker", "w").write("from the first sandbox")
print("wrote", os.listdir("/tmp"))
]=], [=[
report(listing=sorted(os.listdir("/tmp")))
]=])
    t:note("holder", holder_out)
    t:note("second_lists", table.concat(f.listing, ","))
    t:check(holder_out:find("sandprobe-escape-marker", 1, true), "the first sandbox wrote its marker")
    t:check(#f.listing == 0, "the second sandbox's /tmp is empty")
  end,
}

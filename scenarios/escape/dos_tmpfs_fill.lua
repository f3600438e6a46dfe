-- Filling /tmp must end with ENOSPC at the tmpfs size, not in the host's
-- memory. Safe: bounded by the sandbox's tmpfs and memory limit.
local escape = require("escape")

local function tmp_size_bytes(o)
  for _, entry in ipairs(o.tmpfs) do
    local size = entry:match("^/tmp:.*size=(%d+[kmgKMG]?)")
    if size then
      local n, unit = size:match("^(%d+)(%a?)$")
      return tonumber(n) * (({ k = 1024, m = 1024 ^ 2, g = 1024 ^ 3 })[unit:lower()] or 1)
    end
  end
end

return escape.scenario {
  id = "escape.dos.tmpfs_fill",
  title = "Filling /tmp ends with ENOSPC at the tmpfs size",
  tags = { "layer3", "layer5", "dos" },
  references = { "T1499.001" },
  remediation = "Keep a size on the /tmp tmpfs (tmpfs = {\"/tmp:rw,noexec,nosuid,size=64m\"}).",
  run = function(t)
    local limit = tmp_size_bytes(escape.options())
    if not limit then t:fail("the sandbox's /tmp tmpfs has no size= option: it can fill the host's memory") end
    local f = escape.facts(t, [=[
chunk = b"\0" * (1 << 20)
total, answer = 0, "no error"
with open("/tmp/fill", "wb", buffering=0) as fh:
    while total < (1 << 31):
        try:
            total += fh.write(chunk)
        except OSError as e:
            answer = errname(e.errno)
            break
os.unlink("/tmp/fill")
report(total=total, answer=answer)
]=], { timeout = 30 })
    t:note("bytes_written", f.total)
    t:note("error", f.answer)
    t:note("tmpfs_size", limit)
    t:check(f.answer == "ENOSPC", "the fill ends with ENOSPC (" .. f.answer .. ")")
    t:check(f.total <= limit, ("no more than the tmpfs size was written (%d of %d)"):format(f.total, limit))
  end,
}

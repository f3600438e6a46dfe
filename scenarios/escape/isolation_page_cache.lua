-- posix_fadvise(POSIX_FADV_DONTNEED) evicts pages of the read-only image
-- files every sandbox shares; another sandbox timing its reads of the same
-- file then receives bits (a covert channel between concurrent sandboxes).
-- The eviction is refused; the page cache itself stays a residual timing
-- channel (see docs/escape-pack.md). Safe: a bad descriptor (-1), which
-- the kernel would answer with EBADF.
local escape = require("escape")

return escape.scenario {
  id = "escape.isolation.page_cache",
  title = "fadvise64 (evicting shared image pages, a covert channel) is refused",
  tags = { "layer4", "seccomp", "isolation" },
  references = { "T1611" },
  remediation = "Keep fadvise64 in hardened.escape_syscalls.",
  run = function(t)
    escape.refused_calls(t, { { "fadvise64", -1, 0, 0, 4 } })
  end,
}

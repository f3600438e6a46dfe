-- open_by_handle_at opens host files by brute-forced inode handles, bypassing the container's mount view (the 'shocker' escape).
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.file_handles",
  title = "open_by_handle_at and name_to_handle_at (the shocker escape) are refused",
  tags = { "layer4", "seccomp", "kernel", "critical" },
  references = { "shocker (2014)", "T1611" },
  remediation = "Keep open_by_handle_at and name_to_handle_at in hardened.escape_syscalls; never add CAP_DAC_READ_SEARCH.",
  run = function(t)
    escape.refused_calls(t, {
      { "open_by_handle_at", -1, 0, 0 },
      { "name_to_handle_at", -1, 0, 0, 0, 0 },
    })
  end,
}

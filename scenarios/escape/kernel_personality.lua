-- Executable data mappings and disabled ASLR make exploitation easier (CVE-2009-1895 used personality flags).
-- Each call uses arguments that fail harmlessly should it reach the kernel.
local escape = require("escape")

return escape.scenario {
  id = "escape.kernel.personality",
  title = "personality() refuses READ_IMPLIES_EXEC and ADDR_NO_RANDOMIZE",
  tags = { "layer4", "seccomp", "kernel" },
  references = { "CVE-2009-1895", "T1068" },
  remediation = "Keep Docker's personality rule (only 0x0, 0x8, 0x20000, 0x20008, 0xffffffff) in the profile.",
  run = function(t)
    escape.refused_calls(t, {
      { "personality", 0x400000 },
      { "personality", 0x40000 },
    })
  end,
}

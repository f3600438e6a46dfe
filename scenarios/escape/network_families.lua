-- Socket families a program does not need are kernel attack surface
-- (AF_ALG, AF_RDS CVE-2010-3904, AF_PACKET, AF_NETLINK, AF_VSOCK
-- CVE-2021-26708, AF_TIPC CVE-2021-43267, AF_CAN, AF_XDP, AF_KEY ...). Each is
-- compared with what the sandbox's profile says. Safe: socket() alone.
local escape = require("escape")

local FAMILIES = { 3, 4, 5, 6, 8, 9, 11, 12, 15, 16, 17, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33,
  34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45 }

return escape.scenario {
  id = "escape.network.socket_families",
  title = "Only AF_UNIX, AF_INET and AF_INET6 sockets can be made",
  tags = { "layer4", "network", "seccomp", "critical" },
  references = { "CVE-2010-3904", "CVE-2021-26708", "CVE-2021-43267", "CVE-2017-7308", "T1611" },
  remediation = "Keep hardened.socket_families = {1, 2, 10} (profile:allow_only_arg0 for socket and socketpair).",
  run = function(t)
    local o = escape.options()
    local profile <close> = escape.profile(o)
    local f = escape.facts(t, ([=[
out = {}
for fam in %s:
    for kind in (1, 2, 3, 5):
        r, e = raw(SYSCALLS["socket"], fam, kind, 0)
        if r != -1:
            os.close(r)
        out.setdefault(str(fam), []).append("ok" if r != -1 else errname(e))
report(out=out)
]=]):format("[" .. table.concat(FAMILIES, ", ") .. "]"), nil, { "socket" })
    local opened = {}
    for _, fam in ipairs(FAMILIES) do
      local answers = f.out[tostring(fam)]
      local expect = escape.verdict(profile, "socket", { fam, 1, 0 })
      t:check(expect ~= "allow", ("the profile refuses socket family %d"):format(fam))
      for _, a in ipairs(answers) do
        if a == "ok" then opened[#opened + 1] = tostring(fam) end
        t:check(a == expect, ("family %d is refused with %s (observed %s)"):format(fam, tostring(expect), a))
      end
    end
    t:note("families_tried", #FAMILIES)
    t:note("opened", table.concat(opened, ","))
  end,
}

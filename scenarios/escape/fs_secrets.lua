-- Secrets handed to a sandbox (tokens, keys, passwords in the environment,
-- or in PID 1's environment) are readable by the untrusted program. Safe:
-- reads its own environment; values are never put in the evidence, only
-- the names that look like secrets.
local escape = require("escape")

return escape.scenario {
  id = "escape.fs.secrets",
  title = "No secret in the environment or in /proc/1/environ",
  tags = { "layer3", "secrets" },
  references = { "T1552.001", "T1552.007" },
  remediation = "Pass no credentials to the sandbox (env = {} beyond LANG/PYTHONUNBUFFERED/HOME); give the "
    .. "program its data on stdin or in its code.",
  run = function(t)
    local f = escape.facts(t, [=[
import re
PATTERN = re.compile(r"(SECRET|TOKEN|PASSW|API_?KEY|PRIVATE|CREDENTIAL|AWS_|GITHUB|DOCKER_|KUBE|SSH_AUTH|_KEY$)", re.I)
own = sorted(os.environ)
try:
    raw_env = open("/proc/1/environ", "rb").read().split(b"\0")
    pid1 = sorted(x.split(b"=", 1)[0].decode("utf-8", "replace") for x in raw_env if x)
except OSError as e:
    pid1 = ["?" + errname(e.errno)]
suspect = sorted(set(n for n in own + pid1 if PATTERN.search(n)))
report(names=own, pid1=pid1, suspect=suspect)
]=])
    t:note("environment_names", table.concat(f.names, ","))
    t:note("pid1_environment_names", table.concat(f.pid1, ","))
    t:check(#f.suspect == 0, "no variable looks like a secret: " .. table.concat(f.suspect, ", "))
  end,
}

-- A container engine's socket inside the sandbox is root on the host
-- (docker run --privileged -v /:/host). Checked at the usual paths of
-- Docker, containerd, CRI-O, Podman and the kubelet, and every unix socket
-- file anywhere. Safe: lstat() only, nothing connects.
local escape = require("escape")

return escape.scenario {
  id = "escape.fs.engine_sockets",
  title = "No container engine socket (docker.sock, containerd, CRI-O, Podman) is reachable",
  tags = { "layer3", "filesystem", "critical" },
  references = { "T1610", "T1611" },
  remediation = "Never mount /var/run/docker.sock or another engine socket into the sandbox (no volumes, no binds).",
  timeout = 60,
  run = function(t)
    local f = escape.facts(t, [=[
import stat
USUAL = ["/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock",
         "/var/run/containerd/containerd.sock", "/run/containerd/containerd.sock.ttrpc", "/var/run/crio/crio.sock",
         "/run/podman/podman.sock", "/var/run/dockershim.sock", "/run/buildkit/buildkitd.sock",
         "/var/lib/kubelet/pod-resources/kubelet.sock", "/run/docker/plugins", "/tmp/docker.sock"]
present = [p for p in USUAL if os.path.lexists(p)]
sockets = []
for root, dirs, files in os.walk("/"):
    if root == "/":
        dirs[:] = [d for d in dirs if d not in ("proc", "sys")]
    for name in files:
        p = os.path.join(root, name)
        try:
            if stat.S_ISSOCK(os.lstat(p).st_mode):
                sockets.append(p)
        except OSError:
            pass
report(present=present, sockets=sockets, docker_host=os.environ.get("DOCKER_HOST", ""))
]=], { timeout = 50 })
    t:note("usual_paths_present", table.concat(f.present, ", "))
    t:note("unix_socket_files", table.concat(f.sockets, ", "))
    t:check(#f.present == 0, "no engine socket at the usual paths: " .. table.concat(f.present, ", "))
    t:check(#f.sockets == 0, "no unix socket file anywhere: " .. table.concat(f.sockets, ", "))
    t:check(f.docker_host == "", "DOCKER_HOST is not set")
  end,
}

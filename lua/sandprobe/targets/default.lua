-- The built-in hardened sandbox, written as a sandbox target: what every pack
-- proves when no --target is given. Copy this file to describe your own
-- sandbox and pass it with `sandprobe run PACK --target FILE` (the format is
-- in docs/targets.md). A key left out of a target means what `docker run`
-- does without that flag.
return {
  name = "hardened",
  description = "sandprobe's five-layer sandbox for untrusted Python",
  image = "sandprobe/python:3.11",
  -- runtime = "runc",              -- or a list: { "runc", "runsc" } runs every pack once per runtime
  network = "none",                 -- Layer 2
  read_only = true,                 -- Layer 3: read-only root ...
  tmpfs = { "/tmp:rw,noexec,nosuid,size=64m" },   -- ... and only a small noexec /tmp writable
  seccomp = "hardened",             -- Layer 4: "hardened", "default", "unconfined" or a profile file
  security_opt = { "no-new-privileges" },
  memory = "512m",                  -- Layer 5
  -- memory_swap = "512m",          -- left out: equal to memory, no swap
  pids_limit = 64,
  cpus = 1.0,
  cap_drop = { "ALL" },
  cap_add = {},
  user = "@fresh",                  -- a fresh uid:gid per container, random in [2^30, 2^31-2]:
                                    -- per-uid kernel counters are not shared (sandbox.fresh_user)
  -- Docker's default masked paths (a list replaces them, so they are kept)
  -- plus /dev/pts (the host-wide pty pool behind /dev/ptmx, a symlink into
  -- it), the host's kernel command line and the pty counters
  masked_paths = {
    "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
    "/dev/pts", "/proc/cmdline", "/proc/sys/kernel/pty",
  },
  ipc = "none",                     -- no /dev/shm; a private IPC namespace
  log_driver = "none",              -- the daemon keeps no copy of the output
  -- no core dumps (a host core_pattern helper would get up to the memory
  -- limit), and descriptors bounded whatever the daemon's default
  ulimits = { "core=0:0", "nofile=4096:4096" },
  env = {},
  python = { "python3" },           -- the interpreter; the sandbox appends -c LOADER
  -- endpoint = "unix:///var/run/docker.sock",   -- else --host, DOCKER_HOST, the default socket
}

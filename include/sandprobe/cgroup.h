/* The cgroup primitive: find a Docker container's cgroup and read its memory,
 * pids and CPU accounting, on cgroup v1 (one hierarchy per controller) and v2
 * (unified), with either of Docker's cgroup drivers (cgroupfs, systemd).
 *
 * Everything is read from files below a cgroup root (normally /sys/fs/cgroup)
 * and a proc root (normally /proc); both are parameters so tests use fixture
 * trees. Pure C, no Lua. */
#ifndef SANDPROBE_CGROUP_H
#define SANDPROBE_CGROUP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SP_CGROUP_DEFAULT_ROOT "/sys/fs/cgroup"
#define SP_CGROUP_DEFAULT_PROC "/proc"

/* v1 limits have no "max" keyword: "no limit" is the largest page-aligned
 * counter (0x7FFFFFFFFFFFF000 with 4 KiB pages). Anything at or above this
 * is reported as unlimited. */
#define SP_CGROUP_V1_UNLIMITED_THRESHOLD ((uint64_t)1 << 62)

enum sp_cgroup_driver {
    SP_CGROUP_DRIVER_UNKNOWN = 0, /* found through the pid in a path of no known shape */
    SP_CGROUP_DRIVER_CGROUPFS,    /* .../docker/<id> */
    SP_CGROUP_DRIVER_SYSTEMD,     /* .../docker-<id>.scope */
};

/* Where to look. Zeroed fields take the defaults. */
struct sp_cgroup_query {
    const char *root;      /* cgroup mount root; NULL: /sys/fs/cgroup */
    const char *proc_root; /* NULL: /proc */
    long pid;              /* the container's init pid (docker inspect State.Pid); 0: unknown */
};

/* A container's cgroup directories. On v2 all three are the same directory. */
struct sp_cgroup_location {
    int version; /* 1 or 2 */
    enum sp_cgroup_driver driver;
    char memory[PATH_MAX];
    char pids[PATH_MAX];
    char cpu[PATH_MAX]; /* cpuacct (v1) or the unified directory (v2) */
};

/* One value read from a cgroup file. `present` is false when the file is
 * missing or unparsable (e.g. memory.memsw.* without swap accounting). */
struct sp_cgroup_value {
    bool present;
    bool unlimited; /* "max" (v2) or v1's no-limit sentinel; value is then UINT64_MAX */
    uint64_t value;
};

struct sp_cgroup_stats {
    struct sp_cgroup_location location;
    struct sp_cgroup_value memory_limit_bytes;
    struct sp_cgroup_value swap_limit_bytes; /* v1: memsw - memory; v2: memory.swap.max */
    struct sp_cgroup_value memory_usage_bytes;
    struct sp_cgroup_value memory_peak_bytes; /* v1 max_usage_in_bytes; v2 memory.peak */
    struct sp_cgroup_value memory_failcnt;    /* v1 memory.failcnt; v2 memory.events "max" */
    struct sp_cgroup_value oom_kills;         /* memory.oom_control / memory.events "oom_kill" */
    struct sp_cgroup_value pids_max;
    struct sp_cgroup_value pids_current;
    struct sp_cgroup_value cpu_usage_ns; /* v1 cpuacct.usage; v2 cpu.stat usage_usec * 1000 */
};

/* 1 or 2 for the hierarchy at `root` (NULL: default): v2 when the root holds
 * cgroup.controllers, v1 when it holds a memory/ hierarchy; -1 otherwise. */
int sp_cgroup_version(const char *root);

/* "cgroupfs", "systemd" or "unknown". */
const char *sp_cgroup_driver_name(enum sp_cgroup_driver driver);

/* True for a full container id: 64 lowercase hex digits. */
bool sp_cgroup_valid_id(const char *id);

/* Finds the container's cgroup. With a pid, /proc/<pid>/cgroup names the
 * exact directories (right even when the daemon runs under a nested cgroup
 * parent); without one, or when that path does not exist below the root, the
 * well-known paths of both drivers are tried. Returns 0, or -1 with a message
 * in err naming every path tried. */
int sp_cgroup_locate(const char *container_id, const struct sp_cgroup_query *query,
                     struct sp_cgroup_location *loc, char *err, size_t errlen);

/* Reads every value of a located cgroup. Missing files leave their value
 * not present; returns 0, or -1 with err when the memory directory itself is gone
 * (the container ended). */
int sp_cgroup_read_location(const struct sp_cgroup_location *loc, struct sp_cgroup_stats *stats,
                            char *err, size_t errlen);

/* sp_cgroup_locate + sp_cgroup_read_location. */
int sp_cgroup_read(const char *container_id, const struct sp_cgroup_query *query,
                   struct sp_cgroup_stats *stats, char *err, size_t errlen);

#endif

/* The resource monitor: a background thread that samples the host (memory,
 * load) and the cgroups of the containers it is told about, on an interval.
 * Samples go to a sink (callbacks, e.g. metrics gauges) and are kept as "the
 * latest" for anyone who asks. Pure C, no Lua. */
#ifndef SANDPROBE_MONITOR_H
#define SANDPROBE_MONITOR_H

#include "sandprobe/cgroup.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SP_MONITOR_DEFAULT_INTERVAL 1.0 /* seconds */
#define SP_MONITOR_MIN_INTERVAL 0.01

struct sp_host_sample {
    double time; /* wall clock, seconds since the epoch */
    bool memory_present;
    uint64_t memory_total_bytes;     /* /proc/meminfo MemTotal */
    uint64_t memory_available_bytes; /* /proc/meminfo MemAvailable */
    bool load_present;
    double load1, load5, load15; /* /proc/loadavg */
};

/* Where samples go. Callbacks run on the monitor thread, one cycle at a time,
 * with the monitor's lock held: they must be quick and must not call back into
 * the monitor. Any of them may be NULL. */
struct sp_monitor_sink {
    void (*host)(void *ctx, const struct sp_host_sample *sample);
    void (*container)(void *ctx, const char *id, const struct sp_cgroup_stats *stats);
    /* The container was untracked: drop its per-container series. */
    void (*container_gone)(void *ctx, const char *id);
    void *ctx;
};

struct sp_monitor_config {
    double interval_seconds; /* 0: SP_MONITOR_DEFAULT_INTERVAL */
    const char *cgroup_root; /* NULL: /sys/fs/cgroup */
    const char *proc_root;   /* NULL: /proc */
    struct sp_monitor_sink sink;
};

struct sp_monitor_container {
    char id[65];
    long pid;
    bool sampled;             /* stats holds at least one good sample */
    double time;              /* when stats was read */
    struct sp_cgroup_stats stats; /* the last good sample: kept after the cgroup goes */
    char error[512];          /* why the last attempt failed; "" when it worked */
};

struct sp_monitor_snapshot {
    unsigned long cycles; /* sampling cycles done so far */
    struct sp_host_sample host;
    size_t count;
    struct sp_monitor_container *containers; /* count entries, owned by the snapshot */
};

struct sp_monitor;

/* Reads host memory and load from proc_root (NULL: /proc). Returns 0 when
 * both were read, -1 when either is missing (its *_present flag is false). */
int sp_monitor_read_host(const char *proc_root, struct sp_host_sample *out);

/* Starts the thread; its first cycle runs at once. NULL with err on failure. */
struct sp_monitor *sp_monitor_start(const struct sp_monitor_config *config, char *err,
                                    size_t errlen);

/* Tracks a container (full id, init pid or 0) until untracked; tracking an id
 * again updates its pid. 0, or -1 for an invalid id or no memory. */
int sp_monitor_track(struct sp_monitor *m, const char *id, long pid);

/* Stops tracking; calls the sink's container_gone. Unknown ids are ignored. */
void sp_monitor_untrack(struct sp_monitor *m, const char *id);

/* Runs one sampling cycle now, on the calling thread (tests; a fresh reading
 * before a decision). */
void sp_monitor_sample_now(struct sp_monitor *m);

/* Copies the latest samples. 0, or -1 when out of memory. */
int sp_monitor_latest(struct sp_monitor *m, struct sp_monitor_snapshot *out);
void sp_monitor_snapshot_free(struct sp_monitor_snapshot *snapshot);

/* Stops and joins the thread, then frees the monitor. NULL is fine. */
void sp_monitor_stop(struct sp_monitor *m);

/* The sink the Lua `monitor` module starts its monitor with (the lead wires it
 * to the metrics registry at start-up). Copied; NULL clears it. */
void sp_monitor_set_default_sink(const struct sp_monitor_sink *sink);
struct sp_monitor_sink sp_monitor_default_sink(void);

#endif

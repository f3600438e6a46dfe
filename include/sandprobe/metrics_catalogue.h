/* The engine's own metric families (documented in docs/metrics.md): one table
 * in engine/metrics_catalogue.c, declared into a registry in one call. The
 * process-wide registry gets them on first use of sp_catalogue() or of the Lua
 * module (require("metrics")), so they are always exposed, with HELP and TYPE,
 * before anything records. C code records with sp_catalogue(SP_M_...); Lua
 * gets the same families from require("metrics").catalogue(). */
#ifndef SANDPROBE_METRICS_CATALOGUE_H
#define SANDPROBE_METRICS_CATALOGUE_H

#include "sandprobe/metrics.h"

enum sp_catalogue_metric {
    SP_M_BUILD_INFO,                   /* gauge {version} = 1 */
    SP_M_PROCESS_START_TIME,           /* gauge, seconds since the epoch */
    SP_M_SANDBOX_EXECUTIONS,           /* counter {outcome} */
    SP_M_VALIDATOR_REJECTIONS,         /* counter {rule} */
    SP_M_CONTAINER_CREATE_DURATION,    /* histogram, seconds */
    SP_M_CONTAINER_START_DURATION,     /* histogram, seconds */
    SP_M_CONTAINER_RUN_DURATION,       /* histogram, seconds */
    SP_M_CONTAINER_REMOVE_DURATION,    /* histogram, seconds */
    SP_M_SANDBOX_OOM_KILLS,            /* counter */
    SP_M_SANDBOX_TIMEOUTS,             /* counter */
    SP_M_CONTAINERS_ALIVE,             /* gauge */
    SP_M_ORPHANS_SWEPT,                /* counter */
    SP_M_POOL_SIZE,                    /* gauge */
    SP_M_POOL_IDLE,                    /* gauge */
    SP_M_POOL_BUSY,                    /* gauge */
    SP_M_SCENARIO_RESULTS,             /* counter {pack, status} */
    SP_M_SCENARIO_DURATION,            /* histogram {pack}, seconds */
    SP_M_DOCKER_REQUESTS,              /* counter {endpoint, method} */
    SP_M_DOCKER_REQUEST_ERRORS,        /* counter {endpoint} */
    SP_M_DOCKER_REQUEST_DURATION,      /* histogram {endpoint}, seconds */
    SP_M_DAEMON_REACHABLE,             /* gauge 0/1 */
    SP_M_HOST_MEMORY_AVAILABLE,        /* gauge, bytes */
    SP_M_HOST_LOAD1,                   /* gauge */
    SP_M_CONTAINER_MEMORY_USAGE,       /* gauge {container}, bytes */
    SP_M_CONTAINER_CPU_SECONDS,        /* counter {container}, seconds */
    SP_M_ALERTS_FIRING,                /* gauge {alertname} 0/1 */
    SP_M_MONITOR_SAMPLES,              /* counter */
    SP_M_DIVERSITY_SCORE,              /* gauge [0, 1] */
    SP_M_DIVERSITY_UNIQUE,             /* gauge */
    SP_M_DIVERSITY_PROGRAMS,           /* gauge */
    SP_M_DIVERSITY_WINDOW,             /* gauge */
    SP_M_DIVERSITY_COLLAPSED,          /* gauge 0/1 */
    SP_M_DIVERSITY_COLLAPSE_EVENTS,    /* counter */
    SP_M_CATALOGUE_SIZE
};

/* Declares every catalogue family in `reg` (again: a no-op), sets
 * sandprobe_build_info and sandprobe_process_start_time_seconds.
 * 0, or -1 with the reason in err (a clashing family already declared). */
int sp_metrics_declare_catalogue(sp_metrics_registry *reg, char *err, size_t errlen);

/* The family of a catalogue entry in the process-wide registry, declaring the
 * catalogue there on first use. NULL only for an invalid id or if declaring
 * failed (reported once on stderr); recording into NULL does nothing. */
sp_metric_family *sp_catalogue(enum sp_catalogue_metric id);

/* The declared name of an entry (counters with "_total"), or NULL. */
const char *sp_catalogue_name(enum sp_catalogue_metric id);

#endif

/* The engine's own metrics: the one table that names, describes and types
 * them. docs/metrics.md says when each one moves and who records it. */
#include "sandprobe/metrics_catalogue.h"
#include "sandprobe/clock.h"

#include <pthread.h>
#include <stdio.h>

static const char *const L_OUTCOME[] = {"outcome"};
static const char *const L_RULE[] = {"rule"};
static const char *const L_PACK[] = {"pack"};
static const char *const L_PACK_STATUS[] = {"pack", "status"};
static const char *const L_ENDPOINT[] = {"endpoint"};
static const char *const L_ENDPOINT_METHOD[] = {"endpoint", "method"};
static const char *const L_CONTAINER[] = {"container"};
static const char *const L_ALERTNAME[] = {"alertname"};
static const char *const L_VERSION[] = {"version"};

/* Container runs last from a fraction of a second to the sandbox time limit;
 * scenarios up to their own limit of a few minutes. */
static const double RUN_BUCKETS[] = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
static const double SCENARIO_BUCKETS[] = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

#define LABELS(l) .label_names = (l), .label_count = sizeof(l) / sizeof((l)[0])
#define BUCKETS(b) .buckets = (b), .bucket_count = sizeof(b) / sizeof((b)[0])
#define COUNTER(n) .type = SP_METRIC_COUNTER, .name = (n)
#define GAUGE(n) .type = SP_METRIC_GAUGE, .name = (n)
#define HISTOGRAM(n) .type = SP_METRIC_HISTOGRAM, .name = (n)

static const struct sp_metric_desc CATALOGUE[SP_M_CATALOGUE_SIZE] = {
    [SP_M_BUILD_INFO] = {GAUGE("sandprobe_build_info"), LABELS(L_VERSION),
        .help = "Build information of the sandprobe engine; the value is always 1."},
    [SP_M_PROCESS_START_TIME] = {GAUGE("sandprobe_process_start_time_seconds"), .unit = "seconds",
        .help = "Start time of the sandprobe process since the Unix epoch in seconds."},
    [SP_M_SANDBOX_EXECUTIONS] = {COUNTER("sandprobe_sandbox_executions_total"), LABELS(L_OUTCOME),
        .help = "Executions of untrusted code through the sandbox, by outcome."},
    [SP_M_VALIDATOR_REJECTIONS] = {COUNTER("sandprobe_validator_rejections_total"), LABELS(L_RULE),
        .help = "Programs the static validator refused before any container ran, by rule."},
    [SP_M_CONTAINER_CREATE_DURATION] = {HISTOGRAM("sandprobe_container_create_duration_seconds"),
        .unit = "seconds", .help = "Time the Docker daemon took to create a sandbox container."},
    [SP_M_CONTAINER_START_DURATION] = {HISTOGRAM("sandprobe_container_start_duration_seconds"),
        .unit = "seconds", .help = "Time the Docker daemon took to start a sandbox container."},
    [SP_M_CONTAINER_RUN_DURATION] = {HISTOGRAM("sandprobe_container_run_duration_seconds"),
        .unit = "seconds", BUCKETS(RUN_BUCKETS),
        .help = "Time a sandbox container ran, from start until it exited or was stopped."},
    [SP_M_CONTAINER_REMOVE_DURATION] = {HISTOGRAM("sandprobe_container_remove_duration_seconds"),
        .unit = "seconds", .help = "Time the Docker daemon took to remove a sandbox container."},
    [SP_M_SANDBOX_OOM_KILLS] = {COUNTER("sandprobe_sandbox_oom_kills_total"),
        .help = "Sandbox executions ended by the kernel's out-of-memory killer."},
    [SP_M_SANDBOX_TIMEOUTS] = {COUNTER("sandprobe_sandbox_timeouts_total"),
        .help = "Sandbox executions stopped because they exceeded their time limit."},
    [SP_M_CONTAINERS_ALIVE] = {GAUGE("sandprobe_containers_alive"),
        .help = "Containers labelled sandprobe.managed=true that exist right now."},
    [SP_M_ORPHANS_SWEPT] = {COUNTER("sandprobe_orphans_swept_total"),
        .help = "Leftover sandprobe containers removed by the orphan sweeper."},
    [SP_M_POOL_SIZE] = {GAUGE("sandprobe_pool_size"),
        .help = "Containers in the warm sandbox pool, idle or busy."},
    [SP_M_POOL_IDLE] = {GAUGE("sandprobe_pool_idle"),
        .help = "Warm pool containers waiting for work."},
    [SP_M_POOL_BUSY] = {GAUGE("sandprobe_pool_busy"),
        .help = "Warm pool containers running untrusted code right now."},
    [SP_M_SCENARIO_RESULTS] = {COUNTER("sandprobe_scenario_results_total"), LABELS(L_PACK_STATUS),
        .help = "Scenario results by pack and status (pass, fail, error, skip)."},
    [SP_M_SCENARIO_DURATION] = {HISTOGRAM("sandprobe_scenario_duration_seconds"), LABELS(L_PACK),
        .unit = "seconds", BUCKETS(SCENARIO_BUCKETS),
        .help = "Wall-clock time of one scenario run, by pack."},
    [SP_M_DOCKER_REQUESTS] = {COUNTER("sandprobe_docker_requests_total"),
        LABELS(L_ENDPOINT_METHOD),
        .help = "Requests sent to the Docker Engine API, by endpoint template and method."},
    [SP_M_DOCKER_REQUEST_ERRORS] = {COUNTER("sandprobe_docker_request_errors_total"),
        LABELS(L_ENDPOINT),
        .help = "Docker Engine API requests that failed (transport error or HTTP status 5xx)."},
    [SP_M_DOCKER_REQUEST_DURATION] = {HISTOGRAM("sandprobe_docker_request_duration_seconds"),
        LABELS(L_ENDPOINT), .unit = "seconds",
        .help = "Time from sending a Docker Engine API request to its complete response."},
    [SP_M_DAEMON_REACHABLE] = {GAUGE("sandprobe_daemon_reachable"),
        .help = "Whether the last contact with the Docker daemon succeeded (1) or not (0)."},
    [SP_M_HOST_MEMORY_AVAILABLE] = {GAUGE("sandprobe_host_memory_available_bytes"),
        .unit = "bytes", .help = "Memory available on the host (MemAvailable) in bytes."},
    [SP_M_HOST_LOAD1] = {GAUGE("sandprobe_host_load1"),
        .help = "Host load average over the last minute."},
    [SP_M_CONTAINER_MEMORY_USAGE] = {GAUGE("sandprobe_container_memory_usage_bytes"),
        LABELS(L_CONTAINER), .unit = "bytes",
        .help = "Memory used by a running sandbox container (its cgroup) in bytes."},
    [SP_M_CONTAINER_CPU_SECONDS] = {COUNTER("sandprobe_container_cpu_seconds_total"),
        LABELS(L_CONTAINER), .unit = "seconds",
        .help = "CPU time consumed by a running sandbox container (its cgroup) in seconds."},
    [SP_M_ALERTS_FIRING] = {GAUGE("sandprobe_alerts_firing"), LABELS(L_ALERTNAME),
        .help = "Whether an alert rule is firing (1) or not (0)."},
    [SP_M_MONITOR_SAMPLES] = {COUNTER("sandprobe_monitor_samples_total"),
        .help = "Sampling rounds completed by the background resource monitor."},
    [SP_M_DIVERSITY_SCORE] = {GAUGE("sandprobe_diversity_score"),
        .help = "Diversity of the recent programs: mean pairwise Jaccard distance of their line shingles (0 = all the same)."},
    [SP_M_DIVERSITY_UNIQUE] = {GAUGE("sandprobe_diversity_unique_programs"),
        .help = "Distinct programs seen, after normalising identifiers and literals."},
    [SP_M_DIVERSITY_PROGRAMS] = {GAUGE("sandprobe_diversity_programs"),
        .help = "Programs seen by the diversity monitor."},
    [SP_M_DIVERSITY_WINDOW] = {GAUGE("sandprobe_diversity_window_programs"),
        .help = "Programs in the sliding window the diversity score is computed over."},
    [SP_M_DIVERSITY_COLLAPSED] = {GAUGE("sandprobe_diversity_collapsed"),
        .help = "Whether the generator has collapsed (1): the diversity score stayed under its threshold."},
    [SP_M_DIVERSITY_COLLAPSE_EVENTS] = {COUNTER("sandprobe_diversity_collapse_events_total"),
        .help = "Times the diversity monitor entered the collapsed state."},
};

/* Taken when the process starts, before main. */
static double process_start_time;

__attribute__((constructor)) static void note_process_start(void)
{
    process_start_time = sp_clock_wall();
}

static int declare_into(sp_metrics_registry *reg, sp_metric_family **out, char *err, size_t errlen)
{
    for (size_t i = 0; i < SP_M_CATALOGUE_SIZE; i++) {
        sp_metric_family *f = sp_metrics_register(reg, &CATALOGUE[i], err, errlen);
        if (f == NULL)
            return -1;
        if (out != NULL)
            out[i] = f;
    }
    const char *version[] = {SANDPROBE_VERSION};
    sp_metric_gauge_set(sp_metrics_find(reg, "sandprobe_build_info"), version, 1);
    sp_metric_gauge_set(sp_metrics_find(reg, "sandprobe_process_start_time_seconds"), NULL,
                        process_start_time);
    return 0;
}

int sp_metrics_declare_catalogue(sp_metrics_registry *reg, char *err, size_t errlen)
{
    return declare_into(reg, NULL, err, errlen);
}

static sp_metric_family *default_families[SP_M_CATALOGUE_SIZE];
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void declare_default(void)
{
    char err[256];
    if (declare_into(sp_metrics_default(), default_families, err, sizeof err) != 0)
        fprintf(stderr, "sandprobe: cannot declare the engine's metrics: %s\n", err);
}

sp_metric_family *sp_catalogue(enum sp_catalogue_metric id)
{
    pthread_once(&default_once, declare_default);
    return (unsigned)id < SP_M_CATALOGUE_SIZE ? default_families[id] : NULL;
}

const char *sp_catalogue_name(enum sp_catalogue_metric id)
{
    return (unsigned)id < SP_M_CATALOGUE_SIZE ? CATALOGUE[id].name : NULL;
}

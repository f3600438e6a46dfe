/* Observers that record what the engine's primitives report into the
 * process-wide metrics catalogue: the resource monitor's sink and the Docker
 * client's observer. The primitives know nothing of the metrics; the
 * composition root (engine/compose.c) hands them these. */
#include "sandprobe/metrics_observers.h"
#include "sandprobe/metrics_catalogue.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- monitor samples -> catalogue --------------------------------------- */

#define SHORT_ID_LEN 12

static void on_host(void *ctx, const struct sp_host_sample *s)
{
    (void)ctx;
    if (s->memory_present)
        sp_metric_gauge_set(sp_catalogue(SP_M_HOST_MEMORY_AVAILABLE), NULL,
                            (double)s->memory_available_bytes);
    if (s->load_present)
        sp_metric_gauge_set(sp_catalogue(SP_M_HOST_LOAD1), NULL, s->load1);
    /* The host is read once per round, first: one round, one count. */
    sp_metric_counter_add(sp_catalogue(SP_M_MONITOR_SAMPLES), NULL, 1);
}

/* Per-container series are labelled with the short id: bounded to the
 * containers alive, and what `docker ps` shows. */
static void short_id(const char *id, char out[SHORT_ID_LEN + 1])
{
    snprintf(out, SHORT_ID_LEN + 1, "%s", id);
}

static void on_container(void *ctx, const char *id, const struct sp_cgroup_stats *stats)
{
    (void)ctx;
    char name[SHORT_ID_LEN + 1];
    short_id(id, name);
    const char *values[] = {name};
    if (stats->memory_usage_bytes.present)
        sp_metric_gauge_set(sp_catalogue(SP_M_CONTAINER_MEMORY_USAGE), values,
                            (double)stats->memory_usage_bytes.value);
    if (stats->cpu_usage_ns.present)
        sp_metric_counter_advance_to(sp_catalogue(SP_M_CONTAINER_CPU_SECONDS), values,
                                     (double)stats->cpu_usage_ns.value / 1e9);
}

static void on_container_gone(void *ctx, const char *id)
{
    (void)ctx;
    char name[SHORT_ID_LEN + 1];
    short_id(id, name);
    const char *values[] = {name};
    sp_metric_remove(sp_catalogue(SP_M_CONTAINER_MEMORY_USAGE), values);
    sp_metric_remove(sp_catalogue(SP_M_CONTAINER_CPU_SECONDS), values);
}

struct sp_monitor_sink sp_metrics_monitor_sink(void)
{
    return (struct sp_monitor_sink){.host = on_host,
                                    .container = on_container,
                                    .container_gone = on_container_gone};
}

/* ---- Docker client -> catalogue ----------------------------------------- */

/* This process's containers that exist, behind sandprobe_containers_alive: a
 * set of ids rather than a bare counter, so removing an id twice, a container
 * gone by itself (404) or the sweep of other processes' leftovers cannot skew
 * the gauge. Holds only live containers, so it stays small. */
static pthread_mutex_t alive_lock = PTHREAD_MUTEX_INITIALIZER;
static char (*alive_ids)[SP_DOCKER_ID_MAX];
static size_t alive_count, alive_capacity;

static void alive_publish_locked(void)
{
    sp_metric_gauge_set(sp_catalogue(SP_M_CONTAINERS_ALIVE), NULL, (double)alive_count);
}

static void on_container_created(void *ctx, const char *id)
{
    (void)ctx;
    pthread_mutex_lock(&alive_lock);
    if (alive_count == alive_capacity) {
        size_t capacity = alive_capacity ? alive_capacity * 2 : 16;
        void *grown = realloc(alive_ids, capacity * sizeof *alive_ids);
        if (grown != NULL) {
            alive_ids = grown;
            alive_capacity = capacity;
        }
    }
    if (alive_count < alive_capacity)
        snprintf(alive_ids[alive_count++], sizeof alive_ids[0], "%s", id);
    alive_publish_locked();
    pthread_mutex_unlock(&alive_lock);
}

/* `ref` as given to remove: the full id, or a prefix of it. */
static void on_container_removed(void *ctx, const char *ref)
{
    (void)ctx;
    size_t n = strlen(ref);
    pthread_mutex_lock(&alive_lock);
    for (size_t i = 0; i < alive_count; i++) {
        if (strncmp(alive_ids[i], ref, n) == 0) {
            memcpy(alive_ids[i], alive_ids[--alive_count], sizeof alive_ids[0]);
            alive_publish_locked();
            break;
        }
    }
    pthread_mutex_unlock(&alive_lock);
}

static void on_request(void *ctx, const char *endpoint, const char *method)
{
    (void)ctx;
    const char *values[] = {endpoint, method};
    sp_metric_counter_add(sp_catalogue(SP_M_DOCKER_REQUESTS), values, 1);
}

/* An error is a transport failure before any HTTP answer or a 5xx (a
 * time-out after the headers, such as a wait outliving the caller's limit, is
 * that caller's choice, and 4xx is the API working). */
static void on_exchange(void *ctx, const struct sp_docker_exchange *x)
{
    (void)ctx;
    const char *values[] = {x->endpoint};
    int answered = x->status > 0;
    if ((!x->transport_ok && !answered) || x->status >= 500)
        sp_metric_counter_add(sp_catalogue(SP_M_DOCKER_REQUEST_ERRORS), values, 1);
    if (!x->streamed)
        sp_metric_histogram_observe(sp_catalogue(SP_M_DOCKER_REQUEST_DURATION), values,
                                    x->seconds);
    sp_metric_gauge_set(sp_catalogue(SP_M_DAEMON_REACHABLE), NULL,
                        answered || x->transport_ok ? 1 : 0);
}

static void on_orphans_swept(void *ctx, int count)
{
    (void)ctx;
    sp_metric_counter_add(sp_catalogue(SP_M_ORPHANS_SWEPT), NULL, count);
}

struct sp_docker_observer sp_metrics_docker_observer(void)
{
    return (struct sp_docker_observer){.request = on_request,
                                       .exchange = on_exchange,
                                       .container_created = on_container_created,
                                       .container_removed = on_container_removed,
                                       .orphans_swept = on_orphans_swept};
}

/* The resource monitor. See include/sandprobe/monitor.h.
 *
 * One mutex guards everything and is held for a whole sampling cycle: a cycle
 * reads a few small files per container (microseconds), and holding the lock
 * means untrack can never race a sink call for the same container. */
#include "sandprobe/monitor.h"
#include "sandprobe/clock.h"
#include "sandprobe/ticker.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tracked {
    struct sp_monitor_container c;
    bool located;
    struct sp_cgroup_location location; /* found once, then re-read every cycle */
};

struct sp_monitor {
    struct sp_ticker ticker; /* its lock guards everything below too */
    pthread_t thread;
    double interval;
    char *cgroup_root, *proc_root;
    struct sp_monitor_sink sink;
    unsigned long cycles;
    struct sp_host_sample host;
    struct tracked *tracked;
    size_t count, capacity;
};

static pthread_mutex_t default_sink_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sp_monitor_sink default_sink;

static int read_meminfo(const char *proc_root, struct sp_host_sample *out)
{
    char path[512], line[256];
    snprintf(path, sizeof path, "%s/meminfo", proc_root);
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return -1;
    unsigned long long total = 0, available = 0, kib;
    bool have_total = false, have_available = false;
    while (fgets(line, sizeof line, f) != NULL) {
        if (sscanf(line, "MemTotal: %llu kB", &kib) == 1) {
            total = kib;
            have_total = true;
        } else if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1) {
            available = kib;
            have_available = true;
        }
    }
    fclose(f);
    if (!have_total || !have_available)
        return -1;
    out->memory_total_bytes = (uint64_t)total * 1024;
    out->memory_available_bytes = (uint64_t)available * 1024;
    out->memory_present = true;
    return 0;
}

static int read_loadavg(const char *proc_root, struct sp_host_sample *out)
{
    char path[512];
    snprintf(path, sizeof path, "%s/loadavg", proc_root);
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return -1;
    int n = fscanf(f, "%lf %lf %lf", &out->load1, &out->load5, &out->load15);
    fclose(f);
    out->load_present = n == 3;
    return out->load_present ? 0 : -1;
}

int sp_monitor_read_host(const char *proc_root, struct sp_host_sample *out)
{
    memset(out, 0, sizeof *out);
    if (proc_root == NULL)
        proc_root = SP_CGROUP_DEFAULT_PROC;
    out->time = sp_clock_wall();
    int mem = read_meminfo(proc_root, out);
    int load = read_loadavg(proc_root, out);
    return mem == 0 && load == 0 ? 0 : -1;
}

/* Locates on first use (and again after a failure, in case the pid was not
 * yet known), then reads. Keeps the last good stats when the cgroup goes. */
static void sample_container(struct sp_monitor *m, struct tracked *t)
{
    if (!t->located) {
        struct sp_cgroup_query q = {.root = m->cgroup_root, .proc_root = m->proc_root,
                                    .pid = t->c.pid};
        if (sp_cgroup_locate(t->c.id, &q, &t->location, t->c.error, sizeof t->c.error) != 0)
            return;
        t->located = true;
    }
    struct sp_cgroup_stats stats;
    if (sp_cgroup_read_location(&t->location, &stats, t->c.error, sizeof t->c.error) != 0) {
        t->located = false;
        return;
    }
    t->c.stats = stats;
    t->c.sampled = true;
    t->c.time = sp_clock_wall();
    t->c.error[0] = '\0';
    if (m->sink.container != NULL)
        m->sink.container(m->sink.ctx, t->c.id, &stats);
}

static void sample_locked(struct sp_monitor *m)
{
    sp_monitor_read_host(m->proc_root, &m->host);
    if (m->sink.host != NULL)
        m->sink.host(m->sink.ctx, &m->host);
    for (size_t i = 0; i < m->count; i++)
        sample_container(m, &m->tracked[i]);
    m->cycles++;
}

void sp_monitor_sample_now(struct sp_monitor *m)
{
    pthread_mutex_lock(&m->ticker.lock);
    sample_locked(m);
    pthread_mutex_unlock(&m->ticker.lock);
}

static void *monitor_thread(void *arg)
{
    struct sp_monitor *m = arg;
    pthread_mutex_lock(&m->ticker.lock);
    do {
        sample_locked(m);
    } while (sp_ticker_wait_locked(&m->ticker, m->interval));
    pthread_mutex_unlock(&m->ticker.lock);
    return NULL;
}

static char *copy_or_null(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

static void free_monitor(struct sp_monitor *m)
{
    sp_ticker_destroy(&m->ticker);
    free(m->cgroup_root);
    free(m->proc_root);
    free(m->tracked);
    free(m);
}

struct sp_monitor *sp_monitor_start(const struct sp_monitor_config *config, char *err,
                                    size_t errlen)
{
    double interval = config->interval_seconds > 0 ? config->interval_seconds
                                                   : SP_MONITOR_DEFAULT_INTERVAL;
    if (interval < SP_MONITOR_MIN_INTERVAL) {
        snprintf(err, errlen, "monitor interval below %g s", SP_MONITOR_MIN_INTERVAL);
        return NULL;
    }
    struct sp_monitor *m = calloc(1, sizeof *m);
    if (m == NULL || sp_ticker_init(&m->ticker) != 0) {
        free(m);
        snprintf(err, errlen, "monitor: out of memory");
        return NULL;
    }
    m->interval = interval;
    m->sink = config->sink;
    m->cgroup_root = copy_or_null(config->cgroup_root);
    m->proc_root = copy_or_null(config->proc_root);
    if ((config->cgroup_root && !m->cgroup_root) || (config->proc_root && !m->proc_root)) {
        free_monitor(m);
        snprintf(err, errlen, "monitor: out of memory");
        return NULL;
    }
    int rc = pthread_create(&m->thread, NULL, monitor_thread, m);
    if (rc != 0) {
        free_monitor(m);
        snprintf(err, errlen, "monitor: cannot start thread: %s", strerror(rc));
        return NULL;
    }
    return m;
}

static struct tracked *find_locked(struct sp_monitor *m, const char *id)
{
    for (size_t i = 0; i < m->count; i++) {
        if (strcmp(m->tracked[i].c.id, id) == 0)
            return &m->tracked[i];
    }
    return NULL;
}

static struct tracked *append_locked(struct sp_monitor *m)
{
    if (m->count == m->capacity) {
        size_t capacity = m->capacity ? m->capacity * 2 : 8;
        struct tracked *grown = realloc(m->tracked, capacity * sizeof *grown);
        if (grown == NULL)
            return NULL;
        m->tracked = grown;
        m->capacity = capacity;
    }
    struct tracked *t = &m->tracked[m->count++];
    memset(t, 0, sizeof *t);
    return t;
}

int sp_monitor_track(struct sp_monitor *m, const char *id, long pid)
{
    if (!sp_cgroup_valid_id(id))
        return -1;
    pthread_mutex_lock(&m->ticker.lock);
    struct tracked *t = find_locked(m, id);
    if (t == NULL && (t = append_locked(m)) != NULL)
        memcpy(t->c.id, id, sizeof t->c.id);
    if (t != NULL) {
        t->c.pid = pid;
        t->located = false;
    }
    pthread_mutex_unlock(&m->ticker.lock);
    return t != NULL ? 0 : -1;
}

void sp_monitor_untrack(struct sp_monitor *m, const char *id)
{
    pthread_mutex_lock(&m->ticker.lock);
    struct tracked *t = find_locked(m, id);
    if (t != NULL) {
        if (m->sink.container_gone != NULL)
            m->sink.container_gone(m->sink.ctx, t->c.id);
        *t = m->tracked[--m->count];
    }
    pthread_mutex_unlock(&m->ticker.lock);
}

int sp_monitor_latest(struct sp_monitor *m, struct sp_monitor_snapshot *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&m->ticker.lock);
    int rc = 0;
    out->cycles = m->cycles;
    out->host = m->host;
    if (m->count > 0) {
        out->containers = calloc(m->count, sizeof *out->containers);
        if (out->containers == NULL)
            rc = -1;
        else
            out->count = m->count;
    }
    for (size_t i = 0; i < out->count; i++)
        out->containers[i] = m->tracked[i].c;
    pthread_mutex_unlock(&m->ticker.lock);
    return rc;
}

void sp_monitor_snapshot_free(struct sp_monitor_snapshot *snapshot)
{
    free(snapshot->containers);
    snapshot->containers = NULL;
    snapshot->count = 0;
}

void sp_monitor_stop(struct sp_monitor *m)
{
    if (m == NULL)
        return;
    sp_ticker_stop(&m->ticker);
    pthread_join(m->thread, NULL);
    free_monitor(m);
}

void sp_monitor_set_default_sink(const struct sp_monitor_sink *sink)
{
    pthread_mutex_lock(&default_sink_lock);
    if (sink != NULL)
        default_sink = *sink;
    else
        memset(&default_sink, 0, sizeof default_sink);
    pthread_mutex_unlock(&default_sink_lock);
}

struct sp_monitor_sink sp_monitor_default_sink(void)
{
    pthread_mutex_lock(&default_sink_lock);
    struct sp_monitor_sink sink = default_sink;
    pthread_mutex_unlock(&default_sink_lock);
    return sink;
}

/* The resource monitor and the alert manager know nothing of the metrics
 * registry (they take a sink and a lookup); this is where they meet it. */
#include "sandprobe/metrics_wiring.h"
#include "sandprobe/ticker.h"
#include "sandprobe/metrics_catalogue.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

void sp_metrics_wire_monitor(void)
{
    struct sp_monitor_sink sink = sp_metrics_monitor_sink();
    sp_monitor_set_default_sink(&sink);
}

/* ---- alert rule metrics <- registry ------------------------------------- */

#define SELECTOR_MAX_LABELS 8
#define SELECTOR_TEXT_MAX 256

struct selector {
    char name[SELECTOR_TEXT_MAX];
    size_t count;
    char label[SELECTOR_MAX_LABELS][SELECTOR_TEXT_MAX];
    char value[SELECTOR_MAX_LABELS][SELECTOR_TEXT_MAX];
};

static const char *skip_spaces(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static bool label_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* A quoted value with the exposition format's escapes (\\, \", \n) into out;
 * the text after the closing quote, or NULL. */
static const char *parse_quoted(const char *p, char *out, size_t size)
{
    if (*p++ != '"')
        return NULL;
    size_t n = 0;
    for (; *p != '"'; p++) {
        if (*p == '\0' || n + 1 >= size)
            return NULL;
        if (*p == '\\') {
            p++;
            if (*p != '\\' && *p != '"' && *p != 'n')
                return NULL;
            out[n++] = *p == 'n' ? '\n' : *p;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    return p + 1;
}

/* One `label="value"` of a selector; the text after it, or NULL. */
static const char *parse_matcher(const char *p, struct selector *s)
{
    if (s->count == SELECTOR_MAX_LABELS)
        return NULL;
    size_t n = 0;
    while (label_char(p[n]))
        n++;
    if (n == 0 || n >= SELECTOR_TEXT_MAX)
        return NULL;
    memcpy(s->label[s->count], p, n);
    s->label[s->count][n] = '\0';
    p = skip_spaces(p + n);
    if (*p++ != '=')
        return NULL;
    p = parse_quoted(skip_spaces(p), s->value[s->count], SELECTOR_TEXT_MAX);
    if (p != NULL)
        s->count++;
    return p;
}

/* `name` or `name{l="v",...}`. 0, or -1 when malformed. */
static int parse_selector(const char *text, struct selector *s)
{
    size_t n = strcspn(text, "{ \t");
    if (n == 0 || n >= sizeof s->name)
        return -1;
    memcpy(s->name, text, n);
    s->name[n] = '\0';
    s->count = 0;
    const char *p = skip_spaces(text + n);
    if (*p == '\0')
        return 0;
    if (*p++ != '{')
        return -1;
    for (p = skip_spaces(p); *p != '}'; p = skip_spaces(p)) {
        if ((p = parse_matcher(p, s)) == NULL)
            return -1;
        p = skip_spaces(p);
        if (*p == ',')
            p++;
        else if (*p != '}')
            return -1;
    }
    return *skip_spaces(p + 1) == '\0' ? 0 : -1;
}

enum histogram_part { PART_VALUE, PART_COUNT, PART_SUM };

/* `h_count` / `h_sum` name a histogram's samples, not a family. */
static sp_metric_family *find_family(sp_metrics_registry *reg, char *name, enum histogram_part *part)
{
    *part = PART_VALUE;
    sp_metric_family *f = sp_metrics_find(reg, name);
    if (f != NULL)
        return f;
    static const struct {
        const char *suffix;
        enum histogram_part part;
    } parts[] = {{"_count", PART_COUNT}, {"_sum", PART_SUM}};
    size_t len = strlen(name);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        size_t slen = strlen(parts[i].suffix);
        if (len <= slen || strcmp(name + len - slen, parts[i].suffix) != 0)
            continue;
        name[len - slen] = '\0';
        f = sp_metrics_find(reg, name);
        name[len - slen] = parts[i].suffix[0];
        if (f != NULL && sp_metric_family_type(f) == SP_METRIC_HISTOGRAM) {
            *part = parts[i].part;
            return f;
        }
    }
    return NULL;
}

/* The selector's values in the family's label order; -1 unless it names
 * exactly the family's labels. */
static int order_values(sp_metric_family *f, const struct selector *s, const char **values)
{
    size_t k = sp_metric_family_label_count(f);
    if (k != s->count)
        return -1;
    for (size_t i = 0; i < k; i++) {
        const char *want = sp_metric_family_label_name(f, i);
        values[i] = NULL;
        for (size_t j = 0; j < s->count && values[i] == NULL; j++)
            if (strcmp(s->label[j], want) == 0)
                values[i] = s->value[j];
        if (values[i] == NULL)
            return -1;
    }
    return 0;
}

int sp_metrics_alert_lookup(void *registry, const char *metric, double *value)
{
    struct selector s;
    enum histogram_part part;
    const char *values[SELECTOR_MAX_LABELS];
    if (parse_selector(metric, &s) != 0)
        return -1;
    sp_metric_family *f = find_family(registry, s.name, &part);
    if (f == NULL || order_values(f, &s, values) != 0)
        return -1;
    double v = 0, sum = 0;
    if (sp_metric_read(f, s.count > 0 ? values : NULL, &v, &sum) != SP_METRICS_OK)
        return -1;
    *value = part == PART_SUM ? sum : v;
    return 0;
}

/* ---- the background alert evaluator ------------------------------------- */

struct sp_alert_loop {
    struct sp_alerts *alerts;
    sp_metrics_registry *registry;
    double interval;
    char *url;
    long timeout_ms;
    bool post_failing; /* thread only: report a failure streak once */
    pthread_t thread;
    struct sp_ticker ticker; /* its lock guards rounds */
    unsigned long rounds;
};

static double wall_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void record_firing(struct sp_alert_loop *loop)
{
    sp_metric_family *firing = sp_metrics_find(loop->registry, "sandprobe_alerts_firing");
    size_t n = sp_alerts_count(loop->alerts);
    for (size_t i = 0; i < n; i++) {
        struct sp_alert_status st;
        if (sp_alerts_status(loop->alerts, i, &st) != 0)
            continue;
        const char *values[] = {st.name};
        sp_metric_gauge_set(firing, values, st.state == SP_ALERT_FIRING ? 1 : 0);
    }
}

static void post_alerts(struct sp_alert_loop *loop)
{
    char err[512];
    if (sp_alerts_send(loop->alerts, loop->url, loop->timeout_ms, err, sizeof err) >= 0) {
        loop->post_failing = false;
        return;
    }
    if (!loop->post_failing)
        fprintf(stderr, "sandprobe: cannot post alerts to %s: %s (retrying)\n", loop->url, err);
    loop->post_failing = true;
}

static void evaluate_round(struct sp_alert_loop *loop)
{
    size_t n = sp_alerts_count(loop->alerts);
    struct sp_alert_transition *out = calloc(n > 0 ? n : 1, sizeof *out);
    if (out != NULL)
        sp_alerts_evaluate(loop->alerts, wall_clock(), sp_metrics_alert_lookup, loop->registry,
                           out, n);
    free(out);
    record_firing(loop);
    if (loop->url != NULL)
        post_alerts(loop);
}

static void *alert_loop_thread(void *arg)
{
    struct sp_alert_loop *loop = arg;
    pthread_mutex_lock(&loop->ticker.lock);
    do {
        /* Evaluated and posted unlocked: stop must not wait behind a slow
         * Alertmanager any longer than the post's own timeout. */
        pthread_mutex_unlock(&loop->ticker.lock);
        evaluate_round(loop);
        pthread_mutex_lock(&loop->ticker.lock);
        loop->rounds++;
    } while (sp_ticker_wait_locked(&loop->ticker, loop->interval));
    pthread_mutex_unlock(&loop->ticker.lock);
    return NULL;
}

static void free_loop(struct sp_alert_loop *loop)
{
    sp_ticker_destroy(&loop->ticker);
    free(loop->url);
    free(loop);
}

struct sp_alert_loop *sp_alert_loop_start(struct sp_alerts *alerts,
                                          const struct sp_alert_loop_config *config, char *err,
                                          size_t errlen)
{
    double interval = config->interval_seconds > 0 ? config->interval_seconds
                                                   : SP_ALERT_LOOP_DEFAULT_INTERVAL;
    if (interval < SP_ALERT_LOOP_MIN_INTERVAL) {
        snprintf(err, errlen, "alert evaluation interval below %g s", SP_ALERT_LOOP_MIN_INTERVAL);
        return NULL;
    }
    if (alerts == NULL || config->registry == NULL) {
        snprintf(err, errlen, "alert loop needs rules and a registry");
        return NULL;
    }
    struct sp_alert_loop *loop = calloc(1, sizeof *loop);
    if (loop == NULL || sp_ticker_init(&loop->ticker) != 0) {
        free(loop);
        snprintf(err, errlen, "alerts: out of memory");
        return NULL;
    }
    loop->alerts = alerts;
    loop->registry = config->registry;
    loop->interval = interval;
    loop->timeout_ms = config->timeout_ms;
    if (config->alertmanager_url != NULL && (loop->url = strdup(config->alertmanager_url)) == NULL) {
        free_loop(loop);
        snprintf(err, errlen, "alerts: out of memory");
        return NULL;
    }
    int rc = pthread_create(&loop->thread, NULL, alert_loop_thread, loop);
    if (rc != 0) {
        free_loop(loop);
        snprintf(err, errlen, "alerts: cannot start thread: %s", strerror(rc));
        return NULL;
    }
    return loop;
}

unsigned long sp_alert_loop_rounds(struct sp_alert_loop *loop)
{
    pthread_mutex_lock(&loop->ticker.lock);
    unsigned long rounds = loop->rounds;
    pthread_mutex_unlock(&loop->ticker.lock);
    return rounds;
}

void sp_alert_loop_stop(struct sp_alert_loop *loop)
{
    if (loop == NULL)
        return;
    sp_ticker_stop(&loop->ticker);
    pthread_join(loop->thread, NULL);
    free_loop(loop);
}

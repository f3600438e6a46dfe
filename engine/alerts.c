/* The alert manager. See include/sandprobe/alerts.h.
 *
 * Rules never change once added, so evaluation asks the lookup for every value
 * without the lock (the lookup may take other locks, or run Lua that reads this
 * manager) and only applies the results under it. */
#include "sandprobe/alerts.h"
#include "sandprobe/http.h"
#include "sandprobe/text.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define METRIC_MAX 512

struct rule {
    char *name, *metric, *summary;
    enum sp_alert_op op;
    double threshold, for_seconds;
    struct sp_alert_label *labels; /* owned copies */
    size_t label_count;
    /* state */
    enum sp_alert_state state;
    double value, active_since, fired_at, resolved_at;
    bool resolved_delivered;
};

struct sp_alerts {
    pthread_mutex_t lock;
    struct rule *rules;
    size_t count, capacity;
    unsigned long sent, failed;
};

static const char *const op_names[] = {">", ">=", "<", "<=", "==", "!="};

int sp_alert_op_parse(const char *text, size_t len, enum sp_alert_op *op)
{
    for (size_t i = 0; i < sizeof op_names / sizeof op_names[0]; i++) {
        if (strlen(op_names[i]) == len && memcmp(op_names[i], text, len) == 0) {
            *op = (enum sp_alert_op)i;
            return 0;
        }
    }
    return -1;
}

const char *sp_alert_op_name(enum sp_alert_op op)
{
    return (size_t)op < sizeof op_names / sizeof op_names[0] ? op_names[op] : "?";
}

const char *sp_alert_state_name(enum sp_alert_state state)
{
    switch (state) {
    case SP_ALERT_INACTIVE:
        return "inactive";
    case SP_ALERT_PENDING:
        return "pending";
    case SP_ALERT_FIRING:
        return "firing";
    case SP_ALERT_RESOLVED:
        return "resolved";
    }
    return "?";
}

/* Length of the metric part of an expression: up to the first comparison
 * character that is not inside a {label="..."} selector. */
static size_t metric_span(const char *expr)
{
    int depth = 0;
    bool quoted = false;
    size_t i = 0;
    for (; expr[i] != '\0'; i++) {
        char c = expr[i];
        if (quoted) {
            if (c == '\\' && expr[i + 1] != '\0')
                i++;
            else if (c == '"')
                quoted = false;
        } else if (c == '"' && depth > 0) {
            quoted = true;
        } else if (c == '{') {
            depth++;
        } else if (c == '}') {
            depth--;
        } else if (depth == 0 && strchr("<>=!", c) != NULL) {
            break;
        }
    }
    return i;
}

int sp_alert_parse_expr(const char *expr, char *metric_buf, size_t metric_size,
                        enum sp_alert_op *op, double *threshold, char *err, size_t errlen)
{
    size_t span = metric_span(expr);
    const char *start = expr, *end = expr + span;
    while (start < end && isspace((unsigned char)*start))
        start++;
    while (end > start && isspace((unsigned char)end[-1]))
        end--;
    size_t mlen = (size_t)(end - start);
    if (mlen == 0 || !(isalpha((unsigned char)*start) || *start == '_' || *start == ':')) {
        snprintf(err, errlen, "expr \"%s\": expected a metric name first", expr);
        return -1;
    }
    if (mlen >= metric_size || memchr(start, ' ', mlen) != NULL) {
        snprintf(err, errlen, "expr \"%s\": bad or too long metric", expr);
        return -1;
    }
    const char *p = expr + span;
    size_t oplen = (p[0] != '\0' && p[1] == '=') ? 2 : 1;
    if (*p == '\0' || sp_alert_op_parse(p, oplen, op) != 0) {
        snprintf(err, errlen, "expr \"%s\": expected one of > >= < <= == != after the metric",
                 expr);
        return -1;
    }
    char *num_end;
    *threshold = strtod(p + oplen, &num_end);
    bool converted = num_end != p + oplen;
    while (isspace((unsigned char)*num_end))
        num_end++;
    if (!converted || *num_end != '\0' || !isfinite(*threshold)) {
        snprintf(err, errlen, "expr \"%s\": expected a finite number after %s", expr,
                 sp_alert_op_name(*op));
        return -1;
    }
    memcpy(metric_buf, start, mlen);
    metric_buf[mlen] = '\0';
    return 0;
}

struct sp_alerts *sp_alerts_new(void)
{
    struct sp_alerts *a = calloc(1, sizeof *a);
    if (a != NULL && pthread_mutex_init(&a->lock, NULL) != 0) {
        free(a);
        return NULL;
    }
    return a;
}

static void free_rule(struct rule *r)
{
    free(r->name);
    free(r->metric);
    free(r->summary);
    for (size_t i = 0; i < r->label_count; i++) {
        free((char *)r->labels[i].name);
        free((char *)r->labels[i].value);
    }
    free(r->labels);
}

void sp_alerts_free(struct sp_alerts *a)
{
    if (a == NULL)
        return;
    for (size_t i = 0; i < a->count; i++)
        free_rule(&a->rules[i]);
    free(a->rules);
    pthread_mutex_destroy(&a->lock);
    free(a);
}

size_t sp_alerts_count(struct sp_alerts *a)
{
    pthread_mutex_lock(&a->lock);
    size_t count = a->count;
    pthread_mutex_unlock(&a->lock);
    return count;
}

static bool valid_label_name(const char *s)
{
    if (s == NULL || !(isalpha((unsigned char)*s) || *s == '_'))
        return false;
    for (; *s; s++) {
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return false;
    }
    return true;
}

static int check_spec(const struct sp_alerts *a, const struct sp_alert_rule_spec *s, char *err,
                      size_t errlen)
{
    if (s->name == NULL || s->name[0] == '\0') {
        snprintf(err, errlen, "alert rule without a name");
        return -1;
    }
    for (size_t i = 0; i < a->count; i++) {
        if (strcmp(a->rules[i].name, s->name) == 0) {
            snprintf(err, errlen, "alert rule %s defined twice", s->name);
            return -1;
        }
    }
    if (s->metric == NULL || s->metric[0] == '\0') {
        snprintf(err, errlen, "alert rule %s: no metric", s->name);
        return -1;
    }
    if ((size_t)s->op > SP_ALERT_NE || !isfinite(s->threshold)) {
        snprintf(err, errlen, "alert rule %s: bad operator or threshold", s->name);
        return -1;
    }
    if (!(s->for_seconds >= 0) || !isfinite(s->for_seconds)) {
        snprintf(err, errlen, "alert rule %s: for_seconds must be >= 0", s->name);
        return -1;
    }
    for (size_t i = 0; i < s->label_count; i++) {
        const char *n = s->labels[i].name;
        if (!valid_label_name(n) || strcmp(n, "alertname") == 0 || s->labels[i].value == NULL) {
            snprintf(err, errlen, "alert rule %s: bad label %s", s->name, n ? n : "(null)");
            return -1;
        }
    }
    return 0;
}

static char *dup_or_null(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

/* Copies the spec's strings into r; false when out of memory (r is then
 * freeable as is). */
static bool copy_spec(struct rule *r, const struct sp_alert_rule_spec *s)
{
    r->op = s->op;
    r->threshold = s->threshold;
    r->for_seconds = s->for_seconds;
    r->value = NAN;
    r->name = strdup(s->name);
    r->metric = strdup(s->metric);
    r->summary = dup_or_null(s->summary);
    if (!r->name || !r->metric || (s->summary && !r->summary))
        return false;
    if (s->label_count == 0)
        return true;
    r->labels = calloc(s->label_count, sizeof *r->labels);
    if (r->labels == NULL)
        return false;
    for (; r->label_count < s->label_count; r->label_count++) {
        struct sp_alert_label *l = &r->labels[r->label_count];
        l->name = strdup(s->labels[r->label_count].name);
        l->value = strdup(s->labels[r->label_count].value);
        if (!l->name || !l->value) {
            r->label_count++; /* so free_rule frees this half-made one too */
            return false;
        }
    }
    return true;
}

int sp_alerts_add(struct sp_alerts *a, const struct sp_alert_rule_spec *spec, char *err,
                  size_t errlen)
{
    err[0] = '\0';
    pthread_mutex_lock(&a->lock);
    int rc = check_spec(a, spec, err, errlen);
    if (rc == 0 && a->count == a->capacity) {
        size_t capacity = a->capacity ? a->capacity * 2 : 8;
        struct rule *grown = realloc(a->rules, capacity * sizeof *grown);
        if (grown != NULL) {
            a->rules = grown;
            a->capacity = capacity;
        } else {
            rc = -1;
        }
    }
    if (rc == 0) {
        struct rule r = {0};
        if (copy_spec(&r, spec)) {
            a->rules[a->count++] = r;
        } else {
            free_rule(&r);
            rc = -1;
        }
    }
    if (rc != 0 && err[0] == '\0')
        snprintf(err, errlen, "alerts: out of memory");
    pthread_mutex_unlock(&a->lock);
    return rc;
}

static bool holds(enum sp_alert_op op, double v, double threshold)
{
    if (isnan(v))
        return false;
    switch (op) {
    case SP_ALERT_GT:
        return v > threshold;
    case SP_ALERT_GE:
        return v >= threshold;
    case SP_ALERT_LT:
        return v < threshold;
    case SP_ALERT_LE:
        return v <= threshold;
    case SP_ALERT_EQ:
        return v == threshold;
    case SP_ALERT_NE:
        return v != threshold;
    }
    return false;
}

/* The state a rule moves to at `now` given whether its condition holds. */
static enum sp_alert_state next_state(const struct rule *r, bool active, double now)
{
    switch (r->state) {
    case SP_ALERT_INACTIVE:
    case SP_ALERT_RESOLVED:
        if (!active)
            return r->state;
        return r->for_seconds <= 0 ? SP_ALERT_FIRING : SP_ALERT_PENDING;
    case SP_ALERT_PENDING:
        if (!active)
            return SP_ALERT_INACTIVE;
        return now - r->active_since >= r->for_seconds ? SP_ALERT_FIRING : SP_ALERT_PENDING;
    case SP_ALERT_FIRING:
        return active ? SP_ALERT_FIRING : SP_ALERT_RESOLVED;
    }
    return r->state;
}

static void enter_state(struct rule *r, enum sp_alert_state to, double now)
{
    bool was_waiting = r->state == SP_ALERT_INACTIVE || r->state == SP_ALERT_RESOLVED;
    if (was_waiting && (to == SP_ALERT_PENDING || to == SP_ALERT_FIRING))
        r->active_since = now;
    if (to == SP_ALERT_FIRING)
        r->fired_at = now;
    if (to == SP_ALERT_RESOLVED) {
        r->resolved_at = now;
        r->resolved_delivered = false;
    }
    r->state = to;
}

size_t sp_alerts_evaluate(struct sp_alerts *a, double now, sp_alert_lookup_fn lookup, void *ctx,
                          struct sp_alert_transition *out, size_t capacity)
{
    pthread_mutex_lock(&a->lock);
    size_t count = a->count < capacity ? a->count : capacity;
    pthread_mutex_unlock(&a->lock);
    double *values = malloc((count ? count : 1) * sizeof *values);
    if (values == NULL)
        return 0;
    /* Rules are append-only and their strings never move (only the array
     * does, on a realloc): a metric pointer taken under the lock stays valid
     * while the lookup runs without it. */
    for (size_t i = 0; i < count; i++) {
        pthread_mutex_lock(&a->lock);
        const char *metric = a->rules[i].metric;
        pthread_mutex_unlock(&a->lock);
        int rc = lookup(ctx, metric, &values[i]);
        if (rc == SP_ALERT_LOOKUP_ABORT) {
            free(values);
            return 0;
        }
        if (rc != 0)
            values[i] = NAN;
    }
    size_t n = 0;
    pthread_mutex_lock(&a->lock);
    for (size_t i = 0; i < count; i++) {
        struct rule *r = &a->rules[i];
        r->value = values[i];
        enum sp_alert_state from = r->state;
        enum sp_alert_state to = next_state(r, holds(r->op, values[i], r->threshold), now);
        if (to == from)
            continue;
        enter_state(r, to, now);
        out[n++] = (struct sp_alert_transition){i, r->name, from, to, values[i], now};
    }
    pthread_mutex_unlock(&a->lock);
    free(values);
    return n;
}

int sp_alerts_status(struct sp_alerts *a, size_t i, struct sp_alert_status *out)
{
    pthread_mutex_lock(&a->lock);
    int rc = -1;
    if (i < a->count) {
        const struct rule *r = &a->rules[i];
        *out = (struct sp_alert_status){r->name,  r->metric,       r->summary,
                                        r->labels, r->label_count,  r->state,
                                        r->value,  r->active_since, r->fired_at,
                                        r->resolved_at};
        rc = 0;
    }
    pthread_mutex_unlock(&a->lock);
    return rc;
}

void sp_alerts_format_time(double t, char *buf, size_t size)
{
    time_t secs = (time_t)floor(t);
    int millis = (int)((t - (double)secs) * 1000.0);
    if (millis > 999)
        millis = 999;
    struct tm tm;
    gmtime_r(&secs, &tm);
    char base[24];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    (void)sp_format(buf, size, "%s.%03dZ", base, millis); /* callers size buf for it */
}

static bool to_send(const struct rule *r)
{
    return r->state == SP_ALERT_FIRING || (r->state == SP_ALERT_RESOLVED && !r->resolved_delivered);
}

static bool add_time(cJSON *obj, const char *key, double t)
{
    char buf[32];
    sp_alerts_format_time(t, buf, sizeof buf);
    return cJSON_AddStringToObject(obj, key, buf) != NULL;
}

static cJSON *alert_json(const struct rule *r)
{
    cJSON *alert = cJSON_CreateObject();
    cJSON *labels = cJSON_AddObjectToObject(alert, "labels");
    cJSON *annotations = cJSON_AddObjectToObject(alert, "annotations");
    bool ok = labels && annotations && cJSON_AddStringToObject(labels, "alertname", r->name);
    for (size_t i = 0; ok && i < r->label_count; i++)
        ok = cJSON_AddStringToObject(labels, r->labels[i].name, r->labels[i].value) != NULL;
    char value[64];
    snprintf(value, sizeof value, "%.17g", r->value);
    ok = ok && (r->summary == NULL || cJSON_AddStringToObject(annotations, "summary", r->summary));
    ok = ok && cJSON_AddStringToObject(annotations, "value", value) != NULL;
    ok = ok && add_time(alert, "startsAt", r->fired_at);
    if (ok && r->state == SP_ALERT_RESOLVED)
        ok = add_time(alert, "endsAt", r->resolved_at);
    if (!ok) {
        cJSON_Delete(alert);
        return NULL;
    }
    return alert;
}

/* Builds the payload under the lock. resolved_marks (capacity a->count), when
 * given, gets the index and resolved_at of each resolved alert included, so a
 * successful post can mark exactly those as delivered. */
static char *payload_locked(struct sp_alerts *a, size_t *count, size_t *marks_index,
                            double *marks_time, size_t *mark_count)
{
    cJSON *arr = cJSON_CreateArray();
    size_t n = 0, marks = 0;
    for (size_t i = 0; arr != NULL && i < a->count; i++) {
        const struct rule *r = &a->rules[i];
        if (!to_send(r))
            continue;
        cJSON *alert = alert_json(r);
        if (alert == NULL || !cJSON_AddItemToArray(arr, alert)) {
            cJSON_Delete(alert);
            cJSON_Delete(arr);
            return NULL;
        }
        n++;
        if (marks_index != NULL && r->state == SP_ALERT_RESOLVED) {
            marks_index[marks] = i;
            marks_time[marks++] = r->resolved_at;
        }
    }
    char *text = arr ? cJSON_PrintUnformatted(arr) : NULL;
    cJSON_Delete(arr);
    *count = n;
    if (mark_count != NULL)
        *mark_count = marks;
    return text;
}

char *sp_alerts_payload(struct sp_alerts *a, size_t *count)
{
    pthread_mutex_lock(&a->lock);
    char *text = payload_locked(a, count, NULL, NULL, NULL);
    pthread_mutex_unlock(&a->lock);
    return text;
}

/* One POST of a JSON body; 0 on a 2xx answer, -1 with err otherwise. */
static int post_json(const char *url, const char *body, long timeout_ms, char *err, size_t errlen)
{
    const char *headers[] = {"Content-Type: application/json", NULL};
    struct sp_http_request q = {.url = url, .headers = headers, .body = body,
                                .timeout_ms = timeout_ms, .connect_timeout_ms = timeout_ms};
    struct sp_http_response r;
    char why[256];
    if (sp_http_fetch(&q, &r, why, sizeof why) != 0) {
        snprintf(err, errlen, "alertmanager %s: %s", url, why);
        return -1;
    }
    long status = r.status;
    sp_http_response_free(&r);
    if (status < 200 || status > 299) {
        snprintf(err, errlen, "alertmanager %s: HTTP status %ld", url, status);
        return -1;
    }
    return 0;
}

static void mark_delivered(struct sp_alerts *a, const size_t *index, const double *at, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct rule *r = &a->rules[index[i]];
        if (r->state == SP_ALERT_RESOLVED && r->resolved_at == at[i])
            r->resolved_delivered = true;
    }
}

int sp_alerts_send(struct sp_alerts *a, const char *base_url, long timeout_ms, char *err,
                   size_t errlen)
{
    if (timeout_ms <= 0)
        timeout_ms = SP_ALERTS_DEFAULT_TIMEOUT_MS;
    char url[2048];
    size_t base_len = strlen(base_url);
    while (base_len > 0 && base_url[base_len - 1] == '/')
        base_len--;
    if (snprintf(url, sizeof url, "%.*s/api/v2/alerts", (int)base_len, base_url) >=
        (int)sizeof url) {
        snprintf(err, errlen, "alertmanager URL too long");
        return -1;
    }
    pthread_mutex_lock(&a->lock);
    size_t cap = a->count ? a->count : 1, count = 0, marks = 0;
    size_t *index = malloc(cap * sizeof *index);
    double *at = malloc(cap * sizeof *at);
    char *body = index && at ? payload_locked(a, &count, index, at, &marks) : NULL;
    pthread_mutex_unlock(&a->lock);

    int rc = 0;
    if (body == NULL) {
        snprintf(err, errlen, "alerts: out of memory");
        rc = -1;
    } else if (count > 0) {
        rc = post_json(url, body, timeout_ms, err, errlen);
    }
    pthread_mutex_lock(&a->lock);
    if (rc == 0 && count > 0) {
        mark_delivered(a, index, at, marks);
        a->sent++;
    } else if (rc != 0) {
        a->failed++;
    }
    pthread_mutex_unlock(&a->lock);
    free(body);
    free(index);
    free(at);
    return rc == 0 ? (int)count : -1;
}

void sp_alerts_send_counts(struct sp_alerts *a, unsigned long *sent, unsigned long *failed)
{
    pthread_mutex_lock(&a->lock);
    *sent = a->sent;
    *failed = a->failed;
    pthread_mutex_unlock(&a->lock);
}

/* The alert manager: threshold rules on metric values, held for a duration,
 * evaluated step by step against a clock the caller gives (so tests use a
 * fake one), and a Prometheus Alertmanager client (POST /api/v2/alerts).
 *
 * A rule's life: inactive -> pending (condition true, waiting for_seconds)
 * -> firing -> resolved (condition false again). pending -> inactive when the
 * condition drops before for_seconds; resolved -> pending/firing when it comes
 * back. A missing or NaN value counts as "condition false", as a missing
 * series does in Prometheus. Pure C, no Lua. */
#ifndef SANDPROBE_ALERTS_H
#define SANDPROBE_ALERTS_H

#include <stdbool.h>
#include <stddef.h>

#define SP_ALERTS_DEFAULT_TIMEOUT_MS 5000L

enum sp_alert_op { SP_ALERT_GT, SP_ALERT_GE, SP_ALERT_LT, SP_ALERT_LE, SP_ALERT_EQ, SP_ALERT_NE };

enum sp_alert_state {
    SP_ALERT_INACTIVE,
    SP_ALERT_PENDING,
    SP_ALERT_FIRING,
    SP_ALERT_RESOLVED,
};

struct sp_alert_label {
    const char *name; /* [a-zA-Z_][a-zA-Z0-9_]*, not "alertname" */
    const char *value;
};

/* A rule as given; sp_alerts_add copies every string. */
struct sp_alert_rule_spec {
    const char *name;   /* becomes the alertname label */
    const char *metric; /* handed to the lookup as is, e.g. `up{job="x"}` */
    enum sp_alert_op op;
    double threshold;
    double for_seconds; /* 0: fire on the first true evaluation */
    const struct sp_alert_label *labels;
    size_t label_count;
    const char *summary; /* annotations.summary; may be NULL */
};

/* Gives the current value of `metric`: 0 and *value, or -1 when there is
 * none, or SP_ALERT_LOOKUP_ABORT to abandon the whole evaluation (nothing
 * changes; e.g. the lookup itself failed). Called without the manager's lock. */
typedef int (*sp_alert_lookup_fn)(void *ctx, const char *metric, double *value);
#define SP_ALERT_LOOKUP_ABORT (-2)

struct sp_alert_transition {
    size_t rule;      /* index, in the order rules were added */
    const char *name; /* the rule's name, valid while the manager lives */
    enum sp_alert_state from, to;
    double value; /* the value that caused it; NAN when missing */
    double at;    /* the evaluation time */
};

struct sp_alert_status {
    const char *name, *metric, *summary; /* valid while the manager lives */
    const struct sp_alert_label *labels;
    size_t label_count;
    enum sp_alert_state state;
    double value;        /* last evaluated value; NAN when missing or never evaluated */
    double active_since; /* condition true since (pending/firing) */
    double fired_at;     /* firing/resolved: when it started firing */
    double resolved_at;  /* resolved: when it stopped */
};

struct sp_alerts;

/* "<", ">=", ... <-> op. -1 for an unknown operator text. */
int sp_alert_op_parse(const char *text, size_t len, enum sp_alert_op *op);
const char *sp_alert_op_name(enum sp_alert_op op);
const char *sp_alert_state_name(enum sp_alert_state state);

/* Parses "METRIC OP NUMBER" (METRIC may carry a {label="..."} selector,
 * spaces optional around OP) into the spec's metric (a copy in metric_buf),
 * op and threshold. 0, or -1 with err. */
int sp_alert_parse_expr(const char *expr, char *metric_buf, size_t metric_size,
                        enum sp_alert_op *op, double *threshold, char *err, size_t errlen);

struct sp_alerts *sp_alerts_new(void);
void sp_alerts_free(struct sp_alerts *alerts);

/* Adds a rule (validated: a name, a metric, label names, for_seconds >= 0,
 * a finite threshold, no duplicate name). 0, or -1 with err. */
int sp_alerts_add(struct sp_alerts *alerts, const struct sp_alert_rule_spec *spec, char *err,
                  size_t errlen);
size_t sp_alerts_count(struct sp_alerts *alerts);

/* One evaluation step at time `now` (seconds since the epoch: startsAt and
 * endsAt derive from it; tests pass a fake clock). Evaluates the first
 * `capacity` rules (pass sp_alerts_count: a rule makes at most one transition
 * per step), writes the transitions into out and returns how many. Returns 0
 * and changes nothing when out of memory or when the lookup aborts. */
size_t sp_alerts_evaluate(struct sp_alerts *alerts, double now, sp_alert_lookup_fn lookup,
                          void *ctx, struct sp_alert_transition *out, size_t capacity);

/* The state of rule i. -1 when i is out of range. */
int sp_alerts_status(struct sp_alerts *alerts, size_t i, struct sp_alert_status *out);

/* The Alertmanager v2 payload: a JSON array of the firing alerts and of the
 * resolved ones not yet delivered (labels with alertname, annotations.summary
 * and .value, startsAt, and endsAt for resolved ones), or NULL when out of
 * memory. *count gets the number of alerts. Free with free(). */
char *sp_alerts_payload(struct sp_alerts *alerts, size_t *count);

/* Posts the payload to {base_url}/api/v2/alerts (nothing when there is no
 * alert to send). A 2xx answer marks the resolved alerts it carried as
 * delivered. Returns the number of alerts posted, or -1 with err; failures
 * are counted, never fatal. timeout_ms 0: SP_ALERTS_DEFAULT_TIMEOUT_MS. */
int sp_alerts_send(struct sp_alerts *alerts, const char *base_url, long timeout_ms, char *err,
                   size_t errlen);

/* Posts that succeeded and failed so far. */
void sp_alerts_send_counts(struct sp_alerts *alerts, unsigned long *sent, unsigned long *failed);

/* Formats a time (seconds since the epoch) as RFC 3339 UTC with milliseconds,
 * e.g. "2024-05-01T12:00:00.250Z". buf needs 32 bytes. */
void sp_alerts_format_time(double t, char *buf, size_t size);

#endif

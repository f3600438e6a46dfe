/* The background alert evaluator: a thread that evaluates alert rules
 * (alerts.h) over a metrics registry (metrics.h, read through
 * sp_metrics_alert_lookup) on an interval, records sandprobe_alerts_firing
 * and posts to an Alertmanager. Pure C. */
#ifndef SANDPROBE_ALERT_LOOP_H
#define SANDPROBE_ALERT_LOOP_H

#include "sandprobe/alerts.h"
#include "sandprobe/metrics.h"

#include <stddef.h>

struct sp_alert_loop_config {
    sp_metrics_registry *registry; /* read by the rules; sandprobe_alerts_firing is set in it */
    double interval_seconds;       /* 0: SP_ALERT_LOOP_DEFAULT_INTERVAL */
    const char *alertmanager_url;  /* NULL: nothing is posted */
    long timeout_ms;               /* posts; 0: SP_ALERTS_DEFAULT_TIMEOUT_MS */
};

#define SP_ALERT_LOOP_DEFAULT_INTERVAL 15.0
#define SP_ALERT_LOOP_MIN_INTERVAL 0.01

struct sp_alert_loop;

/* Starts a thread that evaluates `alerts` at once and then every interval
 * (wall-clock times, as Alertmanager wants), sets
 * sandprobe_alerts_firing{alertname} to 1 or 0 for every rule, and posts to
 * the Alertmanager when one is configured (a failed post is reported on
 * stderr once per failure streak and retried next round). `alerts` and the
 * registry must outlive the loop. NULL with err on failure. */
struct sp_alert_loop *sp_alert_loop_start(struct sp_alerts *alerts,
                                          const struct sp_alert_loop_config *config, char *err,
                                          size_t errlen);

/* Evaluation rounds completed so far. */
unsigned long sp_alert_loop_rounds(struct sp_alert_loop *loop);

/* Stops and joins the thread (without waiting for the interval); NULL is fine. */
void sp_alert_loop_stop(struct sp_alert_loop *loop);

#endif

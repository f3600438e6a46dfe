/* Wiring of the engine's background pieces to the metrics registry: the
 * resource monitor's sink that records host and per-container samples into
 * the catalogue, a lookup that reads alert rule metrics from a registry, and
 * the background alert evaluator (a thread that evaluates the rules on an
 * interval, records sandprobe_alerts_firing and posts to an Alertmanager).
 * Pure C: works from any thread, with or without a Lua state. */
#ifndef SANDPROBE_METRICS_WIRING_H
#define SANDPROBE_METRICS_WIRING_H

#include "sandprobe/alerts.h"
#include "sandprobe/metrics.h"
#include "sandprobe/monitor.h"

#include <stddef.h>

/* The sink that records monitor samples into the process-wide catalogue:
 * sandprobe_host_memory_available_bytes, sandprobe_host_load1,
 * sandprobe_monitor_samples_total (one per round), and per container (label:
 * the first 12 digits of its id, as `docker ps` shows it)
 * sandprobe_container_memory_usage_bytes and
 * sandprobe_container_cpu_seconds_total, removed when it is untracked. */
struct sp_monitor_sink sp_metrics_monitor_sink(void);

/* Makes sp_metrics_monitor_sink() the monitor's default sink (what the Lua
 * `monitor` module starts with). Called once at start-up by main. */
void sp_metrics_wire_monitor(void);

/* An sp_alert_lookup_fn over a registry (ctx is the sp_metrics_registry):
 * METRIC is a family name with an optional selector naming every one of its
 * labels, `name{label="value",...}` (values escaped as in the exposition
 * format); `h_count` and `h_sum` read a histogram. Gives -1 ("no value") for
 * an unknown family or a selector that does not match the family's labels. */
int sp_metrics_alert_lookup(void *registry, const char *metric, double *value);

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

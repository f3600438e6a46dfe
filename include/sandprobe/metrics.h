/* Metrics: a thread-safe registry of Prometheus metric families (counters,
 * gauges, histograms) with labels, exposed in the Prometheus text format 0.0.4
 * or OpenMetrics 1.0 text, and written atomically as a node_exporter textfile.
 *
 * A family is declared once with its name, help, type and label names; each
 * distinct set of label values is a child series created on first use.
 * Families live as long as their registry, so a family pointer may be kept
 * and used from any thread. Every engine thread records into the process-wide
 * registry returned by sp_metrics_default().
 *
 * Counter names: a counter may be declared as "x" or "x_total"; either way its
 * samples are named "x_total" and both names find it. */
#ifndef SANDPROBE_METRICS_H
#define SANDPROBE_METRICS_H

#include <stddef.h>

typedef struct sp_metrics_registry sp_metrics_registry;
typedef struct sp_metric_family sp_metric_family;

enum sp_metric_type {
    SP_METRIC_COUNTER,
    SP_METRIC_GAUGE,
    SP_METRIC_HISTOGRAM,
};

enum sp_metrics_format {
    SP_METRICS_PROMETHEUS,  /* text format 0.0.4 */
    SP_METRICS_OPENMETRICS, /* OpenMetrics 1.0.0 text, ends with "# EOF" */
};

/* Results of the recording operations. */
enum sp_metrics_status {
    SP_METRICS_OK = 0,
    SP_METRICS_EVALUE,  /* negative counter increment, NaN where not allowed */
    SP_METRICS_ELABELS, /* wrong number of label values, or not UTF-8 */
    SP_METRICS_ETYPE,   /* the operation does not apply to this family's type */
    SP_METRICS_ENOMEM,
};

#define SP_METRICS_CONTENT_TYPE_PROMETHEUS "text/plain; version=0.0.4; charset=utf-8"
#define SP_METRICS_CONTENT_TYPE_OPENMETRICS \
    "application/openmetrics-text; version=1.0.0; charset=utf-8"

/* What a family is; the registry copies everything it keeps. */
struct sp_metric_desc {
    enum sp_metric_type type;
    const char *name;
    const char *help;
    const char *unit;                /* optional (OpenMetrics "# UNIT"); the name must end in _<unit> */
    const char *const *label_names;  /* label_count names */
    size_t label_count;
    const double *buckets;           /* histograms: strictly increasing upper bounds; */
    size_t bucket_count;             /* NULL/0 selects SP_METRICS_DEFAULT_BUCKETS; +Inf is implicit */
};

/* Prometheus's default histogram buckets (seconds). */
extern const double SP_METRICS_DEFAULT_BUCKETS[];
extern const size_t SP_METRICS_DEFAULT_BUCKET_COUNT;

sp_metrics_registry *sp_metrics_registry_new(void);
void sp_metrics_registry_free(sp_metrics_registry *reg);

/* The process-wide registry, created on first use and never freed. */
sp_metrics_registry *sp_metrics_default(void);

/* Declares a family. Declaring one that already exists with an identical
 * description returns the existing family; a conflicting declaration, an
 * invalid name, label name, unit or bucket list returns NULL with the reason
 * in err. */
sp_metric_family *sp_metrics_register(sp_metrics_registry *reg, const struct sp_metric_desc *desc,
                                      char *err, size_t errlen);

/* The family called `name` (for counters with or without "_total"), or NULL. */
sp_metric_family *sp_metrics_find(sp_metrics_registry *reg, const char *name);

/* Description of a family (for bindings): name without "_total" for counters. */
const char *sp_metric_family_name(const sp_metric_family *f);
enum sp_metric_type sp_metric_family_type(const sp_metric_family *f);
size_t sp_metric_family_label_count(const sp_metric_family *f);
const char *sp_metric_family_label_name(const sp_metric_family *f, size_t i);

/* Recording. `values` holds one value per label name, in declaration order
 * (NULL when the family has no labels). */
int sp_metric_counter_add(sp_metric_family *f, const char *const *values, double amount);
/* Moves a counter up to `total` (a cumulative value read from elsewhere, e.g.
 * a cgroup's CPU time); a smaller total leaves it unchanged. */
int sp_metric_counter_advance_to(sp_metric_family *f, const char *const *values, double total);
int sp_metric_gauge_set(sp_metric_family *f, const char *const *values, double value);
int sp_metric_gauge_add(sp_metric_family *f, const char *const *values, double delta);
int sp_metric_histogram_observe(sp_metric_family *f, const char *const *values, double value);

/* Drops one child series (e.g. a container that is gone); removing a series
 * that does not exist is not an error. */
int sp_metric_remove(sp_metric_family *f, const char *const *values);

/* Reads a series: the value of a counter or gauge, or a histogram's count
 * (and its sum in *sum when sum is not NULL). A series never recorded reads 0. */
int sp_metric_read(sp_metric_family *f, const char *const *values, double *value, double *sum);

const char *sp_metrics_strerror(int status);

/* Collectors run at the start of every exposition (scrape, textfile) so the
 * engine can refresh gauges that are cheaper to read than to track. They run
 * one at a time, must be quick and must not expose the registry themselves. */
typedef void (*sp_metrics_collector_fn)(sp_metrics_registry *reg, void *arg);
int sp_metrics_add_collector(sp_metrics_registry *reg, sp_metrics_collector_fn fn, void *arg);
/* After this returns, the collector is not running and will not run again. */
void sp_metrics_remove_collector(sp_metrics_registry *reg, sp_metrics_collector_fn fn, void *arg);

/* The exposition text (malloc'd, NUL-terminated, length in *len if not NULL),
 * families sorted by name and series by label values; NULL when out of memory. */
char *sp_metrics_expose(sp_metrics_registry *reg, enum sp_metrics_format format, size_t *len);

/* Writes the Prometheus exposition to `path` atomically (a temporary file in
 * the same folder, then rename), as node_exporter's textfile collector wants.
 * 0, or -1 with the reason in err. */
int sp_metrics_write_textfile(sp_metrics_registry *reg, const char *path, char *err, size_t errlen);

/* Formats a sample value as Prometheus does (Go's shortest 'g' format, and
 * +Inf, -Inf, NaN). Returns the length written; buf needs 32 bytes. */
int sp_metrics_format_value(double v, char *buf, size_t len);

/* ---- alert rule metrics (engine/metrics_select.c) --------------------- */

/* An sp_alert_lookup_fn over a registry (ctx is the sp_metrics_registry):
 * METRIC is a family name with an optional selector naming every one of its
 * labels, `name{label="value",...}` (values escaped as in the exposition
 * format); `h_count` and `h_sum` read a histogram. Gives -1 ("no value") for
 * an unknown family or a selector that does not match the family's labels. */
int sp_metrics_alert_lookup(void *registry, const char *metric, double *value);

#endif

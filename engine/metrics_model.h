/* The metrics registry's internals, shared by the files that make it up
 * (metrics.c: registry, families, series; metrics_expose.c: exposition and
 * textfile). Private to engine/: callers use include/sandprobe/metrics.h. */
#ifndef SANDPROBE_METRICS_MODEL_H
#define SANDPROBE_METRICS_MODEL_H

#include "sandprobe/metrics.h"

#include <pthread.h>
#include <stdint.h>

struct series {
    char **values;      /* one per label name */
    double value;       /* counter or gauge */
    double sum;         /* histogram */
    uint64_t count;     /* histogram */
    uint64_t *buckets;  /* histogram: bucket_count + 1 (the last is +Inf), not cumulative */
};

struct sp_metric_family {
    pthread_mutex_t lock;
    enum sp_metric_type type;
    char *name; /* counters: without "_total" */
    char *help;
    char *unit; /* NULL when none */
    char **label_names;
    size_t label_count;
    double *buckets;
    size_t bucket_count;
    struct series **series; /* sorted by label values */
    size_t series_count, series_cap;
};

struct collector {
    sp_metrics_collector_fn fn;
    void *arg;
};

struct sp_metrics_registry {
    pthread_rwlock_t lock;
    sp_metric_family **families; /* sorted by name */
    size_t family_count, family_cap;
    pthread_mutex_t collectors_lock; /* held while collectors run */
    struct collector *collectors;
    size_t collector_count, collector_cap;
};

/* "counter", "gauge" or "histogram", as the TYPE line writes it. */
const char *sp_metric_type_name(enum sp_metric_type t);

/* Runs the registry's collectors (before an exposition reads it). */
void sp_metrics_run_collectors(sp_metrics_registry *reg);

/* ---- the data model's rules (metrics_names.c) ---------------------------- */

int sp_metrics_ends_with(const char *s, const char *suffix);
/* 1 when s is valid UTF-8. */
int sp_metrics_valid_utf8(const char *s);
/* 0 when the description is a valid family named base (the name without a
 * counter's _total), else -1 with a one-line reason in err. */
int sp_metrics_validate_desc(const struct sp_metric_desc *d, const char *base, char *err,
                             size_t errlen);

#endif

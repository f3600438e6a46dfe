/* The metrics registry: families in a sorted array under a read-write lock
 * (declared rarely, looked up and exposed often), each family's series in a
 * sorted array under the family's own mutex, so hot counters of different
 * families never contend and exposition needs no sorting. What a family may
 * be is checked in metrics_names.c; exposition and textfile are
 * metrics_expose.c. */
#include "metrics_model.h"
#include "sandprobe/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double SP_METRICS_DEFAULT_BUCKETS[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                             0.5,   1,    2.5,   5,    10};
const size_t SP_METRICS_DEFAULT_BUCKET_COUNT =
    sizeof SP_METRICS_DEFAULT_BUCKETS / sizeof SP_METRICS_DEFAULT_BUCKETS[0];

/* ---- small helpers ---------------------------------------------------- */



/* Grows *array (of element size `size`) so it holds at least `need` items. */
static int reserve(void *array, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t new_cap = *cap ? *cap * 2 : 8;
    while (new_cap < need)
        new_cap *= 2;
    void *p = realloc(*(void **)array, new_cap * size);
    if (p == NULL)
        return -1;
    *(void **)array = p;
    *cap = new_cap;
    return 0;
}

static void free_strings(char **v, size_t n)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static char **copy_strings(const char *const *v, size_t n)
{
    char **copy = calloc(n ? n : 1, sizeof *copy);
    for (size_t i = 0; copy != NULL && i < n; i++) {
        if ((copy[i] = strdup(v[i])) == NULL) {
            free_strings(copy, i);
            copy = NULL;
        }
    }
    return copy;
}

/* ---- series ------------------------------------------------------------ */

static void free_series(struct series *s, size_t label_count)
{
    if (s == NULL)
        return;
    free_strings(s->values, label_count);
    free(s->buckets);
    free(s);
}

static int compare_values(char *const *a, const char *const *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int c = strcmp(a[i], b[i]);
        if (c != 0)
            return c;
    }
    return 0;
}

/* Binary search over n sorted entries: cmp(i, key) orders entry i against
 * the key. The index of the match, or of where it would go (*found = 0). */
static size_t bisect(size_t n, int (*cmp)(const void *set, size_t i, const void *key),
                     const void *set, const void *key, int *found)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp(set, mid, key);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = 0;
    return lo;
}

static int compare_series_at(const void *family, size_t i, const void *values)
{
    const sp_metric_family *f = family;
    return compare_values(f->series[i]->values, values, f->label_count);
}

/* Index of the series with these values, or of where it would go (*found = 0). */
static size_t search_series(const sp_metric_family *f, const char *const *values, int *found)
{
    return bisect(f->series_count, compare_series_at, f, values, found);
}

static int valid_values(const sp_metric_family *f, const char *const *values)
{
    if (f->label_count > 0 && values == NULL)
        return 0;
    for (size_t i = 0; i < f->label_count; i++)
        if (values[i] == NULL || !sp_metrics_valid_utf8(values[i]))
            return 0;
    return 1;
}

/* The series for these values, created if new; NULL when out of memory.
 * Called with the family locked and values validated. */
static struct series *series_for(sp_metric_family *f, const char *const *values)
{
    int found;
    size_t at = search_series(f, values, &found);
    if (found)
        return f->series[at];
    if (reserve(&f->series, &f->series_cap, f->series_count + 1, sizeof *f->series) != 0)
        return NULL;
    struct series *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->values = copy_strings(values, f->label_count);
    if (f->type == SP_METRIC_HISTOGRAM)
        s->buckets = calloc(f->bucket_count + 1, sizeof *s->buckets);
    if (s->values == NULL || (f->type == SP_METRIC_HISTOGRAM && s->buckets == NULL)) {
        free_series(s, f->label_count);
        return NULL;
    }
    memmove(&f->series[at + 1], &f->series[at], (f->series_count - at) * sizeof *f->series);
    f->series[at] = s;
    f->series_count++;
    return s;
}

typedef int (*series_op)(const sp_metric_family *f, struct series *s, double v);

/* Validates, locks the family, finds or creates the series and applies op. */
static int update(sp_metric_family *f, enum sp_metric_type want, const char *const *values,
                  double v, series_op op)
{
    if (f == NULL || f->type != want)
        return SP_METRICS_ETYPE;
    if (!valid_values(f, values))
        return SP_METRICS_ELABELS;
    pthread_mutex_lock(&f->lock);
    struct series *s = series_for(f, values);
    int rc = s == NULL ? SP_METRICS_ENOMEM : op(f, s, v);
    pthread_mutex_unlock(&f->lock);
    return rc;
}

static int op_add(const sp_metric_family *f, struct series *s, double v)
{
    (void)f;
    s->value += v;
    return SP_METRICS_OK;
}

static int op_set(const sp_metric_family *f, struct series *s, double v)
{
    (void)f;
    s->value = v;
    return SP_METRICS_OK;
}

static int op_advance(const sp_metric_family *f, struct series *s, double v)
{
    (void)f;
    if (v > s->value)
        s->value = v;
    return SP_METRICS_OK;
}

static int op_observe(const sp_metric_family *f, struct series *s, double v)
{
    size_t i = 0;
    while (i < f->bucket_count && v > f->buckets[i])
        i++;
    s->buckets[i]++;
    s->count++;
    s->sum += v;
    return SP_METRICS_OK;
}

int sp_metric_counter_add(sp_metric_family *f, const char *const *values, double amount)
{
    if (!(amount >= 0))
        return SP_METRICS_EVALUE; /* negative or NaN: a counter only goes up */
    return update(f, SP_METRIC_COUNTER, values, amount, op_add);
}

int sp_metric_counter_advance_to(sp_metric_family *f, const char *const *values, double total)
{
    if (isnan(total))
        return SP_METRICS_EVALUE;
    return update(f, SP_METRIC_COUNTER, values, total, op_advance);
}

int sp_metric_gauge_set(sp_metric_family *f, const char *const *values, double value)
{
    return update(f, SP_METRIC_GAUGE, values, value, op_set);
}

int sp_metric_gauge_add(sp_metric_family *f, const char *const *values, double delta)
{
    return update(f, SP_METRIC_GAUGE, values, delta, op_add);
}

int sp_metric_histogram_observe(sp_metric_family *f, const char *const *values, double value)
{
    if (isnan(value))
        return SP_METRICS_EVALUE;
    return update(f, SP_METRIC_HISTOGRAM, values, value, op_observe);
}

/* Checks f and values, then locks f and finds the series: SP_METRICS_OK with
 * f locked and *at, *found set, or the error status (f not locked). */
static int lock_and_find(sp_metric_family *f, const char *const *values, size_t *at, int *found)
{
    if (f == NULL)
        return SP_METRICS_ETYPE;
    if (!valid_values(f, values))
        return SP_METRICS_ELABELS;
    pthread_mutex_lock(&f->lock);
    *at = search_series(f, values, found);
    return SP_METRICS_OK;
}

int sp_metric_remove(sp_metric_family *f, const char *const *values)
{
    int found;
    size_t at;
    int status = lock_and_find(f, values, &at, &found);
    if (status != SP_METRICS_OK)
        return status;
    if (found) {
        free_series(f->series[at], f->label_count);
        f->series_count--;
        memmove(&f->series[at], &f->series[at + 1], (f->series_count - at) * sizeof *f->series);
    }
    pthread_mutex_unlock(&f->lock);
    return SP_METRICS_OK;
}

int sp_metric_read(sp_metric_family *f, const char *const *values, double *value, double *sum)
{
    int found;
    size_t at;
    int status = lock_and_find(f, values, &at, &found);
    if (status != SP_METRICS_OK)
        return status;
    const struct series *s = found ? f->series[at] : NULL;
    double v = 0, total = 0;
    if (s != NULL && f->type == SP_METRIC_HISTOGRAM) {
        v = (double)s->count;
        total = s->sum;
    } else if (s != NULL) {
        v = s->value;
    }
    pthread_mutex_unlock(&f->lock);
    if (value != NULL)
        *value = v;
    if (sum != NULL)
        *sum = total;
    return SP_METRICS_OK;
}

const char *sp_metrics_strerror(int status)
{
    switch (status) {
    case SP_METRICS_OK: return "ok";
    case SP_METRICS_EVALUE: return "invalid value (counters only go up; NaN is not allowed here)";
    case SP_METRICS_ELABELS: return "label values do not match the family's label names "
                                    "(one UTF-8 string per label)";
    case SP_METRICS_ETYPE: return "operation does not apply to this metric type";
    case SP_METRICS_ENOMEM: return "out of memory";
    default: return "unknown metrics error";
    }
}

/* ---- families ------------------------------------------------------------ */

static void free_family(sp_metric_family *f)
{
    if (f == NULL)
        return;
    for (size_t i = 0; i < f->series_count; i++)
        free_series(f->series[i], f->label_count);
    free(f->series);
    free(f->name);
    free(f->help);
    free(f->unit);
    free_strings(f->label_names, f->label_count);
    free(f->buckets);
    pthread_mutex_destroy(&f->lock);
    free(f);
}

/* The bucket list a histogram really uses: the defaults, minus a trailing +Inf. */
static void effective_buckets(const struct sp_metric_desc *d, const double **b, size_t *n)
{
    *b = d->buckets;
    *n = d->bucket_count;
    if (d->type != SP_METRIC_HISTOGRAM) {
        *b = NULL, *n = 0;
    } else if (*b == NULL || *n == 0) {
        *b = SP_METRICS_DEFAULT_BUCKETS, *n = SP_METRICS_DEFAULT_BUCKET_COUNT;
    } else if (isinf((*b)[*n - 1])) {
        (*n)--;
    }
}

static sp_metric_family *new_family(const struct sp_metric_desc *d, const char *base)
{
    sp_metric_family *f = calloc(1, sizeof *f);
    if (f == NULL)
        return NULL;
    pthread_mutex_init(&f->lock, NULL);
    f->type = d->type;
    f->label_count = d->label_count;
    const double *b;
    effective_buckets(d, &b, &f->bucket_count);
    f->name = strdup(base);
    f->help = strdup(d->help ? d->help : "");
    f->unit = d->unit ? strdup(d->unit) : NULL;
    f->label_names = copy_strings(d->label_names, d->label_count);
    f->buckets = malloc((f->bucket_count ? f->bucket_count : 1) * sizeof *f->buckets);
    int ok = f->name && f->help && (f->unit || !d->unit) && f->label_names && f->buckets;
    /* A family without labels has exactly one series: expose it (at 0) from the start. */
    if (ok) {
        if (f->bucket_count > 0)
            memcpy(f->buckets, b, f->bucket_count * sizeof *f->buckets);
        ok = f->label_count > 0 || series_for(f, NULL) != NULL;
    }
    if (!ok) {
        free_family(f);
        return NULL;
    }
    return f;
}

const char *sp_metric_type_name(enum sp_metric_type t)
{
    switch (t) {
    case SP_METRIC_COUNTER: return "counter";
    case SP_METRIC_GAUGE: return "gauge";
    default: return "histogram";
    }
}

static int same_description(const sp_metric_family *f, const struct sp_metric_desc *d)
{
    const double *b;
    size_t n;
    effective_buckets(d, &b, &n);
    if (f->type != d->type || strcmp(f->help, d->help ? d->help : "") != 0 ||
        (f->unit == NULL) != (d->unit == NULL) || (f->unit && strcmp(f->unit, d->unit) != 0) ||
        f->label_count != d->label_count || f->bucket_count != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (f->buckets[i] != b[i])
            return 0;
    return compare_values(f->label_names, d->label_names, f->label_count) == 0;
}

/* The sample names a family's exposition uses: two families must not share one. */
/* Room for a 255-byte name and the longest suffix. */
#define SAMPLE_NAME_MAX (256 + 16)

static size_t sample_names(enum sp_metric_type type, const char *base, char out[5][SAMPLE_NAME_MAX])
{
    static const char *const suffixes[][5] = {
        [SP_METRIC_COUNTER] = {"", "_total", "_created", NULL},
        [SP_METRIC_GAUGE] = {"", NULL},
        [SP_METRIC_HISTOGRAM] = {"", "_bucket", "_sum", "_count", "_created"},
    };
    size_t n = 0;
    for (; n < 5 && suffixes[type][n] != NULL; n++)
        snprintf(out[n], SAMPLE_NAME_MAX, "%s%s", base, suffixes[type][n]);
    return n;
}

static const sp_metric_family *colliding_family(const sp_metrics_registry *reg,
                                                enum sp_metric_type type, const char *base)
{
    char mine[5][SAMPLE_NAME_MAX], theirs[5][SAMPLE_NAME_MAX];
    size_t nm = sample_names(type, base, mine);
    for (size_t i = 0; i < reg->family_count; i++) {
        const sp_metric_family *f = reg->families[i];
        size_t nt = sample_names(f->type, f->name, theirs);
        for (size_t a = 0; a < nm; a++)
            for (size_t b = 0; b < nt; b++)
                if (strcmp(mine[a], theirs[b]) == 0)
                    return f;
    }
    return NULL;
}

/* Index of the family named exactly `base`, or where it would go. */
static int compare_family_at(const void *registry, size_t i, const void *base)
{
    const sp_metrics_registry *reg = registry;
    return strcmp(reg->families[i]->name, base);
}

static size_t search_family(const sp_metrics_registry *reg, const char *base, int *found)
{
    return bisect(reg->family_count, compare_family_at, reg, base, found);
}

/* Adds a new family at its sorted place; called with the registry write-locked. */
static sp_metric_family *insert_family(sp_metrics_registry *reg, const struct sp_metric_desc *d,
                                       const char *base, size_t at, char *err, size_t errlen)
{
    const sp_metric_family *other = colliding_family(reg, d->type, base);
    if (other != NULL) {
        sp_error(err, errlen, "metric '%s' (%s) would clash with the samples of '%s' (%s)", base,
                  sp_metric_type_name(d->type), other->name, sp_metric_type_name(other->type));
        return NULL;
    }
    sp_metric_family *f = NULL;
    if (reserve(&reg->families, &reg->family_cap, reg->family_count + 1, sizeof *reg->families) ==
            0)
        f = new_family(d, base);
    if (f == NULL) {
        sp_error(err, errlen, "out of memory");
        return NULL;
    }
    memmove(&reg->families[at + 1], &reg->families[at],
            (reg->family_count - at) * sizeof *reg->families);
    reg->families[at] = f;
    reg->family_count++;
    return f;
}

sp_metric_family *sp_metrics_register(sp_metrics_registry *reg, const struct sp_metric_desc *d,
                                      char *err, size_t errlen)
{
    char base[256];
    if (d == NULL || d->name == NULL || strlen(d->name) >= sizeof base) {
        sp_error(err, errlen, "metric name missing or longer than %zu bytes", sizeof base - 1);
        return NULL;
    }
    snprintf(base, sizeof base, "%s", d->name);
    if (d->type == SP_METRIC_COUNTER && sp_metrics_ends_with(base, "_total"))
        base[strlen(base) - strlen("_total")] = '\0';
    if (sp_metrics_validate_desc(d, base, err, errlen) != 0)
        return NULL;

    pthread_rwlock_wrlock(&reg->lock);
    int found;
    size_t at = search_family(reg, base, &found);
    sp_metric_family *f = NULL;
    if (!found)
        f = insert_family(reg, d, base, at, err, errlen);
    else if (same_description(reg->families[at], d))
        f = reg->families[at];
    else
        sp_error(err, errlen, "metric '%s' is already declared as a %s with other help, unit, "
                  "labels or buckets", base, sp_metric_type_name(reg->families[at]->type));
    pthread_rwlock_unlock(&reg->lock);
    return f;
}

sp_metric_family *sp_metrics_find(sp_metrics_registry *reg, const char *name)
{
    char base[256];
    if (name == NULL || strlen(name) >= sizeof base)
        return NULL;
    snprintf(base, sizeof base, "%s", name);
    pthread_rwlock_rdlock(&reg->lock);
    int found;
    size_t at = search_family(reg, base, &found);
    sp_metric_family *f = found ? reg->families[at] : NULL;
    if (f == NULL && sp_metrics_ends_with(base, "_total")) {
        base[strlen(base) - strlen("_total")] = '\0';
        at = search_family(reg, base, &found);
        if (found && reg->families[at]->type == SP_METRIC_COUNTER)
            f = reg->families[at];
    }
    pthread_rwlock_unlock(&reg->lock);
    return f;
}

const char *sp_metric_family_name(const sp_metric_family *f)
{
    return f->name;
}

enum sp_metric_type sp_metric_family_type(const sp_metric_family *f)
{
    return f->type;
}

size_t sp_metric_family_label_count(const sp_metric_family *f)
{
    return f->label_count;
}

const char *sp_metric_family_label_name(const sp_metric_family *f, size_t i)
{
    return i < f->label_count ? f->label_names[i] : NULL;
}

/* ---- registries ------------------------------------------------------- */

sp_metrics_registry *sp_metrics_registry_new(void)
{
    sp_metrics_registry *reg = calloc(1, sizeof *reg);
    if (reg == NULL)
        return NULL;
    pthread_rwlock_init(&reg->lock, NULL);
    pthread_mutex_init(&reg->collectors_lock, NULL);
    return reg;
}

void sp_metrics_registry_free(sp_metrics_registry *reg)
{
    if (reg == NULL)
        return;
    for (size_t i = 0; i < reg->family_count; i++)
        free_family(reg->families[i]);
    free(reg->families);
    free(reg->collectors);
    pthread_rwlock_destroy(&reg->lock);
    pthread_mutex_destroy(&reg->collectors_lock);
    free(reg);
}

static sp_metrics_registry *default_registry;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void create_default(void)
{
    default_registry = sp_metrics_registry_new();
}

sp_metrics_registry *sp_metrics_default(void)
{
    pthread_once(&default_once, create_default);
    return default_registry;
}

int sp_metrics_add_collector(sp_metrics_registry *reg, sp_metrics_collector_fn fn, void *arg)
{
    pthread_mutex_lock(&reg->collectors_lock);
    int rc = reserve(&reg->collectors, &reg->collector_cap, reg->collector_count + 1,
                     sizeof *reg->collectors);
    if (rc == 0)
        reg->collectors[reg->collector_count++] = (struct collector){fn, arg};
    pthread_mutex_unlock(&reg->collectors_lock);
    return rc;
}

void sp_metrics_remove_collector(sp_metrics_registry *reg, sp_metrics_collector_fn fn, void *arg)
{
    pthread_mutex_lock(&reg->collectors_lock);
    for (size_t i = 0; i < reg->collector_count; i++) {
        if (reg->collectors[i].fn == fn && reg->collectors[i].arg == arg) {
            reg->collector_count--;
            memmove(&reg->collectors[i], &reg->collectors[i + 1],
                    (reg->collector_count - i) * sizeof *reg->collectors);
            break;
        }
    }
    pthread_mutex_unlock(&reg->collectors_lock);
}

void sp_metrics_run_collectors(sp_metrics_registry *reg)
{
    pthread_mutex_lock(&reg->collectors_lock);
    for (size_t i = 0; i < reg->collector_count; i++)
        reg->collectors[i].fn(reg, reg->collectors[i].arg);
    pthread_mutex_unlock(&reg->collectors_lock);
}

/* The Prometheus data model's rules for what a registry accepts: metric and
 * label names, UTF-8 text, units, histogram buckets (metrics_model.h). Pure
 * checks with one-line messages; the registry (metrics.c) calls them. */
#include "metrics_model.h"
#include "sandprobe/text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int sp_metrics_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int is_alpha_(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Metric names: [a-zA-Z_:][a-zA-Z0-9_:]*; label names the same without ':'.
 * Names starting with "__" are reserved for Prometheus's own use. */
static int valid_name(const char *s, int colon_allowed)
{
    if (s == NULL || *s == '\0' || strncmp(s, "__", 2) == 0)
        return 0;
    for (const char *p = s; *p; p++) {
        int c = (unsigned char)*p;
        int ok = is_alpha_(c) || (colon_allowed && c == ':') || (p != s && is_digit(c));
        if (!ok)
            return 0;
    }
    return 1;
}

/* The exposition formats are UTF-8; a stray byte would make the whole scrape
 * unparseable, so text is checked when it enters the registry. */
int sp_metrics_valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        size_t extra;
        unsigned min;
        if (c < 0x80) {
            p++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1, min = 0x80, c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2, min = 0x800, c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3, min = 0x10000, c &= 0x07;
        } else {
            return 0;
        }
        for (size_t i = 1; i <= extra; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return 0;
            c = (c << 6) | (p[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0;
        p += extra + 1;
    }
    return 1;
}

static int validate_labels(const struct sp_metric_desc *d, char *err, size_t errlen)
{
    if (d->label_count > 0 && d->label_names == NULL) {
        sp_error(err, errlen, "label names missing");
        return -1;
    }
    for (size_t i = 0; i < d->label_count; i++) {
        const char *l = d->label_names[i];
        if (!valid_name(l, 0)) {
            sp_error(err, errlen, "invalid label name '%s' (must match [a-zA-Z_][a-zA-Z0-9_]* "
                      "and not start with __)", l ? l : "(null)");
            return -1;
        }
        if (d->type == SP_METRIC_HISTOGRAM && strcmp(l, "le") == 0) {
            sp_error(err, errlen, "label name 'le' is reserved for histogram buckets");
            return -1;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(l, d->label_names[j]) == 0) {
                sp_error(err, errlen, "duplicate label name '%s'", l);
                return -1;
            }
        }
    }
    return 0;
}

static int validate_buckets(const double *b, size_t n, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        if (isnan(b[i]) || (isinf(b[i]) && !(b[i] > 0 && i == n - 1))) {
            sp_error(err, errlen, "histogram bucket bounds must be finite (+Inf is implicit)");
            return -1;
        }
        if (i > 0 && !(b[i] > b[i - 1])) {
            sp_error(err, errlen, "histogram bucket bounds must be strictly increasing");
            return -1;
        }
    }
    return 0;
}

int sp_metrics_validate_desc(const struct sp_metric_desc *d, const char *base, char *err, size_t errlen)
{
    if (d->type != SP_METRIC_COUNTER && d->type != SP_METRIC_GAUGE &&
        d->type != SP_METRIC_HISTOGRAM) {
        sp_error(err, errlen, "unknown metric type");
        return -1;
    }
    if (!valid_name(base, 1)) {
        sp_error(err, errlen, "invalid metric name '%s' (must match [a-zA-Z_:][a-zA-Z0-9_:]* "
                  "and not start with __)", d->name ? d->name : "(null)");
        return -1;
    }
    if (d->help != NULL && !sp_metrics_valid_utf8(d->help)) {
        sp_error(err, errlen, "help text of '%s' is not UTF-8", base);
        return -1;
    }
    if (d->unit != NULL) {
        char suffix[256];
        snprintf(suffix, sizeof suffix, "_%s", d->unit);
        if (!valid_name(d->unit, 0) || !sp_metrics_ends_with(base, suffix)) {
            sp_error(err, errlen, "unit '%s' must be a name and '%s' must end with _%s", d->unit,
                      base, d->unit);
            return -1;
        }
    }
    if (validate_labels(d, err, errlen) != 0)
        return -1;
    return d->type == SP_METRIC_HISTOGRAM ? validate_buckets(d->buckets, d->bucket_count, err, errlen)
                                          : 0;
}


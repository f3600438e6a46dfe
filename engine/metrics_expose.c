/* The metrics registry, exposition and textfile: the registry written out in
 * the Prometheus text format (0.0.4) or OpenMetrics 1.0.0, and atomically as a
 * node_exporter textfile. Reads the registry's internals (metrics_model.h)
 * under its locks. */
#include "metrics_model.h"
#include "sandprobe/text.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- exposition ------------------------------------------------------- */

/* Go's strconv.FormatFloat(v, 'g', -1, 64), which Prometheus uses: the
 * shortest digits that read back as v, in exponent form when the exponent is
 * below -4 or at least 6 (the precision Go assumes for shortest output). */
int sp_metrics_format_value(double v, char *buf, size_t len)
{
    if (isnan(v))
        return snprintf(buf, len, "NaN");
    if (isinf(v))
        return snprintf(buf, len, v > 0 ? "+Inf" : "-Inf");
    if (v == 0)
        return snprintf(buf, len, "0"); /* -0 too, as Prometheus writes it */
    char sci[40];
    for (int prec = 0; prec < 17; prec++) {
        snprintf(sci, sizeof sci, "%.*e", prec, v);
        if (strtod(sci, NULL) == v)
            break;
    }
    /* sci is [-]d[.ddd]e±XX: gather the digits and the exponent. */
    const char *p = sci;
    const char *sign = "";
    if (*p == '-')
        sign = "-", p++;
    char digits[24];
    size_t nd = 0;
    for (; *p != 'e'; p++)
        if (*p != '.')
            digits[nd++] = *p;
    digits[nd] = '\0';
    int exp = atoi(p + 1);
    if (exp < -4 || exp >= 6)
        return snprintf(buf, len, "%s%c%s%.*se%c%02d", sign, digits[0], nd > 1 ? "." : "",
                        (int)nd - 1, digits + 1, exp < 0 ? '-' : '+', abs(exp));
    if (exp < 0)
        return snprintf(buf, len, "%s0.%.*s%s", sign, -exp - 1, "0000", digits);
    if ((size_t)exp + 1 >= nd)
        return snprintf(buf, len, "%s%s%.*s", sign, digits, exp + 1 - (int)nd, "000000");
    return snprintf(buf, len, "%s%.*s.%s", sign, exp + 1, digits, digits + exp + 1);
}

/* OpenMetrics wants le values as canonical floats ("1.0", not "1"). */
static void format_bound(double v, enum sp_metrics_format format, char *buf, size_t len)
{
    int n = sp_metrics_format_value(v, buf, len);
    if (format == SP_METRICS_OPENMETRICS && isfinite(v) && strpbrk(buf, ".e") == NULL &&
        (size_t)n + 2 < len)
        strcat(buf, ".0");
}

/* HELP text escapes \ and newline; OpenMetrics also escapes ". Label values
 * escape all three in both formats. */
static void write_escaped(FILE *out, const char *s, int escape_quote)
{
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\\\", out);
        else if (*s == '\n')
            fputs("\\n", out);
        else if (*s == '"' && escape_quote)
            fputs("\\\"", out);
        else
            fputc(*s, out);
    }
}

/* name{a="x",b="y"[,le="bound"]} value */
static void write_sample(FILE *out, const sp_metric_family *f, const char *suffix,
                         const struct series *s, const char *le, const char *value)
{
    fprintf(out, "%s%s", f->name, suffix);
    if (f->label_count > 0 || le != NULL) {
        fputc('{', out);
        for (size_t i = 0; i < f->label_count; i++) {
            fprintf(out, "%s%s=\"", i ? "," : "", f->label_names[i]);
            write_escaped(out, s->values[i], 1);
            fputc('"', out);
        }
        if (le != NULL)
            fprintf(out, "%sle=\"%s\"", f->label_count ? "," : "", le);
        fputc('}', out);
    }
    fprintf(out, " %s\n", value);
}

static void write_float_sample(FILE *out, const sp_metric_family *f, const char *suffix,
                               const struct series *s, double value)
{
    char num[40];
    sp_metrics_format_value(value, num, sizeof num);
    write_sample(out, f, suffix, s, NULL, num);
}

/* Observation counts are integers and are written as such (OpenMetrics requires it). */
static void write_count_sample(FILE *out, const sp_metric_family *f, const char *suffix,
                               const struct series *s, const char *le, uint64_t count)
{
    char num[24];
    snprintf(num, sizeof num, "%" PRIu64, count);
    write_sample(out, f, suffix, s, le, num);
}

static void write_histogram_series(FILE *out, const sp_metric_family *f, const struct series *s,
                                   enum sp_metrics_format format)
{
    uint64_t cumulative = 0;
    char le[40];
    for (size_t b = 0; b <= f->bucket_count; b++) {
        cumulative += s->buckets[b];
        format_bound(b < f->bucket_count ? f->buckets[b] : INFINITY, format, le, sizeof le);
        write_count_sample(out, f, "_bucket", s, le, cumulative);
    }
    write_float_sample(out, f, "_sum", s, s->sum);
    write_count_sample(out, f, "_count", s, NULL, s->count);
}

/* The family's descriptor lines. In the Prometheus format a counter's family
 * is named like its samples (x_total); OpenMetrics names the family x. */
static void write_metadata(FILE *out, const sp_metric_family *f, enum sp_metrics_format format)
{
    int om = format == SP_METRICS_OPENMETRICS;
    const char *suffix = (!om && f->type == SP_METRIC_COUNTER) ? "_total" : "";
    fprintf(out, "# HELP %s%s ", f->name, suffix);
    write_escaped(out, f->help, om);
    fprintf(out, "\n# TYPE %s%s %s\n", f->name, suffix, sp_metric_type_name(f->type));
    if (om && f->unit != NULL)
        fprintf(out, "# UNIT %s %s\n", f->name, f->unit);
}

static void write_family(FILE *out, sp_metric_family *f, enum sp_metrics_format format)
{
    pthread_mutex_lock(&f->lock);
    write_metadata(out, f, format);
    for (size_t i = 0; i < f->series_count; i++) {
        const struct series *s = f->series[i];
        if (f->type == SP_METRIC_HISTOGRAM)
            write_histogram_series(out, f, s, format);
        else
            write_float_sample(out, f, f->type == SP_METRIC_COUNTER ? "_total" : "", s, s->value);
    }
    pthread_mutex_unlock(&f->lock);
}

char *sp_metrics_expose(sp_metrics_registry *reg, enum sp_metrics_format format, size_t *len)
{
    sp_metrics_run_collectors(reg);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (out == NULL)
        return NULL;
    pthread_rwlock_rdlock(&reg->lock);
    for (size_t i = 0; i < reg->family_count; i++)
        write_family(out, reg->families[i], format);
    pthread_rwlock_unlock(&reg->lock);
    if (format == SP_METRICS_OPENMETRICS)
        fputs("# EOF\n", out);
    int failed = ferror(out);
    if (fclose(out) != 0 || failed) {
        free(text);
        return NULL;
    }
    if (len != NULL)
        *len = size;
    return text;
}

/* ---- textfile ----------------------------------------------------------- */

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* A temporary name in the target's folder (rename is atomic only within one
 * file system), hidden and not ending in .prom so the textfile collector
 * never reads a half-written file. */
static int temp_name_for(const char *path, char *tmp, size_t len)
{
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    const char *base = slash ? slash + 1 : path;
    int n = snprintf(tmp, len, "%.*s.%s.XXXXXX", dirlen, path, base);
    return (n < 0 || (size_t)n >= len || *base == '\0') ? -1 : 0;
}

int sp_metrics_write_textfile(sp_metrics_registry *reg, const char *path, char *err, size_t errlen)
{
    char tmp[4096];
    if (temp_name_for(path, tmp, sizeof tmp) != 0) {
        sp_error(err, errlen, "%s: not a usable file name", path);
        return -1;
    }
    size_t len;
    char *text = sp_metrics_expose(reg, SP_METRICS_PROMETHEUS, &len);
    if (text == NULL) {
        sp_error(err, errlen, "out of memory");
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        sp_error(err, errlen, "%s: %s", tmp, strerror(errno));
        free(text);
        return -1;
    }
    int rc = (fchmod(fd, 0644) == 0 && write_all(fd, text, len) == 0 && fsync(fd) == 0) ? 0 : -1;
    int saved = errno;
    if (close(fd) != 0 && rc == 0)
        rc = -1, saved = errno;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1, saved = errno;
    if (rc != 0) {
        unlink(tmp);
        sp_error(err, errlen, "%s: %s", path, strerror(saved));
    }
    free(text);
    return rc;
}

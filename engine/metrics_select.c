/* Alert rule metrics read from a registry: the selector
 * `name{label="value",...}` parsed and matched against a family's labels
 * (sp_metrics_alert_lookup in include/sandprobe/metrics.h). */
#include "sandprobe/metrics.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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


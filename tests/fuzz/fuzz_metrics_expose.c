/* Fuzzes the registry with untrusted text where scenarios may put it: help
 * text, label values and metric names. Whatever is accepted must expose as
 * well-formed lines: each one a comment or a sample of the declared family,
 * so no value can inject a line of its own. */
#include "sandprobe/metrics.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Input: name \0 help \0 value1 \0 value2 (missing parts are empty). */
static const char *next_part(const char **p, const char *end)
{
    const char *start = *p;
    while (*p < end && **p != '\0')
        (*p)++;
    if (*p < end)
        (*p)++;
    return start;
}

static void check_lines(const char *text, const char *name)
{
    for (const char *line = text; *line; line = strchr(line, '\n') + 1) {
        if (strchr(line, '\n') == NULL)
            abort(); /* every line ends with a newline */
        if (strncmp(line, "# ", 2) != 0 && strncmp(line, name, strlen(name)) != 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    const char *p = buf, *end = buf + size;
    const char *name = next_part(&p, end), *help = next_part(&p, end);
    const char *values[2] = {next_part(&p, end), p < end ? p : ""};

    sp_metrics_registry *reg = sp_metrics_registry_new();
    const char *labels[] = {"a", "b"};
    struct sp_metric_desc d = {.type = (enum sp_metric_type)(size % 3), .name = name, .help = help,
                               .label_names = labels, .label_count = 2};
    char err[256];
    sp_metric_family *f = sp_metrics_register(reg, &d, err, sizeof err);
    if (f != NULL) {
        sp_metric_counter_add(f, values, 1);
        sp_metric_gauge_set(f, values, (double)size);
        sp_metric_histogram_observe(f, values, (double)size / 7);
        for (int format = 0; format < 2; format++) {
            char *text = sp_metrics_expose(reg, (enum sp_metrics_format)format, NULL);
            if (text != NULL)
                check_lines(text, sp_metric_family_name(f));
            free(text);
        }
    }
    sp_metrics_registry_free(reg);
    free(buf);
    return 0;
}

/* Fuzzes the two parsers of engine text the wiring adds: the alert rule
 * metric selector read against a registry (name{label="value",...}) and the
 * Docker endpoint template made from a request path. Neither may read out of
 * bounds; a template must start with "/" and never be longer than its buffer,
 * and holds no character a Docker path would not. */
#include "sandprobe/docker.h"
#include "sandprobe/metrics_catalogue.h"
#include "sandprobe/metrics.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static sp_metrics_registry *registry(void)
{
    static sp_metrics_registry *reg;
    if (reg == NULL) {
        char err[256];
        reg = sp_metrics_registry_new();
        if (reg == NULL || sp_metrics_declare_catalogue(reg, err, sizeof err) != 0)
            abort();
    }
    return reg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    double value;
    sp_metrics_alert_lookup(registry(), text, &value);
    char template[64];
    memset(template, 'x', sizeof template);
    sp_docker_endpoint_template(text, template, sizeof template);
    if (template[0] != '/' || memchr(template, '\0', sizeof template) == NULL ||
        strpbrk(template, "?\n") != NULL)
        abort();
    free(text);
    return 0;
}

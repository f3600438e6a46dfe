/* Fuzzes the alert expression parser ("METRIC OP NUMBER" with label
 * selectors and quoted values): it must never read out of bounds, and what it
 * accepts must have a non-empty metric and a finite threshold. */
#include "sandprobe/alerts.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *expr = malloc(size + 1);
    if (expr == NULL)
        return 0;
    memcpy(expr, data, size);
    expr[size] = '\0';
    char metric[64], err[256];
    enum sp_alert_op op;
    double threshold;
    if (sp_alert_parse_expr(expr, metric, sizeof metric, &op, &threshold, err, sizeof err) == 0) {
        if (metric[0] == '\0' || !isfinite(threshold) || strlen(sp_alert_op_name(op)) > 2)
            abort();
    }
    free(expr);
    return 0;
}

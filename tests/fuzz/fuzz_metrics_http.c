/* Fuzzes what a remote or a user controls in the metrics endpoint: the HTTP
 * Accept header (content negotiation) and the --metrics-listen address. The
 * first input byte picks the parser; the rest is the text. */
#include "sandprobe/metrics_http.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    char *text = malloc(size);
    if (text == NULL)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (data[0] & 1) {
        enum sp_metrics_format f = sp_metrics_negotiate(text);
        if (f != SP_METRICS_PROMETHEUS && f != SP_METRICS_OPENMETRICS)
            abort();
    } else {
        struct sockaddr_storage ss;
        socklen_t len = 0;
        char err[256];
        if (sp_metrics_parse_listen(text, &ss, &len, err, sizeof err) == 0 &&
            ss.ss_family != AF_INET && ss.ss_family != AF_INET6)
            abort();
    }
    free(text);
    return 0;
}

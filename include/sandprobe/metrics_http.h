/* The /metrics endpoint: a libmicrohttpd server (its own threads) that exposes
 * a registry in the format the scraper asks for. GET and HEAD on /metrics are
 * served; other paths get 404 and other methods 405. */
#ifndef SANDPROBE_METRICS_HTTP_H
#define SANDPROBE_METRICS_HTTP_H

#include "sandprobe/metrics.h"

#include <stddef.h>
#include <sys/socket.h>

typedef struct sp_metrics_server sp_metrics_server;

/* Parses a listen address: "127.0.0.1:9464", "[::1]:9464", "localhost:9464",
 * or ":9464" (every IPv4 interface). Port 0 asks for an ephemeral port. Only
 * numeric hosts (and "localhost") are accepted: nothing is resolved.
 * 0, or -1 with the reason in err. */
int sp_metrics_parse_listen(const char *text, struct sockaddr_storage *addr, socklen_t *addrlen,
                            char *err, size_t errlen);

/* The exposition format an HTTP Accept header asks for: OpenMetrics when it
 * prefers application/openmetrics-text (version 1.0.0, 0.0.1 or none) at least
 * as much as the text format, otherwise the Prometheus text format. NULL is
 * "no preference". */
enum sp_metrics_format sp_metrics_negotiate(const char *accept);

/* Starts serving `reg` (which must outlive the server) on `listen`.
 * NULL with the reason in err (bad address, port in use, ...). */
sp_metrics_server *sp_metrics_server_start(sp_metrics_registry *reg, const char *listen, char *err,
                                           size_t errlen);

/* The port really bound (useful after asking for port 0). */
unsigned sp_metrics_server_port(const sp_metrics_server *server);

/* One HTTP answer of a scrape. */
struct sp_metrics_scrape {
    long status;
    char content_type[128];
    char *body; /* malloc'd, NUL-terminated */
    size_t len;
};

/* GETs `path` (e.g. "/metrics") from the server over HTTP, as a scraper
 * would (from this machine: loopback when it listens on every interface),
 * with an optional Accept header: lets code without sockets (scenarios)
 * check what the endpoint really serves. 0 with *out filled (free with
 * sp_metrics_scrape_free), or -1 with err for a failed exchange. */
int sp_metrics_server_scrape(const sp_metrics_server *server, const char *path, const char *accept,
                             struct sp_metrics_scrape *out, char *err, size_t errlen);
void sp_metrics_scrape_free(struct sp_metrics_scrape *scrape);

/* Stops the server, waiting for its threads; NULL is accepted. */
void sp_metrics_server_stop(sp_metrics_server *server);

#endif

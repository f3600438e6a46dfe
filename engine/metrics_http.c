/* /metrics over libmicrohttpd. The listening socket is bound here, not by
 * MHD, so a failure says why (address in use, permission denied) and port 0
 * works the same for IPv4 and IPv6. MHD runs a small thread pool, so scrapes
 * are served concurrently; each builds its own exposition text.
 *
 * Slots: MHD's idle timer restarts with every byte, so clients that send a
 * header line now and then would hold all the connection slots for as long
 * as they like and starve the scrapers. Every request therefore has an
 * absolute deadline (REQUEST_DEADLINE_S from the connection, or from the
 * previous answer on a kept-alive one) for its headers to arrive and its
 * answer to be taken; a connection past it is shut down. */
#include "sandprobe/metrics_http.h"
#include "sandprobe/http.h"

#include "sandprobe/clock.h"
#include "sandprobe/ticker.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define SERVER_THREADS 2
#define SERVER_CONNECTION_LIMIT 64
#define SERVER_IDLE_TIMEOUT_S 10
#define REQUEST_DEADLINE_S 5.0
#define REAPER_PERIOD_S 0.2

/* A connection MHD holds, while it holds it. */
struct held {
    int fd;
    double since; /* when it connected or last got an answer (monotonic) */
    int cut;      /* shut down already */
    struct held *prev, *next;
};

struct sp_metrics_server {
    struct MHD_Daemon *daemon;
    sp_metrics_registry *registry;
    unsigned port;
    char host[INET6_ADDRSTRLEN + 2]; /* where a local client reaches it, for URLs */
    /* The connections and the thread that cuts those past their deadline. */
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct held *connections;
    int stopping;
    int reaper_started;
    pthread_t reaper;
};

/* ---- request deadline ------------------------------------------------------ */

/* MHD calls this from its own threads when a connection starts and just
 * before it closes the socket, so a listed fd is always still the
 * connection's own while the lock is held. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode what)
{
    struct sp_metrics_server *server = cls;
    if (what == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct held *h = info ? calloc(1, sizeof *h) : NULL;
        *socket_context = h;
        if (h == NULL)
            return; /* not tracked: only the idle timer applies to it */
        h->fd = info->connect_fd;
        h->since = sp_clock_monotonic();
        pthread_mutex_lock(&server->lock);
        h->next = server->connections;
        if (h->next != NULL)
            h->next->prev = h;
        server->connections = h;
        pthread_mutex_unlock(&server->lock);
    } else if (what == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context != NULL) {
        struct held *h = *socket_context;
        pthread_mutex_lock(&server->lock);
        if (h->prev != NULL)
            h->prev->next = h->next;
        else
            server->connections = h->next;
        if (h->next != NULL)
            h->next->prev = h->prev;
        pthread_mutex_unlock(&server->lock);
        free(h);
        *socket_context = NULL;
    }
}

/* A request got its answer: the next one on this connection gets a full
 * deadline of its own. */
static void restart_deadline(struct sp_metrics_server *server, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    if (info == NULL || info->socket_context == NULL)
        return;
    pthread_mutex_lock(&server->lock);
    ((struct held *)info->socket_context)->since = sp_clock_monotonic();
    pthread_mutex_unlock(&server->lock);
}

/* Shuts down (does not close: MHD owns the fd) every connection past its
 * deadline; MHD then sees the end of the stream and frees the slot. */
static void *reap_late_connections(void *arg)
{
    struct sp_metrics_server *server = arg;
    pthread_mutex_lock(&server->lock);
    while (!server->stopping) {
        double now = sp_clock_monotonic();
        for (struct held *h = server->connections; h != NULL; h = h->next) {
            if (!h->cut && now - h->since > REQUEST_DEADLINE_S) {
                shutdown(h->fd, SHUT_RDWR);
                h->cut = 1;
            }
        }
        struct timespec next = sp_monotonic_deadline(REAPER_PERIOD_S);
        pthread_cond_timedwait(&server->wake, &server->lock, &next);
    }
    pthread_mutex_unlock(&server->lock);
    return NULL;
}

static int start_reaper(struct sp_metrics_server *server)
{
    pthread_mutex_init(&server->lock, NULL);
    if (sp_monotonic_cond_init(&server->wake) != 0)
        pthread_cond_init(&server->wake, NULL);
    server->reaper_started = pthread_create(&server->reaper, NULL, reap_late_connections, server) == 0;
    return server->reaper_started ? 0 : -1;
}

static void stop_reaper(struct sp_metrics_server *server)
{
    if (!server->reaper_started)
        return;
    pthread_mutex_lock(&server->lock);
    server->stopping = 1;
    pthread_cond_broadcast(&server->wake);
    pthread_mutex_unlock(&server->lock);
    pthread_join(server->reaper, NULL);
    server->reaper_started = 0;
}

/* ---- listen address ------------------------------------------------------ */

static int parse_port(const char *s, in_port_t *port)
{
    size_t n = strlen(s);
    if (n == 0 || n > 5 || strspn(s, "0123456789") != n)
        return -1;
    long v = strtol(s, NULL, 10);
    if (v > 65535)
        return -1;
    *port = htons((in_port_t)v);
    return 0;
}

/* Splits "host:port" / "[host]:port" into its parts (host may be empty). */
static int split_host_port(const char *text, char *host, size_t hostlen, const char **port,
                           int *bracketed)
{
    const char *colon;
    *bracketed = text[0] == '[';
    if (*bracketed) {
        const char *close = strchr(text, ']');
        if (close == NULL || close[1] != ':')
            return -1;
        if ((size_t)(close - text - 1) >= hostlen)
            return -1;
        snprintf(host, hostlen, "%.*s", (int)(close - text - 1), text + 1);
        colon = close + 1;
    } else {
        colon = strrchr(text, ':');
        if (colon == NULL || (size_t)(colon - text) >= hostlen)
            return -1;
        snprintf(host, hostlen, "%.*s", (int)(colon - text), text);
    }
    *port = colon + 1;
    return 0;
}

int sp_metrics_parse_listen(const char *text, struct sockaddr_storage *addr, socklen_t *addrlen,
                            char *err, size_t errlen)
{
    char host[INET6_ADDRSTRLEN];
    const char *port_text;
    int bracketed;
    in_port_t port;
    memset(addr, 0, sizeof *addr);
    if (text == NULL || split_host_port(text, host, sizeof host, &port_text, &bracketed) != 0 ||
        parse_port(port_text, &port) != 0) {
        snprintf(err, errlen, "invalid listen address '%s' (expected HOST:PORT, :PORT or "
                 "[IPv6]:PORT with a port from 0 to 65535)", text ? text : "(null)");
        return -1;
    }
    struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;
    if (bracketed && inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = port;
        *addrlen = sizeof *v6;
        return 0;
    }
    const char *v4_host = host[0] == '\0' ? "0.0.0.0"
                          : strcmp(host, "localhost") == 0 ? "127.0.0.1" : host;
    if (!bracketed && inet_pton(AF_INET, v4_host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = port;
        *addrlen = sizeof *v4;
        return 0;
    }
    snprintf(err, errlen, "invalid listen address '%s': '%s' is not a numeric IPv4 address, "
             "[IPv6] address or localhost", text, host);
    return -1;
}

/* ---- content negotiation ------------------------------------------------- */

static const char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    return s;
}

/* One media range "type/sub;k=v;..." -> its type, version and q (default 1). */
static void parse_media_range(char *range, const char **type, const char **version, double *q)
{
    char *save = NULL;
    char *part = strtok_r(range, ";", &save);
    *type = trim(part ? part : range);
    *version = NULL;
    *q = 1;
    while ((part = strtok_r(NULL, ";", &save)) != NULL) {
        char *eq = strchr(part, '=');
        if (eq == NULL)
            continue;
        *eq = '\0';
        const char *key = trim(part), *value = trim(eq + 1);
        if (strcasecmp(key, "q") == 0) {
            char *end;
            double v = strtod(value, &end);
            *q = (*end == '\0' && v >= 0 && v <= 1) ? v : 0;
        } else if (strcasecmp(key, "version") == 0) {
            *version = value;
        }
    }
}

static int is_openmetrics(const char *type, const char *version)
{
    return strcasecmp(type, "application/openmetrics-text") == 0 &&
           (version == NULL || strcmp(version, "1.0.0") == 0 || strcmp(version, "0.0.1") == 0);
}

static int is_text_format(const char *type, const char *version)
{
    return (strcasecmp(type, "text/plain") == 0 &&
            (version == NULL || strcmp(version, "0.0.4") == 0)) ||
           strcasecmp(type, "text/*") == 0 || strcmp(type, "*/*") == 0;
}

enum sp_metrics_format sp_metrics_negotiate(const char *accept)
{
    if (accept == NULL)
        return SP_METRICS_PROMETHEUS;
    char *copy = strdup(accept);
    if (copy == NULL)
        return SP_METRICS_PROMETHEUS;
    double best_om = 0, best_text = 0;
    char *save = NULL;
    for (char *range = strtok_r(copy, ",", &save); range != NULL;
         range = strtok_r(NULL, ",", &save)) {
        const char *type, *version;
        double q;
        parse_media_range(range, &type, &version, &q);
        if (is_openmetrics(type, version) && q > best_om)
            best_om = q;
        else if (is_text_format(type, version) && q > best_text)
            best_text = q;
    }
    free(copy);
    return best_om > 0 && best_om >= best_text ? SP_METRICS_OPENMETRICS : SP_METRICS_PROMETHEUS;
}

/* ---- request handling ---------------------------------------------------- */

static enum MHD_Result queue_text(struct MHD_Connection *conn, unsigned status, const char *text,
                                  const char *allow)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
    if (allow != NULL)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
    enum MHD_Result rc = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result serve_metrics(struct MHD_Connection *conn, sp_metrics_registry *reg)
{
    const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    enum sp_metrics_format format = sp_metrics_negotiate(accept);
    size_t len;
    char *text = sp_metrics_expose(reg, format, &len);
    if (text == NULL)
        return queue_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n", NULL);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (r == NULL) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            format == SP_METRICS_OPENMETRICS ? SP_METRICS_CONTENT_TYPE_OPENMETRICS
                                                             : SP_METRICS_CONTENT_TYPE_PROMETHEUS);
    enum MHD_Result rc = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return rc;
}

/* Answers at the first call for each request: nothing here reads a body, and
 * MHD discards what a client sends after a final answer. */
static enum MHD_Result handle_request(void *cls, struct MHD_Connection *conn, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **req_cls)
{
    (void)version, (void)upload_data, (void)upload_data_size, (void)req_cls;
    struct sp_metrics_server *server = cls;
    restart_deadline(server, conn);
    if (strcmp(url, "/metrics") != 0)
        return queue_text(conn, MHD_HTTP_NOT_FOUND, "not found: metrics are at /metrics\n", NULL);
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return queue_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n", "GET, HEAD");
    return serve_metrics(conn, server->registry);
}

/* ---- life cycle ---------------------------------------------------------- */

static int open_listener(const struct sockaddr_storage *addr, socklen_t addrlen, char *err,
                         size_t errlen)
{
    int fd = socket(addr->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int one = 1;
    if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
        bind(fd, (const struct sockaddr *)addr, addrlen) == 0 && listen(fd, 64) == 0)
        return fd;
    snprintf(err, errlen, "cannot listen: %s", strerror(errno));
    if (fd >= 0)
        close(fd);
    return -1;
}

static unsigned bound_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return 0;
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* The host part of a URL reaching the socket from this machine: the bound
 * address, or loopback when bound to every interface. */
static void local_host(int fd, char *out, size_t size)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char text[INET6_ADDRSTRLEN] = "127.0.0.1";
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0 && ss.ss_family == AF_INET6) {
        const struct in6_addr *a = &((struct sockaddr_in6 *)&ss)->sin6_addr;
        if (IN6_IS_ADDR_UNSPECIFIED(a) || inet_ntop(AF_INET6, a, text, sizeof text) == NULL)
            snprintf(text, sizeof text, "::1");
        snprintf(out, size, "[%s]", text);
        return;
    }
    if (ss.ss_family == AF_INET) {
        const struct in_addr *a = &((struct sockaddr_in *)&ss)->sin_addr;
        if (a->s_addr == htonl(INADDR_ANY) || inet_ntop(AF_INET, a, text, sizeof text) == NULL)
            snprintf(text, sizeof text, "127.0.0.1");
    }
    snprintf(out, size, "%s", text);
}

sp_metrics_server *sp_metrics_server_start(sp_metrics_registry *reg, const char *listen, char *err,
                                           size_t errlen)
{
    struct sockaddr_storage addr;
    socklen_t addrlen;
    if (sp_metrics_parse_listen(listen, &addr, &addrlen, err, errlen) != 0)
        return NULL;
    sp_metrics_server *server = calloc(1, sizeof *server);
    if (server == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    int fd = open_listener(&addr, addrlen, err, errlen);
    if (fd < 0) {
        free(server);
        return NULL;
    }
    server->registry = reg;
    server->port = bound_port(fd);
    local_host(fd, server->host, sizeof server->host);
    if (start_reaper(server) != 0) {
        snprintf(err, errlen, "cannot start a thread for the HTTP server");
        close(fd);
        free(server);
        return NULL;
    }
    server->daemon = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD, 0, NULL, NULL, handle_request, server,
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)SERVER_THREADS,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVER_CONNECTION_LIMIT,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVER_IDLE_TIMEOUT_S,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, server,
        MHD_OPTION_END);
    if (server->daemon == NULL) {
        snprintf(err, errlen, "cannot start the HTTP server on %s", listen);
        stop_reaper(server);
        close(fd);
        free(server);
        return NULL;
    }
    return server;
}

unsigned sp_metrics_server_port(const sp_metrics_server *server)
{
    return server->port;
}

void sp_metrics_server_stop(sp_metrics_server *server)
{
    if (server == NULL)
        return;
    stop_reaper(server);
    MHD_stop_daemon(server->daemon); /* joins its threads and closes the listener */
    free(server);
}

/* ---- scraping a server of our own ----------------------------------------- */

#define SCRAPE_MAX_BYTES ((size_t)16 * 1024 * 1024)
#define SCRAPE_TIMEOUT_MS 10000L

int sp_metrics_server_scrape(const sp_metrics_server *server, const char *path, const char *accept,
                             struct sp_metrics_scrape *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (path == NULL || path[0] != '/' || strpbrk(path, " \r\n") != NULL) {
        snprintf(err, errlen, "scrape path must start with / and hold no spaces");
        return -1;
    }
    char url[512], header[512];
    snprintf(url, sizeof url, "http://%s:%u%s", server->host, server->port, path);
    snprintf(header, sizeof header, "Accept: %s", accept ? accept : "");
    const char *headers[] = {accept ? header : NULL, NULL};
    struct sp_http_request q = {.url = url, .headers = headers, .timeout_ms = SCRAPE_TIMEOUT_MS,
                                .max_bytes = SCRAPE_MAX_BYTES};
    struct sp_http_response r;
    char why[256];
    if (sp_http_fetch(&q, &r, why, sizeof why) != 0) {
        snprintf(err, errlen, "scraping %s: %s", url, why);
        return -1;
    }
    out->status = r.status;
    snprintf(out->content_type, sizeof out->content_type, "%s", r.content_type);
    out->body = r.body; /* handed over: freed by sp_metrics_scrape_free */
    out->len = r.len;
    return 0;
}

void sp_metrics_scrape_free(struct sp_metrics_scrape *scrape)
{
    free(scrape->body);
    scrape->body = NULL;
    scrape->len = 0;
}

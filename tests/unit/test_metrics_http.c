/* Tests of the /metrics endpoint: address parsing, content negotiation, and a
 * real server on 127.0.0.1 scraped through http.h and poked with raw sockets. */
#define _GNU_SOURCE /* memmem */
#include "sandprobe/http.h"
#include "sandprobe/metrics_http.h"
#include "unit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

static char err[256];

static void test_parse_listen(void)
{
    struct sockaddr_storage ss;
    socklen_t len;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    char text[64];

    CHECK_INT(sp_metrics_parse_listen("127.0.0.1:9464", &ss, &len, err, sizeof err), 0);
    CHECK(v4->sin_family == AF_INET && ntohs(v4->sin_port) == 9464 && len == sizeof *v4);
    CHECK_STR(inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text), "127.0.0.1");

    CHECK_INT(sp_metrics_parse_listen(":9464", &ss, &len, err, sizeof err), 0);
    CHECK_STR(inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text), "0.0.0.0");

    CHECK_INT(sp_metrics_parse_listen("localhost:0", &ss, &len, err, sizeof err), 0);
    CHECK(ntohs(v4->sin_port) == 0);
    CHECK_STR(inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text), "127.0.0.1");

    CHECK_INT(sp_metrics_parse_listen("[::1]:65535", &ss, &len, err, sizeof err), 0);
    CHECK(v6->sin6_family == AF_INET6 && ntohs(v6->sin6_port) == 65535 && len == sizeof *v6);
    CHECK_STR(inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text), "::1");

    const char *bad[] = {"", "9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
                         "127.0.0.1:-1", "127.0.0.1:94a", "::1:9464", "[::1]9464", "[::1",
                         "[127.0.0.1]:80", "example.com:80", "1.2.3:80", "[]:80",
                         "127.0.0.1:000009464", "[::1]:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        if (sp_metrics_parse_listen(bad[i], &ss, &len, err, sizeof err) != -1)
            fprintf(stderr, "  accepted bad address '%s'\n", bad[i]), unit_failures_in_test++;
        CHECK(strstr(err, "invalid listen address") != NULL);
    }
    CHECK_INT(sp_metrics_parse_listen(NULL, &ss, &len, err, sizeof err), -1);
}

static void test_negotiate(void)
{
    CHECK(sp_metrics_negotiate(NULL) == SP_METRICS_PROMETHEUS);
    CHECK(sp_metrics_negotiate("") == SP_METRICS_PROMETHEUS);
    CHECK(sp_metrics_negotiate("*/*") == SP_METRICS_PROMETHEUS);
    CHECK(sp_metrics_negotiate("text/plain;version=0.0.4") == SP_METRICS_PROMETHEUS);
    CHECK(sp_metrics_negotiate("application/openmetrics-text") == SP_METRICS_OPENMETRICS);
    /* What Prometheus 2.x sends. */
    CHECK(sp_metrics_negotiate("application/openmetrics-text;version=1.0.0,application/"
                               "openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;"
                               "q=0.5,*/*;q=0.1") == SP_METRICS_OPENMETRICS);
    CHECK(sp_metrics_negotiate("Application/OpenMetrics-Text ; Version=1.0.0 ; q=0.9, text/plain;q=0.5") ==
          SP_METRICS_OPENMETRICS);
    CHECK(sp_metrics_negotiate("application/openmetrics-text;q=0.5, text/plain") ==
          SP_METRICS_PROMETHEUS);
    CHECK(sp_metrics_negotiate("application/openmetrics-text;q=0") == SP_METRICS_PROMETHEUS);
    CHECK(sp_metrics_negotiate("application/openmetrics-text;version=2.0.0") ==
          SP_METRICS_PROMETHEUS);
    CHECK(sp_metrics_negotiate("application/openmetrics-text;q=abc") == SP_METRICS_PROMETHEUS);
    CHECK(sp_metrics_negotiate(";;,,;=;q=") == SP_METRICS_PROMETHEUS);
}

/* ---- a live server -------------------------------------------------------- */

struct reply {
    long status;
    char content_type[128];
    char allow[256];
    char body[8192];
    size_t body_len;
};

/* One exchange through the engine's own HTTP helper (http.h). */
static int fetch(unsigned port, const char *method, const char *path, const char *accept,
                 struct reply *r)
{
    memset(r, 0, sizeof *r);
    char url[128], accept_header[512], why[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", port, path);
    snprintf(accept_header, sizeof accept_header, "Accept: %s", accept ? accept : "");
    const char *headers[] = {accept ? accept_header : NULL, NULL};
    struct sp_http_request q = {.url = url, .method = method, .headers = headers,
                                .body = strcmp(method, "POST") == 0 ? "some=body" : NULL,
                                .timeout_ms = 10000, .max_bytes = sizeof r->body - 1,
                                .capture_header = "Allow"};
    struct sp_http_response got;
    if (sp_http_fetch(&q, &got, why, sizeof why) != 0)
        return -1;
    r->status = got.status;
    snprintf(r->content_type, sizeof r->content_type, "%s", got.content_type);
    snprintf(r->allow, sizeof r->allow, "%s", got.captured);
    memcpy(r->body, got.body, got.len + 1);
    r->body_len = got.len;
    sp_http_response_free(&got);
    return 0;
}

static sp_metrics_registry *registry;
static sp_metrics_server *server;
static unsigned port;

static void test_start(void)
{
    registry = sp_metrics_registry_new();
    struct sp_metric_desc d = {.type = SP_METRIC_COUNTER, .name = "scrape_test_total",
                               .help = "A test counter."};
    sp_metric_family *c = sp_metrics_register(registry, &d, err, sizeof err);
    REQUIRE(c != NULL);
    sp_metric_counter_add(c, NULL, 7);
    server = sp_metrics_server_start(registry, "127.0.0.1:0", err, sizeof err);
    if (server == NULL)
        fprintf(stderr, "  %s\n", err);
    REQUIRE(server != NULL);
    port = sp_metrics_server_port(server);
    CHECK(port > 0);
}

static void test_get_prometheus(void)
{
    REQUIRE(server != NULL);
    struct reply r;
    REQUIRE(fetch(port, "GET", "/metrics", NULL, &r) == 0);
    CHECK_INT(r.status, 200);
    CHECK_STR(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
    CHECK_STR(r.body, "# HELP scrape_test_total A test counter.\n"
                      "# TYPE scrape_test_total counter\n"
                      "scrape_test_total 7\n");
    REQUIRE(fetch(port, "GET", "/metrics?debug=1", "text/plain", &r) == 0);
    CHECK_INT(r.status, 200);
}

static void test_get_openmetrics(void)
{
    REQUIRE(server != NULL);
    struct reply r;
    REQUIRE(fetch(port, "GET", "/metrics", "application/openmetrics-text;version=1.0.0", &r) == 0);
    CHECK_INT(r.status, 200);
    CHECK_STR(r.content_type, "application/openmetrics-text; version=1.0.0; charset=utf-8");
    CHECK_STR(r.body, "# HELP scrape_test A test counter.\n"
                      "# TYPE scrape_test counter\n"
                      "scrape_test_total 7\n"
                      "# EOF\n");
}

static void test_head_404_405(void)
{
    REQUIRE(server != NULL);
    struct reply r;
    REQUIRE(fetch(port, "HEAD", "/metrics", NULL, &r) == 0);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.body_len, 0);
    CHECK_STR(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
    REQUIRE(fetch(port, "GET", "/", NULL, &r) == 0);
    CHECK_INT(r.status, 404);
    REQUIRE(fetch(port, "GET", "/metrics/x", NULL, &r) == 0);
    CHECK_INT(r.status, 404);
    REQUIRE(fetch(port, "POST", "/metrics", NULL, &r) == 0);
    CHECK_INT(r.status, 405);
    CHECK_STR(r.allow, "GET, HEAD");
    REQUIRE(fetch(port, "DELETE", "/metrics", NULL, &r) == 0);
    CHECK_INT(r.status, 405);
}

#define SCRAPERS 4
#define SCRAPES 25

static void *scraper(void *arg)
{
    int *ok = arg;
    for (int i = 0; i < SCRAPES; i++) {
        struct reply r;
        if (fetch(port, "GET", "/metrics", i % 2 ? "application/openmetrics-text" : NULL, &r) == 0 &&
            r.status == 200 && strstr(r.body, "scrape_test_total 7\n") != NULL)
            (*ok)++;
    }
    return NULL;
}

static void test_concurrent_scrapes(void)
{
    REQUIRE(server != NULL);
    pthread_t threads[SCRAPERS];
    int ok[SCRAPERS] = {0};
    for (int i = 0; i < SCRAPERS; i++)
        REQUIRE(pthread_create(&threads[i], NULL, scraper, &ok[i]) == 0);
    for (int i = 0; i < SCRAPERS; i++) {
        pthread_join(threads[i], NULL);
        CHECK_INT(ok[i], SCRAPES);
    }
}

/* Sends raw bytes and returns what came back (possibly nothing). Malformed
 * input is followed by a half-close, so a server waiting for more bytes sees
 * the end at once; MHD drops a request whose client half-closed, so a
 * well-formed one keeps the socket open and relies on HTTP/1.0 closing. */
static void raw_exchange(const void *data, size_t len, char *reply, size_t replylen)
{
    reply[0] = '\0';
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((in_port_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {.tv_sec = 2}; /* a half-sent request may wait for MHD's idle timeout */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
        send(fd, data, len, MSG_NOSIGNAL);
        if (memmem(data, len, "HTTP/1.0\r\n", 10) == NULL)
            shutdown(fd, SHUT_WR);
        ssize_t n = recv(fd, reply, replylen - 1, 0);
        reply[n > 0 ? n : 0] = '\0';
    }
    close(fd);
}

static void raw_text_exchange(const char *text, char *reply, size_t replylen)
{
    raw_exchange(text, strlen(text), reply, replylen);
}

static void test_malformed_requests(void)
{
    REQUIRE(server != NULL);
    char reply[4096];
    raw_text_exchange("GARBAGE\r\n\r\n", reply, sizeof reply);
    CHECK(strncmp(reply, "HTTP/1.1 400", 12) == 0 || reply[0] == '\0');
    raw_text_exchange("GET /metrics HTTP/9.9\r\n\r\n", reply, sizeof reply);
    CHECK(strstr(reply, "scrape_test_total 7") == NULL);
    const char binary[] = "\x00\xff\x01GET / HTTP/1.1\r\n\x00\r\n\r\n";
    raw_exchange(binary, sizeof binary, reply, sizeof reply);
    raw_text_exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", reply, sizeof reply);
    raw_text_exchange("GET /metrics HTTP/1.1\r\nHo", reply, sizeof reply); /* cut short */
    static char huge[64 * 1024];
    memset(huge, 'A', sizeof huge);
    memcpy(huge, "GET /metrics HTTP/1.1\r\nX-Long: ", 31);
    raw_exchange(huge, sizeof huge, reply, sizeof reply);
    CHECK(strstr(reply, "scrape_test_total 7") == NULL);
    /* A well-formed raw request still works after all that. */
    raw_text_exchange("GET /metrics HTTP/1.0\r\nAccept: application/openmetrics-text\r\n\r\n", reply, sizeof reply);
    CHECK(strncmp(reply, "HTTP/1.", 7) == 0 && strstr(reply, " 200 ") != NULL);
    struct reply r;
    REQUIRE(fetch(port, "GET", "/metrics", NULL, &r) == 0);
    CHECK_INT(r.status, 200);
}

static void test_port_in_use_and_bad_address(void)
{
    REQUIRE(server != NULL);
    char listen[32];
    snprintf(listen, sizeof listen, "127.0.0.1:%u", port);
    CHECK(sp_metrics_server_start(registry, listen, err, sizeof err) == NULL);
    CHECK(strstr(err, "Address already in use") != NULL);
    CHECK(sp_metrics_server_start(registry, "nonsense", err, sizeof err) == NULL);
    CHECK(strstr(err, "invalid listen address") != NULL);
}

static void test_ipv6_loopback(void)
{
    int probe = socket(AF_INET6, SOCK_STREAM, 0);
    if (probe < 0)
        return; /* no IPv6 on this host: nothing to test */
    close(probe);
    sp_metrics_server *s6 = sp_metrics_server_start(registry, "[::1]:0", err, sizeof err);
    if (s6 == NULL && strstr(err, "Cannot assign") != NULL)
        return; /* IPv6 present but ::1 not configured */
    REQUIRE(s6 != NULL);
    CHECK(sp_metrics_server_port(s6) > 0);
    sp_metrics_server_stop(s6);
}

static void test_stop(void)
{
    sp_metrics_server_stop(server);
    sp_metrics_server_stop(NULL);
    struct reply r;
    CHECK(fetch(port, "GET", "/metrics", NULL, &r) != 0); /* nobody listens any more */
    sp_metrics_registry_free(registry);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(test_parse_listen),
        UNIT_TEST(test_negotiate),
        UNIT_TEST(test_start),
        UNIT_TEST(test_get_prometheus),
        UNIT_TEST(test_get_openmetrics),
        UNIT_TEST(test_head_404_405),
        UNIT_TEST(test_concurrent_scrapes),
        UNIT_TEST(test_malformed_requests),
        UNIT_TEST(test_port_in_use_and_bad_address),
        UNIT_TEST(test_ipv6_loopback),
        UNIT_TEST(test_stop),
    };
    return UNIT_RUN(tests);
}

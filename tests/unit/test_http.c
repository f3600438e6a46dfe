/* The one-shot HTTP helper against a tiny server on loopback that answers
 * every connection with the same canned response: what is kept, what is
 * dropped, the cap, the captured header, and a refused connection. */
#include "sandprobe/http.h"
#include "unit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

static const char CANNED[] = "HTTP/1.1 418 I'm a teapot\r\n"
                             "Content-Type: text/plain\r\n"
                             "Allow: GET, HEAD\r\n"
                             "Content-Length: 12\r\n"
                             "Connection: close\r\n\r\n"
                             "hello, world";

struct server {
    int fd;
    unsigned port;
    int answers; /* connections to answer before the thread ends */
};

static void *serve(void *arg)
{
    struct server *s = arg;
    for (int i = 0; i < s->answers; i++) {
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            break;
        char buf[4096];
        ssize_t n = recv(c, buf, sizeof buf, 0); /* the request: small, one read */
        (void)n;
        ssize_t sent = send(c, CANNED, sizeof CANNED - 1, MSG_NOSIGNAL);
        (void)sent;
        close(c);
    }
    return NULL;
}

static int start(struct server *s, pthread_t *t)
{
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(s->fd, 4) != 0 ||
        getsockname(s->fd, (struct sockaddr *)&sa, &len) != 0)
        return -1;
    s->port = ntohs(sa.sin_port);
    return pthread_create(t, NULL, serve, s);
}

static void keeps_body_status_type_and_header(void)
{
    struct server s = {.answers = 3};
    pthread_t t;
    REQUIRE(start(&s, &t) == 0);
    char url[64], err[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/x", s.port);

    struct sp_http_request q = {.url = url, .timeout_ms = 5000, .max_bytes = 1024,
                                .capture_header = "allow"};
    struct sp_http_response r;
    REQUIRE(sp_http_fetch(&q, &r, err, sizeof err) == 0);
    CHECK_INT(r.status, 418); /* any status is an answer */
    CHECK_STR(r.body, "hello, world");
    CHECK_INT(r.len, 12);
    CHECK_STR(r.content_type, "text/plain");
    CHECK_STR(r.captured, "GET, HEAD");
    sp_http_response_free(&r);

    q.max_bytes = 0; /* read and dropped */
    REQUIRE(sp_http_fetch(&q, &r, err, sizeof err) == 0);
    CHECK_STR(r.body, "");
    CHECK_INT(r.len, 0);
    sp_http_response_free(&r);

    q.max_bytes = 5; /* longer than the cap: fails, nothing kept */
    CHECK(sp_http_fetch(&q, &r, err, sizeof err) == -1);
    CHECK(strstr(err, "larger than 5 bytes") != NULL);
    CHECK(r.body == NULL);
    pthread_join(t, NULL);
    close(s.fd);
}

static void refused_connection_is_an_error(void)
{
    struct server s = {.answers = 0};
    pthread_t t;
    REQUIRE(start(&s, &t) == 0);
    pthread_join(t, NULL);
    close(s.fd); /* the port is free again: nobody listens */
    char url[64], err[256] = "";
    snprintf(url, sizeof url, "http://127.0.0.1:%u/", s.port);
    struct sp_http_request q = {.url = url, .timeout_ms = 5000};
    struct sp_http_response r;
    CHECK(sp_http_fetch(&q, &r, err, sizeof err) == -1);
    CHECK(err[0] != '\0');
    CHECK_INT(r.status, 0);
}

static void append_keeps_a_capped_nul_terminated_buffer(void)
{
    char *buf = NULL;
    size_t len = 0;
    CHECK_INT(sp_http_append(&buf, &len, "abc", 3, 5), 0);
    CHECK_INT(sp_http_append(&buf, &len, "de", 2, 5), 0);
    REQUIRE(buf != NULL);
    CHECK_STR(buf, "abcde");
    CHECK_INT(len, 5);
    CHECK_INT(sp_http_append(&buf, &len, "f", 1, 5), SP_HTTP_TOO_LARGE);
    CHECK_STR(buf, "abcde"); /* untouched */
    free(buf);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(append_keeps_a_capped_nul_terminated_buffer),
        UNIT_TEST(keeps_body_status_type_and_header),
        UNIT_TEST(refused_connection_is_an_error),
    };
    return UNIT_RUN(tests);
}

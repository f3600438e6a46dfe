/* One-shot HTTP exchanges over libcurl, and the process's one
 * curl_global_init. For the small clients (posting alerts, scraping our own
 * /metrics, tests); the Docker client (docker.h) keeps its own handle per
 * thread because it needs kept-alive connections, unix sockets, streamed
 * answers and a hijacked attach, but it initialises libcurl here too. */
#ifndef SANDPROBE_HTTP_H
#define SANDPROBE_HTTP_H

#include <stddef.h>

/* curl_global_init, once for the process (thread-safe; any caller may call
 * it before its first handle). 0, or -1 when libcurl cannot start. */
int sp_http_global_init(void);

struct sp_http_request {
    const char *url;
    const char *method;          /* NULL: GET, or POST when body is set; "HEAD": no body read */
    const char *const *headers;  /* "Name: value" lines, NULL-terminated; NULL: none */
    const char *body;            /* sent as is; NULL: none */
    long timeout_ms;             /* the whole exchange; 0: libcurl's default (none) */
    long connect_timeout_ms;     /* 0: libcurl's default */
    size_t max_bytes;            /* the answer's body is kept up to this; a longer one
                                  * fails the exchange. 0: the body is read and dropped */
    const char *capture_header;  /* a header whose value to keep ("Allow"); NULL: none */
};

struct sp_http_response {
    long status;               /* 0 when no answer came */
    char *body;                /* NUL-terminated, owned (sp_http_response_free); "" when none */
    size_t len;
    char content_type[128];
    char captured[256];        /* the value of capture_header, without the line end */
};

/* Performs the exchange. 0 when an answer came, whatever its status; -1 with
 * libcurl's reason in err otherwise (the caller says what was being done). */
int sp_http_fetch(const struct sp_http_request *q, struct sp_http_response *r, char *err,
                  size_t errlen);
void sp_http_response_free(struct sp_http_response *r);

/* For a libcurl write callback that keeps an answer: appends n bytes of data
 * to the NUL-terminated *buf of *len bytes (both updated), unless that would
 * pass max. 0, SP_HTTP_TOO_LARGE or SP_HTTP_NO_MEMORY (*buf is kept). */
enum { SP_HTTP_TOO_LARGE = -1, SP_HTTP_NO_MEMORY = -2 };
int sp_http_append(char **buf, size_t *len, const char *data, size_t n, size_t max);

#endif

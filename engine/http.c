/* One-shot HTTP exchanges (include/sandprobe/http.h). */
#include "sandprobe/http.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static int global_init_failed;

static void global_init(void)
{
    global_init_failed = curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK;
}

int sp_http_global_init(void)
{
    pthread_once(&global_once, global_init);
    return global_init_failed ? -1 : 0;
}

int sp_http_append(char **buf, size_t *len, const char *data, size_t n, size_t max)
{
    if (*len + n > max)
        return SP_HTTP_TOO_LARGE;
    char *grown = realloc(*buf, *len + n + 1);
    if (grown == NULL)
        return SP_HTTP_NO_MEMORY;
    *buf = grown;
    memcpy(*buf + *len, data, n);
    *len += n;
    (*buf)[*len] = '\0';
    return 0;
}

struct exchange {
    const struct sp_http_request *q;
    struct sp_http_response *r;
    int too_large;
};

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    struct exchange *x = arg;
    struct sp_http_response *r = x->r;
    size_t len = size * n;
    if (x->q->max_bytes == 0)
        return len;
    int rc = sp_http_append(&r->body, &r->len, data, len, x->q->max_bytes);
    x->too_large = rc == SP_HTTP_TOO_LARGE;
    return rc == 0 ? len : 0;
}

static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
    struct exchange *x = arg;
    size_t len = size * n;
    const char *name = x->q->capture_header;
    size_t name_len = name ? strlen(name) : 0;
    if (name_len > 0 && len > name_len + 1 && strncasecmp(line, name, name_len) == 0 &&
        line[name_len] == ':') {
        const char *v = line + name_len + 1;
        while (*v == ' ')
            v++;
        int vlen = (int)strcspn(v, "\r\n");
        snprintf(x->r->captured, sizeof x->r->captured, "%.*s", vlen, v);
    }
    return len;
}

static struct curl_slist *header_list(const char *const *headers, int *failed)
{
    struct curl_slist *list = NULL;
    *failed = 0;
    for (size_t i = 0; headers != NULL && headers[i] != NULL; i++) {
        struct curl_slist *grown = curl_slist_append(list, headers[i]);
        if (grown == NULL) {
            *failed = 1;
            break;
        }
        list = grown;
    }
    return list;
}

static void set_options(CURL *h, const struct sp_http_request *q, struct curl_slist *headers,
                        struct exchange *x, char *curl_err)
{
    curl_easy_setopt(h, CURLOPT_URL, q->url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* called from worker threads */
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (q->timeout_ms > 0)
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, q->timeout_ms);
    if (q->connect_timeout_ms > 0)
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, q->connect_timeout_ms);
    if (q->method != NULL && strcmp(q->method, "HEAD") == 0)
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    else if (q->method != NULL)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, q->method);
    if (q->body != NULL)
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, q->body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
}

int sp_http_fetch(const struct sp_http_request *q, struct sp_http_response *r, char *err,
                  size_t errlen)
{
    memset(r, 0, sizeof *r);
    if (sp_http_global_init() != 0) {
        snprintf(err, errlen, "cannot initialise libcurl");
        return -1;
    }
    int headers_failed;
    struct curl_slist *headers = header_list(q->headers, &headers_failed);
    CURL *h = curl_easy_init();
    if (h == NULL || headers_failed) {
        curl_slist_free_all(headers);
        curl_easy_cleanup(h);
        snprintf(err, errlen, "cannot create an HTTP handle: out of memory");
        return -1;
    }
    char curl_err[CURL_ERROR_SIZE] = "";
    struct exchange x = {.q = q, .r = r};
    set_options(h, q, headers, &x, curl_err);
    CURLcode rc = curl_easy_perform(h);
    const char *type = NULL;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type);
    snprintf(r->content_type, sizeof r->content_type, "%s", type ? type : "");
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    if (rc != CURLE_OK) {
        if (x.too_large)
            snprintf(err, errlen, "the answer is larger than %zu bytes", q->max_bytes);
        else
            snprintf(err, errlen, "%s", curl_err[0] ? curl_err : curl_easy_strerror(rc));
        sp_http_response_free(r);
        return -1;
    }
    if (r->body == NULL && (r->body = calloc(1, 1)) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

void sp_http_response_free(struct sp_http_response *r)
{
    free(r->body);
    r->body = NULL;
    r->len = 0;
}

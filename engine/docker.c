/* The Docker Engine API client: one libcurl easy handle per client (so one
 * kept-alive connection per worker thread), JSON bodies through cJSON.
 *
 * Every request is bounded by a connect timeout and an overall timeout, and
 * every answer by a size cap, so a stuck or hostile daemon costs time and
 * memory we chose, never a hang. Streams (logs, exec, attach) go straight
 * into the demultiplexer, which keeps only up to its cap.
 *
 * Over 600 lines, knowingly: it is the Engine API surface (one short
 * function per endpoint) on one private request path. The hijacked attach
 * (docker_attach.c), background jobs (docker_launch.c), the create spec
 * (docker_spec.c), the endpoint and the stream are out already; the next cut
 * is containers/exec/events into a docker_containers.c, left for a round in
 * which nobody else edits this file. */
#include "docker_client.h"
#include "sandprobe/http.h"
#include "sandprobe/clock.h"
#include "sandprobe/deadline.h"
#include "sandprobe/settings.h"
#include "sandprobe/ticker.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* JSON answers larger than this are refused (the largest real ones, /info and
 * container lists, are a few hundred kilobytes). */
#define MAX_ANSWER_BYTES ((size_t)64 * 1024 * 1024)
#define IMPORT_TIMEOUT_MS (10L * 60 * 1000)
#define AFTER_KILL_TIMEOUT_MS 30000L
#define CLEANUP_CONNECT_TIMEOUT_MS 2000L
#define CLEANUP_TIMEOUT_MS 20000L
#define PING_TIMEOUT_MS 10000L
/* How long the clean-up waits for creates still in flight (a healthy daemon
 * answers a create in well under a second; a silent one is given up on). */
#define CLEANUP_CREATES_WAIT_S 10.0
#define CLEANUP_SETTLE_S 10.0 /* for removals under way to finish */
#define PING_FALLBACK_VERSION "1.24" /* what the docker CLI assumes without a header */
#define HOST_NAME_LEN 256


/* ---- process-wide state ------------------------------------------------- */

/* Set before the first create request: only then can there be anything to
 * remove at exit, so a run that never created a container exits at once. */
static atomic_int created_any;
static pthread_mutex_t run_id_lock = PTHREAD_MUTEX_INITIALIZER;

/* Creates in flight, and whether new ones are still allowed. A signal can
 * arrive while a create is on its way (from the main thread or a pool's
 * launch thread): the daemon makes the container whatever we do, so the
 * clean-up first refuses new creates, then waits for those in flight to be
 * answered, and only then lists what to remove. */
static pthread_mutex_t creates_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t creates_done;
static pthread_once_t creates_once = PTHREAD_ONCE_INIT;
static int creates_in_flight;
static int creates_closed;

static void init_creates_cond(void)
{
    (void)sp_monotonic_cond_init(&creates_done); /* else: the static one, realtime */
}

/* 0 when the create may go ahead (and is counted), -1 once clean-up began. */
static int begin_create(void)
{
    pthread_once(&creates_once, init_creates_cond);
    pthread_mutex_lock(&creates_lock);
    int allowed = !creates_closed;
    if (allowed) {
        creates_in_flight++;
        atomic_store(&created_any, 1);
    }
    pthread_mutex_unlock(&creates_lock);
    return allowed ? 0 : -1;
}

static void end_create(void)
{
    pthread_mutex_lock(&creates_lock);
    creates_in_flight--;
    pthread_cond_broadcast(&creates_done);
    pthread_mutex_unlock(&creates_lock);
}

/* Refuses new creates and waits up to timeout_s for those in flight; the
 * number still in flight afterwards. */
static int close_creates(double timeout_s)
{
    pthread_once(&creates_once, init_creates_cond);
    struct timespec deadline = sp_monotonic_deadline(timeout_s);
    pthread_mutex_lock(&creates_lock);
    creates_closed = 1;
    while (creates_in_flight > 0 &&
           pthread_cond_timedwait(&creates_done, &creates_lock, &deadline) != ETIMEDOUT) {
    }
    int left = creates_in_flight;
    pthread_mutex_unlock(&creates_lock);
    return left;
}

/* One request that the daemon took but never answered marks it unreachable
 * for the rest of the process: every later request fails at once with the
 * same reason instead of waiting out a time-out of its own (a run of many
 * scenarios, a pool of several launches, the clean-up at exit). */
static pthread_mutex_t unreachable_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int unreachable;
static char unreachable_reason[sizeof ((sp_docker *)0)->error];

static void mark_unreachable(const char *reason)
{
    pthread_mutex_lock(&unreachable_lock);
    if (!atomic_load(&unreachable)) {
        snprintf(unreachable_reason, sizeof unreachable_reason, "%s", reason);
        atomic_store(&unreachable, 1);
    }
    pthread_mutex_unlock(&unreachable_lock);
}

int sp_docker_unreachable(char *reason, size_t len)
{
    if (!atomic_load(&unreachable))
        return 0;
    pthread_mutex_lock(&unreachable_lock);
    if (reason != NULL && len > 0)
        snprintf(reason, len, "%s", unreachable_reason);
    pthread_mutex_unlock(&unreachable_lock);
    return 1;
}

static int run_containers_listed(sp_docker *c);

void sp_docker_remove_run_at_exit(void *unused)
{
    (void)unused;
    int still_creating = close_creates(CLEANUP_CREATES_WAIT_S);
    if (!atomic_load(&created_any))
        return;
    if (still_creating > 0)
        fprintf(stderr, "sandprobe: %d container create%s still unanswered after %.0f s; "
                        "the next run's sweep removes what they made\n",
                still_creating, still_creating == 1 ? "" : "s", CLEANUP_CREATES_WAIT_S);
    char err[256];
    sp_docker *c = sp_docker_new(err, sizeof err);
    if (c == NULL)
        return;
    sp_docker_set_timeouts(c, CLEANUP_CONNECT_TIMEOUT_MS, CLEANUP_TIMEOUT_MS);
    /* A removal already under way (a pool retiring a container, the daemon's
     * AutoRemove) answers 409 at once but takes a moment: the process stays
     * until the daemon lists none of the run's containers any more. */
    double give_up = sp_clock_monotonic() + CLEANUP_SETTLE_S;
    for (;;) {
        if (sp_docker_remove_run(c) < 0) {
            fprintf(stderr, "sandprobe: could not remove this run's containers: %s\n",
                    sp_docker_error(c));
            break;
        }
        int left = run_containers_listed(c);
        if (left == 0)
            break;
        if (left < 0 || sp_clock_monotonic() >= give_up) {
            fprintf(stderr, "sandprobe: this run's containers may not all be gone: %s\n",
                    left < 0 ? sp_docker_error(c) : "still listed after the clean-up");
            break;
        }
        struct timespec pause = {0, 100 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    sp_docker_free(c);
}

const char *sp_docker_run_id(void)
{
    pthread_mutex_lock(&run_id_lock);
    if (sp_settings_get("run.id") == NULL) {
        unsigned int random = 0;
        if (getrandom(&random, sizeof random, 0) != (ssize_t)sizeof random)
            random = (unsigned int)time(NULL) ^ (unsigned int)clock();
        char id[64];
        snprintf(id, sizeof id, "%ld-%08x", (long)getpid(), random);
        sp_settings_set("run.id", id);
    }
    pthread_mutex_unlock(&run_id_lock);
    return sp_settings_get_or("run.id", "unknown");
}

/* ---- errors ------------------------------------------------------------- */

const char *sp_docker_error(const sp_docker *c)
{
    return c->error;
}

long sp_docker_status(const sp_docker *c)
{
    return c->status;
}

const struct sp_docker_endpoint *sp_docker_endpoint(const sp_docker *c)
{
    return &c->ep;
}

/* ---- client lifecycle --------------------------------------------------- */

/* A timeout setting in seconds ("2.5"), as milliseconds. */
static long setting_ms(const char *key, long fallback)
{
    const char *text = sp_settings_get(key);
    char *end;
    double seconds = text ? strtod(text, &end) : 0;
    if (text == NULL || end == text || *end != '\0' || seconds <= 0 || seconds > 86400)
        return fallback;
    return (long)(seconds * 1000);
}

/* The certificate files a TLS endpoint needs, as the docker CLI does: the CA
 * to verify the daemon with (DOCKER_TLS_VERIFY), and a client certificate
 * and key that come as a pair. Says which one is missing rather than leave it
 * to a TLS library's message. */
static int tls_files_missing(const struct sp_docker_endpoint *ep, char *err, size_t errlen)
{
    struct stat st;
    if (!ep->tls)
        return 0;
    if (ep->tls_verify && stat(ep->ca_file, &st) != 0) {
        snprintf(err, errlen, "TLS: CA certificate file %s not found (DOCKER_TLS_VERIFY is set; DOCKER_CERT_PATH names its folder)",
                 ep->ca_file);
        return 1;
    }
    int has_cert = stat(ep->cert_file, &st) == 0, has_key = stat(ep->key_file, &st) == 0;
    if (has_cert != has_key) {
        snprintf(err, errlen, "TLS: client %s file %s not found (the certificate and key come as a pair)",
                 has_cert ? "key" : "certificate", has_cert ? ep->key_file : ep->cert_file);
        return 1;
    }
    return 0;
}

sp_docker *sp_docker_new_for(const struct sp_docker_endpoint *ep, char *err, size_t errlen)
{
    if (sp_http_global_init() != 0) {
        snprintf(err, errlen, "cannot initialise libcurl");
        return NULL;
    }
    sp_docker *c = calloc(1, sizeof *c);
    if (c == NULL || (c->curl = curl_easy_init()) == NULL) {
        free(c);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->ep = *ep;
    if (tls_files_missing(ep, err, errlen)) {
        sp_docker_free(c);
        return NULL;
    }
    c->connect_ms = setting_ms("docker.connect_timeout", SP_DOCKER_CONNECT_TIMEOUT_MS);
    c->total_ms = setting_ms("docker.timeout", SP_DOCKER_TIMEOUT_MS);
    if (ep->transport == SP_DOCKER_UNIX)
        snprintf(c->base_url, sizeof c->base_url, "http://docker");
    else
        snprintf(c->base_url, sizeof c->base_url, "%s://%s%s%s:%d", ep->tls ? "https" : "http",
                 strchr(ep->host, ':') ? "[" : "", ep->host, strchr(ep->host, ':') ? "]" : "",
                 ep->port);
    return c;
}

sp_docker *sp_docker_new(char *err, size_t errlen)
{
    struct sp_docker_endpoint ep;
    if (sp_docker_endpoint_from_environment(&ep, err, errlen) != 0)
        return NULL;
    return sp_docker_new_for(&ep, err, errlen);
}

void sp_docker_free(sp_docker *c)
{
    if (c == NULL)
        return;
    curl_easy_cleanup(c->curl);
    free(c);
}

void sp_docker_set_timeouts(sp_docker *c, long connect_ms, long total_ms)
{
    if (connect_ms > 0)
        c->connect_ms = connect_ms;
    if (total_ms > 0)
        c->total_ms = total_ms;
}

/* ---- one HTTP exchange -------------------------------------------------- */

struct request {
    const char *method;
    const char *path;  /* with the version prefix and query */
    const char *body;  /* JSON text, or NULL */
    int upload_fd;     /* >= 0: stream this file as the body (a tar) */
    long timeout_ms;   /* 0: the client's overall timeout */
    struct sp_docker_demux *demux; /* a successful answer is streamed here */
    int cleanup;       /* kill, remove: not cut short by the thread's deadline */
};

struct response {
    CURL *curl;
    long status;
    char *data; /* the answer, or the error body of a streamed request */
    size_t len;
    int too_large;
    int demux_failed;
    struct sp_docker_demux *demux;
    char api_version[16];
};

static long status_so_far(struct response *r)
{
    if (r->status == 0)
        curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &r->status);
    return r->status;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    struct response *r = arg;
    size_t len = size * n;
    if (r->demux != NULL && status_so_far(r) < 300) {
        if (sp_docker_demux_feed(r->demux, data, len) != 0) {
            r->demux_failed = 1;
            return 0; /* aborts the transfer */
        }
        return len;
    }
    int rc = sp_http_append(&r->data, &r->len, data, len, MAX_ANSWER_BYTES);
    r->too_large = rc == SP_HTTP_TOO_LARGE;
    return rc == 0 ? len : 0;
}

static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
    struct response *r = arg;
    size_t len = size * n;
    static const char name[] = "api-version:";
    if (len > sizeof name && strncasecmp(line, name, sizeof name - 1) == 0) {
        const char *v = line + sizeof name - 1;
        while (*v == ' ')
            v++;
        size_t vlen = strcspn(v, "\r\n");
        if (vlen < sizeof r->api_version) {
            memcpy(r->api_version, v, vlen);
            r->api_version[vlen] = '\0';
        }
    }
    return len;
}

static size_t on_upload(char *buf, size_t size, size_t n, void *arg)
{
    int fd = *(int *)arg;
    for (;;) {
        ssize_t got = read(fd, buf, size * n);
        if (got >= 0)
            return (size_t)got;
        if (errno != EINTR)
            return CURL_READFUNC_ABORT;
    }
}

/* Where and how to connect: shared by ordinary requests and attach. */
void sp_docker_set_endpoint_options(sp_docker *c, CURL *h)
{
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for timeouts */
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_ms);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->curl_error);
    if (c->ep.transport == SP_DOCKER_UNIX)
        curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, c->ep.socket_path);
    if (c->ep.tls) {
        struct stat st;
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, c->ep.tls_verify ? 1L : 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, c->ep.tls_verify ? 2L : 0L);
        if (stat(c->ep.ca_file, &st) == 0)
            curl_easy_setopt(h, CURLOPT_CAINFO, c->ep.ca_file);
        if (stat(c->ep.cert_file, &st) == 0 && stat(c->ep.key_file, &st) == 0) {
            curl_easy_setopt(h, CURLOPT_SSLCERT, c->ep.cert_file);
            curl_easy_setopt(h, CURLOPT_SSLKEY, c->ep.key_file);
        }
    }
}

static int connection_failed(CURLcode rc)
{
    return rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
           rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_PEER_FAILED_VERIFICATION ||
           rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CERTPROBLEM;
}

/* What an OpenSSL message means for a Docker endpoint, when it is cryptic. */
static const char *tls_hint(const sp_docker *c, const char *detail)
{
    if (!c->ep.tls)
        return "";
    if (strstr(detail, "wrong version number") != NULL || strstr(detail, "packet length too long") != NULL)
        return " (the port does not speak TLS: a plain-HTTP endpoint? drop DOCKER_TLS_VERIFY or use the TLS port)";
    if (strstr(detail, "alert bad certificate") != NULL || strstr(detail, "certificate required") != NULL)
        return " (the daemon refused the client certificate: check cert.pem/key.pem in DOCKER_CERT_PATH)";
    return "";
}

/* One line saying why the daemon could not be used. For a unix socket the
 * system's own words (No such file or directory, Connection refused,
 * Permission denied) say more than libcurl's. */
int sp_docker_transport_error(sp_docker *c, CURL *h, CURLcode rc, const char *what)
{
    long os_errno = 0, request_bytes = 0;
    curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
    /* Bytes of request sent: 0 when the time ran out still connecting (a
     * reused connection has no connect time, so that cannot tell). */
    curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_bytes);
    const char *detail = c->curl_error[0] ? c->curl_error : curl_easy_strerror(rc);
    if (c->ep.transport == SP_DOCKER_UNIX && os_errno != 0 && rc == CURLE_COULDNT_CONNECT)
        detail = strerror((int)os_errno);
    if (connection_failed(rc) || (rc == CURLE_OPERATION_TIMEDOUT && request_bytes == 0))
        return set_error(c, 0, "cannot reach the Docker daemon at %s: %s%s", c->ep.url, detail,
                         tls_hint(c, detail));
    if (rc == CURLE_OPERATION_TIMEDOUT) {
        c->timed_out = 1;
        return set_error(c, 0, "the Docker daemon at %s did not finish %s in time: %s",
                         c->ep.url, what, detail);
    }
    return set_error(c, 0, "lost the connection to the Docker daemon at %s during %s: %s",
                     c->ep.url, what, detail);
}

/* The daemon's own words for a failed request: its JSON {"message": ...}. */
int sp_docker_http_error(sp_docker *c, long status, const char *data, size_t len)
{
    cJSON *body = data ? cJSON_ParseWithLength(data, len) : NULL;
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(body, "message");
    if (cJSON_IsString(message))
        set_error(c, status, "%s", message->valuestring);
    else if (len > 0)
        set_error(c, status, "%.*s", (int)strcspn(data, "\r\n"), data);
    else
        set_error(c, status, "the Docker daemon answered HTTP %ld", status);
    cJSON_Delete(body);
    return -1;
}

static void response_free(struct response *r)
{
    free(r->data);
    r->data = NULL;
}

static struct curl_slist *request_headers(const struct request *q)
{
    /* No "Expect: 100-continue" round trip before a body. */
    struct curl_slist *h = curl_slist_append(NULL, "Expect:");
    if (h != NULL && q->body != NULL)
        h = curl_slist_append(h, "Content-Type: application/json");
    if (h != NULL && q->upload_fd >= 0)
        h = curl_slist_append(h, "Content-Type: application/x-tar");
    return h;
}

static void set_request_options(sp_docker *c, const struct request *q, struct response *r,
                                struct curl_slist *headers, char *url, long timeout_ms)
{
    CURL *h = c->curl;
    curl_easy_reset(h); /* keeps the connection; forgets the last request's options */
    sp_docker_set_endpoint_options(c, h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
    if (q->upload_fd >= 0) {
        curl_easy_setopt(h, CURLOPT_POST, 1L); /* no size given: sent chunked */
        curl_easy_setopt(h, CURLOPT_READFUNCTION, on_upload);
        curl_easy_setopt(h, CURLOPT_READDATA, &q->upload_fd);
    } else if (strcmp(q->method, "POST") == 0) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, q->body ? q->body : "");
    } else if (strcmp(q->method, "GET") != 0) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, q->method);
    }
}

/* ---- metrics ------------------------------------------------------------ */

/* Second segments that name an operation on a whole collection, not an object. */
static const char *const COLLECTION_VERBS[] = {"create", "json", "prune", "load", "search", NULL};
/* Last segments of an image path: what precedes them is the image name, which
 * may itself hold slashes (sandprobe/python:3.11). */
static const char *const IMAGE_VERBS[] = {"json", "history", "push", "tag", "get", NULL};

static int in_list(const char *word, size_t len, const char *const *list)
{
    for (; *list != NULL; list++)
        if (strlen(*list) == len && strncmp(*list, word, len) == 0)
            return 1;
    return 0;
}

/* A fixed word of the API (start, json, _ping), as opposed to an id or name. */
static int api_word(const char *word, size_t len)
{
    if (len == 0 || len > 16)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!((word[i] >= 'a' && word[i] <= 'z') || word[i] == '_'))
            return 0;
    return 1;
}

static size_t append(char *out, size_t at, size_t size, const char *text, size_t len)
{
    if (at + len + 1 < size) {
        memcpy(out + at, text, len);
        at += len;
        out[at] = '\0';
    }
    return at;
}

#define TEMPLATE_MAX_SEGMENTS 4

/* The segments of a request path after its /vX.Y prefix, up to the query;
 * *end gets where the query (or the path) ends. */
static size_t split_path(const char *path, const char **seg, size_t *len, const char **end)
{
    int major, minor, skip = 0;
    if (sscanf(path, "/v%d.%d%n", &major, &minor, &skip) != 2 || (path[skip] != '/' && path[skip]))
        skip = 0;
    const char *p = path + skip;
    *end = p + strcspn(p, "?");
    size_t n = 0;
    while (p < *end && n < TEMPLATE_MAX_SEGMENTS) {
        p += strspn(p, "/");
        size_t l = strcspn(p, "/?");
        if (l == 0)
            break;
        seg[n] = p;
        len[n++] = l;
        p += l;
    }
    return n;
}

/* "{name}[/VERB]" for an image path from its name on: the name may hold
 * slashes, so the verb is the last segment, when it is one. */
static size_t append_image_object(char *out, size_t at, size_t size, const char *name,
                                  const char *end)
{
    at = append(out, at, size, "{name}", 6);
    const char *last = end;
    while (last > name && last[-1] != '/')
        last--;
    if (last > name && in_list(last, (size_t)(end - last), IMAGE_VERBS)) {
        at = append(out, at, size, "/", 1);
        at = append(out, at, size, last, (size_t)(end - last));
    }
    return at;
}

void sp_docker_endpoint_template(const char *path, char *out, size_t size)
{
    const char *seg[TEMPLATE_MAX_SEGMENTS], *end;
    size_t len[TEMPLATE_MAX_SEGMENTS];
    size_t n = split_path(path, seg, len, &end), at = 0;
    int image = n > 0 && len[0] == 6 && strncmp(seg[0], "images", 6) == 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        at = append(out, at, size, "/", 1);
        int fixed = i == 0 || (i == 1 && in_list(seg[1], len[1], COLLECTION_VERBS));
        if (fixed) {
            at = api_word(seg[i], len[i]) ? append(out, at, size, seg[i], len[i])
                                           : append(out, at, size, "{other}", 7);
        } else if (image) {
            at = append_image_object(out, at, size, seg[i], end);
            break;
        } else if (i > 1 && api_word(seg[i], len[i])) {
            at = append(out, at, size, seg[i], len[i]); /* a verb: start, json, wait */
        } else {
            at = append(out, at, size, "{id}", 4);
        }
    }
    if (at == 0)
        append(out, at, size, "/", 1);
}

/* Who is told what the client does (metrics, in the composition root). Set
 * once at start-up, before any client exists, so it is read without a lock. */
static struct sp_docker_observer observer;

void sp_docker_set_observer(const struct sp_docker_observer *o)
{
    if (o != NULL)
        observer = *o;
    else
        memset(&observer, 0, sizeof observer);
}

void sp_docker_observe_request(const char *endpoint, const char *method)
{
    if (observer.request != NULL)
        observer.request(observer.ctx, endpoint, method);
}

/* After an exchange: what the observer is told. Streamed answers last as
 * long as the program does: no duration for them. */
static void observe_exchange(const char *endpoint, const struct request *q, CURLcode rc,
                             long status, double seconds)
{
    if (observer.exchange == NULL)
        return;
    struct sp_docker_exchange x = {.endpoint = endpoint,
                                   .method = q->method,
                                   .status = status,
                                   .transport_ok = rc == CURLE_OK,
                                   .streamed = q->demux != NULL,
                                   .seconds = seconds};
    observer.exchange(observer.ctx, &x);
}

/* Sends q. 0 when the daemon answered with a status below 400 (the answer is
 * in r), -1 with the error set otherwise. */
static int perform(sp_docker *c, const struct request *q, struct response *r)
{
    memset(r, 0, sizeof *r);
    r->curl = c->curl;
    r->demux = q->demux;
    c->curl_error[0] = '\0';
    c->timed_out = 0;
    if (sp_docker_unreachable(c->error, sizeof c->error)) {
        c->status = 0;
        return -1;
    }
    /* A scenario's deadline bounds its requests, but not the clean-up of
     * what it leaves when the deadline stops it. */
    long timeout_ms = q->timeout_ms > 0 ? q->timeout_ms : c->total_ms;
    int by_deadline = 0;
    if (!q->cleanup && (timeout_ms = sp_deadline_cap_ms(timeout_ms, &by_deadline)) == 0) {
        c->timed_out = 1;
        return set_error(c, 0, "the scenario's deadline passed before %s %s", q->method, q->path);
    }
    char url[PATH_MAX_LEN + 600];
    snprintf(url, sizeof url, "%s%s", c->base_url, q->path);
    struct curl_slist *headers = request_headers(q);
    if (headers == NULL)
        return set_error(c, 0, "out of memory");
    set_request_options(c, q, r, headers, url, timeout_ms);
    char endpoint[128];
    sp_docker_endpoint_template(q->path, endpoint, sizeof endpoint);
    sp_docker_observe_request(endpoint, q->method);
    double started = sp_clock_monotonic();
    CURLcode rc = curl_easy_perform(c->curl);
    curl_slist_free_all(headers);
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &r->status);
    observe_exchange(endpoint, q, rc, r->status, sp_clock_monotonic() - started);
    if (r->too_large)
        return set_error(c, r->status, "the Docker daemon's answer to %s %s is larger than %zu bytes",
                         q->method, q->path, MAX_ANSWER_BYTES);
    if (r->demux_failed)
        return set_error(c, r->status, "malformed output stream from the Docker daemon (%s)",
                         q->path);
    if (rc == CURLE_OPERATION_TIMEDOUT && by_deadline) {
        c->timed_out = 1;
        return set_error(c, r->status, "stopped at the scenario's deadline during %s %s",
                         q->method, q->path);
    }
    /* Unanswered for the client's own time-out (or a ping's): the daemon is
     * gone. A shorter limit the caller chose proves less. */
    int own_timeout = q->timeout_ms <= 0 || strcmp(q->path, "/_ping") == 0;
    if (rc == CURLE_OPERATION_TIMEDOUT && r->status == 0 && own_timeout) {
        long waited_ms = (long)((sp_clock_monotonic() - started) * 1000);
        set_error(c, 0, "cannot reach the Docker daemon at %s: no answer after %ld ms",
                  c->ep.url, waited_ms);
        mark_unreachable(c->error);
        return -1;
    }
    if (rc != CURLE_OK)
        return sp_docker_transport_error(c, c->curl, rc, q->path);
    if (r->status >= 400)
        return sp_docker_http_error(c, r->status, r->data, r->len);
    return 0;
}

/* ---- API version and paths ---------------------------------------------- */

static int version_number(const char *v)
{
    int major = 0, minor = 0;
    if (sscanf(v, "%d.%d", &major, &minor) != 2)
        return 0;
    return major * 1000 + minor;
}

/* Docker puts an Api-Version header on every answer; an old daemon without
 * it still answers /_ping with "OK". Anything else is some other server. */
static int docker_answered(const struct response *r)
{
    return r->api_version[0] != '\0' || (r->len == 2 && memcmp(r->data, "OK", 2) == 0);
}

int sp_docker_ping(sp_docker *c)
{
    /* A daemon that takes a connection but never answers is as good as dead:
     * say so after seconds, not after the overall timeout, and only once:
     * perform() marks it unreachable for the process, so asked again (the
     * sweep, then the run) the same answer comes at once, and the time
     * stated is the time waited. */
    struct request q = {.method = "GET", .path = "/_ping", .upload_fd = -1,
                        .timeout_ms = c->total_ms < PING_TIMEOUT_MS ? c->total_ms : PING_TIMEOUT_MS};
    struct response r;
    int rc = perform(c, &q, &r);
    if ((rc == 0 || c->status > 0) && !docker_answered(&r)) {
        rc = set_error(c, r.status, "%s is not a Docker API: it answered /_ping with HTTP %ld and no Api-Version header",
                       c->ep.url, r.status);
    } else if (rc == 0) {
        const char *daemon = r.api_version[0] ? r.api_version : PING_FALLBACK_VERSION;
        const char *use = version_number(daemon) < version_number(SP_DOCKER_API_MAX)
                              ? daemon
                              : SP_DOCKER_API_MAX;
        snprintf(c->api_version, sizeof c->api_version, "%s", use);
    } else if (c->status == 0 && c->curl_error[0] != '\0' &&
               strncmp(c->error, "cannot reach", 12) != 0) {
        /* A connection dropped before any answer (a daemon dying as we ask):
         * for a ping that is the daemon being unreachable too. */
        set_error(c, 0, "cannot reach the Docker daemon at %s: %s", c->ep.url, c->curl_error);
    }
    response_free(&r);
    return rc;
}

const char *sp_docker_api_version(sp_docker *c)
{
    if (c->api_version[0] == '\0' && sp_docker_ping(c) != 0)
        return NULL;
    return c->api_version;
}

/* Formats "/vX.Y" + the path; negotiates the version on first use. */
int sp_docker_versioned(sp_docker *c, char *buf, size_t len, const char *fmt, ...)
{
    if (sp_docker_api_version(c) == NULL)
        return -1;
    int n = snprintf(buf, len, "/v%s", c->api_version);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(buf + n, len - (size_t)n, fmt, ap);
    va_end(ap);
    if (m < 0 || (size_t)(n + m) >= len)
        return set_error(c, 0, "request path too long");
    return 0;
}

/* Names and ids go into URL paths: allow only what Docker itself allows, so
 * no caller can smuggle "../" or a query into a request. */
int sp_docker_check_ref(sp_docker *c, const char *ref, int allow_slash, const char *what)
{
    size_t n = ref ? strlen(ref) : 0;
    int ok = n > 0 && n < 256 && strstr(ref, "..") == NULL;
    for (size_t i = 0; ok && i < n; i++) {
        char ch = ref[i];
        ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
             ch == '_' || ch == '.' || ch == '-' || ch == ':' || ch == '@' ||
             (allow_slash && ch == '/');
    }
    return ok ? 0 : set_error(c, 0, "invalid %s '%s'", what, ref ? ref : "");
}

/* Decodes a JSON answer; an empty one is NULL. */
static int decode(sp_docker *c, const struct response *r, cJSON **out)
{
    *out = NULL;
    if (r->len == 0)
        return 0;
    *out = cJSON_ParseWithLength(r->data, r->len);
    if (*out == NULL)
        return set_error(c, r->status, "the Docker daemon sent invalid JSON");
    return 0;
}

/* A request without a streamed answer: body in, decoded JSON out (out may be
 * NULL when the answer does not matter). */
static int exchange_as(sp_docker *c, const char *method, const char *path, const cJSON *body,
                       long timeout_ms, int cleanup, cJSON **out)
{
    char *text = NULL;
    if (body != NULL && (text = cJSON_PrintUnformatted(body)) == NULL)
        return set_error(c, 0, "out of memory");
    struct request q = {.method = method, .path = path, .body = text, .upload_fd = -1,
                        .timeout_ms = timeout_ms, .cleanup = cleanup};
    struct response r;
    int rc = perform(c, &q, &r);
    free(text);
    if (out != NULL)
        *out = NULL;
    if (rc == 0 && out != NULL)
        rc = decode(c, &r, out);
    response_free(&r);
    return rc;
}

static int exchange(sp_docker *c, const char *method, const char *path, const cJSON *body,
                    long timeout_ms, cJSON **out)
{
    return exchange_as(c, method, path, body, timeout_ms, 0, out);
}

int sp_docker_call(sp_docker *c, const char *method, const char *path, const cJSON *body,
                   cJSON **out)
{
    char full[PATH_MAX_LEN];
    if (path[0] != '/' || strstr(path, "..") != NULL)
        return set_error(c, 0, "invalid API path '%s'", path);
    if (sp_docker_versioned(c, full, sizeof full, "%s", path) != 0)
        return -1;
    return exchange(c, method, full, body, 0, out);
}

int sp_docker_version(sp_docker *c, cJSON **out)
{
    return sp_docker_call(c, "GET", "/version", NULL, out);
}

int sp_docker_info(sp_docker *c, cJSON **out)
{
    return sp_docker_call(c, "GET", "/info", NULL, out);
}

/* GET /<collection>/<ref><suffix> ("/containers/ID/json"), its JSON answer in
 * *out; ref is checked first (what: "container id", for the message). */
static int get_object(sp_docker *c, const char *collection, const char *ref, int allow_slash,
                      const char *what, const char *suffix, cJSON **out)
{
    char path[PATH_MAX_LEN];
    if (sp_docker_check_ref(c, ref, allow_slash, what) != 0 ||
        sp_docker_versioned(c, path, sizeof path, "/%s/%s%s", collection, ref, suffix) != 0)
        return -1;
    return exchange(c, "GET", path, NULL, 0, out);
}

int sp_docker_image_inspect(sp_docker *c, const char *name, cJSON **out)
{
    return get_object(c, "images", name, 1, "image name", "/json", out);
}

/* ---- images ------------------------------------------------------------- */

/* The import answer is a stream of JSON objects; a failure part-way is an
 * object with "error" in it, under HTTP 200. The last status is the id. */
static int read_progress(sp_docker *c, const struct response *r, char *image_id, size_t idlen)
{
    const char *p = r->data ? r->data : "", *end = p + r->len;
    image_id[0] = '\0';
    while (p < end) {
        const char *next = NULL;
        cJSON *item = cJSON_ParseWithLengthOpts(p, (size_t)(end - p), &next, 0);
        if (item == NULL)
            break; /* trailing whitespace */
        const cJSON *error = cJSON_GetObjectItemCaseSensitive(item, "error");
        const cJSON *status = cJSON_GetObjectItemCaseSensitive(item, "status");
        if (cJSON_IsString(error)) {
            set_error(c, r->status, "image import failed: %s", error->valuestring);
            cJSON_Delete(item);
            return -1;
        }
        if (cJSON_IsString(status))
            snprintf(image_id, idlen, "%s", status->valuestring);
        cJSON_Delete(item);
        p = next;
    }
    if (strncmp(image_id, "sha256:", 7) != 0)
        return set_error(c, r->status, "image import gave no image id");
    return 0;
}

int sp_docker_image_import(sp_docker *c, int fd, const char *repo_tag, char *image_id,
                           size_t idlen)
{
    char path[PATH_MAX_LEN];
    if (sp_docker_check_ref(c, repo_tag, 1, "image name") != 0 ||
        sp_docker_versioned(c, path, sizeof path, "/images/create?fromSrc=-&repo=%s", repo_tag) != 0)
        return -1;
    struct request q = {.method = "POST", .path = path, .upload_fd = fd,
                        .timeout_ms = IMPORT_TIMEOUT_MS};
    struct response r;
    int rc = perform(c, &q, &r);
    if (rc == 0)
        rc = read_progress(c, &r, image_id, idlen);
    response_free(&r);
    return rc;
}

/* ---- containers --------------------------------------------------------- */

static void hostname_of_this_machine(char *buf, size_t len)
{
    if (gethostname(buf, len) != 0)
        snprintf(buf, len, "unknown");
    buf[len - 1] = '\0';
}

/* The labels that tie a container to this run, this process and this host. */
static int add_sandprobe_labels(cJSON *config)
{
    cJSON *labels = cJSON_GetObjectItemCaseSensitive(config, "Labels");
    if (!cJSON_IsObject(labels)) {
        cJSON_DeleteItemFromObjectCaseSensitive(config, "Labels");
        labels = cJSON_AddObjectToObject(config, "Labels");
    }
    char pid[32], host[HOST_NAME_LEN];
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    hostname_of_this_machine(host, sizeof host);
    const char *pairs[][2] = {{"sandprobe.managed", "true"},
                              {"sandprobe.run", sp_docker_run_id()},
                              {"sandprobe.pid", pid},
                              {"sandprobe.host", host}};
    for (size_t i = 0; labels != NULL && i < sizeof pairs / sizeof pairs[0]; i++) {
        cJSON_DeleteItemFromObjectCaseSensitive(labels, pairs[i][0]);
        if (cJSON_AddStringToObject(labels, pairs[i][0], pairs[i][1]) == NULL)
            return -1;
    }
    return labels != NULL ? 0 : -1;
}

static int copy_id(sp_docker *c, const cJSON *answer, char *id, size_t idlen)
{
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(answer, "Id");
    if (!cJSON_IsString(value) || strlen(value->valuestring) >= idlen)
        return set_error(c, 0, "the Docker daemon's answer has no Id");
    snprintf(id, idlen, "%s", value->valuestring);
    return 0;
}

/* POSTs body (which it frees) to path and copies the Id of what was made. */
static int post_for_id(sp_docker *c, const char *path, cJSON *body, char *id, size_t idlen)
{
    cJSON *answer = NULL;
    int rc = exchange(c, "POST", path, body, 0, &answer);
    cJSON_Delete(body);
    if (rc == 0)
        rc = copy_id(c, answer, id, idlen);
    cJSON_Delete(answer);
    return rc;
}

int sp_docker_container_create(sp_docker *c, const cJSON *config, const char *name, char *id,
                               size_t idlen)
{
    char path[PATH_MAX_LEN];
    if (!cJSON_IsObject(config))
        return set_error(c, 0, "container config must be a JSON object");
    if (name != NULL && sp_docker_check_ref(c, name, 0, "container name") != 0)
        return -1;
    if (sp_docker_versioned(c, path, sizeof path, "/containers/create%s%s", name ? "?name=" : "",
                  name ? name : "") != 0)
        return -1;
    cJSON *body = cJSON_Duplicate(config, 1);
    if (body == NULL || add_sandprobe_labels(body) != 0) {
        cJSON_Delete(body);
        return set_error(c, 0, "out of memory");
    }
    if (begin_create() != 0) {
        cJSON_Delete(body);
        return set_error(c, 0, "not creating a container: this run is being cleaned up");
    }
    int rc = post_for_id(c, path, body, id, idlen);
    end_create();
    if (rc == 0 && observer.container_created != NULL)
        observer.container_created(observer.ctx, id);
    return rc;
}

/* POST /containers/ID/VERB?QUERY with no body and no answer of interest. */
static int container_post(sp_docker *c, const char *id, const char *verb, const char *query)
{
    char path[PATH_MAX_LEN];
    if (sp_docker_check_ref(c, id, 0, "container id") != 0 ||
        sp_docker_versioned(c, path, sizeof path, "/containers/%s/%s%s", id, verb, query) != 0)
        return -1;
    return exchange(c, "POST", path, NULL, 0, NULL);
}

int sp_docker_container_start(sp_docker *c, const char *id)
{
    return container_post(c, id, "start", ""); /* 304, already running, is below 400 */
}

int sp_docker_container_kill(sp_docker *c, const char *id, const char *signal)
{
    char query[64];
    if (signal != NULL && sp_docker_check_ref(c, signal, 0, "signal") != 0)
        return -1;
    snprintf(query, sizeof query, "?signal=%s", signal ? signal : "SIGKILL");
    char path[PATH_MAX_LEN];
    if (sp_docker_check_ref(c, id, 0, "container id") != 0 ||
        sp_docker_versioned(c, path, sizeof path, "/containers/%s/kill%s", id, query) != 0)
        return -1;
    return exchange_as(c, "POST", path, NULL, 0, 1, NULL);
}

static int wait_once(sp_docker *c, const char *path, long timeout_ms, int *status_code)
{
    cJSON *answer = NULL;
    if (exchange(c, "POST", path, NULL, timeout_ms, &answer) != 0)
        return -1;
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(answer, "StatusCode");
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(answer, "Error");
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(error, "Message");
    int rc = 0;
    if (cJSON_IsString(message) && message->valuestring[0] != '\0')
        rc = set_error(c, 0, "waiting for the container failed: %s", message->valuestring);
    else if (!cJSON_IsNumber(code))
        rc = set_error(c, 0, "the Docker daemon's wait answer has no StatusCode");
    else
        *status_code = code->valueint;
    cJSON_Delete(answer);
    return rc;
}

int sp_docker_container_wait(sp_docker *c, const char *id, long timeout_ms,
                             struct sp_docker_wait_result *out)
{
    char path[PATH_MAX_LEN];
    memset(out, 0, sizeof *out);
    if (sp_docker_check_ref(c, id, 0, "container id") != 0 ||
        sp_docker_versioned(c, path, sizeof path, "/containers/%s/wait", id) != 0)
        return -1;
    if (wait_once(c, path, timeout_ms, &out->status_code) == 0)
        return 0;
    if (!c->timed_out)
        return -1;
    out->timed_out = 1;
    /* A kill that finds the container already stopped (409) is no failure. */
    if (sp_docker_container_kill(c, id, "SIGKILL") != 0 && c->status != 409)
        return -1;
    return wait_once(c, path, AFTER_KILL_TIMEOUT_MS, &out->status_code);
}

/* A GET whose answer is a multiplexed stream, into d. */
static int stream_into(sp_docker *c, const char *method, const char *path, const cJSON *body,
                       long timeout_ms, struct sp_docker_demux *d)
{
    char *text = NULL;
    if (body != NULL && (text = cJSON_PrintUnformatted(body)) == NULL)
        return set_error(c, 0, "out of memory");
    struct request q = {.method = method, .path = path, .body = text, .upload_fd = -1,
                        .timeout_ms = timeout_ms, .demux = d};
    struct response r;
    int rc = perform(c, &q, &r);
    free(text);
    response_free(&r);
    if (rc == 0 && d->system_error_len > 0)
        rc = set_error(c, 0, "the Docker daemon reported: %s", d->system_error);
    return rc;
}

int sp_docker_container_logs(sp_docker *c, const char *id, long timeout_ms,
                             struct sp_docker_demux *d)
{
    char path[PATH_MAX_LEN];
    if (sp_docker_check_ref(c, id, 0, "container id") != 0 ||
        sp_docker_versioned(c, path, sizeof path, "/containers/%s/logs?stdout=1&stderr=1", id) != 0)
        return -1;
    return stream_into(c, "GET", path, NULL, timeout_ms, d);
}

int sp_docker_container_inspect(sp_docker *c, const char *id, cJSON **out)
{
    return get_object(c, "containers", id, 0, "container id", "/json", out);
}

int sp_docker_container_stats(sp_docker *c, const char *id, cJSON **out)
{
    return get_object(c, "containers", id, 0, "container id", "/stats?stream=false", out);
}

int sp_docker_container_remove(sp_docker *c, const char *id)
{
    char path[PATH_MAX_LEN];
    if (sp_docker_check_ref(c, id, 0, "container id") != 0 ||
        sp_docker_versioned(c, path, sizeof path, "/containers/%s?force=1&v=1", id) != 0)
        return -1;
    /* Gone already, or being removed by someone else (our clean-up hook, the
     * daemon's AutoRemove): either way it will not be left behind. */
    if (exchange_as(c, "DELETE", path, NULL, 0, 1, NULL) == 0 || c->status == 404 ||
        (c->status == 409 && strstr(c->error, "in progress") != NULL)) {
        if (observer.container_removed != NULL)
            observer.container_removed(observer.ctx, id);
        return 0;
    }
    return -1;
}

/* ?filters= for label filters, URL-encoded. */
static int label_filter_query(sp_docker *c, const char *const *labels, char *buf, size_t len)
{
    buf[0] = '\0';
    if (labels == NULL || labels[0] == NULL)
        return 0;
    cJSON *filters = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(filters, "label");
    for (size_t i = 0; list != NULL && labels[i] != NULL; i++)
        cJSON_AddItemToArray(list, cJSON_CreateString(labels[i]));
    char *text = cJSON_PrintUnformatted(filters);
    cJSON_Delete(filters);
    char *escaped = text ? curl_easy_escape(c->curl, text, 0) : NULL;
    free(text);
    if (escaped == NULL)
        return set_error(c, 0, "out of memory");
    int n = snprintf(buf, len, "filters=%s", escaped);
    curl_free(escaped);
    return n < 0 || (size_t)n >= len ? set_error(c, 0, "label filter too long") : 0;
}

int sp_docker_container_list(sp_docker *c, const char *const *labels, int all, cJSON **out)
{
    char query[PATH_MAX_LEN / 2], path[PATH_MAX_LEN];
    if (label_filter_query(c, labels, query, sizeof query) != 0 ||
        sp_docker_versioned(c, path, sizeof path, "/containers/json?all=%d&%s", all ? 1 : 0, query) != 0)
        return -1;
    return exchange(c, "GET", path, NULL, 0, out);
}

/* ---- exec --------------------------------------------------------------- */

int sp_docker_exec_create(sp_docker *c, const char *container_id, const cJSON *config, char *id,
                          size_t idlen)
{
    char path[PATH_MAX_LEN];
    if (!cJSON_IsObject(config))
        return set_error(c, 0, "exec config must be a JSON object");
    if (sp_docker_check_ref(c, container_id, 0, "container id") != 0 ||
        sp_docker_versioned(c, path, sizeof path, "/containers/%s/exec", container_id) != 0)
        return -1;
    cJSON *body = cJSON_Duplicate(config, 1);
    const char *attach[] = {"AttachStdout", "AttachStderr"};
    for (size_t i = 0; body != NULL && i < 2; i++)
        if (!cJSON_HasObjectItem(body, attach[i]))
            cJSON_AddTrueToObject(body, attach[i]);
    if (body == NULL)
        return set_error(c, 0, "out of memory");
    return post_for_id(c, path, body, id, idlen);
}

int sp_docker_exec_start(sp_docker *c, const char *exec_id, long timeout_ms,
                         struct sp_docker_demux *d)
{
    char path[PATH_MAX_LEN];
    if (sp_docker_check_ref(c, exec_id, 0, "exec id") != 0 ||
        sp_docker_versioned(c, path, sizeof path, "/exec/%s/start", exec_id) != 0)
        return -1;
    cJSON *body = cJSON_CreateObject();
    cJSON_AddFalseToObject(body, "Detach");
    cJSON_AddBoolToObject(body, "Tty", d->raw);
    int rc = stream_into(c, "POST", path, body, timeout_ms, d);
    cJSON_Delete(body);
    return rc;
}

int sp_docker_exec_inspect(sp_docker *c, const char *exec_id, cJSON **out)
{
    return get_object(c, "exec", exec_id, 0, "exec id", "/json", out);
}

/* ---- events ------------------------------------------------------------- */

/* The events answer is newline-separated JSON objects; made into one array. */
static int collect_events(sp_docker *c, const struct response *r, cJSON **out)
{
    *out = cJSON_CreateArray();
    const char *p = r->data ? r->data : "", *end = p + r->len;
    while (*out != NULL && p < end) {
        const char *next = NULL;
        cJSON *event = cJSON_ParseWithLengthOpts(p, (size_t)(end - p), &next, 0);
        if (event == NULL)
            break;
        cJSON_AddItemToArray(*out, event);
        p = next;
    }
    return *out ? 0 : set_error(c, 0, "out of memory");
}

int sp_docker_events(sp_docker *c, double since, double until, const cJSON *filters, cJSON **out)
{
    char path[PATH_MAX_LEN], filter_query[PATH_MAX_LEN / 2] = "";
    *out = NULL;
    /* With fractions: whole seconds would drop this second's events. */
    double now_s = sp_clock_wall();
    if (until <= 0)
        until = now_s;
    if (filters != NULL) {
        char *text = cJSON_PrintUnformatted(filters);
        char *escaped = text ? curl_easy_escape(c->curl, text, 0) : NULL;
        free(text);
        if (escaped == NULL)
            return set_error(c, 0, "out of memory");
        int n = snprintf(filter_query, sizeof filter_query, "&filters=%s", escaped);
        curl_free(escaped);
        if (n < 0 || (size_t)n >= sizeof filter_query)
            return set_error(c, 0, "event filters too long");
    }
    /* Whole seconds, the window widened outwards: Podman's Docker-compatible
     * API answers nothing for a filtered query with fractional times. */
    long long since_s = since > 0 ? (long long)since : 0;
    long long until_s = (long long)until + (until > (double)(long long)until ? 1 : 0);
    if (sp_docker_versioned(c, path, sizeof path, "/events?since=%lld&until=%lld%s", since_s, until_s,
                  filter_query) != 0)
        return -1;
    /* The daemon holds the answer open until `until`; allow for that. */
    double wait_s = until - now_s;
    long timeout = c->total_ms + (wait_s > 0 ? (long)(wait_s * 1000) : 0);
    struct request q = {.method = "GET", .path = path, .upload_fd = -1, .timeout_ms = timeout};
    struct response r;
    int rc = perform(c, &q, &r);
    if (rc == 0)
        rc = collect_events(c, &r, out);
    response_free(&r);
    return rc;
}

/* ---- never leave a container behind ------------------------------------- */

static const char *label_of(const cJSON *container, const char *key)
{
    const cJSON *labels = cJSON_GetObjectItemCaseSensitive(container, "Labels");
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(labels, key);
    return cJSON_IsString(value) ? value->valuestring : NULL;
}

typedef int (*container_predicate)(const cJSON *container);

/* Removes the listed containers that pred accepts; the count removed, or -1
 * when listing failed. A failed removal is reported but the rest go on. */
static int remove_matching(sp_docker *c, const char *const *labels, container_predicate pred)
{
    cJSON *list = NULL;
    if (sp_docker_container_list(c, labels, 1, &list) != 0)
        return -1;
    int removed = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "Id");
        if (!cJSON_IsString(id) || (pred != NULL && !pred(item)))
            continue;
        if (sp_docker_container_remove(c, id->valuestring) == 0)
            removed++;
        else
            fprintf(stderr, "sandprobe: cannot remove container %.12s: %s\n", id->valuestring,
                    c->error);
    }
    cJSON_Delete(list);
    return removed;
}

int sp_docker_remove_run(sp_docker *c)
{
    char run_label[128];
    snprintf(run_label, sizeof run_label, "sandprobe.run=%s", sp_docker_run_id());
    const char *labels[] = {run_label, NULL};
    return remove_matching(c, labels, NULL);
}

static int run_containers_listed(sp_docker *c)
{
    char run_label[128];
    snprintf(run_label, sizeof run_label, "sandprobe.run=%s", sp_docker_run_id());
    const char *labels[] = {run_label, NULL};
    cJSON *list = NULL;
    if (sp_docker_container_list(c, labels, 1, &list) != 0)
        return -1;
    int n = cJSON_GetArraySize(list);
    cJSON_Delete(list);
    return n;
}

/* The process that made the container is gone (not merely someone else's). */
static int owner_is_gone(const cJSON *container)
{
    const char *text = label_of(container, "sandprobe.pid");
    char *end;
    long pid = text ? strtol(text, &end, 10) : 0;
    if (text == NULL || *end != '\0' || pid <= 0 || pid == (long)getpid())
        return 0;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

int sp_docker_sweep(sp_docker *c)
{
    char host[HOST_NAME_LEN], host_label[HOST_NAME_LEN + 32];
    hostname_of_this_machine(host, sizeof host);
    snprintf(host_label, sizeof host_label, "sandprobe.host=%s", host);
    const char *labels[] = {"sandprobe.managed=true", host_label, NULL};
    int removed = remove_matching(c, labels, owner_is_gone);
    if (removed > 0 && observer.orphans_swept != NULL)
        observer.orphans_swept(observer.ctx, removed);
    return removed;
}

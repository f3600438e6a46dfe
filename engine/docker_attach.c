/* Attach over a hijacked connection (sp_docker_container_attach in
 * include/sandprobe/docker.h): the one call that leaves libcurl's request
 * machinery, so it lives apart from the ordinary requests of docker.c and
 * shares only the client's internals (docker_client.h).
 *
 * After the HTTP upgrade the connection is a plain byte pipe both ways, which
 * libcurl's request machinery cannot drive, so it only connects (CONNECT_ONLY:
 * unix socket, TCP or TLS alike) and the bytes go through curl_easy_send and
 * curl_easy_recv. Reading and writing are interleaved in one loop: a program
 * that prints before reading all its stdin must not deadlock us. */
#define _GNU_SOURCE /* strcasestr */
#include "docker_client.h"
#include "sandprobe/clock.h"
#include "sandprobe/deadline.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct hijack {
    CURL *h;
    curl_socket_t sock;
    double deadline; /* sp_clock_monotonic() seconds */
};

#define HEAD_MAX 8192

/* 1 when the socket is ready, 0 at the deadline, -1 on a poll failure. */
static int wait_ready(const struct hijack *hj, short events)
{
    for (;;) {
        long long left = (long long)((hj->deadline - sp_clock_monotonic()) * 1000);
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = hj->sock, .events = events};
        int n = poll(&p, 1, left > 60000 ? 60000 : (int)left);
        if (n > 0)
            return 1;
        if (n < 0 && errno != EINTR)
            return -1;
    }
}

static int hijack_connect(sp_docker *c, struct hijack *hj, long timeout_ms)
{
    hj->deadline = sp_clock_monotonic() + (double)timeout_ms / 1000;
    hj->h = curl_easy_init();
    if (hj->h == NULL)
        return set_error(c, 0, "out of memory");
    c->curl_error[0] = '\0';
    sp_docker_set_endpoint_options(c, hj->h);
    curl_easy_setopt(hj->h, CURLOPT_URL, c->base_url);
    curl_easy_setopt(hj->h, CURLOPT_CONNECT_ONLY, 1L);
    CURLcode rc = curl_easy_perform(hj->h);
    if (rc != CURLE_OK)
        return sp_docker_transport_error(c, hj->h, rc, "attach");
    if (curl_easy_getinfo(hj->h, CURLINFO_ACTIVESOCKET, &hj->sock) != CURLE_OK ||
        hj->sock == CURL_SOCKET_BAD)
        return set_error(c, 0, "attach: no socket after connecting");
    return 0;
}

static int hijack_send_all(sp_docker *c, struct hijack *hj, const char *data, size_t len)
{
    while (len > 0) {
        size_t sent = 0;
        CURLcode rc = curl_easy_send(hj->h, data, len, &sent);
        if (rc == CURLE_OK) {
            data += sent;
            len -= sent;
        } else if (rc != CURLE_AGAIN) {
            return sp_docker_transport_error(c, hj->h, rc, "attach");
        } else if (wait_ready(hj, POLLOUT) <= 0) {
            return set_error(c, 0, "the Docker daemon at %s did not take the attach request",
                             c->ep.url);
        }
    }
    return 0;
}

/* Reads until n bytes are in buf (or EOF); returns the count, -1 on error. */
static long hijack_recv(sp_docker *c, struct hijack *hj, char *buf, size_t n)
{
    for (;;) {
        size_t got = 0;
        CURLcode rc = curl_easy_recv(hj->h, buf, n, &got);
        if (rc == CURLE_OK)
            return (long)got;
        if (rc != CURLE_AGAIN)
            return sp_docker_transport_error(c, hj->h, rc, "attach");
        int ready = wait_ready(hj, POLLIN);
        if (ready <= 0) {
            c->timed_out = ready == 0;
            return set_error(c, 0, "the Docker daemon at %s did not answer the attach in time",
                             c->ep.url);
        }
    }
}

/* The daemon refused the upgrade: read its error body (Content-Length long). */
static int attach_refused(sp_docker *c, struct hijack *hj, long status, char *head, size_t len,
                          size_t body_at)
{
    const char *cl = strcasestr(head, "\r\ncontent-length:");
    size_t want = cl ? strtoul(cl + 17, NULL, 10) : 0;
    if (want > HEAD_MAX - body_at - 1)
        want = HEAD_MAX - body_at - 1;
    while (len - body_at < want) {
        long got = hijack_recv(c, hj, head + len, want - (len - body_at));
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    head[len] = '\0';
    return sp_docker_http_error(c, status, head + body_at, len - body_at);
}

/* Sends the upgrade request and reads the answer's head; bytes of the stream
 * that came with it go to d. */
static int hijack_upgrade(sp_docker *c, struct hijack *hj, const char *path,
                          struct sp_docker_demux *d)
{
    char request[PATH_MAX_LEN + 512];
    snprintf(request, sizeof request,
             "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: text/plain\r\n"
             "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n",
             path, c->ep.transport == SP_DOCKER_UNIX ? "docker" : c->ep.host);
    if (hijack_send_all(c, hj, request, strlen(request)) != 0)
        return -1;
    char head[HEAD_MAX + 1];
    size_t len = 0;
    char *end = NULL;
    while (end == NULL) {
        if (len == HEAD_MAX)
            return set_error(c, 0, "attach: the Docker daemon's answer head is too long");
        long got = hijack_recv(c, hj, head + len, HEAD_MAX - len);
        if (got < 0)
            return -1;
        if (got == 0)
            return set_error(c, 0, "lost the connection to the Docker daemon at %s during attach",
                             c->ep.url);
        len += (size_t)got;
        head[len] = '\0';
        end = strstr(head, "\r\n\r\n");
    }
    size_t body_at = (size_t)(end - head) + 4;
    long status = 0;
    if (sscanf(head, "HTTP/1.%*d %ld", &status) != 1)
        return set_error(c, 0, "attach: the Docker daemon's answer is not HTTP");
    if (status != 101 && status != 200)
        return attach_refused(c, hj, status, head, len, body_at);
    if (sp_docker_demux_feed(d, head + body_at, len - body_at) != 0)
        return set_error(c, 0, "malformed output stream from the Docker daemon (attach)");
    return 0;
}

int sp_docker_attach_flooded(const struct sp_docker_attach_options *o,
                             const struct sp_docker_demux *d)
{
    return o->flood_bytes > 0 && !sp_docker_demux_stopped(d) &&
           d->out[0].total + d->out[1].total > o->flood_bytes;
}

/* Writes stdin and reads output until the daemon ends the stream, the
 * output ends with the stop marker, or it passed the flood bound. */
static int hijack_pump(sp_docker *c, struct hijack *hj, const struct sp_docker_attach_options *o,
                       struct sp_docker_demux *d, int *timed_out)
{
    const char *in = o->stdin_data;
    size_t left = in ? o->stdin_len : 0;
    int write_closed = 0;
    char buf[16384];
    for (;;) {
        for (;;) { /* drain first: libcurl may hold decrypted bytes poll cannot see */
            size_t got = 0;
            CURLcode rc = curl_easy_recv(hj->h, buf, sizeof buf, &got);
            if (rc == CURLE_AGAIN)
                break;
            if (rc != CURLE_OK)
                return sp_docker_transport_error(c, hj->h, rc, "attach");
            if (got == 0)
                return 0;
            if (sp_docker_demux_feed(d, buf, got) != 0)
                return set_error(c, 0, "malformed output stream from the Docker daemon (attach)");
            if (sp_docker_demux_stopped(d) || sp_docker_attach_flooded(o, d))
                return 0;
        }
        if (left > 0) {
            size_t sent = 0;
            CURLcode rc = curl_easy_send(hj->h, in, left, &sent);
            if (rc != CURLE_OK && rc != CURLE_AGAIN)
                return sp_docker_transport_error(c, hj->h, rc, "attach");
            in += sent;
            left -= sent;
        }
        if (left == 0 && !write_closed) {
            shutdown(hj->sock, SHUT_WR); /* end of stdin: StdinOnce closes the container's */
            write_closed = 1;
        }
        int ready = wait_ready(hj, (short)(POLLIN | (left > 0 ? POLLOUT : 0)));
        if (ready == 0) {
            *timed_out = 1;
            return 0;
        }
        if (ready < 0)
            return set_error(c, 0, "attach: poll failed: %s", strerror(errno));
    }
}

int sp_docker_container_attach(sp_docker *c, const char *id,
                               const struct sp_docker_attach_options *o,
                               struct sp_docker_demux *d, int *timed_out)
{
    char path[PATH_MAX_LEN];
    *timed_out = 0;
    if (sp_docker_check_ref(c, id, 0, "container id") != 0 ||
        sp_docker_versioned(c, path, sizeof path,
                  "/containers/%s/attach?stream=1&stdin=1&stdout=1&stderr=1", id) != 0)
        return -1;
    sp_docker_observe_request("/containers/{id}/attach", "POST");
    struct hijack hj = {.h = NULL, .sock = CURL_SOCKET_BAD};
    /* The thread's deadline (a scenario's) ends the attach like its own
     * time-out does: the caller kills the container then. */
    int capped;
    long timeout_ms = sp_deadline_cap_ms(o->timeout_ms > 0 ? o->timeout_ms : c->total_ms, &capped);
    if (timeout_ms == 0) {
        *timed_out = 1;
        return set_error(c, 0, "the scenario's deadline passed before the attach");
    }
    int rc = hijack_connect(c, &hj, timeout_ms);
    if (rc == 0)
        rc = hijack_upgrade(c, &hj, path, d);
    /* Started only once attached, so not a byte of output is missed. */
    if (rc == 0 && o->start)
        rc = sp_docker_container_start(c, id);
    if (rc == 0)
        rc = hijack_pump(c, &hj, o, d, timed_out);
    if (rc == 0 && !*timed_out && d->system_error_len > 0)
        rc = set_error(c, 0, "the Docker daemon reported: %s", d->system_error);
    if (rc == 0 && !*timed_out && !sp_docker_demux_stopped(d) && !sp_docker_attach_flooded(o, d) &&
        sp_docker_demux_incomplete(d))
        rc = set_error(c, 0, "lost the connection to the Docker daemon at %s during attach "
                             "(the output stream ended part-way through a frame)",
                       c->ep.url);
    curl_easy_cleanup(hj.h);
    return rc;
}

/* The Docker client's internals, shared by the files that make up the client
 * (docker.c: requests, containers, clean-up; docker_attach.c: the hijacked
 * attach). Private to engine/: callers use include/sandprobe/docker.h. */
#ifndef SANDPROBE_DOCKER_CLIENT_H
#define SANDPROBE_DOCKER_CLIENT_H

#include "sandprobe/docker.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>

#define PATH_MAX_LEN 2048

struct sp_docker {
    CURL *curl;
    struct sp_docker_endpoint ep;
    char base_url[600]; /* scheme://authority the paths are appended to */
    char api_version[16];
    long connect_ms, total_ms;
    long status;
    int timed_out; /* the last request outlived its overall timeout */
    char error[1024];
    char curl_error[CURL_ERROR_SIZE];
};

/* Sets the client's error (printf-style) and status; returns -1, so a
 * failing call ends with `return set_error(...)`. */
__attribute__((format(printf, 3, 4)))
static inline int set_error(sp_docker *c, long status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->error, sizeof c->error, fmt, ap);
    va_end(ap);
    c->status = status;
    return -1;
}

/* One line saying why the daemon could not be used during `what`. */
int sp_docker_transport_error(sp_docker *c, CURL *h, CURLcode rc, const char *what);

/* The daemon's own words for a refused request: its JSON {"message": ...},
 * else the first line of the body, else the status. Returns -1. */
int sp_docker_http_error(sp_docker *c, long status, const char *data, size_t len);

/* Where and how to connect: shared by ordinary requests and attach. */
void sp_docker_set_endpoint_options(sp_docker *c, CURL *h);

/* Names and ids go into URL paths: allow only what Docker itself allows. */
int sp_docker_check_ref(sp_docker *c, const char *ref, int allow_slash, const char *what);

/* Formats "/vX.Y" + the path into buf; negotiates the version on first use. */
__attribute__((format(printf, 4, 5)))
int sp_docker_versioned(sp_docker *c, char *buf, size_t len, const char *fmt, ...);

/* Tells the observer a request is about to be sent (endpoint: its template). */
void sp_docker_observe_request(const char *endpoint, const char *method);

#endif

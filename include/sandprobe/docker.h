/* A client for the Docker Engine API over libcurl, with cJSON for the bodies.
 * Pure C: the Lua binding (engine/docker_lua.c) is a thin layer over this.
 *
 * Endpoint: the "docker.host" setting (--host), else $DOCKER_HOST, else
 * unix:///var/run/docker.sock. tcp://HOST[:PORT] speaks HTTP, or HTTPS when
 * $DOCKER_TLS_VERIFY (verify the daemon) or $DOCKER_TLS is non-empty, with
 * ca.pem, cert.pem and key.pem from $DOCKER_CERT_PATH (default ~/.docker),
 * as the docker CLI reads them.
 *
 * Threads: one sp_docker per thread; a handle is never shared. Every call
 * returns 0 on success or -1 with the reason in sp_docker_error() and the
 * daemon's HTTP status (0 when the daemon was not reached) in
 * sp_docker_status(). An unreachable daemon gives one line:
 *   cannot reach the Docker daemon at unix:///var/run/docker.sock: <reason>
 *
 * Containers: every container created through this client carries the labels
 * sandprobe.managed=true, sandprobe.run=<run id>, sandprobe.pid=<pid> and
 * sandprobe.host=<hostname>. The first client made registers a clean-up hook
 * that removes this run's containers on exit, SIGINT and SIGTERM; at start-up
 * sp_docker_sweep() removes those of runs whose process is gone. */
#ifndef SANDPROBE_DOCKER_H
#define SANDPROBE_DOCKER_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* The newest API version this client speaks; a newer daemon is asked for it. */
#define SP_DOCKER_API_MAX "1.41"
#define SP_DOCKER_DEFAULT_HOST "unix:///var/run/docker.sock"
#define SP_DOCKER_CONNECT_TIMEOUT_MS 5000L
#define SP_DOCKER_TIMEOUT_MS 60000L
#define SP_DOCKER_ID_MAX 128 /* container, image and exec ids (64 hex + prefix) */

/* ---- endpoint (pure, no I/O) ------------------------------------------- */

enum sp_docker_transport { SP_DOCKER_UNIX, SP_DOCKER_TCP };

struct sp_docker_endpoint {
    enum sp_docker_transport transport;
    char url[512];        /* as the user wrote it (normalised), for messages */
    char socket_path[256]; /* SP_DOCKER_UNIX */
    char host[256];        /* SP_DOCKER_TCP: name or address, IPv6 without brackets */
    int port;              /* SP_DOCKER_TCP */
    int tls;               /* SP_DOCKER_TCP: speak HTTPS */
    int tls_verify;        /* verify the daemon's certificate against ca.pem */
    char ca_file[512], cert_file[512], key_file[512]; /* when tls */
};

/* What the endpoint is resolved from: the --host setting and the docker CLI's
 * environment variables. Any may be NULL (unset). */
struct sp_docker_env {
    const char *host_setting; /* --host / "docker.host" */
    const char *docker_host;  /* $DOCKER_HOST */
    const char *tls_verify;   /* $DOCKER_TLS_VERIFY */
    const char *tls;          /* $DOCKER_TLS */
    const char *cert_path;    /* $DOCKER_CERT_PATH */
    const char *home;         /* $HOME, for the default ~/.docker */
};

/* Resolves the endpoint. 0, or -1 with a one-line reason in err (unknown
 * scheme, missing host, bad port, path too long). */
int sp_docker_resolve_endpoint(const struct sp_docker_env *env, struct sp_docker_endpoint *out,
                               char *err, size_t errlen);

/* The same from the real settings and environment. */
int sp_docker_endpoint_from_environment(struct sp_docker_endpoint *out, char *err, size_t errlen);

/* ---- multiplexed stream (pure, incremental) ---------------------------- */

/* Docker frames a non-TTY container's output as [stream, 0, 0, 0, size(4, big
 * endian)] followed by size bytes; stream 0 or 1 is stdout, 2 stderr, 3 an
 * error from the daemon itself. A TTY container's output is raw. */
enum { SP_DOCKER_STDOUT = 0, SP_DOCKER_STDERR = 1 };

struct sp_docker_capture {
    char *data;        /* NUL-terminated, at most max_bytes kept */
    size_t len;        /* bytes kept */
    size_t total;      /* bytes seen, kept or not */
    int truncated;     /* total > max_bytes */
    /* With a stop marker (sp_docker_demux_stop_at): */
    size_t marker_matched; /* bytes of the marker matched so far */
    int stopped;           /* the marker and its trailer line were seen */
    int in_trailer;        /* the marker was seen; reading the rest of its line */
    char trailer[32];      /* that rest (without the newline), NUL-terminated */
    size_t trailer_len;
    size_t after_stop;     /* bytes that came after the trailer line (then the
                              marker was not the stream's end: not an announcement) */
};

struct sp_docker_demux {
    struct sp_docker_capture out[2];
    size_t max_bytes;  /* cap per stream */
    int raw;           /* TTY: everything is stdout, no framing */
    unsigned char header[8];
    size_t header_len; /* bytes of a partial header */
    size_t frame_left; /* payload bytes left in the current frame */
    int frame_stream;  /* SP_DOCKER_STDOUT, SP_DOCKER_STDERR, or 3 (daemon error) */
    char system_error[256]; /* text of stream-3 frames: the daemon's error */
    size_t system_error_len;
    const char *marker; /* stop marker (not owned), NULL: none */
    size_t marker_len;
};

void sp_docker_demux_init(struct sp_docker_demux *d, size_t max_bytes, int raw);

/* Feeds the next bytes of the stream, split anywhere. 0, or -1 when a frame
 * names an unknown stream or memory runs out (the rest is then ignored). */
int sp_docker_demux_feed(struct sp_docker_demux *d, const void *data, size_t len);

/* Watches each stream for the len bytes of marker followed by a line:
 * "<marker><trailer>\n". The marker and everything after it on that stream
 * are neither captured nor counted; the trailer (up to 31 bytes: a longer line
 * ends there) is kept in out[i].trailer. marker (NUL bytes allowed) must
 * outlive d, be 1 to 64 bytes long, and its first byte must not occur again
 * in it (so a partial match never hides the start of the real one). 0, or -1
 * for such a marker. */
int sp_docker_demux_stop_at(struct sp_docker_demux *d, const char *marker, size_t len);

/* 1 when a stop marker is set and every stream (stdout and stderr; stdout
 * alone for a raw stream) has ended with it. */
int sp_docker_demux_stopped(const struct sp_docker_demux *d);

/* 1 when the stream ended in the middle of a frame. */
int sp_docker_demux_incomplete(const struct sp_docker_demux *d);

void sp_docker_demux_free(struct sp_docker_demux *d);

/* ---- client ------------------------------------------------------------ */

typedef struct sp_docker sp_docker;

/* A client for the endpoint of sp_docker_endpoint_from_environment. Makes no
 * connection yet. NULL with a reason in err (bad endpoint, out of memory).
 * Timeouts: the settings "docker.connect_timeout" and "docker.timeout" (in
 * seconds) when set, else the defaults above; a ping gives up after 10 s. */
sp_docker *sp_docker_new(char *err, size_t errlen);
sp_docker *sp_docker_new_for(const struct sp_docker_endpoint *ep, char *err, size_t errlen);
void sp_docker_free(sp_docker *c);

const char *sp_docker_error(const sp_docker *c);
long sp_docker_status(const sp_docker *c);
const struct sp_docker_endpoint *sp_docker_endpoint(const sp_docker *c);

/* Timeouts for later calls (0 keeps the current value). */
void sp_docker_set_timeouts(sp_docker *c, long connect_ms, long total_ms);

/* The negotiated API version ("1.41"), pinging the daemon the first time. */
const char *sp_docker_api_version(sp_docker *c);

/* A run id for this process: the "run.id" setting, made from the pid and
 * random bytes (and stored there) the first time when unset. */
const char *sp_docker_run_id(void);

/* Any versioned call: method, path below /vX.Y (e.g. "/info"), optional JSON
 * body. *out gets the decoded JSON answer (or NULL for an empty one). */
int sp_docker_call(sp_docker *c, const char *method, const char *path, const cJSON *body,
                   cJSON **out);

int sp_docker_ping(sp_docker *c);
int sp_docker_version(sp_docker *c, cJSON **out);
int sp_docker_info(sp_docker *c, cJSON **out);
int sp_docker_image_inspect(sp_docker *c, const char *name, cJSON **out);

/* Imports a root filesystem tar read from fd until EOF as repo_tag
 * ("name:tag"). image_id gets the new image's id. */
int sp_docker_image_import(sp_docker *c, int fd, const char *repo_tag, char *image_id,
                           size_t idlen);

/* Creates a container from an Engine API create body (Config with HostConfig
 * inside), which is not modified: the sandprobe labels are added to a copy.
 * name may be NULL. id gets the container id. */
int sp_docker_container_create(sp_docker *c, const cJSON *config, const char *name, char *id,
                               size_t idlen);
int sp_docker_container_start(sp_docker *c, const char *id); /* running already: success */

struct sp_docker_wait_result {
    int status_code; /* the exit status; 137 after a kill */
    int timed_out;   /* the container outlived the timeout and was killed */
};
/* Waits for the container to stop; after timeout_ms it is killed (SIGKILL) and
 * waited for again. timeout_ms <= 0 waits up to the client's overall timeout. */
int sp_docker_container_wait(sp_docker *c, const char *id, long timeout_ms,
                             struct sp_docker_wait_result *out);

/* Reads the container's logs so far into d (initialised by the caller with
 * sp_docker_demux_init: cap and raw for a TTY container). */
int sp_docker_container_logs(sp_docker *c, const char *id, struct sp_docker_demux *d);

struct sp_docker_attach_options {
    const void *stdin_data; /* written to the container's stdin, then closed */
    size_t stdin_len;
    long timeout_ms;        /* <= 0: the client's overall timeout */
    int start;              /* start the container once attached */
};
/* Attaches over a hijacked connection: writes stdin, closes the write side,
 * reads the output until the daemon closes the stream, or until every stream
 * has ended with d's stop marker when one is set (sp_docker_demux_stop_at:
 * the program said it is done; the daemon has not handled its exit yet). *timed_out is set when
 * the deadline came first (d holds what arrived until then). The container is
 * created with OpenStdin and StdinOnce so closing stdin ends its input. */
int sp_docker_container_attach(sp_docker *c, const char *id,
                               const struct sp_docker_attach_options *o,
                               struct sp_docker_demux *d, int *timed_out);

int sp_docker_container_inspect(sp_docker *c, const char *id, cJSON **out);
int sp_docker_container_stats(sp_docker *c, const char *id, cJSON **out); /* one-shot */
int sp_docker_container_kill(sp_docker *c, const char *id, const char *signal); /* NULL: SIGKILL */
/* Removes with force and volumes. A container already gone is success. */
int sp_docker_container_remove(sp_docker *c, const char *id);

/* Containers (all states) carrying every label of labels ("key=value" or
 * "key"), NULL-terminated; NULL lists all. *out: the Engine's array. */
int sp_docker_container_list(sp_docker *c, const char *const *labels, int all, cJSON **out);

/* Creates an exec from an Engine API exec body ({"Cmd": [...], ...});
 * AttachStdout/AttachStderr default to true. */
int sp_docker_exec_create(sp_docker *c, const char *container_id, const cJSON *config, char *id,
                          size_t idlen);
/* Runs the exec, its output into d, until it ends or timeout_ms passes
 * (<= 0: the overall timeout). */
int sp_docker_exec_start(sp_docker *c, const char *exec_id, long timeout_ms,
                         struct sp_docker_demux *d);
int sp_docker_exec_inspect(sp_docker *c, const char *exec_id, cJSON **out);

/* Events between since and until (Unix seconds; until <= 0 means now, so the
 * call returns). filters: an Engine filters object ({"type":["container"]})
 * or NULL. *out: an array of event objects. */
int sp_docker_events(sp_docker *c, double since, double until, const cJSON *filters, cJSON **out);

/* Removes every container labelled with this process's run id. Returns how
 * many were removed, or -1 when the daemon could not be asked. */
int sp_docker_remove_run(sp_docker *c);

/* Removes containers left by sandprobe runs on this host whose process is
 * gone (killed with SIGKILL, say). Returns how many, or -1. */
int sp_docker_sweep(sp_docker *c);

/* The metrics label for a request path: the version prefix and the query
 * dropped, ids and names replaced, so the series stay few:
 * "/v1.41/containers/3f2a.../start?x=1" -> "/containers/{id}/start",
 * "/images/sandprobe/python:3.11/json" -> "/images/{name}/json". */
void sp_docker_endpoint_template(const char *path, char *out, size_t size);

#endif

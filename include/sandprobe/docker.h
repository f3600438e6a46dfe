/* A client for the Docker Engine API over libcurl, with cJSON for the bodies.
 * Pure C: the Lua binding (engine/docker_lua.c) is a thin layer over this.
 * Three things, three headers: where the daemon is (docker_endpoint.h), its
 * multiplexed output stream (docker_stream.h), and this client, which
 * includes both. The create spec scenarios write is docker_spec.h.
 *
 * Threads: one sp_docker per thread; a handle is never shared. Every call
 * returns 0 on success or -1 with the reason in sp_docker_error() and the
 * daemon's HTTP status (0 when the daemon was not reached) in
 * sp_docker_status(). An unreachable daemon gives one line:
 *   cannot reach the Docker daemon at unix:///var/run/docker.sock: <reason>
 *
 * Containers: every container created through this client carries the labels
 * sandprobe.managed=true, sandprobe.run=<run id>, sandprobe.pid=<pid> and
 * sandprobe.host=<hostname>. sp_docker_remove_run_at_exit is the clean-up hook
 * that removes this run's containers on exit, SIGINT and SIGTERM (the
 * composition root, compose.h, registers it); at start-up sp_docker_sweep()
 * removes those of runs whose process is gone.
 *
 * Metrics: the client records nothing itself; it tells an observer
 * (sp_docker_set_observer), as the resource monitor tells its sink. */
#ifndef SANDPROBE_DOCKER_H
#define SANDPROBE_DOCKER_H

#include "sandprobe/docker_endpoint.h"
#include "sandprobe/docker_stream.h"

#include <cjson/cJSON.h>
#include <stddef.h>

/* The newest API version this client speaks; a newer daemon is asked for it. */
#define SP_DOCKER_API_MAX "1.41"
#define SP_DOCKER_CONNECT_TIMEOUT_MS 5000L
#define SP_DOCKER_TIMEOUT_MS 60000L
#define SP_DOCKER_ID_MAX 128 /* container, image and exec ids (64 hex + prefix) */

/* ---- client ------------------------------------------------------------ */

typedef struct sp_docker sp_docker;

/* A client for the endpoint of sp_docker_endpoint_from_environment. Makes no
 * connection yet. NULL with a reason in err (bad endpoint, out of memory).
 * Timeouts: the settings "docker.connect_timeout" and "docker.timeout" (in
 * seconds) when set, else the defaults above; a ping gives up after 10 s.
 * The calling thread's deadline (deadline.h: a scenario's) shortens every
 * request but a kill or a removal. */
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
 * sp_docker_demux_init: cap and raw for a TTY container), for up to
 * timeout_ms (<= 0: the client's overall timeout; d keeps what came). */
int sp_docker_container_logs(sp_docker *c, const char *id, long timeout_ms,
                             struct sp_docker_demux *d);

struct sp_docker_attach_options {
    const void *stdin_data; /* written to the container's stdin, then closed */
    size_t stdin_len;
    long timeout_ms;        /* <= 0: the client's overall timeout */
    int start;              /* start the container once attached */
    size_t flood_bytes;     /* > 0: stop reading once stdout and stderr together passed
                             * this many bytes (sp_docker_attach_flooded): every byte
                             * read costs the daemon CPU outside the container's cgroup */
};
/* 1 when the attach stopped reading because the output passed o->flood_bytes. */
int sp_docker_attach_flooded(const struct sp_docker_attach_options *o,
                             const struct sp_docker_demux *d);
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

/* 1, with the reason copied into reason (may be NULL), once a request went
 * unanswered for its whole time-out: from then on every request of every
 * client in this process fails at once with that reason, so a daemon that
 * stopped answering costs one time-out, not one per request. 0 otherwise. */
int sp_docker_unreachable(char *reason, size_t len);

/* ---- in the background (engine/docker_launch.c) ------------------------ */

/* A create + start, or a removal, run by a thread with a client of its own
 * (clients are per thread), so a warm pool brings containers up, and lets
 * used ones go, while its caller runs programs. */
typedef struct sp_docker_job sp_docker_job;

struct sp_docker_job_result {
    char id[SP_DOCKER_ID_MAX]; /* the container (a launch: empty when create failed) */
    int failed;
    long status;               /* the daemon's HTTP status of the failure; 0: not reached */
    char error[512];           /* "create: ...", "start: ..." or the client's reason */
};

/* Creates and starts a container from config (owned by the job from here on)
 * on ep. A start that fails removes what was created. NULL with a reason in
 * err when no thread could start (config is freed then too). */
sp_docker_job *sp_docker_launch(const struct sp_docker_endpoint *ep, cJSON *config, char *err,
                                size_t errlen);

/* Removes the container id on ep (force: killed first if it runs). NULL when
 * no thread could start: the caller removes it itself. */
sp_docker_job *sp_docker_retire(const struct sp_docker_endpoint *ep, const char *id);

/* 1 once the job's thread has finished (does not wait). */
int sp_docker_job_done(const sp_docker_job *job);

/* Waits for the job's thread, gives its outcome, and frees the job. */
void sp_docker_job_finish(sp_docker_job *job, struct sp_docker_job_result *out);

/* ---- observer --------------------------------------------------------- */

/* One finished exchange with the daemon. */
struct sp_docker_exchange {
    const char *endpoint; /* the path's template (sp_docker_endpoint_template) */
    const char *method;
    long status;          /* the HTTP status; 0: no answer came */
    int transport_ok;     /* libcurl finished without an error */
    int streamed;         /* logs, exec: lasts as long as the program, not a latency */
    double seconds;
};

/* What the client reports, from whichever thread it runs on. Every member
 * may be NULL. ctx is passed back to each call. */
struct sp_docker_observer {
    void *ctx;
    void (*request)(void *ctx, const char *endpoint, const char *method); /* about to send */
    void (*exchange)(void *ctx, const struct sp_docker_exchange *x);
    void (*container_created)(void *ctx, const char *id);
    /* ref as given to remove: the full id or a prefix of it; also for one
     * already gone (404), so an observer keeping a set must tolerate unknown refs. */
    void (*container_removed)(void *ctx, const char *ref);
    void (*orphans_swept)(void *ctx, int count);
};

/* Sets the process's observer (copied; NULL: none). Call at start-up, before
 * any client exists: it is read without a lock. */
void sp_docker_set_observer(const struct sp_docker_observer *o);

/* A clean-up hook (sp_cleanup_fn): removes this run's containers with short
 * timeouts, saying on stderr when it cannot; does nothing at once when this
 * process never asked for a container. */
void sp_docker_remove_run_at_exit(void *unused);

/* The metrics label for a request path: the version prefix and the query
 * dropped, ids and names replaced, so the series stay few:
 * "/v1.41/containers/3f2a.../start?x=1" -> "/containers/{id}/start",
 * "/images/sandprobe/python:3.11/json" -> "/images/{name}/json". */
void sp_docker_endpoint_template(const char *path, char *out, size_t size);

#endif

/* Launch and retire in the background (include/sandprobe/docker.h): each job
 * is one thread with a client of its own, joined by sp_docker_job_finish, so
 * nothing else touches the container before the job is over. */
#include "sandprobe/docker.h"
#include "sandprobe/deadline.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sp_docker_job {
    pthread_t thread;
    struct sp_docker_endpoint ep;
    cJSON *config; /* a launch: owned by the thread, which frees it */
    double deadline; /* the launching thread's (deadline.h): the job keeps to it */
    struct sp_docker_job_result result;
    atomic_int done;
};

static void job_failed(struct sp_docker_job *job, sp_docker *c, const char *what)
{
    job->result.failed = 1;
    job->result.status = c ? sp_docker_status(c) : 0;
    snprintf(job->result.error, sizeof job->result.error, "%s: %s", what,
             c ? sp_docker_error(c) : "no client");
}

static void *launch_main(void *arg)
{
    struct sp_docker_job *job = arg;
    struct sp_docker_job_result *r = &job->result;
    sp_deadline_set(job->deadline);
    char err[256];
    sp_docker *c = sp_docker_new_for(&job->ep, err, sizeof err);
    if (c == NULL) {
        r->failed = 1;
        snprintf(r->error, sizeof r->error, "%s", err);
    } else if (sp_docker_container_create(c, job->config, NULL, r->id, sizeof r->id) != 0) {
        job_failed(job, c, "create");
    } else if (sp_docker_container_start(c, r->id) != 0) {
        job_failed(job, c, "start");
        sp_docker_container_remove(c, r->id);
    }
    cJSON_Delete(job->config);
    job->config = NULL;
    sp_docker_free(c);
    atomic_store(&job->done, 1);
    return NULL;
}

static void *retire_main(void *arg)
{
    struct sp_docker_job *job = arg;
    char err[256];
    sp_docker *c = sp_docker_new_for(&job->ep, err, sizeof err);
    job->result.failed = c == NULL || sp_docker_container_remove(c, job->result.id) != 0;
    sp_docker_free(c);
    atomic_store(&job->done, 1);
    return NULL;
}

sp_docker_job *sp_docker_launch(const struct sp_docker_endpoint *ep, cJSON *config, char *err,
                                size_t errlen)
{
    struct sp_docker_job *job = calloc(1, sizeof *job);
    if (job == NULL) {
        cJSON_Delete(config);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    job->ep = *ep;
    job->config = config;
    job->deadline = sp_deadline_get();
    int rc = pthread_create(&job->thread, NULL, launch_main, job);
    if (rc != 0) {
        cJSON_Delete(config);
        free(job);
        snprintf(err, errlen, "launch: cannot start a thread: %s", strerror(rc));
        return NULL;
    }
    return job;
}

sp_docker_job *sp_docker_retire(const struct sp_docker_endpoint *ep, const char *id)
{
    struct sp_docker_job *job = calloc(1, sizeof *job);
    if (job == NULL)
        return NULL;
    job->ep = *ep;
    snprintf(job->result.id, sizeof job->result.id, "%s", id);
    if (pthread_create(&job->thread, NULL, retire_main, job) != 0) {
        free(job);
        return NULL;
    }
    return job;
}

int sp_docker_job_done(const sp_docker_job *job)
{
    return atomic_load(&job->done);
}

void sp_docker_job_finish(sp_docker_job *job, struct sp_docker_job_result *out)
{
    pthread_join(job->thread, NULL);
    *out = job->result;
    free(job);
}

/* The deadline keeper (include/sandprobe/reaper.h). */
#define _GNU_SOURCE
#include "sandprobe/reaper.h"
#include "sandprobe/docker.h"
#include "sandprobe/settings.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define ID_MAX 80
#define LINE_MAX_LEN 256

/* ---- the client side ------------------------------------------------------ */

static pthread_mutex_t feed_lock = PTHREAD_MUTEX_INITIALIZER;
static int feed_fd = -1;

/* The client's environment for the keeper, with DOCKER_HOST set to the
 * daemon chosen by --host (a setting of this process the keeper would not
 * otherwise know): it must watch the same daemon. NULL when out of memory;
 * the array (not the strings but the one it adds) is the caller's to free. */
static char **keeper_environment(char **added)
{
    const char *host = sp_settings_get("docker.host");
    size_t n = 0;
    while (environ[n] != NULL)
        n++;
    char **env = calloc(n + 2, sizeof *env);
    if (env == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (host == NULL || strncmp(environ[i], "DOCKER_HOST=", 12) != 0)
            env[k++] = environ[i];
    *added = NULL;
    if (host != NULL) {
        size_t len = strlen(host) + sizeof "DOCKER_HOST=";
        if ((*added = malloc(len)) == NULL) {
            free(env);
            return NULL;
        }
        snprintf(*added, len, "DOCKER_HOST=%s", host);
        env[k++] = *added;
    }
    return env;
}

/* Starts `sandprobe reap` with the other end of a socket pair as its stdin.
 * The client's end is close-on-exec, so no other child holds it open and the
 * keeper sees the end of the stream exactly when this process is gone. */
static int spawn_keeper(char *err, size_t errlen)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(err, errlen, "deadline keeper: socketpair: %s", strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, sv[1], 0);
    /* Holds none of the client's files: a pipe on its stdout would otherwise
     * stay open after the client exits. */
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK);
    char *argv[] = {"sandprobe", "reap", NULL};
    char *added = NULL;
    char **env = keeper_environment(&added);
    pid_t pid;
    int rc = env == NULL ? ENOMEM : posix_spawn(&pid, "/proc/self/exe", &actions, &attr, argv, env);
    free(env);
    free(added);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(sv[1]);
    if (rc != 0) {
        close(sv[0]);
        snprintf(err, errlen, "deadline keeper: cannot start: %s", strerror(rc));
        return -1;
    }
    feed_fd = sv[0];
    return 0;
}

/* Sends one line; a keeper that died is started again once. */
static int send_line(const char *line, bool start, char *err, size_t errlen)
{
    size_t len = strlen(line);
    for (int attempt = 0; attempt < 2; attempt++) {
        if (feed_fd < 0 && (!start || spawn_keeper(err, errlen) != 0))
            return -1;
        if (send(feed_fd, line, len, MSG_NOSIGNAL) == (ssize_t)len)
            return 0;
        close(feed_fd);
        feed_fd = -1;
    }
    snprintf(err, errlen, "deadline keeper: not reachable");
    return -1;
}

static bool valid_id(const char *id)
{
    size_t n = strlen(id);
    return n > 0 && n < ID_MAX && strspn(id, "0123456789abcdef") == n;
}

int sp_reaper_watch(const char *container_id, double seconds, char *err, size_t errlen)
{
    if (!valid_id(container_id) || !(seconds >= 0)) {
        snprintf(err, errlen, "deadline keeper: bad container id or deadline");
        return -1;
    }
    char line[LINE_MAX_LEN];
    snprintf(line, sizeof line, "watch %s %.3f\n", container_id, seconds);
    pthread_mutex_lock(&feed_lock);
    int rc = send_line(line, true, err, errlen);
    pthread_mutex_unlock(&feed_lock);
    return rc;
}

void sp_reaper_forget(const char *container_id)
{
    if (!valid_id(container_id))
        return;
    char line[LINE_MAX_LEN], err[128];
    snprintf(line, sizeof line, "forget %s\n", container_id);
    pthread_mutex_lock(&feed_lock);
    send_line(line, false, err, sizeof err);
    pthread_mutex_unlock(&feed_lock);
}

/* ---- the keeper ------------------------------------------------------------- */

struct watched {
    char id[ID_MAX];
    double deadline; /* CLOCK_MONOTONIC seconds */
};

struct keeper {
    struct watched *list;
    size_t count, cap;
    bool client_gone;
    double grace;
    sp_docker *docker;
};

static double monotonic_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void forget_at(struct keeper *k, size_t i)
{
    k->list[i] = k->list[--k->count];
}

static void handle_line(struct keeper *k, char *line)
{
    char id[ID_MAX];
    double seconds;
    if (sscanf(line, "watch %79s %lf", id, &seconds) == 2 && valid_id(id)) {
        if (k->count == k->cap) {
            size_t cap = k->cap ? k->cap * 2 : 16;
            struct watched *list = realloc(k->list, cap * sizeof *list);
            if (list == NULL)
                return;
            k->list = list, k->cap = cap;
        }
        snprintf(k->list[k->count].id, ID_MAX, "%s", id);
        k->list[k->count++].deadline = monotonic_now() + seconds;
    } else if (sscanf(line, "forget %79s", id) == 1) {
        for (size_t i = 0; i < k->count; i++)
            if (strcmp(k->list[i].id, id) == 0) {
                forget_at(k, i);
                break;
            }
    }
}

/* Reads what is there; the end of the stream means the client is gone. */
static void read_commands(struct keeper *k, int fd, char *buf, size_t *have, size_t size)
{
    ssize_t n = read(fd, buf + *have, size - 1 - *have);
    if (n <= 0) {
        if (n == 0 || (errno != EINTR && errno != EAGAIN))
            k->client_gone = true;
        return;
    }
    *have += (size_t)n;
    buf[*have] = '\0';
    char *start = buf, *nl;
    while ((nl = strchr(start, '\n')) != NULL) {
        *nl = '\0';
        handle_line(k, start);
        start = nl + 1;
    }
    *have = (size_t)(buf + *have - start);
    memmove(buf, start, *have);
    if (*have == size - 1) /* a line too long to be ours */
        *have = 0;
}

/* Ends every container past its deadline: killed while the client lives
 * (it removes its own containers), removed once it is gone. */
static void expire(struct keeper *k)
{
    double now = monotonic_now();
    for (size_t i = 0; i < k->count;) {
        double due = k->list[i].deadline + (k->client_gone ? 0 : k->grace);
        if (due > now) {
            i++;
            continue;
        }
        if (k->docker != NULL) {
            if (k->client_gone)
                sp_docker_container_remove(k->docker, k->list[i].id);
            else
                sp_docker_container_kill(k->docker, k->list[i].id, NULL);
        }
        forget_at(k, i);
    }
}

static int next_wait_ms(const struct keeper *k)
{
    if (k->count == 0)
        return -1;
    double next = k->list[0].deadline;
    for (size_t i = 1; i < k->count; i++)
        if (k->list[i].deadline < next)
            next = k->list[i].deadline;
    double wait = next + (k->client_gone ? 0 : k->grace) - monotonic_now();
    return wait <= 0 ? 0 : (int)(wait * 1000) + 1;
}

int sp_reaper_serve(int fd, double grace)
{
    char err[256];
    struct keeper k = {.grace = grace, .docker = sp_docker_new(err, sizeof err)};
    if (k.docker == NULL)
        fprintf(stderr, "sandprobe reap: %s\n", err);
    char buf[4096];
    size_t have = 0;
    for (;;) {
        expire(&k);
        if (k.client_gone && k.count == 0)
            break;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int rc = poll(&p, k.client_gone ? 0 : 1, next_wait_ms(&k));
        if (rc > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)))
            read_commands(&k, fd, buf, &have, sizeof buf);
    }
    /* Whatever the client created and could not remove (created but never
     * started, a warm pool): its process is gone, so the sweep takes it. */
    int status = -1;
    if (k.docker != NULL) {
        status = sp_docker_sweep(k.docker) < 0 ? -1 : 0;
        sp_docker_free(k.docker);
    }
    free(k.list);
    return status;
}

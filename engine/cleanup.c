/* Clean-up hooks run once however the process ends. Signals are not handled
 * in a signal handler (libcurl and malloc are not async-signal-safe) but by a
 * thread blocked in sigwait(), so the hooks run in an ordinary context. */
#include "sandprobe/cleanup.h"
#include "sandprobe/ticker.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define SP_CLEANUP_MAX 16

struct hook {
    sp_cleanup_fn fn;
    void *arg;
};

static struct hook hooks[SP_CLEANUP_MAX];
static int hook_count;
static pthread_mutex_t hooks_lock = PTHREAD_MUTEX_INITIALIZER;
static int hooks_ran;
static atomic_int signal_received;

int sp_cleanup_register(sp_cleanup_fn fn, void *arg)
{
    int rc = -1;
    pthread_mutex_lock(&hooks_lock);
    if (hook_count < SP_CLEANUP_MAX) {
        hooks[hook_count++] = (struct hook){fn, arg};
        rc = 0;
    }
    pthread_mutex_unlock(&hooks_lock);
    return rc;
}

void sp_cleanup_run(void)
{
    /* Held while the hooks run: a second caller (a signal arriving during a
     * normal exit) waits for the first to finish instead of racing it. */
    pthread_mutex_lock(&hooks_lock);
    if (!hooks_ran) {
        hooks_ran = 1;
        for (int i = hook_count - 1; i >= 0; i--)
            hooks[i].fn(hooks[i].arg);
    }
    pthread_mutex_unlock(&hooks_lock);
}

int sp_cleanup_signal_received(void)
{
    return atomic_load(&signal_received);
}

/* A process that waits for a stop signal (sandprobe serve) gets the first one
 * handed over instead of being ended by it, so it can shut down in order. */
static pthread_mutex_t wait_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wait_cond = PTHREAD_COND_INITIALIZER;
static pthread_once_t wait_once = PTHREAD_ONCE_INIT;
static int takes_signals; /* someone called sp_cleanup_wait_for_signal */
static int handed_over; /* the signal given to the waiters, 0 while none */

/* On the monotonic clock: a wall-clock jump must not cut a wait short. */
static void init_wait_cond(void)
{
    /* Cannot fail on Linux; were it to, the statically initialised
     * condition would still work, on the realtime clock. */
    (void)sp_monotonic_cond_init(&wait_cond);
}

int sp_cleanup_wait_for_signal(double timeout_seconds)
{
    pthread_once(&wait_once, init_wait_cond);
    pthread_mutex_lock(&wait_lock);
    takes_signals = 1;
    if (timeout_seconds < 0) {
        while (handed_over == 0)
            pthread_cond_wait(&wait_cond, &wait_lock);
    } else {
        struct timespec deadline = sp_monotonic_deadline(timeout_seconds);
        while (handed_over == 0 &&
               pthread_cond_timedwait(&wait_cond, &wait_lock, &deadline) != ETIMEDOUT) {
        }
    }
    int sig = handed_over;
    pthread_mutex_unlock(&wait_lock);
    return sig;
}

/* 1 when sig went to the waiters: only the first signal, and only once the
 * process waits for signals (also between two waits: the next one returns
 * it); any other ends the process as usual. */
static int hand_over(int sig)
{
    pthread_once(&wait_once, init_wait_cond);
    pthread_mutex_lock(&wait_lock);
    int taken = takes_signals && handed_over == 0;
    if (taken) {
        handed_over = sig;
        pthread_cond_broadcast(&wait_cond);
    }
    pthread_mutex_unlock(&wait_lock);
    return taken;
}

static void handled_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
}

static void *signal_thread(void *unused)
{
    (void)unused;
    sigset_t set;
    handled_signals(&set);
    int sig = 0;
    do {
        if (sigwait(&set, &sig) != 0)
            return NULL;
        atomic_store(&signal_received, sig);
    } while (hand_over(sig));
    static const char msg[] = "sandprobe: interrupted, removing this run's containers\n";
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
        /* nothing useful to do if stderr is gone */
    }
    sp_cleanup_run();
    _exit(128 + sig);
}

int sp_cleanup_install_signal_handling(void)
{
    /* A shell without job control starts background commands with SIGINT
     * ignored, and an ignored signal never reaches sigwait(): an explicit
     * `kill -INT` must still clean up, so both get their default back. SIGHUP
     * stays as inherited, so that nohup keeps working. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigset_t set;
    handled_signals(&set);
    if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
        return -1;
    pthread_t thread;
    if (pthread_create(&thread, NULL, signal_thread, NULL) != 0)
        return -1;
    pthread_detach(thread);
    return 0;
}

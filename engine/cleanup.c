/* Clean-up hooks run once however the process ends. Signals are not handled
 * in a signal handler (libcurl and malloc are not async-signal-safe) but by a
 * thread blocked in sigwait(), so the hooks run in an ordinary context. */
#include "sandprobe/cleanup.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
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
    if (sigwait(&set, &sig) != 0)
        return NULL;
    atomic_store(&signal_received, sig);
    static const char msg[] = "sandprobe: interrupted, removing this run's containers\n";
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
        /* nothing useful to do if stderr is gone */
    }
    sp_cleanup_run();
    _exit(128 + sig);
}

int sp_cleanup_install_signal_handling(void)
{
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

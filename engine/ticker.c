#include "sandprobe/ticker.h"

#include <errno.h>

int sp_monotonic_cond_init(pthread_cond_t *cond)
{
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0)
        return -1;
    int rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (rc == 0)
        rc = pthread_cond_init(cond, &attr);
    pthread_condattr_destroy(&attr);
    return rc == 0 ? 0 : -1;
}

struct timespec sp_monotonic_deadline(double seconds)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    time_t whole = (time_t)seconds;
    ts.tv_sec += whole;
    ts.tv_nsec += (long)((seconds - (double)whole) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

int sp_ticker_init(struct sp_ticker *t)
{
    t->stopping = false;
    if (sp_monotonic_cond_init(&t->wake) != 0)
        return -1;
    if (pthread_mutex_init(&t->lock, NULL) != 0) {
        pthread_cond_destroy(&t->wake);
        return -1;
    }
    return 0;
}

void sp_ticker_destroy(struct sp_ticker *t)
{
    pthread_cond_destroy(&t->wake);
    pthread_mutex_destroy(&t->lock);
}

bool sp_ticker_wait_locked(struct sp_ticker *t, double seconds)
{
    struct timespec deadline = sp_monotonic_deadline(seconds);
    /* Spurious wake-ups go back to waiting; only the deadline or a stop end it. */
    while (!t->stopping && pthread_cond_timedwait(&t->wake, &t->lock, &deadline) != ETIMEDOUT) {
    }
    return !t->stopping;
}

void sp_ticker_stop(struct sp_ticker *t)
{
    pthread_mutex_lock(&t->lock);
    t->stopping = true;
    pthread_cond_signal(&t->wake);
    pthread_mutex_unlock(&t->lock);
}

/* The wait of a background thread that works every `interval` seconds until
 * it is stopped (the resource monitor, the alert loop). Timed on the
 * monotonic clock, so a wall-clock jump neither stalls nor hurries it. The
 * lock also guards the owner's own state. */
#ifndef SANDPROBE_TICKER_H
#define SANDPROBE_TICKER_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

/* A condition variable whose timed waits use CLOCK_MONOTONIC. 0 or -1. */
int sp_monotonic_cond_init(pthread_cond_t *cond);

/* The CLOCK_MONOTONIC time `seconds` from now, for pthread_cond_timedwait
 * on such a condition variable. */
struct timespec sp_monotonic_deadline(double seconds);

struct sp_ticker {
    pthread_mutex_t lock;
    pthread_cond_t wake; /* signalled by sp_ticker_stop */
    bool stopping;
};

/* 0, or -1 when the lock or condition cannot be made. */
int sp_ticker_init(struct sp_ticker *t);
void sp_ticker_destroy(struct sp_ticker *t);

/* With t->lock held: waits `seconds`, or less if stopped meanwhile. Returns
 * true while the ticker is not stopping. */
bool sp_ticker_wait_locked(struct sp_ticker *t, double seconds);

/* Marks the ticker stopping and wakes its waiter (take t->lock yourself
 * only around your own state, not around this call). */
void sp_ticker_stop(struct sp_ticker *t);

#endif

/* The thread's deadline (include/sandprobe/deadline.h). */
#include "sandprobe/deadline.h"
#include "sandprobe/clock.h"

static _Thread_local double thread_deadline;

void sp_deadline_set(double monotonic_seconds)
{
    thread_deadline = monotonic_seconds > 0 ? monotonic_seconds : 0;
}

double sp_deadline_get(void)
{
    return thread_deadline;
}

long sp_deadline_cap_ms(long timeout_ms, int *capped)
{
    *capped = 0;
    if (thread_deadline == 0)
        return timeout_ms;
    double left_ms = (thread_deadline - sp_clock_monotonic()) * 1000;
    if (left_ms <= 0) {
        *capped = 1;
        return 0;
    }
    if (left_ms < (double)timeout_ms) {
        *capped = 1;
        return left_ms < 1 ? 1 : (long)left_ms;
    }
    return timeout_ms;
}

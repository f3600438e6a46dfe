/* The engine's one clock (include/sandprobe/clock.h). */
#include "sandprobe/clock.h"

#include <time.h>

static double seconds_of(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double sp_clock_wall(void)
{
    return seconds_of(CLOCK_REALTIME);
}

double sp_clock_monotonic(void)
{
    return seconds_of(CLOCK_MONOTONIC);
}

/* The engine's one clock: seconds as doubles, with fractions (nanosecond
 * source, microsecond-ish precision at today's epoch).
 *
 * Wall: seconds since the Unix epoch, for what a reader or another program
 * compares with its own clock (Alertmanager's startsAt, sample timestamps,
 * Docker's events window). Monotonic: seconds since an arbitrary point, for
 * durations and deadlines, never moved by a clock change. Condition-variable
 * deadlines (a struct timespec) are sp_monotonic_deadline in ticker.h. */
#ifndef SANDPROBE_CLOCK_H
#define SANDPROBE_CLOCK_H

double sp_clock_wall(void);
double sp_clock_monotonic(void);

#endif

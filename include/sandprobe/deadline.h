/* The calling thread's deadline: the moment (sp_clock_monotonic seconds) by
 * which whatever this thread is doing must have given up. The scenario guard
 * (guard_lua.c) sets it for the scenario it runs, so that a scenario blocked
 * in a C wait (a request to the Docker daemon, an attach) ends with it
 * instead of running on until the wait's own, longer time-out: the Lua hook
 * that enforces the deadline only fires between Lua instructions.
 *
 * Thread-local because every worker thread runs one scenario at a time in a
 * Lua state of its own. */
#ifndef SANDPROBE_DEADLINE_H
#define SANDPROBE_DEADLINE_H

/* Sets the thread's deadline; 0 clears it. */
void sp_deadline_set(double monotonic_seconds);

/* The thread's deadline, 0 when none is set. */
double sp_deadline_get(void);

/* timeout_ms shortened to what is left before the thread's deadline (at least
 * 1 ms once the deadline is set; 0 when it has passed). *capped is set to 1
 * when the deadline, not timeout_ms, decides. */
long sp_deadline_cap_ms(long timeout_ms, int *capped);

#endif

/* Clean-up that must happen however the process ends: normal exit, an error,
 * SIGINT or SIGTERM. Primitives register a hook (the Docker primitive removes
 * the run's containers); the engine runs the hooks once, from one thread.
 *
 * Signals are taken by a dedicated thread with sigwait(), so hooks run in a
 * normal thread context and may use libcurl, malloc and locks. */
#ifndef SANDPROBE_CLEANUP_H
#define SANDPROBE_CLEANUP_H

typedef void (*sp_cleanup_fn)(void *arg);

/* Registers a hook; hooks run in reverse order of registration. Returns 0 or -1. */
int sp_cleanup_register(sp_cleanup_fn fn, void *arg);

/* Blocks SIGINT/SIGTERM/SIGHUP in the calling thread (and so in every thread
 * created after it) and starts the thread that handles them: it runs the hooks
 * and ends the process with status 128+signal. Call before creating threads. */
int sp_cleanup_install_signal_handling(void);

/* Runs every hook once; later calls do nothing. Safe from any thread. */
void sp_cleanup_run(void);

/* Blocks until SIGINT/SIGTERM/SIGHUP arrives or timeout_seconds pass (< 0:
 * no time limit). From the first call on, the process shuts down by itself:
 * the first signal is handed to the waiters (or to the next wait, if it came
 * between two) instead of ending the process, and the caller runs the clean-up
 * and exits; a second signal ends the process as usual. Once a signal was
 * handed over, every wait returns it at once. Returns the signal, 0 on time-out. */
int sp_cleanup_wait_for_signal(double timeout_seconds);

/* The signal that ended the run, or 0 while none arrived. */
int sp_cleanup_signal_received(void);

#endif

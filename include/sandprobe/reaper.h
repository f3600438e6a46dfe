/* The deadline keeper: a process of its own that kills a sandbox container
 * once its deadline has passed, whether or not the sandprobe process that
 * started it is still alive (a SIGKILLed or stuck client must not leave an
 * endless loop running at full CPU until some later sweep).
 *
 * A sandprobe process starts one keeper the first time it registers a
 * container (the hidden command `sandprobe reap`, in a session of its own
 * so a terminal's Ctrl-C does not reach it) and feeds it over a socket:
 *   "watch <container id> <seconds until the deadline>\n"
 *   "forget <container id>\n"
 * While the client lives, the keeper SIGKILLs a container still watched
 * `grace` seconds after its deadline (the client normally ends it at the
 * deadline itself and forgets it). Once the socket closes (the client is
 * gone, however it ended), each watched container is removed at its
 * deadline, then the leftovers of dead sandprobe processes are swept, and
 * the keeper exits. */
#ifndef SANDPROBE_REAPER_H
#define SANDPROBE_REAPER_H

#include <stddef.h>

/* Registers a container whose program must be over `seconds` from now,
 * starting the keeper if needed. 0, or -1 with a message in err. */
int sp_reaper_watch(const char *container_id, double seconds, char *err, size_t errlen);

/* The container ended in time: the keeper forgets it (best effort). */
void sp_reaper_forget(const char *container_id);

/* The keeper's own loop, reading commands from fd until it closes and every
 * watched container is dealt with. 0, or -1 when the daemon cannot be
 * reached at all. */
int sp_reaper_serve(int fd, double grace);

#endif

/* The composition root: the one place where the engine's primitives meet
 * their observers and the process-wide clean-up. Primitives (docker, monitor)
 * know nothing of the metrics; this hands each its observer or sink and
 * registers the clean-up hooks, once, at start-up. */
#ifndef SANDPROBE_COMPOSE_H
#define SANDPROBE_COMPOSE_H

/* Call once from main, after the signal handling is installed and before any
 * Lua state, client or monitor exists:
 *  - the Docker client reports to the metrics observer (docker_requests,
 *    containers_alive, ...), and its run's containers are removed at exit;
 *  - the resource monitor's default sink records into the metrics. */
void sp_compose_process(void);

#endif

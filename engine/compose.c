/* The composition root (include/sandprobe/compose.h). A new primitive that
 * reports something, or must clean up at exit, is wired here and nowhere
 * else. */
#include "sandprobe/compose.h"
#include "sandprobe/children.h"
#include "sandprobe/cleanup.h"
#include "sandprobe/docker.h"
#include "sandprobe/metrics_observers.h"
#include "sandprobe/monitor.h"

void sp_compose_process(void)
{
    struct sp_docker_observer docker_observer = sp_metrics_docker_observer();
    sp_docker_set_observer(&docker_observer);
    sp_cleanup_register(sp_docker_remove_run_at_exit, NULL);
    /* Registered last, so it runs first: a child still talking to the
     * daemon (the bench's docker CLI) is stopped before the containers go. */
    sp_cleanup_register(sp_children_end_all, NULL);

    struct sp_monitor_sink sink = sp_metrics_monitor_sink();
    sp_monitor_set_default_sink(&sink);
}

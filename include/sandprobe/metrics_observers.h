/* Observers that record into the process-wide metrics catalogue: the
 * resource monitor's sink and the Docker client's observer. The composition
 * root (include/sandprobe/compose.h) installs them; tests may too. Pure C:
 * they work from any thread, with or without a Lua state. */
#ifndef SANDPROBE_METRICS_OBSERVERS_H
#define SANDPROBE_METRICS_OBSERVERS_H

#include "sandprobe/docker.h"
#include "sandprobe/monitor.h"

/* The sink that records monitor samples into the process-wide catalogue:
 * sandprobe_host_memory_available_bytes, sandprobe_host_load1,
 * sandprobe_monitor_samples_total (one per round), and per container (label:
 * the first 12 digits of its id, as `docker ps` shows it)
 * sandprobe_container_memory_usage_bytes and
 * sandprobe_container_cpu_seconds_total, removed when it is untracked. */
struct sp_monitor_sink sp_metrics_monitor_sink(void);

/* The Docker client's observer that records into the catalogue:
 * sandprobe_docker_requests_total{endpoint,method},
 * sandprobe_docker_request_errors_total{endpoint},
 * sandprobe_docker_request_duration_seconds{endpoint} (not for streamed
 * answers), sandprobe_docker_daemon_reachable, sandprobe_containers_alive (a
 * set of this process's live container ids, so a double removal or another
 * process's leftovers cannot skew it) and sandprobe_orphans_swept_total. */
struct sp_docker_observer sp_metrics_docker_observer(void);

#endif

/* The container create spec as scenarios write it, normalised into an Engine
 * API create body. Pure C over cJSON: no I/O, no Lua; the Lua binding
 * (engine/docker_lua.c) converts the table and calls this.
 *
 * What it does, in order: drops "name" (the binding passes it as the query's
 * name), expands `stdin = true` (as `docker run -i`), renames the lower-case
 * aliases (image -> Image, host_config -> HostConfig, ...), refuses any key the
 * Engine API does not know (a misspelt key would be silently ignored by the
 * daemon, and a silently missing NetworkMode or ReadonlyRootfs is a sandbox
 * that does not hold), requires Image, turns an Env map into the Engine's
 * "KEY=value" list, and reads the docker CLI's "512m" sizes in HostConfig.
 *
 * The accepted keys are plain lists at the top of engine/docker_spec.c: a new
 * Engine setting is one word added there. */
#ifndef SANDPROBE_DOCKER_SPEC_H
#define SANDPROBE_DOCKER_SPEC_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* Checks and normalises spec in place. NULL when it is usable, else a
 * one-line message (a constant, or written into msg). */
const char *sp_docker_spec_normalise(cJSON *spec, char *msg, size_t len);

/* Env as {KEY = "value"} in obj becomes ["KEY=value", ...] (in the object's
 * order); an Env that is not an object is left alone. Also used for exec
 * bodies. */
void sp_docker_spec_env_to_list(cJSON *obj);

/* "64m" -> 67108864, as `docker run --memory` reads it (b, k, m, g; powers of
 * 1024; an optional trailing b as in "64mb"). -1 stays -1 (unlimited swap).
 * 0, or -1 for a text that is not such a size. */
int sp_docker_spec_parse_size(const char *text, double *out);

#endif

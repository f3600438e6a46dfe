/* docker: the Docker Engine API for scenarios, a thin layer over docker.c.
 *
 * Each Lua state (one per worker thread) has its own client, kept in the
 * registry, so no handle is ever shared between threads. Containers are
 * userdata whose __close and __gc remove them: `local c <close> =
 * docker.create{...}` leaves nothing behind whatever the scenario does.
 * Environmental failures return nil, message, HTTP status (0 when the daemon
 * was not reached); misuse raises an argument error. */
#include "sandprobe/docker.h"
#include "sandprobe/engine.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLIENT_KEY "sandprobe.docker.client"
#define CONTAINER_MT "sandprobe.docker.container"
#define DEFAULT_MAX_BYTES ((lua_Integer)1024 * 1024)

struct client_slot {
    sp_docker *client;
    int finalized; /* the state is closing: no new client may be stored */
};

/* docker.launch: create + start in a thread of its own, with a client of
 * its own (clients are per thread), so a warm pool brings containers up
 * while its caller runs programs. The handle waits for the thread (settle)
 * before anything touches the container, so nothing else races with it.
 * :retire() is the same for the other end: kill and remove in a thread. */
struct launch {
    pthread_t thread;
    int retire;  /* a removal, not a launch */
    cJSON *spec; /* owned by the thread, which frees it */
    struct sp_docker_endpoint ep;
    char id[SP_DOCKER_ID_MAX];
    int failed;
    long status;
    char error[512];
    atomic_int done;
};

struct container {
    char id[SP_DOCKER_ID_MAX]; /* empty until created */
    int tty;                   /* output is raw, not multiplexed */
    int removed;
    struct launch *launch;     /* a launch not waited for yet */
    int launch_failed;         /* :ready() answers with these */
    long launch_status;
    char launch_error[512];
};

/* ---- the state's client ------------------------------------------------- */

static int client_gc(lua_State *L)
{
    struct client_slot *slot = lua_touserdata(L, 1);
    sp_docker_free(slot->client);
    slot->client = NULL;
    slot->finalized = 1;
    return 0;
}

/* 1 when the state is closing and its client is gone already. */
static int client_finalized(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, CLIENT_KEY);
    struct client_slot *slot = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return slot != NULL && slot->finalized;
}

/* The state's client for the current endpoint: made on first use and made
 * again when --host/DOCKER_HOST changed since. NULL with nil, message, 0
 * pushed when the endpoint is unusable. */
static sp_docker *client(lua_State *L)
{
    char err[512];
    struct sp_docker_endpoint ep;
    if (sp_docker_endpoint_from_environment(&ep, err, sizeof err) != 0) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        lua_pushinteger(L, 0);
        return NULL;
    }
    struct client_slot *slot;
    if (lua_getfield(L, LUA_REGISTRYINDEX, CLIENT_KEY) == LUA_TUSERDATA) {
        slot = lua_touserdata(L, -1);
        lua_pushnil(L); /* the same two slots as the other branch */
    } else {
        slot = lua_newuserdatauv(L, sizeof *slot, 0);
        slot->client = NULL;
        slot->finalized = 0;
        lua_newtable(L);
        lua_pushcfunction(L, client_gc);
        lua_setfield(L, -2, "__gc");
        lua_setmetatable(L, -2);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, CLIENT_KEY);
    }
    lua_pop(L, 2);
    if (slot->client != NULL && strcmp(sp_docker_endpoint(slot->client)->url, ep.url) != 0) {
        sp_docker_free(slot->client);
        slot->client = NULL;
    }
    if (slot->client == NULL && (slot->client = sp_docker_new_for(&ep, err, sizeof err)) == NULL) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        lua_pushinteger(L, 0);
        return NULL;
    }
    return slot->client;
}

static int push_failure(lua_State *L, sp_docker *c)
{
    luaL_pushfail(L);
    lua_pushstring(L, sp_docker_error(c));
    lua_pushinteger(L, sp_docker_status(c));
    return 3;
}

/* Pushes the JSON result of a call, or its failure. */
static int json_result(lua_State *L, sp_docker *c, int rc, cJSON *value)
{
    if (rc != 0)
        return push_failure(L, c);
    if (value == NULL) {
        lua_pushboolean(L, 1);
        return 1;
    }
    sp_json_push_owned(L, value);
    return 1;
}

/* An optional argument as a cJSON tree the caller owns (NULL when nil). */
static cJSON *optional_json(lua_State *L, int idx)
{
    return lua_isnoneornil(L, idx) ? NULL : sp_json_from_lua(L, idx);
}

/* ---- daemon and images -------------------------------------------------- */

/* docker.ping() -> negotiated API version ("1.41") */
static int docker_ping(lua_State *L)
{
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    if (sp_docker_ping(c) != 0)
        return push_failure(L, c);
    lua_pushstring(L, sp_docker_api_version(c));
    return 1;
}

static int docker_version(lua_State *L)
{
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    cJSON *out = NULL;
    int rc = sp_docker_version(c, &out);
    return json_result(L, c, rc, out);
}

static int docker_info(lua_State *L)
{
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    cJSON *out = NULL;
    int rc = sp_docker_info(c, &out);
    return json_result(L, c, rc, out);
}

static int docker_image_inspect(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    cJSON *out = NULL;
    int rc = sp_docker_image_inspect(c, name, &out);
    return json_result(L, c, rc, out);
}

/* docker.image_import(tar_path, "repo:tag") -> image id */
static int docker_image_import(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    const char *repo_tag = luaL_checkstring(L, 2);
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return luaL_fileresult(L, 0, path);
    char id[SP_DOCKER_ID_MAX];
    int rc = sp_docker_image_import(c, fd, repo_tag, id, sizeof id);
    close(fd);
    if (rc != 0)
        return push_failure(L, c);
    lua_pushstring(L, id);
    return 1;
}

/* docker.call(method, path [, body]) -> decoded answer | true: any versioned
 * endpoint the module has no function for. */
static int docker_call(lua_State *L)
{
    static const char *const methods[] = {"GET", "POST", "PUT", "DELETE", "HEAD", NULL};
    const char *method = methods[luaL_checkoption(L, 1, NULL, methods)];
    const char *path = luaL_checkstring(L, 2);
    luaL_argcheck(L, path[0] == '/', 2, "path must start with /");
    cJSON *body = optional_json(L, 3);
    sp_docker *c = client(L);
    if (c == NULL) {
        cJSON_Delete(body);
        return 3;
    }
    cJSON *out = NULL;
    int rc = sp_docker_call(c, method, path, body, &out);
    cJSON_Delete(body);
    return json_result(L, c, rc, out);
}

/* ---- the create spec ---------------------------------------------------- */

/* Engine API names accepted at the top level and in HostConfig. A misspelt
 * key would be silently ignored by the daemon, and a silently missing
 * NetworkMode or ReadonlyRootfs is a sandbox that does not hold. */
static const char *const config_keys[] = {
    "Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr",
    "ExposedPorts", "Tty", "OpenStdin", "StdinOnce", "Env", "Cmd", "Healthcheck",
    "ArgsEscaped", "Image", "Volumes", "WorkingDir", "Entrypoint", "NetworkDisabled",
    "MacAddress", "OnBuild", "Labels", "StopSignal", "StopTimeout", "Shell", "HostConfig",
    "NetworkingConfig", NULL};

static const char *const host_config_keys[] = {
    "CpuShares", "Memory", "CgroupParent", "BlkioWeight", "BlkioWeightDevice",
    "BlkioDeviceReadBps", "BlkioDeviceWriteBps", "BlkioDeviceReadIOps", "BlkioDeviceWriteIOps",
    "CpuPeriod", "CpuQuota", "CpuRealtimePeriod", "CpuRealtimeRuntime", "CpusetCpus",
    "CpusetMems", "Devices", "DeviceCgroupRules", "DeviceRequests", "KernelMemory",
    "KernelMemoryTCP", "MemoryReservation", "MemorySwap", "MemorySwappiness", "NanoCpus",
    "OomKillDisable", "Init", "PidsLimit", "Ulimits", "CpuCount", "CpuPercent",
    "IOMaximumIOps", "IOMaximumBandwidth", "Binds", "ContainerIDFile", "LogConfig",
    "NetworkMode", "PortBindings", "RestartPolicy", "AutoRemove", "VolumeDriver", "VolumesFrom",
    "Mounts", "CapAdd", "CapDrop", "CgroupnsMode", "Dns", "DnsOptions", "DnsSearch",
    "ExtraHosts", "GroupAdd", "IpcMode", "Cgroup", "Links", "OomScoreAdj", "PidMode",
    "Privileged", "PublishAllPorts", "ReadonlyRootfs", "SecurityOpt", "StorageOpt", "Tmpfs",
    "UTSMode", "UsernsMode", "ShmSize", "Sysctls", "Runtime", "ConsoleSize", "Isolation",
    "MaskedPaths", "ReadonlyPaths", NULL};

/* Lower-case shorthands for the most used top-level keys. */
static const char *const aliases[][2] = {
    {"image", "Image"}, {"cmd", "Cmd"}, {"entrypoint", "Entrypoint"}, {"env", "Env"},
    {"labels", "Labels"}, {"user", "User"}, {"working_dir", "WorkingDir"},
    {"host_config", "HostConfig"}, {"tty", "Tty"}, {"stop_timeout", "StopTimeout"},
};

/* Byte sizes that also take the docker CLI's "512m" form. */
static const char *const size_keys[] = {"Memory", "MemorySwap", "MemoryReservation",
                                        "KernelMemory", "KernelMemoryTCP", "ShmSize", NULL};

static int in_list(const char *const *list, const char *key)
{
    for (size_t i = 0; list[i] != NULL; i++)
        if (strcmp(list[i], key) == 0)
            return 1;
    return 0;
}

/* "64m" -> 67108864, as `docker run --memory` reads it (b, k, m, g; powers
 * of 1024). -1 stays -1 (unlimited swap). 0 or -1 on a bad text. */
static int parse_size(const char *text, double *out)
{
    char *end;
    errno = 0;
    double n = strtod(text, &end);
    if (end == text || errno != 0 || n < -1)
        return -1;
    double unit = 1;
    switch (tolower((unsigned char)*end)) {
    case '\0': case 'b': unit = 1; break;
    case 'k': unit = 1024.0; break;
    case 'm': unit = 1024.0 * 1024; break;
    case 'g': unit = 1024.0 * 1024 * 1024; break;
    default: return -1;
    }
    if (*end != '\0' && end[1] != '\0' && !(tolower((unsigned char)end[1]) == 'b' && end[2] == '\0'))
        return -1;
    *out = n * unit;
    return 0;
}

/* Env as {KEY = "value"} becomes ["KEY=value", ...] (sorted, stable). */
static int env_map_to_list(cJSON *config)
{
    cJSON *env = cJSON_GetObjectItemCaseSensitive(config, "Env");
    if (!cJSON_IsObject(env))
        return 0;
    cJSON *list = cJSON_CreateArray();
    const cJSON *item;
    cJSON_ArrayForEach(item, env)
    {
        char *value = cJSON_IsString(item) ? item->valuestring : cJSON_PrintUnformatted(item);
        size_t len = strlen(item->string) + strlen(value ? value : "") + 2;
        char *pair = malloc(len);
        if (pair != NULL) {
            snprintf(pair, len, "%s=%s", item->string, value ? value : "");
            cJSON_AddItemToArray(list, cJSON_CreateString(pair));
        }
        free(pair);
        if (!cJSON_IsString(item))
            free(value);
    }
    cJSON_ReplaceItemInObjectCaseSensitive(config, "Env", list);
    return 0;
}

/* Checks and normalises the create spec in place; NULL or a message. */
static const char *normalise_host_config(cJSON *hc, char *msg, size_t len)
{
    cJSON *item;
    cJSON_ArrayForEach(item, hc)
    {
        if (!in_list(host_config_keys, item->string)) {
            snprintf(msg, len, "unknown HostConfig setting '%s'", item->string);
            return msg;
        }
        if (in_list(size_keys, item->string) && cJSON_IsString(item)) {
            double bytes;
            if (parse_size(item->valuestring, &bytes) != 0) {
                snprintf(msg, len, "bad size '%s' for %s (use bytes or 512k, 64m, 1g)",
                         item->valuestring, item->string);
                return msg;
            }
            cJSON_free(item->valuestring);
            item->valuestring = NULL;
            item->type = cJSON_Number;
            cJSON_SetNumberValue(item, bytes);
        }
    }
    return NULL;
}

static const char *rename_aliases(cJSON *spec, char *msg, size_t len)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        cJSON *value = cJSON_DetachItemFromObjectCaseSensitive(spec, aliases[i][0]);
        if (value == NULL)
            continue;
        if (cJSON_HasObjectItem(spec, aliases[i][1])) {
            cJSON_Delete(value);
            snprintf(msg, len, "both '%s' and '%s' given", aliases[i][0], aliases[i][1]);
            return msg;
        }
        cJSON_AddItemToObject(spec, aliases[i][1], value);
    }
    return NULL;
}

/* `stdin = true`: what attach needs (as `docker run -i`). */
static void expand_stdin(cJSON *spec)
{
    cJSON *flag = cJSON_DetachItemFromObjectCaseSensitive(spec, "stdin");
    if (cJSON_IsTrue(flag)) {
        const char *keys[] = {"OpenStdin", "StdinOnce", "AttachStdin", "AttachStdout",
                              "AttachStderr"};
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (!cJSON_HasObjectItem(spec, keys[i]))
                cJSON_AddTrueToObject(spec, keys[i]);
    }
    cJSON_Delete(flag);
}

static const char *normalise_spec(cJSON *spec, char *msg, size_t len)
{
    if (!cJSON_IsObject(spec))
        return "a table of container settings expected";
    cJSON_Delete(cJSON_DetachItemFromObjectCaseSensitive(spec, "name"));
    expand_stdin(spec);
    const char *err = rename_aliases(spec, msg, len);
    if (err != NULL)
        return err;
    const cJSON *item;
    cJSON_ArrayForEach(item, spec)
    {
        if (!in_list(config_keys, item->string)) {
            snprintf(msg, len, "unknown container setting '%s'", item->string);
            return msg;
        }
    }
    if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(spec, "Image")))
        return "image (a string) is required";
    env_map_to_list(spec);
    cJSON *hc = cJSON_GetObjectItemCaseSensitive(spec, "HostConfig");
    if (hc != NULL && !cJSON_IsObject(hc))
        return "host_config must be a table";
    return hc ? normalise_host_config(hc, msg, len) : NULL;
}

/* ---- containers ---------------------------------------------------------- */

/* Waits for the container's launch thread, if any, and takes its outcome. */
static void settle(struct container *ct)
{
    struct launch *job = ct->launch;
    if (job == NULL)
        return;
    pthread_join(job->thread, NULL);
    memcpy(ct->id, job->id, sizeof ct->id);
    if (job->retire) {
        ct->removed = !job->failed; /* failed: removed again by :remove, __gc, __close */
    } else if (job->failed) {
        ct->removed = 1; /* the thread removed what it had made */
        ct->launch_failed = 1;
        ct->launch_status = job->status;
        memcpy(ct->launch_error, job->error, sizeof ct->launch_error);
    }
    free(job);
    ct->launch = NULL;
}

static struct container *check_container(lua_State *L)
{
    struct container *ct = luaL_checkudata(L, 1, CONTAINER_MT);
    settle(ct);
    return ct;
}

/* Removed already, or never created (a handle whose create failed). */
static bool is_gone(const struct container *ct)
{
    return ct->removed || ct->id[0] == '\0';
}

/* The container for a method that needs it alive. */
static struct container *live_container(lua_State *L)
{
    struct container *ct = check_container(L);
    if (is_gone(ct))
        luaL_error(L, "container %s was removed", ct->id[0] ? ct->id : "(none)");
    return ct;
}

/* __close, __gc and :remove(): removes once; later calls do nothing. */
static int container_remove(lua_State *L)
{
    struct container *ct = check_container(L);
    if (is_gone(ct)) {
        lua_pushboolean(L, 1);
        return 1;
    }
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    if (sp_docker_container_remove(c, ct->id) != 0)
        return push_failure(L, c);
    ct->removed = 1;
    lua_pushboolean(L, 1);
    return 1;
}

/* __close/__gc must not raise: a failed removal is left to the run's
 * clean-up hook, which removes every container labelled with the run id. */
static int container_release(lua_State *L)
{
    struct container *ct = check_container(L);
    if (!is_gone(ct) && client_finalized(L)) {
        /* Closing the state, finalizers in any order: a client of its own. */
        char err[256];
        sp_docker *c = sp_docker_new(err, sizeof err);
        if (c != NULL && sp_docker_container_remove(c, ct->id) == 0)
            ct->removed = 1;
        sp_docker_free(c);
        return 0;
    }
    lua_settop(L, 1);
    lua_pushcfunction(L, container_remove);
    lua_pushvalue(L, 1);
    lua_pcall(L, 1, 0, 0);
    return 0;
}

/* Pushes a container handle, "removed" until a container exists, so an
 * error from here on leaves nothing half-made; returns the spec at index 1 as
 * a normalised create body the caller owns (misuse raises). */
static cJSON *new_handle_for_spec(lua_State *L, struct container **out)
{
    struct container *ct = lua_newuserdatauv(L, sizeof *ct, 0);
    memset(ct, 0, sizeof *ct);
    luaL_setmetatable(L, CONTAINER_MT);
    cJSON *spec = sp_json_from_lua(L, 1);
    char msg[256];
    const char *err = normalise_spec(spec, msg, sizeof msg);
    if (err != NULL) {
        cJSON_Delete(spec);
        luaL_argerror(L, 1, err);
    }
    ct->tty = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(spec, "Tty"));
    *out = ct;
    return spec;
}

/* docker.create(spec) -> container. See docs/docker-module.md for spec. */
static int docker_create(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    const char *name = NULL;
    if (lua_getfield(L, 1, "name") != LUA_TNIL) {
        luaL_argcheck(L, lua_type(L, -1) == LUA_TSTRING, 1, "name must be a string");
        name = lua_tostring(L, -1); /* anchored by the spec table */
    }
    lua_pop(L, 1);
    /* The client first: its registry slot then outlives every container
     * handle when the state closes (finalizers run newest first). */
    if (client(L) == NULL)
        return 3;
    struct container *ct;
    cJSON *spec = new_handle_for_spec(L, &ct);
    sp_docker *c = client(L);
    if (c == NULL) {
        cJSON_Delete(spec);
        return 3;
    }
    int rc = sp_docker_container_create(c, spec, name, ct->id, sizeof ct->id);
    cJSON_Delete(spec);
    if (rc != 0)
        return push_failure(L, c);
    return 1;
}

static void launch_failed(struct launch *job, sp_docker *c, const char *what)
{
    job->failed = 1;
    job->status = c ? sp_docker_status(c) : 0;
    snprintf(job->error, sizeof job->error, "%s: %s", what, c ? sp_docker_error(c) : "no client");
}

static void *launch_main(void *arg)
{
    struct launch *job = arg;
    char err[256];
    sp_docker *c = sp_docker_new_for(&job->ep, err, sizeof err);
    if (c == NULL) {
        job->failed = 1;
        snprintf(job->error, sizeof job->error, "%s", err);
    } else if (sp_docker_container_create(c, job->spec, NULL, job->id, sizeof job->id) != 0) {
        launch_failed(job, c, "create");
    } else if (sp_docker_container_start(c, job->id) != 0) {
        launch_failed(job, c, "start");
        sp_docker_container_remove(c, job->id);
    }
    cJSON_Delete(job->spec);
    job->spec = NULL;
    sp_docker_free(c);
    atomic_store(&job->done, 1);
    return NULL;
}

/* docker.launch(spec) -> container at once; create and start go on in a
 * thread. :ready() waits for them; any other method waits first too. The
 * spec is checked here, as by docker.create (misuse raises now). */
static int docker_launch(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argcheck(L, lua_getfield(L, 1, "name") == LUA_TNIL, 1, "launch takes no name");
    lua_pop(L, 1);
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    struct container *ct;
    cJSON *spec = new_handle_for_spec(L, &ct);
    struct launch *job = calloc(1, sizeof *job);
    if (job == NULL) {
        cJSON_Delete(spec);
        return luaL_error(L, "out of memory");
    }
    job->spec = spec;
    job->ep = *sp_docker_endpoint(c);
    int rc = pthread_create(&job->thread, NULL, launch_main, job);
    if (rc != 0) {
        cJSON_Delete(spec);
        free(job);
        luaL_pushfail(L);
        lua_pushfstring(L, "launch: cannot start a thread: %s", strerror(rc));
        lua_pushinteger(L, 0);
        return 3;
    }
    ct->launch = job;
    return 1;
}

static void *retire_main(void *arg)
{
    struct launch *job = arg;
    char err[256];
    sp_docker *c = sp_docker_new_for(&job->ep, err, sizeof err);
    job->failed = c == NULL || sp_docker_container_remove(c, job->id) != 0;
    sp_docker_free(c);
    atomic_store(&job->done, 1);
    return NULL;
}

/* :retire() -> true at once: the container is removed (force: killed first
 * if it still runs) by a thread with a client of its own, so the caller does
 * not wait for the daemon to handle its exit. The handle counts as removed;
 * :retiring() asks whether the thread is still at work; every other method,
 * __gc and __close wait for it (and remove again if it failed). Without a
 * thread it removes at once, as :remove() does. */
static int container_retire(lua_State *L)
{
    struct container *ct = check_container(L);
    if (is_gone(ct)) {
        lua_pushboolean(L, 1);
        return 1;
    }
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    struct launch *job = calloc(1, sizeof *job);
    if (job == NULL)
        return luaL_error(L, "out of memory");
    job->retire = 1;
    memcpy(job->id, ct->id, sizeof job->id);
    job->ep = *sp_docker_endpoint(c);
    if (pthread_create(&job->thread, NULL, retire_main, job) != 0) {
        free(job);
        return container_remove(L);
    }
    ct->launch = job;
    ct->removed = 1;
    lua_pushboolean(L, 1);
    return 1;
}

/* :ready() -> true once launched and running, or nil, message, status (the
 * launch failed; nothing of it is left). true for a container not launched. */
static int container_ready(lua_State *L)
{
    struct container *ct = check_container(L);
    if (ct->launch_failed) {
        luaL_pushfail(L);
        lua_pushstring(L, ct->launch_error);
        lua_pushinteger(L, ct->launch_status);
        return 3;
    }
    lua_pushboolean(L, 1);
    return 1;
}

/* :launching() and :retiring() -> true while the container's thread (launch
 * or retire) is still at work (does not wait). */
static int container_in_thread(lua_State *L)
{
    struct container *ct = luaL_checkudata(L, 1, CONTAINER_MT);
    lua_pushboolean(L, ct->launch != NULL && !atomic_load(&ct->launch->done));
    return 1;
}

static int container_id(lua_State *L)
{
    lua_pushstring(L, check_container(L)->id);
    return 1;
}

static int container_tostring(lua_State *L)
{
    struct container *ct = check_container(L);
    lua_pushfstring(L, "docker container %s%s", ct->id[0] ? ct->id : "(none)",
                    ct->removed ? " (removed)" : "");
    return 1;
}

/* Pushes true or the failure of the last call. */
static int status_result(lua_State *L, sp_docker *c, int rc)
{
    if (rc != 0)
        return push_failure(L, c);
    lua_pushboolean(L, 1);
    return 1;
}

static int container_start(lua_State *L)
{
    struct container *ct = live_container(L);
    sp_docker *c = client(L);
    return c ? status_result(L, c, sp_docker_container_start(c, ct->id)) : 3;
}

/* :kill([signal]) -> true; signal a name ("SIGTERM") or number, SIGKILL by default */
static int container_kill(lua_State *L)
{
    struct container *ct = live_container(L);
    const char *signal = luaL_optstring(L, 2, "SIGKILL");
    sp_docker *c = client(L);
    return c ? status_result(L, c, sp_docker_container_kill(c, ct->id, signal)) : 3;
}

/* :wait([timeout_seconds]) -> {status_code=, timed_out=} */
static int container_wait(lua_State *L)
{
    struct container *ct = live_container(L);
    lua_Number timeout = luaL_optnumber(L, 2, 0);
    luaL_argcheck(L, timeout >= 0, 2, "negative timeout");
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    struct sp_docker_wait_result w;
    if (sp_docker_container_wait(c, ct->id, (long)(timeout * 1000), &w) != 0)
        return push_failure(L, c);
    lua_createtable(L, 0, 2);
    lua_pushinteger(L, w.status_code);
    lua_setfield(L, -2, "status_code");
    lua_pushboolean(L, w.timed_out);
    lua_setfield(L, -2, "timed_out");
    return 1;
}

/* Options shared by logs, attach and exec: {max_bytes=, timeout=}. */
struct stream_options {
    size_t max_bytes;
    long timeout_ms;
};

static struct stream_options stream_options(lua_State *L, int idx)
{
    struct stream_options o = {(size_t)DEFAULT_MAX_BYTES, 0};
    if (lua_isnoneornil(L, idx))
        return o;
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_getfield(L, idx, "max_bytes");
    lua_Integer max = luaL_optinteger(L, -1, DEFAULT_MAX_BYTES);
    luaL_argcheck(L, max >= 0, idx, "max_bytes must not be negative");
    o.max_bytes = (size_t)max;
    lua_getfield(L, idx, "timeout");
    lua_Number timeout = luaL_optnumber(L, -1, 0);
    luaL_argcheck(L, timeout >= 0, idx, "timeout must not be negative");
    o.timeout_ms = (long)(timeout * 1000);
    lua_pop(L, 2);
    return o;
}

/* {stdout=, stderr=, stdout_truncated=, stderr_truncated=}; with a stop
 * marker also stopped=, the trailer of each stream that ended with it, and
 * <stream>_after_marker=true when bytes followed that trailer. */
static int push_output(lua_State *L)
{
    const struct sp_docker_demux *d = lua_touserdata(L, 1);
    static const char *const names[2][2] = {{"stdout", "stdout_truncated"},
                                            {"stderr", "stderr_truncated"}};
    static const char *const trailers[2] = {"stdout_trailer", "stderr_trailer"};
    lua_createtable(L, 0, 5);
    for (int i = 0; i < 2; i++) {
        const struct sp_docker_capture *cap = &d->out[i];
        lua_pushlstring(L, cap->data ? cap->data : "", cap->len);
        lua_setfield(L, -2, names[i][0]);
        lua_pushboolean(L, cap->truncated);
        lua_setfield(L, -2, names[i][1]);
        if (cap->stopped) {
            lua_pushlstring(L, cap->trailer, cap->trailer_len);
            lua_setfield(L, -2, trailers[i]);
            if (cap->after_stop > 0) {
                lua_pushboolean(L, 1);
                lua_setfield(L, -2, i == 0 ? "stdout_after_marker" : "stderr_after_marker");
            }
        }
    }
    if (d->marker != NULL) {
        lua_pushboolean(L, sp_docker_demux_stopped(d));
        lua_setfield(L, -2, "stopped");
    }
    return 1;
}

/* Pushes the output table, or the failure; frees d either way. */
static int output_result(lua_State *L, sp_docker *c, int rc, struct sp_docker_demux *d)
{
    if (rc != 0) {
        sp_docker_demux_free(d);
        return push_failure(L, c);
    }
    /* Pushing may raise (out of memory); d must not leak then. */
    lua_pushcfunction(L, push_output);
    lua_pushlightuserdata(L, d);
    int status = lua_pcall(L, 1, 1, 0);
    sp_docker_demux_free(d);
    if (status != LUA_OK)
        return lua_error(L);
    return 1;
}

/* :logs{max_bytes=} -> output table */
static int container_logs(lua_State *L)
{
    struct container *ct = live_container(L);
    struct stream_options o = stream_options(L, 2);
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    struct sp_docker_demux d;
    sp_docker_demux_init(&d, o.max_bytes, ct->tty);
    return output_result(L, c, sp_docker_container_logs(c, ct->id, &d), &d);
}

/* :attach(stdin_bytes [, {max_bytes=, timeout=, start=true, stop_marker=}])
 * -> output table with timed_out. Starts the container once attached unless
 * start=false. With stop_marker, reading ends once every stream has ended
 * with "<stop_marker><trailer>\n" (sp_docker_demux_stop_at). */
static int container_attach(lua_State *L)
{
    struct container *ct = live_container(L);
    size_t stdin_len = 0;
    const char *stdin_data = luaL_optlstring(L, 2, "", &stdin_len);
    struct stream_options o = stream_options(L, 3);
    int start = 1;
    const char *marker = NULL; /* stays on the stack while d uses it */
    size_t marker_len = 0;
    if (lua_istable(L, 3)) {
        if (lua_getfield(L, 3, "start") != LUA_TNIL)
            start = lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (lua_getfield(L, 3, "stop_marker") != LUA_TNIL) {
            luaL_argcheck(L, lua_type(L, -1) == LUA_TSTRING, 3, "stop_marker must be a string");
            marker = lua_tolstring(L, -1, &marker_len);
        }
    }
    struct sp_docker_demux d;
    sp_docker_demux_init(&d, o.max_bytes, ct->tty);
    luaL_argcheck(L, marker == NULL || sp_docker_demux_stop_at(&d, marker, marker_len) == 0, 3,
                  "stop_marker must be 1 to 64 bytes, its first byte not repeated in it");
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    struct sp_docker_attach_options ao = {stdin_data, stdin_len, o.timeout_ms, start};
    int timed_out = 0;
    int rc = sp_docker_container_attach(c, ct->id, &ao, &d, &timed_out);
    if (output_result(L, c, rc, &d) != 1)
        return 3;
    lua_pushboolean(L, timed_out);
    lua_setfield(L, -2, "timed_out");
    return 1;
}

/* Builds the Engine exec body from {cmd=, env=, user=, working_dir=, tty=,
 * privileged=}. */
static cJSON *exec_body(lua_State *L, int idx)
{
    static const char *const keys[][2] = {{"cmd", "Cmd"},   {"env", "Env"},
                                          {"user", "User"}, {"working_dir", "WorkingDir"},
                                          {"tty", "Tty"},   {"privileged", "Privileged"}};
    lua_createtable(L, 0, 6);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        lua_getfield(L, idx, keys[i][0]);
        lua_setfield(L, -2, keys[i][1]);
    }
    cJSON *body = sp_json_from_lua(L, -1);
    lua_pop(L, 1);
    env_map_to_list(body);
    return body;
}

static int exec_exit_code(sp_docker *c, const char *exec_id, lua_Integer *code)
{
    cJSON *info = NULL;
    if (sp_docker_exec_inspect(c, exec_id, &info) != 0)
        return -1;
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(info, "ExitCode");
    *code = cJSON_IsNumber(value) ? (lua_Integer)value->valuedouble : -1;
    cJSON_Delete(info);
    return 0;
}

/* :exec{cmd={...}, env=, user=, working_dir=, tty=, max_bytes=, timeout=}
 * -> output table with exit_code */
static int container_exec(lua_State *L)
{
    struct container *ct = live_container(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_getfield(L, 2, "cmd");
    luaL_argcheck(L, lua_istable(L, -1), 2, "cmd (a list of strings) is required");
    lua_pop(L, 1);
    struct stream_options o = stream_options(L, 2);
    cJSON *body = exec_body(L, 2);
    int tty = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(body, "Tty"));
    sp_docker *c = client(L);
    if (c == NULL) {
        cJSON_Delete(body);
        return 3;
    }
    char exec_id[SP_DOCKER_ID_MAX];
    int rc = sp_docker_exec_create(c, ct->id, body, exec_id, sizeof exec_id);
    cJSON_Delete(body);
    if (rc != 0)
        return push_failure(L, c);
    struct sp_docker_demux d;
    sp_docker_demux_init(&d, o.max_bytes, tty);
    lua_Integer code = -1;
    rc = sp_docker_exec_start(c, exec_id, o.timeout_ms, &d);
    if (rc == 0)
        rc = exec_exit_code(c, exec_id, &code);
    if (output_result(L, c, rc, &d) != 1)
        return 3;
    lua_pushinteger(L, code);
    lua_setfield(L, -2, "exit_code");
    return 1;
}

static int container_inspect(lua_State *L)
{
    struct container *ct = live_container(L);
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    cJSON *out = NULL;
    int rc = sp_docker_container_inspect(c, ct->id, &out);
    return json_result(L, c, rc, out);
}

static int container_stats(lua_State *L)
{
    struct container *ct = live_container(L);
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    cJSON *out = NULL;
    int rc = sp_docker_container_stats(c, ct->id, &out);
    return json_result(L, c, rc, out);
}

/* ---- lists, events, clean-up --------------------------------------------- */

/* labels as {"k=v", "k"} or {k = "v"} -> NULL-terminated strings on the
 * stack (anchored in a table at the top). */
static const char **label_list(lua_State *L, int idx)
{
    lua_newtable(L); /* anchor for the strings */
    int anchor = lua_gettop(L);
    size_t n = 0;
    if (lua_istable(L, idx)) {
        lua_pushnil(L);
        while (lua_next(L, idx) != 0) { /* key, value */
            const char *value = luaL_tolstring(L, -1, NULL); /* key, value, text */
            if (lua_type(L, -3) == LUA_TSTRING)
                lua_pushfstring(L, "%s=%s", lua_tostring(L, -3), value);
            else
                lua_pushvalue(L, -1);
            lua_rawseti(L, anchor, (lua_Integer)++n);
            lua_pop(L, 2); /* key */
        }
    }
    const char **labels = lua_newuserdatauv(L, (n + 1) * sizeof *labels, 0);
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, anchor, (lua_Integer)i + 1);
        labels[i] = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    labels[n] = NULL;
    return labels;
}

/* docker.list{labels=, all=true} -> the Engine's container summaries */
static int docker_list(lua_State *L)
{
    int all = 1;
    const char **labels = NULL;
    if (!lua_isnoneornil(L, 1)) {
        luaL_checktype(L, 1, LUA_TTABLE);
        lua_getfield(L, 1, "all");
        all = lua_isnil(L, -1) || lua_toboolean(L, -1);
        lua_getfield(L, 1, "labels");
        labels = label_list(L, lua_gettop(L));
    }
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    cJSON *out = NULL;
    int rc = sp_docker_container_list(c, labels, all, &out);
    return json_result(L, c, rc, out);
}

/* docker.events{since=, until=, filters=} -> list of events (until defaults to
 * now, so the call returns) */
static int docker_events(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "since");
    lua_Number since = luaL_optnumber(L, -1, 0);
    lua_getfield(L, 1, "until");
    lua_Number until = luaL_optnumber(L, -1, 0);
    lua_getfield(L, 1, "filters");
    cJSON *filters = optional_json(L, -1);
    sp_docker *c = client(L);
    if (c == NULL) {
        cJSON_Delete(filters);
        return 3;
    }
    cJSON *out = NULL;
    int rc = sp_docker_events(c, since, until, filters, &out);
    cJSON_Delete(filters);
    return json_result(L, c, rc, out);
}

/* Pushes a count, or the failure. */
static int count_result(lua_State *L, sp_docker *c, int count)
{
    if (count < 0)
        return push_failure(L, c);
    lua_pushinteger(L, count);
    return 1;
}

static int docker_sweep(lua_State *L)
{
    sp_docker *c = client(L);
    return c ? count_result(L, c, sp_docker_sweep(c)) : 3;
}

static int docker_remove_run(lua_State *L)
{
    sp_docker *c = client(L);
    return c ? count_result(L, c, sp_docker_remove_run(c)) : 3;
}

static int docker_run_id(lua_State *L)
{
    lua_pushstring(L, sp_docker_run_id());
    return 1;
}

/* docker.endpoint() -> the daemon's URL ("unix:///var/run/docker.sock") */
static int docker_endpoint(lua_State *L)
{
    char err[512];
    struct sp_docker_endpoint ep;
    if (sp_docker_endpoint_from_environment(&ep, err, sizeof err) != 0) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    lua_pushstring(L, ep.url);
    return 1;
}

int luaopen_sandprobe_docker(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"ping", docker_ping},
        {"version", docker_version},
        {"info", docker_info},
        {"image_inspect", docker_image_inspect},
        {"image_import", docker_image_import},
        {"create", docker_create},
        {"launch", docker_launch},
        {"list", docker_list},
        {"events", docker_events},
        {"sweep", docker_sweep},
        {"remove_run", docker_remove_run},
        {"run_id", docker_run_id},
        {"endpoint", docker_endpoint},
        {"call", docker_call},
        {NULL, NULL},
    };
    static const luaL_Reg methods[] = {
        {"id", container_id},
        {"ready", container_ready},
        {"launching", container_in_thread},
        {"retiring", container_in_thread},
        {"retire", container_retire},
        {"start", container_start},
        {"wait", container_wait},
        {"logs", container_logs},
        {"attach", container_attach},
        {"exec", container_exec},
        {"inspect", container_inspect},
        {"stats", container_stats},
        {"kill", container_kill},
        {"remove", container_remove},
        {NULL, NULL},
    };
    static const luaL_Reg metamethods[] = {
        {"__gc", container_release},
        {"__close", container_release},
        {"__tostring", container_tostring},
        {"__index", NULL},
        {NULL, NULL},
    };
    luaL_newmetatable(L, CONTAINER_MT);
    luaL_setfuncs(L, metamethods, 0);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    luaL_newlib(L, functions);
    return 1;
}

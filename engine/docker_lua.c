/* docker: the Docker Engine API for scenarios, a thin layer over docker.c
 * (requests), docker_spec.c (the create spec) and docker_launch.c (launch and
 * retire in the background).
 *
 * Each Lua state (one per worker thread) has its own client, kept in the
 * registry, so no handle is ever shared between threads. Containers are
 * userdata whose __close and __gc remove them: `local c <close> =
 * docker.create{...}` leaves nothing behind whatever the scenario does.
 * Environmental failures return nil, message, HTTP status (0 when the daemon
 * was not reached); misuse raises an argument error.
 *
 * Over 600 lines, knowingly: one short binding per Engine API call and
 * container method, with no logic of its own left (the spec, the jobs and
 * the requests are in C files of their own). */
#include "sandprobe/docker.h"
#include "sandprobe/docker_spec.h"
#include "sandprobe/engine.h"

#include <fcntl.h>
#include <lauxlib.h>
#include <stdbool.h>
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

/* docker.launch and :retire() hand the container to a background job
 * (sp_docker_launch, sp_docker_retire); the handle waits for it (settle)
 * before anything touches the container, so nothing else races with it. */
struct container {
    char id[SP_DOCKER_ID_MAX]; /* empty until created */
    int tty;                   /* output is raw, not multiplexed */
    int removed;
    sp_docker_job *job;        /* a launch or retire not waited for yet */
    int job_is_retire;
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

/* A daemon query without arguments: its JSON answer, or the failure. */
static int daemon_query(lua_State *L, int (*query)(sp_docker *, cJSON **))
{
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    cJSON *out = NULL;
    int rc = query(c, &out);
    return json_result(L, c, rc, out);
}

static int docker_version(lua_State *L)
{
    return daemon_query(L, sp_docker_version);
}

static int docker_info(lua_State *L)
{
    return daemon_query(L, sp_docker_info);
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

/* ---- containers ---------------------------------------------------------- */

/* Waits for the container's background job (launch or retire), if any, and
 * takes its outcome. */
static void settle(struct container *ct)
{
    if (ct->job == NULL)
        return;
    struct sp_docker_job_result r;
    sp_docker_job_finish(ct->job, &r);
    ct->job = NULL;
    memcpy(ct->id, r.id, sizeof ct->id);
    if (ct->job_is_retire) {
        ct->removed = !r.failed; /* failed: removed again by :remove, __gc, __close */
    } else if (r.failed) {
        ct->removed = 1; /* the thread removed what it had made */
        ct->launch_failed = 1;
        ct->launch_status = r.status;
        memcpy(ct->launch_error, r.error, sizeof ct->launch_error);
    }
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

/* The start of :remove and :retire: the container and the state's client,
 * or NULL with the answer pushed and its count in *nret (true: gone already;
 * nil, message, 0: no client). */
static sp_docker *removal_client(lua_State *L, struct container **ct, int *nret)
{
    *ct = check_container(L);
    if (is_gone(*ct)) {
        lua_pushboolean(L, 1);
        *nret = 1;
        return NULL;
    }
    *nret = 3;
    return client(L);
}

/* __close, __gc and :remove(): removes once; later calls do nothing. */
static int container_remove(lua_State *L)
{
    struct container *ct;
    int nret;
    sp_docker *c = removal_client(L, &ct, &nret);
    if (c == NULL)
        return nret;
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
    const char *err = sp_docker_spec_normalise(spec, msg, sizeof msg);
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
    char err[256];
    ct->job = sp_docker_launch(sp_docker_endpoint(c), spec, err, sizeof err);
    if (ct->job == NULL) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        lua_pushinteger(L, 0);
        return 3;
    }
    return 1;
}

/* :retire() -> true at once: the container is removed (force: killed first
 * if it still runs) by a thread with a client of its own, so the caller does
 * not wait for the daemon to handle its exit. The handle counts as removed;
 * :retiring() asks whether the thread is still at work; every other method,
 * __gc and __close wait for it (and remove again if it failed). Without a
 * thread it removes at once, as :remove() does. */
static int container_retire(lua_State *L)
{
    struct container *ct;
    int nret;
    sp_docker *c = removal_client(L, &ct, &nret);
    if (c == NULL)
        return nret;
    ct->job = sp_docker_retire(sp_docker_endpoint(c), ct->id);
    if (ct->job == NULL)
        return container_remove(L);
    ct->job_is_retire = 1;
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
    lua_pushboolean(L, ct->job != NULL && !sp_docker_job_done(ct->job));
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

/* :logs{max_bytes=, timeout=} -> output table */
static int container_logs(lua_State *L)
{
    struct container *ct = live_container(L);
    struct stream_options o = stream_options(L, 2);
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    struct sp_docker_demux d;
    sp_docker_demux_init(&d, o.max_bytes, ct->tty);
    return output_result(L, c, sp_docker_container_logs(c, ct->id, o.timeout_ms, &d), &d);
}

/* :attach(stdin_bytes [, {max_bytes=, timeout=, start=true, stop_marker=, flood_bytes=}])
 * -> output table with timed_out and flooded | nil, message, status, output so
 * far. Starts the container once attached unless start=false. With
 * stop_marker, reading ends once every stream has ended with
 * "<stop_marker><trailer>
" (sp_docker_demux_stop_at); with flood_bytes, once
 * the streams together passed that many bytes. */
static int container_attach(lua_State *L)
{
    struct container *ct = live_container(L);
    size_t stdin_len = 0;
    const char *stdin_data = luaL_optlstring(L, 2, "", &stdin_len);
    struct stream_options o = stream_options(L, 3);
    int start = 1;
    const char *marker = NULL; /* stays on the stack while d uses it */
    size_t marker_len = 0;
    lua_Integer flood_bytes = 0;
    if (lua_istable(L, 3)) {
        lua_getfield(L, 3, "flood_bytes");
        flood_bytes = luaL_optinteger(L, -1, 0);
        luaL_argcheck(L, flood_bytes >= 0, 3, "flood_bytes must not be negative");
        lua_pop(L, 1);
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
    struct sp_docker_attach_options ao = {stdin_data, stdin_len, o.timeout_ms, start,
                                          (size_t)flood_bytes};
    int timed_out = 0;
    int rc = sp_docker_container_attach(c, ct->id, &ao, &d, &timed_out);
    if (rc != 0) {
        /* What the program wrote before the daemon failed is kept: nil,
         * message, status, and that output as a fourth value. */
        push_failure(L, c);
        rc = 0;
        output_result(L, c, rc, &d);
        return 4;
    }
    int flooded = sp_docker_attach_flooded(&ao, &d);
    if (output_result(L, c, rc, &d) != 1)
        return 3;
    lua_pushboolean(L, timed_out);
    lua_setfield(L, -2, "timed_out");
    lua_pushboolean(L, flooded);
    lua_setfield(L, -2, "flooded");
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
    sp_docker_spec_env_to_list(body);
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

/* A query about a live container: its JSON answer, or the failure. */
static int container_query(lua_State *L, int (*query)(sp_docker *, const char *, cJSON **))
{
    struct container *ct = live_container(L);
    sp_docker *c = client(L);
    if (c == NULL)
        return 3;
    cJSON *out = NULL;
    int rc = query(c, ct->id, &out);
    return json_result(L, c, rc, out);
}

static int container_inspect(lua_State *L)
{
    return container_query(L, sp_docker_container_inspect);
}

static int container_stats(lua_State *L)
{
    return container_query(L, sp_docker_container_stats);
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

/* docker.unreachable() -> the reason, once a request went unanswered in this
 * process (every later request fails at once); nil while none did. */
static int docker_unreachable(lua_State *L)
{
    char reason[512];
    if (!sp_docker_unreachable(reason, sizeof reason))
        return 0;
    lua_pushstring(L, reason);
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
        {"unreachable", docker_unreachable},
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

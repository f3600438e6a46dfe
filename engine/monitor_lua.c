/* monitor: the process-wide resource monitor for Lua. Every engine state
 * (one per worker) shares the one monitor, so a sandbox in any worker tracks
 * its container in the same place.
 *   monitor.start{interval=, root=, proc=} -> true | nil, message
 *   monitor.track(id [, pid])               -> true | nil, message
 *   monitor.untrack(id)
 *   monitor.latest()                        -> table | nil, "monitor not running"
 *   monitor.running()                       -> boolean
 *   monitor.stop()
 * The monitor starts with the default sink (sp_monitor_set_default_sink). */
#include "lua_util.h"
#include "sandprobe/cleanup.h"
#include "sandprobe/engine.h"
#include "sandprobe/monitor.h"

#include <lauxlib.h>
#include <pthread.h>

/* Guards `running`; held only for start/stop/lookups, never while Lua runs. */
static pthread_mutex_t running_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sp_monitor *running;
static int cleanup_registered;

static void stop_running(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&running_lock);
    struct sp_monitor *m = running;
    running = NULL;
    pthread_mutex_unlock(&running_lock);
    sp_monitor_stop(m);
}

static int monitor_start(lua_State *L)
{
    struct sp_monitor_config cfg = {.sink = sp_monitor_default_sink()};
    if (!lua_isnoneornil(L, 1)) {
        luaL_checktype(L, 1, LUA_TTABLE);
        lua_getfield(L, 1, "interval");
        cfg.interval_seconds = luaL_optnumber(L, -1, SP_MONITOR_DEFAULT_INTERVAL);
        lua_pop(L, 1);
        luaL_argcheck(L, cfg.interval_seconds >= SP_MONITOR_MIN_INTERVAL, 1,
                      "interval too small");
        cfg.cgroup_root = sp_lua_opt_string_field(L, 1, "root");
        cfg.proc_root = sp_lua_opt_string_field(L, 1, "proc");
    }
    char err[256] = "monitor already running";
    pthread_mutex_lock(&running_lock);
    struct sp_monitor *m = running == NULL ? sp_monitor_start(&cfg, err, sizeof err) : NULL;
    if (m != NULL) {
        running = m;
        if (!cleanup_registered)
            cleanup_registered = sp_cleanup_register(stop_running, NULL) == 0;
    }
    pthread_mutex_unlock(&running_lock);
    if (m == NULL) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int monitor_stop(lua_State *L)
{
    (void)L;
    stop_running(NULL);
    return 0;
}

static int not_running(lua_State *L)
{
    luaL_pushfail(L);
    lua_pushliteral(L, "monitor not running");
    return 2;
}

static int monitor_track(lua_State *L)
{
    const char *id = luaL_checkstring(L, 1);
    lua_Integer pid = luaL_optinteger(L, 2, 0);
    luaL_argcheck(L, sp_cgroup_valid_id(id), 1, "not a full container id (64 hex digits)");
    luaL_argcheck(L, pid >= 0, 2, "pid must not be negative");
    pthread_mutex_lock(&running_lock);
    int rc = running != NULL ? sp_monitor_track(running, id, (long)pid) : 1;
    pthread_mutex_unlock(&running_lock);
    if (rc == 1)
        return not_running(L);
    if (rc != 0)
        return luaL_error(L, "monitor: out of memory");
    lua_pushboolean(L, 1);
    return 1;
}

static int monitor_untrack(lua_State *L)
{
    const char *id = luaL_checkstring(L, 1);
    pthread_mutex_lock(&running_lock);
    if (running != NULL)
        sp_monitor_untrack(running, id);
    pthread_mutex_unlock(&running_lock);
    return 0;
}

static int monitor_running(lua_State *L)
{
    pthread_mutex_lock(&running_lock);
    lua_pushboolean(L, running != NULL);
    pthread_mutex_unlock(&running_lock);
    return 1;
}

static void push_host(lua_State *L, const struct sp_host_sample *h)
{
    lua_createtable(L, 0, 6);
    sp_lua_set_number(L, "time", h->time);
    if (h->memory_present) {
        sp_lua_set_integer(L, "memory_total_bytes", (lua_Integer)h->memory_total_bytes);
        sp_lua_set_integer(L, "memory_available_bytes", (lua_Integer)h->memory_available_bytes);
    }
    if (h->load_present) {
        sp_lua_set_number(L, "load1", h->load1);
        sp_lua_set_number(L, "load5", h->load5);
        sp_lua_set_number(L, "load15", h->load15);
    }
}

/* One container: the cgroup.read fields of its last good sample, plus pid,
 * time (of that sample) and error (of the last attempt, when it failed). */
static void push_container(lua_State *L, const struct sp_monitor_container *c)
{
    if (c->sampled) {
        sp_lua_push_cgroup_stats(L, &c->stats);
        sp_lua_set_number(L, "time", c->time);
    } else {
        lua_newtable(L);
    }
    sp_lua_set_integer(L, "pid", c->pid);
    if (c->error[0] != '\0')
        sp_lua_set_string(L, "error", c->error);
}

static int monitor_latest(lua_State *L)
{
    struct sp_monitor_snapshot snap;
    pthread_mutex_lock(&running_lock);
    int rc = running != NULL ? sp_monitor_latest(running, &snap) : 1;
    pthread_mutex_unlock(&running_lock);
    if (rc == 1)
        return not_running(L);
    if (rc != 0)
        return luaL_error(L, "monitor: out of memory");
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, (lua_Integer)snap.cycles);
    lua_setfield(L, -2, "cycles");
    push_host(L, &snap.host);
    lua_setfield(L, -2, "host");
    lua_createtable(L, 0, (int)snap.count);
    for (size_t i = 0; i < snap.count; i++) {
        push_container(L, &snap.containers[i]);
        lua_setfield(L, -2, snap.containers[i].id);
    }
    lua_setfield(L, -2, "containers");
    sp_monitor_snapshot_free(&snap);
    return 1;
}

int luaopen_sandprobe_monitor(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"start", monitor_start},   {"stop", monitor_stop},     {"track", monitor_track},
        {"untrack", monitor_untrack}, {"latest", monitor_latest}, {"running", monitor_running},
        {NULL, NULL},
    };
    luaL_newlib(L, functions);
    return 1;
}

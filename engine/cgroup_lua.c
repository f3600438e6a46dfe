/* cgroup: a container's memory, pids and CPU accounting for Lua.
 *   cgroup.read(id [, {pid=, root=, proc=}]) -> stats | nil, message
 *   cgroup.version([root])                   -> 1 | 2 | nil, message
 * A value whose file is missing is nil; an unlimited limit is the string
 * "max" (so "no limit" and "unknown" stay distinguishable). See
 * docs/cgroup-module.md. */
#include "lua_util.h"
#include "sandprobe/cgroup.h"
#include "sandprobe/engine.h"

#include <lauxlib.h>

static void set_value(lua_State *L, const char *field, struct sp_cgroup_value v)
{
    if (!v.present)
        return;
    if (v.unlimited)
        lua_pushliteral(L, "max");
    else
        lua_pushinteger(L, (lua_Integer)v.value);
    lua_setfield(L, -2, field);
}

void sp_lua_push_cgroup_stats(lua_State *L, const struct sp_cgroup_stats *s)
{
    lua_createtable(L, 0, 16);
    lua_pushinteger(L, s->location.version);
    lua_setfield(L, -2, "version");
    sp_lua_set_string(L, "driver", sp_cgroup_driver_name(s->location.driver));
    sp_lua_set_string(L, "path", s->location.memory);
    lua_createtable(L, 0, 3);
    sp_lua_set_string(L, "memory", s->location.memory);
    sp_lua_set_string(L, "pids", s->location.pids);
    sp_lua_set_string(L, "cpu", s->location.cpu);
    lua_setfield(L, -2, "paths");
    set_value(L, "memory_limit_bytes", s->memory_limit_bytes);
    set_value(L, "swap_limit_bytes", s->swap_limit_bytes);
    set_value(L, "memory_usage_bytes", s->memory_usage_bytes);
    set_value(L, "memory_peak_bytes", s->memory_peak_bytes);
    set_value(L, "memory_failcnt", s->memory_failcnt);
    set_value(L, "oom_kills", s->oom_kills);
    set_value(L, "pids_max", s->pids_max);
    set_value(L, "pids_current", s->pids_current);
    if (s->cpu_usage_ns.present) {
        lua_pushnumber(L, (lua_Number)s->cpu_usage_ns.value / 1e9);
        lua_setfield(L, -2, "cpu_usage_seconds");
    }
}

/* Reads {pid=, root=, proc=} at index idx into q; strings stay on the stack
 * (owned by the options table, which the caller keeps alive). */
static void check_query(lua_State *L, int idx, struct sp_cgroup_query *q)
{
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    if (lua_getfield(L, idx, "pid") != LUA_TNIL) {
        luaL_argcheck(L, lua_isinteger(L, -1) && lua_tointeger(L, -1) > 0, idx,
                      "pid must be a positive integer");
        q->pid = (long)lua_tointeger(L, -1);
    }
    lua_pop(L, 1);
    if (lua_getfield(L, idx, "root") != LUA_TNIL)
        q->root = luaL_checkstring(L, -1);
    lua_pop(L, 1);
    if (lua_getfield(L, idx, "proc") != LUA_TNIL)
        q->proc_root = luaL_checkstring(L, -1);
    lua_pop(L, 1);
}

static int cgroup_read(lua_State *L)
{
    const char *id = luaL_checkstring(L, 1);
    luaL_argcheck(L, sp_cgroup_valid_id(id), 1, "not a full container id (64 hex digits)");
    struct sp_cgroup_query q = {0};
    check_query(L, 2, &q);
    struct sp_cgroup_stats stats;
    char err[2560];
    if (sp_cgroup_read(id, &q, &stats, err, sizeof err) != 0) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    sp_lua_push_cgroup_stats(L, &stats);
    return 1;
}

static int cgroup_version(lua_State *L)
{
    const char *root = luaL_optstring(L, 1, SP_CGROUP_DEFAULT_ROOT);
    int version = sp_cgroup_version(root);
    if (version < 0) {
        luaL_pushfail(L);
        lua_pushfstring(L, "no cgroup hierarchy at %s", root);
        return 2;
    }
    lua_pushinteger(L, version);
    return 1;
}

int luaopen_sandprobe_cgroup(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"read", cgroup_read},
        {"version", cgroup_version},
        {NULL, NULL},
    };
    luaL_newlib(L, functions);
    return 1;
}

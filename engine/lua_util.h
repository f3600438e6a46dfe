/* Helpers the Lua bindings share, in the manner of Nmap's nse_utility.h: the
 * few table readers and field setters every binding would otherwise write
 * again, and the functions one binding offers another. Bindings only
 * (engine/<x>_lua.c); the pure C core never includes this. */
#ifndef SANDPROBE_LUA_UTIL_H
#define SANDPROBE_LUA_UTIL_H

#include <lauxlib.h>
#include <lua.h>

/* ---- reading option tables ---------------------------------------------- */

/* The string at t[key] of the table at absolute index idx, or NULL when nil;
 * any other type raises "bad argument #idx ('key' must be a string)". The
 * string stays alive as long as the table holds it. */
static inline const char *sp_lua_opt_string_field(lua_State *L, int idx, const char *key)
{
    lua_getfield(L, idx, key);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return NULL;
    }
    if (lua_type(L, -1) != LUA_TSTRING)
        luaL_argerror(L, idx, lua_pushfstring(L, "'%s' must be a string", key));
    const char *s = lua_tostring(L, -1);
    lua_pop(L, 1);
    return s;
}

/* ---- filling result tables (the table at the top of the stack) ---------- */

static inline void sp_lua_set_string(lua_State *L, const char *field, const char *value)
{
    lua_pushstring(L, value);
    lua_setfield(L, -2, field);
}

static inline void sp_lua_set_integer(lua_State *L, const char *field, lua_Integer value)
{
    lua_pushinteger(L, value);
    lua_setfield(L, -2, field);
}

static inline void sp_lua_set_number(lua_State *L, const char *field, lua_Number value)
{
    lua_pushnumber(L, value);
    lua_setfield(L, -2, field);
}

static inline void sp_lua_set_boolean(lua_State *L, const char *field, int value)
{
    lua_pushboolean(L, value);
    lua_setfield(L, -2, field);
}

/* ---- what one binding offers another ------------------------------------ */

struct sp_cgroup_stats;

/* Pushes a table of cgroup stats (the cgroup.read result), in engine/cgroup_lua.c */
void sp_lua_push_cgroup_stats(lua_State *L, const struct sp_cgroup_stats *stats);

/* core.run_workers, in engine/workers_lua.c */
int sp_core_run_workers(lua_State *L);

struct sp_pyscan_limits;
struct sp_pyscan_finding;

/* The optional limits table at idx ({max_bytes=, max_depth=, max_indent=}),
 * raising on bad values, in engine/pyscan_lua.c */
void sp_lua_check_pyscan_limits(lua_State *L, int idx, struct sp_pyscan_limits *limits);
/* Pushes nil and a one-element list of findings; returns 2. In engine/pyscan_lua.c */
int sp_lua_push_pyscan_rejection(lua_State *L, const struct sp_pyscan_finding *finding);

struct sp_diversity_fingerprint;

/* Pushes a new, zeroed fingerprint that diversity.observe accepts, in
 * engine/diversity_lua.c */
struct sp_diversity_fingerprint *sp_lua_new_fingerprint(lua_State *L);

#endif

/* The table of C modules every engine state preloads. */
#ifndef SANDPROBE_LUA_MODULES_H
#define SANDPROBE_LUA_MODULES_H

#include <lua.h>

struct sp_lua_module {
    const char *name; /* the name scenarios and the library require() */
    lua_CFunction open;
};

extern const struct sp_lua_module sp_lua_modules[];

struct sp_cgroup_stats;

/* Pushes a table of cgroup stats (the cgroup.read result), in engine/cgroup_lua.c */
void sp_lua_push_cgroup_stats(lua_State *L, const struct sp_cgroup_stats *stats);

/* core.run_workers, in engine/workers_lua.c */
int sp_core_run_workers(lua_State *L);

#endif

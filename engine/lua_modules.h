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

struct sp_pyscan_limits;
struct sp_pyscan_finding;

/* The optional limits table at idx ({max_bytes=, max_depth=, max_indent=}),
 * raising on bad values, in engine/pyscan_lua.c */
void sp_lua_check_pyscan_limits(lua_State *L, int idx, struct sp_pyscan_limits *limits);
/* Pushes nil and a one-element list of findings; returns 2. In engine/pyscan_lua.c */
int sp_lua_push_pyscan_rejection(lua_State *L, const struct sp_pyscan_finding *finding);

#endif

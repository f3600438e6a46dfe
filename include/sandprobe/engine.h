/* The engine: Lua 5.4 states with the engine's C modules and Lua library.
 * One lua_State per worker thread; states share nothing but process-wide
 * settings (settings.h) and clean-up hooks (cleanup.h). */
#ifndef SANDPROBE_ENGINE_H
#define SANDPROBE_ENGINE_H

#include <stddef.h>
#include <lua.h>

/* Memory all the process's states together may allocate before allocations
 * fail (a runaway scenario gets "not enough memory" instead of taking the
 * host down; --jobs workers share the one allowance). */
#define SP_ENGINE_DEFAULT_MEMORY_LIMIT ((size_t)512 * 1024 * 1024)

/* Bytes the process's engine states hold now, all together. */
size_t sp_engine_memory_in_use(void);

/* Creates a state with the standard libraries, package.path limited to the
 * engine's Lua library and SANDPROBE_PATH/--pack-path folders, and every C
 * module in package.preload. NULL with a message in err on failure. */
lua_State *sp_engine_new_state(char *err, size_t errlen);

/* Closes a state made by sp_engine_new_state. */
void sp_engine_close_state(lua_State *L);

/* The folder holding lua/ and scenarios/ (installed share/sandprobe, or the
 * build tree's mirror of it). Resolved once, from the executable's location
 * or SANDPROBE_HOME. NULL if none is found. */
const char *sp_engine_data_dir(void);

/* Lua entry points of the C modules. Each lives in engine/<name>_lua.c and is
 * preloaded under the name given in the module table, engine/lua_modules_lua.c. */
int luaopen_sandprobe_core(lua_State *L);   /* "sandprobe.core" */
int luaopen_sandprobe_guard(lua_State *L);  /* "sandprobe.guard" */
int luaopen_sandprobe_json(lua_State *L);   /* "json" */
int luaopen_sandprobe_cgroup(lua_State *L); /* "cgroup" */
int luaopen_sandprobe_monitor(lua_State *L); /* "monitor" */
int luaopen_sandprobe_alerts(lua_State *L);  /* "alerts" */
int luaopen_sandprobe_seccomp(lua_State *L); /* "seccomp" */
int luaopen_sandprobe_metrics(lua_State *L); /* "metrics" */
int luaopen_sandprobe_docker(lua_State *L); /* "docker" */

/* JSON bridges for bindings, in engine/json_lua.c (same rules as json.encode
 * and json.decode). The first returns a tree the caller owns or raises; the
 * second pushes a tree and frees it, raising only after freeing. */
struct cJSON;
struct cJSON *sp_json_from_lua(lua_State *L, int idx);
void sp_json_push_owned(lua_State *L, struct cJSON *tree);
int luaopen_sandprobe_pyscan(lua_State *L); /* "pyscan" */
int luaopen_sandprobe_pywalk(lua_State *L); /* "pywalk" */
int luaopen_sandprobe_diversity(lua_State *L); /* "diversity" */
int luaopen_sandprobe_bytes(lua_State *L);  /* "bytes" */
int luaopen_sandprobe_uri(lua_State *L);    /* "uri" */
int luaopen_sandprobe_reaper(lua_State *L); /* "reaper" */

#endif

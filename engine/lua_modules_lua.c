/* Every C module the engine offers to Lua, by require() name, as Lua's own
 * linit.c lists its libraries. A primitive with a Lua module adds one line
 * here and declares its luaopen_ function in include/sandprobe/engine.h
 * (docs/design.md, "Adding a primitive"). */
#include "lua_modules.h"
#include "sandprobe/engine.h"

const luaL_Reg sp_lua_modules[] = {
    {"sandprobe.core", luaopen_sandprobe_core},
    {"sandprobe.guard", luaopen_sandprobe_guard},
    {"json", luaopen_sandprobe_json},
    {"cgroup", luaopen_sandprobe_cgroup},
    {"monitor", luaopen_sandprobe_monitor},
    {"alerts", luaopen_sandprobe_alerts},
    {"seccomp", luaopen_sandprobe_seccomp},
    {"metrics", luaopen_sandprobe_metrics},
    {"docker", luaopen_sandprobe_docker},
    {"pyscan", luaopen_sandprobe_pyscan},
    {"pywalk", luaopen_sandprobe_pywalk},
    {"diversity", luaopen_sandprobe_diversity},
    {"bytes", luaopen_sandprobe_bytes},
    {"uri", luaopen_sandprobe_uri},
    {"reaper", luaopen_sandprobe_reaper},
    {NULL, NULL},
};

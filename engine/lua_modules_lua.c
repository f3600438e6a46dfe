/* Every C module the engine offers to Lua, by require() name. A primitive adds
 * one line here and declares its luaopen_ function in its own header. */
#include "lua_modules.h"
#include "sandprobe/engine.h"

const struct sp_lua_module sp_lua_modules[] = {
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

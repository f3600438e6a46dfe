/* Every C module the engine offers to Lua, by require() name. A primitive adds
 * one line here and declares its luaopen_ function in its own header. */
#include "lua_modules.h"
#include "sandprobe/engine.h"

const struct sp_lua_module sp_lua_modules[] = {
    {"sandprobe.core", luaopen_sandprobe_core},
    {"sandprobe.guard", luaopen_sandprobe_guard},
    {"json", luaopen_sandprobe_json},
    {"pyscan", luaopen_sandprobe_pyscan},
    {NULL, NULL},
};

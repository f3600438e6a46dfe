/* The table of C modules every engine state preloads (engine/lua_modules_lua.c),
 * a luaL_Reg list as in Lua's own linit.c: {require name, luaopen_ function}. */
#ifndef SANDPROBE_LUA_MODULES_H
#define SANDPROBE_LUA_MODULES_H

#include <lauxlib.h>

extern const luaL_Reg sp_lua_modules[];

#endif

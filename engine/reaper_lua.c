/* reaper: the deadline keeper for Lua (include/sandprobe/reaper.h).
 *   reaper.watch(container_id, seconds) -> true | nil, message
 *   reaper.forget(container_id)
 *   reaper.serve([grace_seconds])        -> exit status (the keeper's loop on stdin) */
#include "sandprobe/engine.h"
#include "sandprobe/reaper.h"

#include <lauxlib.h>

static int l_watch(lua_State *L)
{
    const char *id = luaL_checkstring(L, 1);
    double seconds = luaL_checknumber(L, 2);
    char err[256];
    if (sp_reaper_watch(id, seconds, err, sizeof err) != 0) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int l_forget(lua_State *L)
{
    sp_reaper_forget(luaL_checkstring(L, 1));
    return 0;
}

static int l_serve(lua_State *L)
{
    double grace = luaL_optnumber(L, 1, 2.0);
    lua_pushinteger(L, sp_reaper_serve(0, grace) == 0 ? 0 : 1);
    return 1;
}

int luaopen_sandprobe_reaper(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"watch", l_watch}, {"forget", l_forget}, {"serve", l_serve}, {NULL, NULL}};
    luaL_newlib(L, functions);
    return 1;
}

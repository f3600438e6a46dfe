/* uri: uri.from_path(path) -> "file:///abs%20path" or "rel%20path"
 * (sandprobe/uri.h). */
#include "sandprobe/engine.h"
#include "sandprobe/uri.h"

#include <curl/curl.h>
#include <lauxlib.h>
#include <string.h>

static int uri_from_path(lua_State *L)
{
    size_t len;
    const char *path = luaL_checklstring(L, 1, &len);
    luaL_argcheck(L, len > 0 && memchr(path, '\0', len) == NULL, 1, "a path without NUL bytes");
    char *uri = sp_uri_from_path(path);
    if (uri == NULL)
        return luaL_error(L, "uri: cannot encode '%s'", path);
    lua_pushstring(L, uri);
    curl_free(uri);
    return 1;
}

int luaopen_sandprobe_uri(lua_State *L)
{
    static const luaL_Reg functions[] = {{"from_path", uri_from_path}, {NULL, NULL}};
    luaL_newlib(L, functions);
    return 1;
}

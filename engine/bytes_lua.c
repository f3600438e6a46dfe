/* bytes: the Lua face of sandprobe/bytes.h, for the reports and the JSON
 * encoder. bytes.valid_utf8(s), bytes.replace(s), bytes.visible(s),
 * bytes.base64(s), bytes.unbase64(s) -> bytes | nil, message. */
#include "sandprobe/bytes.h"
#include "sandprobe/engine.h"

#include <lauxlib.h>
#include <string.h>

typedef int (*transform_fn)(struct sp_bytes *, const char *, size_t);

/* Runs fn over the string argument; the result is pushed after the buffer is
 * freed, so a Lua error cannot leak it. */
static int push_transformed(lua_State *L, transform_fn fn)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    struct sp_bytes out = {0};
    int rc = fn(&out, s, len);
    if (rc != 0) {
        sp_bytes_free(&out);
        return 0;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    /* luaL_addlstring may raise only on memory exhaustion; copy first. */
    char *copy = luaL_prepbuffsize(&b, out.len);
    memcpy(copy, out.data ? out.data : "", out.len);
    luaL_addsize(&b, out.len);
    sp_bytes_free(&out);
    luaL_pushresult(&b);
    return 1;
}

static int bytes_valid_utf8(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    lua_pushboolean(L, sp_utf8_valid(s, len));
    return 1;
}

static int bytes_replace(lua_State *L)
{
    return push_transformed(L, sp_utf8_replace) ? 1 : luaL_error(L, "bytes: out of memory");
}

static int bytes_visible(lua_State *L)
{
    return push_transformed(L, sp_text_visible) ? 1 : luaL_error(L, "bytes: out of memory");
}

static int bytes_base64(lua_State *L)
{
    return push_transformed(L, sp_base64_encode) ? 1 : luaL_error(L, "bytes: out of memory");
}

static int bytes_unbase64(lua_State *L)
{
    if (push_transformed(L, sp_base64_decode))
        return 1;
    luaL_pushfail(L);
    lua_pushliteral(L, "malformed base64");
    return 2;
}

int luaopen_sandprobe_bytes(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"valid_utf8", bytes_valid_utf8}, {"replace", bytes_replace}, {"visible", bytes_visible},
        {"base64", bytes_base64},         {"unbase64", bytes_unbase64}, {NULL, NULL},
    };
    luaL_newlib(L, functions);
    return 1;
}

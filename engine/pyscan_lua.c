/* pyscan for Lua: the strict Python lexer behind the Layer 1 validator.
 *
 *   pyscan.tokens(src [, limits]) -> { {kind=, text=, line=, col=}, ... }
 *                                  | nil, { {rule=, line=, col=, message=} }
 *   pyscan.defaults               -> { max_bytes=, max_depth=, max_indent= }
 *
 * tokens() returns every token, one table each (for tools and tests; the
 * validator keeps its tokens in C, see pywalk_lua.c). limits is a table with
 * any of the keys of pyscan.defaults (or nil). */
#include "lua_util.h"
#include "sandprobe/engine.h"
#include "sandprobe/pyscan.h"

#include <lauxlib.h>

void sp_lua_check_pyscan_limits(lua_State *L, int idx, struct sp_pyscan_limits *limits)
{
    *limits = sp_pyscan_default_limits();
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    static const char *const keys[] = {"max_bytes", "max_depth", "max_indent"};
    for (int i = 0; i < 3; i++) {
        lua_getfield(L, idx, keys[i]);
        if (!lua_isnil(L, -1)) {
            lua_Integer v = lua_tointeger(L, -1);
            if (!lua_isinteger(L, -1) || v < 1)
                luaL_argerror(L, idx, lua_pushfstring(L, "limits.%s must be a positive integer", keys[i]));
            if (i == 0)
                limits->max_bytes = (size_t)v;
            else if (i == 1)
                limits->max_depth = v > SP_PYSCAN_MAX_DEPTH_CEILING ? SP_PYSCAN_MAX_DEPTH_CEILING : (unsigned)v;
            else
                limits->max_indent = v > SP_PYSCAN_MAX_INDENT_CEILING ? SP_PYSCAN_MAX_INDENT_CEILING : (unsigned)v;
        }
        lua_pop(L, 1);
    }
}

int sp_lua_push_pyscan_rejection(lua_State *L, const struct sp_pyscan_finding *f)
{
    luaL_pushfail(L);
    lua_createtable(L, 1, 0);
    lua_createtable(L, 0, 4);
    sp_lua_set_string(L, "rule", f->rule);
    sp_lua_set_integer(L, "line", f->line);
    sp_lua_set_integer(L, "col", f->col);
    sp_lua_set_string(L, "message", f->message);
    lua_rawseti(L, -2, 1);
    return 2;
}

struct collector {
    lua_State *L;
    const char *src;
    lua_Integer n;
};

/* The token list is at the top of the stack. Lua errors (out of memory)
 * unwind through the lexer, which owns no resources. */
static int collect_token(const struct sp_pyscan_token *t, void *ctx)
{
    struct collector *c = ctx;
    lua_State *L = c->L;
    lua_createtable(L, 0, 4);
    lua_pushstring(L, sp_pyscan_kind_name(t->kind));
    lua_setfield(L, -2, "kind");
    lua_pushlstring(L, c->src + t->offset, t->length);
    lua_setfield(L, -2, "text");
    lua_pushinteger(L, t->line);
    lua_setfield(L, -2, "line");
    lua_pushinteger(L, t->col);
    lua_setfield(L, -2, "col");
    lua_rawseti(L, -2, ++c->n);
    return 0;
}

static int pyscan_tokens(lua_State *L)
{
    size_t len;
    const char *src = luaL_checklstring(L, 1, &len);
    struct sp_pyscan_limits lim;
    sp_lua_check_pyscan_limits(L, 2, &lim);
    struct collector c = {L, src, 0};
    struct sp_pyscan_finding finding;
    lua_newtable(L);
    if (sp_pyscan_tokenize(src, len, &lim, collect_token, &c, &finding) != SP_PYSCAN_OK)
        return sp_lua_push_pyscan_rejection(L, &finding);
    return 1;
}

static void push_defaults(lua_State *L)
{
    struct sp_pyscan_limits d = sp_pyscan_default_limits();
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, (lua_Integer)d.max_bytes);
    lua_setfield(L, -2, "max_bytes");
    lua_pushinteger(L, d.max_depth);
    lua_setfield(L, -2, "max_depth");
    lua_pushinteger(L, d.max_indent);
    lua_setfield(L, -2, "max_indent");
}

int luaopen_sandprobe_pyscan(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"tokens", pyscan_tokens},
        {NULL, NULL},
    };
    luaL_newlib(L, functions);
    push_defaults(L);
    lua_setfield(L, -2, "defaults");
    return 1;
}

/* pyscan for Lua: the strict Python lexer behind the Layer 1 validator.
 *
 *   pyscan.tokens(src [, limits]) -> { {kind=, text=, line=, col=}, ... }
 *                                  | nil, { {rule=, line=, col=, message=} }
 *   pyscan.scan(src [, limits [, marks]]) -> { n=, kind={...}, text={...}, marks={...} }
 *                                  | nil, findings
 *   pyscan.locate(src, limits, indices) -> { [index] = {line=, col=} }
 *   pyscan.defaults               -> { max_bytes=, max_depth=, max_indent= }
 *
 * tokens() returns every token, one table each (for tools and tests).
 * scan() is the validator's fast path: parallel arrays of the tokens a policy
 * reads (no COMMENT, no NL) and texts only where a policy needs them;
 * locate() gives line and column of some of those tokens. limits is a
 * table with any of the keys of pyscan.defaults (or nil). */
#include "sandprobe/engine.h"
#include "sandprobe/pyscan.h"

#include <lauxlib.h>

static struct sp_pyscan_limits check_limits(lua_State *L, int idx)
{
    struct sp_pyscan_limits lim = sp_pyscan_default_limits();
    if (lua_isnoneornil(L, idx))
        return lim;
    luaL_checktype(L, idx, LUA_TTABLE);
    static const char *const keys[] = {"max_bytes", "max_depth", "max_indent"};
    for (int i = 0; i < 3; i++) {
        lua_getfield(L, idx, keys[i]);
        if (!lua_isnil(L, -1)) {
            lua_Integer v = lua_tointeger(L, -1);
            if (!lua_isinteger(L, -1) || v < 1)
                luaL_argerror(L, idx, lua_pushfstring(L, "limits.%s must be a positive integer", keys[i]));
            if (i == 0)
                lim.max_bytes = (size_t)v;
            else if (i == 1)
                lim.max_depth = v > SP_PYSCAN_MAX_DEPTH_CEILING ? SP_PYSCAN_MAX_DEPTH_CEILING : (unsigned)v;
            else
                lim.max_indent = v > SP_PYSCAN_MAX_INDENT_CEILING ? SP_PYSCAN_MAX_INDENT_CEILING : (unsigned)v;
        }
        lua_pop(L, 1);
    }
    return lim;
}

/* Returns nil and a one-element list of findings. */
static int push_rejection(lua_State *L, const struct sp_pyscan_finding *f)
{
    luaL_pushfail(L);
    lua_createtable(L, 1, 0);
    lua_createtable(L, 0, 4);
    lua_pushstring(L, f->rule);
    lua_setfield(L, -2, "rule");
    lua_pushinteger(L, f->line);
    lua_setfield(L, -2, "line");
    lua_pushinteger(L, f->col);
    lua_setfield(L, -2, "col");
    lua_pushstring(L, f->message);
    lua_setfield(L, -2, "message");
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
    struct sp_pyscan_limits lim = check_limits(L, 2);
    struct collector c = {L, src, 0};
    struct sp_pyscan_finding finding;
    lua_newtable(L);
    if (sp_pyscan_tokenize(src, len, &lim, collect_token, &c, &finding) != SP_PYSCAN_OK)
        return push_rejection(L, &finding);
    return 1;
}

/* scan(): the validator's fast path. Only kinds and texts are built (line
 * and column are found again by locate() for the few tokens that get a
 * finding); NUMBER, FSTRING_*, NEWLINE, INDENT, DEDENT and ENDMARKER get
 * no text, and operator texts come from a cache keyed by their bytes, so
 * most tokens cost no string hashing. COMMENT and NL are left out. */
enum { SLOT_KIND = 1, SLOT_TEXT, SLOT_MARKS, SLOT_KIND_NAMES, SLOT_OPS, SLOT_MARK_SET, SLOT_COUNT };

struct columns {
    lua_State *L;
    const char *src;
    int base; /* stack index before SLOT_KIND */
    lua_Integer n, nmarks;
};

static int is_significant(enum sp_pyscan_kind kind)
{
    return kind != SP_PYSCAN_COMMENT && kind != SP_PYSCAN_NL;
}

static void push_op_text(struct columns *c, const struct sp_pyscan_token *t)
{
    lua_State *L = c->L;
    const unsigned char *b = (const unsigned char *)c->src + t->offset;
    lua_Integer key = 0;
    for (size_t i = 0; i < t->length; i++)
        key = key << 8 | b[i];
    if (lua_rawgeti(L, c->base + SLOT_OPS, key) == LUA_TNIL) {
        lua_pop(L, 1);
        lua_pushlstring(L, c->src + t->offset, t->length);
        lua_pushvalue(L, -1);
        lua_rawseti(L, c->base + SLOT_OPS, key);
    }
}

static void push_name_text(struct columns *c, const struct sp_pyscan_token *t, lua_Integer index)
{
    lua_State *L = c->L;
    lua_pushlstring(L, c->src + t->offset, t->length);
    lua_pushvalue(L, -1);
    if (lua_rawget(L, c->base + SLOT_MARK_SET) != LUA_TNIL) {
        lua_pushinteger(L, index);
        lua_rawseti(L, c->base + SLOT_MARKS, ++c->nmarks);
    }
    lua_pop(L, 1);
}

static int collect_column(const struct sp_pyscan_token *t, void *ctx)
{
    struct columns *c = ctx;
    lua_State *L = c->L;
    if (!is_significant(t->kind))
        return 0;
    lua_Integer i = ++c->n;
    lua_rawgeti(L, c->base + SLOT_KIND_NAMES, (lua_Integer)t->kind + 1);
    lua_rawseti(L, c->base + SLOT_KIND, i);
    switch (t->kind) {
    case SP_PYSCAN_NAME:
        push_name_text(c, t, i);
        break;
    case SP_PYSCAN_OP:
        push_op_text(c, t);
        break;
    case SP_PYSCAN_STRING:
        lua_pushlstring(L, c->src + t->offset, t->length);
        break;
    default:
        return 0;
    }
    lua_rawseti(L, c->base + SLOT_TEXT, i);
    return 0;
}

static void push_kind_names(lua_State *L)
{
    lua_createtable(L, SP_PYSCAN_KIND_COUNT, 0);
    for (int k = 0; k < SP_PYSCAN_KIND_COUNT; k++) {
        lua_pushstring(L, sp_pyscan_kind_name((enum sp_pyscan_kind)k));
        lua_rawseti(L, -2, k + 1);
    }
}

/* scan(src [, limits [, marks]]) -> { n=, kind={...}, text={...}, marks={...} }
 * marks: a set of names ({import=true}) whose token indices are listed in
 * the result's marks, in order. */
static int pyscan_scan(lua_State *L)
{
    size_t len;
    const char *src = luaL_checklstring(L, 1, &len);
    struct sp_pyscan_limits lim = check_limits(L, 2);
    if (!lua_isnoneornil(L, 3))
        luaL_checktype(L, 3, LUA_TTABLE);
    lua_settop(L, 3);
    int base = lua_gettop(L);
    /* A guess at the token count keeps the arrays from regrowing. */
    int guess = len / 4 > 1000000 ? 1000000 : (int)(len / 4) + 8;
    lua_createtable(L, guess, 0); /* SLOT_KIND */
    lua_createtable(L, guess, 0); /* SLOT_TEXT */
    lua_newtable(L);              /* SLOT_MARKS */
    push_kind_names(L);           /* SLOT_KIND_NAMES */
    lua_createtable(L, 0, 64);    /* SLOT_OPS */
    if (lua_istable(L, 3))        /* SLOT_MARK_SET */
        lua_pushvalue(L, 3);
    else
        lua_newtable(L);
    struct columns c = {L, src, base, 0, 0};
    struct sp_pyscan_finding finding;
    if (sp_pyscan_tokenize(src, len, &lim, collect_column, &c, &finding) != SP_PYSCAN_OK)
        return push_rejection(L, &finding);
    lua_createtable(L, 0, 4);
    static const char *const names[] = {"kind", "text", "marks"};
    for (int i = 0; i < 3; i++) {
        lua_pushvalue(L, base + SLOT_KIND + i);
        lua_setfield(L, -2, names[i]);
    }
    lua_pushinteger(L, c.n);
    lua_setfield(L, -2, "n");
    return 1;
}

/* locate(src, limits, indices) -> { [index] = {line=, col=} } for the
 * given 1-based indices into scan()'s token list (same numbering). */
struct locator {
    lua_State *L;
    int wanted; /* stack index of the set of wanted indices */
    lua_Integer n;
};

static int locate_token(const struct sp_pyscan_token *t, void *ctx)
{
    struct locator *loc = ctx;
    lua_State *L = loc->L;
    if (!is_significant(t->kind))
        return 0;
    lua_Integer i = ++loc->n;
    if (lua_rawgeti(L, loc->wanted, i) != LUA_TNIL) {
        lua_pop(L, 1);
        lua_createtable(L, 0, 2);
        lua_pushinteger(L, t->line);
        lua_setfield(L, -2, "line");
        lua_pushinteger(L, t->col);
        lua_setfield(L, -2, "col");
        lua_rawseti(L, -2, i);
        return 0;
    }
    lua_pop(L, 1);
    return 0;
}

static int pyscan_locate(lua_State *L)
{
    size_t len;
    const char *src = luaL_checklstring(L, 1, &len);
    struct sp_pyscan_limits lim = check_limits(L, 2);
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_settop(L, 3);
    lua_newtable(L); /* set of wanted indices */
    int n = (int)luaL_len(L, 3);
    for (int k = 1; k <= n; k++) {
        lua_rawgeti(L, 3, k);
        lua_pushboolean(L, 1);
        lua_rawset(L, 4);
    }
    lua_newtable(L); /* result, at the top while lexing */
    struct locator loc = {L, 4, 0};
    sp_pyscan_tokenize(src, len, &lim, locate_token, &loc, NULL);
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
        {"scan", pyscan_scan},
        {"locate", pyscan_locate},
        {NULL, NULL},
    };
    luaL_newlib(L, functions);
    push_defaults(L);
    lua_setfield(L, -2, "defaults");
    return 1;
}

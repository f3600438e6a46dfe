/* pywalk for Lua: the validator's token walk in C (include/sandprobe/pywalk.h).
 *
 *   pywalk.policy(compiled) -> policy
 *       compiled: the sets of a compiled policy ({ name = true }): keywords,
 *       forbidden_keywords, dunders, forbidden_builtins, forbidden_names,
 *       forbidden_attributes, format_methods, private_receivers; the list
 *       forbidden_prefixes; modules = { module = set of attributes }.
 *   pywalk.lex(src [, limits [, fingerprint]]) -> walk | nil, findings
 *       with fingerprint true, a third value: the program's diversity
 *       fingerprint (diversity.observe takes it), built from the same lexer
 *       run, whether the lexer accepted the source or not
 *   walk:count()          -> number of tokens (COMMENT and NL left out)
 *   walk:views()          -> K, T: read-only tables, K[i] the kind name of
 *                            token i, T[i] the text of NAME, OP and STRING tokens
 *   walk:locate(indices)  -> { [index] = {line=, col=} } for those tokens
 *   walk:check(policy, w, hooks)
 *       runs the walk (imports first, then every token), calling
 *       hooks.report(w, i, rule, message) for each finding and
 *       hooks.decorator / format / dunder / match (w, i) for the tokens
 *       left to Lua; w is only handed to the hooks.
 *   walk:defined(name)    -> true when check() saw `def name`
 *   pywalk.plain_format_fields(s) -> true when every str.format field of s
 *                            is a bare name or number (see pywalk.h) */
#include "lua_util.h"
#include "sandprobe/diversity.h"
#include "sandprobe/engine.h"
#include "sandprobe/pywalk.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#define POLICY_META "sandprobe.pywalk.policy"
#define WALK_META "sandprobe.pywalk.walk"

/* ---- policy ------------------------------------------------------------------ */

struct policy_handle {
    struct sp_pywalk_policy *p;
};

static int policy_gc(lua_State *L)
{
    struct policy_handle *h = luaL_checkudata(L, 1, POLICY_META);
    sp_pywalk_policy_free(h->p);
    h->p = NULL;
    return 0;
}

static struct sp_pywalk_policy *check_policy(lua_State *L, int idx)
{
    struct policy_handle *h = luaL_checkudata(L, idx, POLICY_META);
    luaL_argcheck(L, h->p != NULL, idx, "closed policy");
    return h->p;
}

static void out_of_memory_if(lua_State *L, int failed)
{
    if (failed)
        luaL_error(L, "pywalk: out of memory");
}

/* The string keys of the table on top of the stack, added with add(). */
typedef int (*add_fn)(lua_State *L, struct sp_pywalk_policy *p, int arg, const char *s, size_t len);

static void add_keys(lua_State *L, struct sp_pywalk_policy *p, int arg, add_fn add)
{
    int t = lua_gettop(L);
    for (lua_pushnil(L); lua_next(L, t); lua_pop(L, 1)) {
        size_t len;
        luaL_argcheck(L, lua_type(L, -2) == LUA_TSTRING, 1, "policy sets must have string keys");
        const char *s = lua_tolstring(L, -2, &len);
        out_of_memory_if(L, add(L, p, arg, s, len) != 0);
    }
}

static int add_to_set(lua_State *L, struct sp_pywalk_policy *p, int set, const char *s, size_t len)
{
    (void)L;
    return sp_pywalk_policy_add(p, (enum sp_pywalk_set)set, s, len);
}

/* arg: stack index of the module name */
static int add_module_attribute(lua_State *L, struct sp_pywalk_policy *p, int arg, const char *s,
                                size_t len)
{
    size_t mlen;
    const char *module = lua_tolstring(L, arg, &mlen);
    return sp_pywalk_policy_add_module(p, module, mlen, s, len);
}

static const char *const SET_FIELDS[SP_PYWALK_SET_COUNT] = {
    [SP_PYWALK_KEYWORD] = "keywords",
    [SP_PYWALK_FORBIDDEN_KEYWORD] = "forbidden_keywords",
    [SP_PYWALK_DUNDER] = "dunders",
    [SP_PYWALK_FORBIDDEN_BUILTIN] = "forbidden_builtins",
    [SP_PYWALK_FORBIDDEN_NAME] = "forbidden_names",
    [SP_PYWALK_FORBIDDEN_ATTRIBUTE] = "forbidden_attributes",
    [SP_PYWALK_FORMAT_METHOD] = "format_methods",
    [SP_PYWALK_PRIVATE_RECEIVER] = "private_receivers",
    [SP_PYWALK_PUBLIC_UNDERSCORE] = "public_underscore_attributes",
    [SP_PYWALK_CONTEXT_NAME] = "context_names",
    [SP_PYWALK_FIELD_DEFAULT] = "field_default_names",
};

/* Pushes compiled[field] when it is a table; returns whether it did. */
static int push_table_field(lua_State *L, const char *field)
{
    if (lua_getfield(L, 1, field) == LUA_TTABLE)
        return 1;
    if (!lua_isnil(L, -1))
        luaL_argerror(L, 1, lua_pushfstring(L, "field '%s' must be a table", field));
    lua_pop(L, 1);
    return 0;
}

static void add_prefixes(lua_State *L, struct sp_pywalk_policy *p)
{
    if (!push_table_field(L, "forbidden_prefixes"))
        return;
    lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        size_t len;
        lua_rawgeti(L, -1, i);
        const char *s = lua_tolstring(L, -1, &len);
        luaL_argcheck(L, s != NULL, 1, "forbidden_prefixes must be strings");
        out_of_memory_if(L, sp_pywalk_policy_add_prefix(p, s, len) != 0);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void add_modules(lua_State *L, struct sp_pywalk_policy *p)
{
    if (!push_table_field(L, "modules"))
        return;
    int modules = lua_gettop(L);
    for (lua_pushnil(L); lua_next(L, modules); lua_pop(L, 1)) {
        size_t len;
        luaL_argcheck(L, lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1), 1,
                      "modules must map names to sets");
        const char *module = lua_tolstring(L, -2, &len);
        out_of_memory_if(L, sp_pywalk_policy_add_module(p, module, len, NULL, 0) != 0);
        add_keys(L, p, modules + 1, add_module_attribute);
    }
    lua_pop(L, 1);
}

static int pywalk_policy(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    struct policy_handle *h = lua_newuserdatauv(L, sizeof *h, 0);
    h->p = NULL; /* closed until complete enough for __gc */
    luaL_setmetatable(L, POLICY_META);
    out_of_memory_if(L, (h->p = sp_pywalk_policy_new()) == NULL);
    for (int set = 0; set < SP_PYWALK_SET_COUNT; set++) {
        if (push_table_field(L, SET_FIELDS[set])) {
            add_keys(L, h->p, set, add_to_set);
            lua_pop(L, 1);
        }
    }
    add_prefixes(L, h->p);
    add_modules(L, h->p);
    return 1;
}

/* ---- walk ------------------------------------------------------------------------ */

struct walk_handle {
    struct sp_pywalk *w; /* its source string is the handle's user value */
};

static int walk_gc(lua_State *L)
{
    struct walk_handle *h = luaL_checkudata(L, 1, WALK_META);
    sp_pywalk_free(h->w);
    h->w = NULL;
    return 0;
}

static struct sp_pywalk *check_walk(lua_State *L, int idx)
{
    struct walk_handle *h = luaL_checkudata(L, idx, WALK_META);
    luaL_argcheck(L, h->w != NULL, idx, "closed walk");
    return h->w;
}

static int pywalk_lex(lua_State *L)
{
    size_t len;
    const char *src = luaL_checklstring(L, 1, &len);
    struct sp_pyscan_limits lim;
    sp_lua_check_pyscan_limits(L, 2, &lim);
    struct walk_handle *h = lua_newuserdatauv(L, sizeof *h, 1);
    h->w = NULL;
    luaL_setmetatable(L, WALK_META);
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, 1); /* the tokens point into src */
    int walk_at = lua_gettop(L), fingerprint_at = 0;
    struct sp_diversity_builder builder;
    if (lua_toboolean(L, 3)) {
        sp_diversity_begin(&builder, src, len, sp_lua_new_fingerprint(L));
        fingerprint_at = lua_gettop(L);
    }
    enum sp_pyscan_status status;
    struct sp_pyscan_finding finding;
    h->w = sp_pywalk_lex_fingerprinted(src, len, &lim, fingerprint_at ? &builder : NULL, &status,
                                       &finding);
    out_of_memory_if(L, h->w == NULL);
    if (fingerprint_at)
        sp_diversity_end(&builder, status == SP_PYSCAN_OK ? NULL : finding.rule);
    if (status != SP_PYSCAN_OK) {
        sp_pywalk_free(h->w); /* its token array now, not at the next collection */
        h->w = NULL;
        sp_lua_push_pyscan_rejection(L, &finding);
        if (!fingerprint_at)
            return 2;
    } else {
        if (!fingerprint_at)
            return 1; /* the walk, on top */
        lua_pushvalue(L, walk_at);
        lua_pushnil(L);
    }
    lua_pushvalue(L, fingerprint_at);
    return 3;
}

static int walk_count(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)sp_pywalk_count(check_walk(L, 1)));
    return 1;
}

/* A token index argument; 0 (no token) when it is not a positive integer. */
static size_t token_index(lua_State *L, int idx)
{
    int is_int;
    lua_Integer i = lua_tointegerx(L, idx, &is_int);
    return is_int && i > 0 ? (size_t)i : 0;
}

/* The walk of a view (upvalue 1), without luaL_checkudata's cost: views
 * are made only by walk_views(). */
static struct sp_pywalk *view_walk(lua_State *L)
{
    struct walk_handle *h = lua_touserdata(L, lua_upvalueindex(1));
    if (h->w == NULL)
        luaL_error(L, "closed walk");
    return h->w;
}

/* __index of K: upvalue 1 the walk, upvalue 2 the kind names. */
static int kind_at(lua_State *L)
{
    struct sp_pywalk *w = view_walk(L);
    enum sp_pyscan_kind k = sp_pywalk_kind(w, token_index(L, 2));
    if (k == SP_PYSCAN_KIND_COUNT)
        return 0;
    lua_rawgeti(L, lua_upvalueindex(2), (lua_Integer)k + 1);
    return 1;
}

/* __index of T: upvalue 1 the walk. */
static int text_at(lua_State *L)
{
    struct sp_pywalk *w = view_walk(L);
    size_t i = token_index(L, 2), len;
    enum sp_pyscan_kind k = sp_pywalk_kind(w, i);
    if (k != SP_PYSCAN_NAME && k != SP_PYSCAN_OP && k != SP_PYSCAN_STRING)
        return 0;
    const char *text = sp_pywalk_text(w, i, &len);
    lua_pushlstring(L, text, len);
    return 1;
}

/* Pushes an empty table whose __index is fn with the walk (and the
 * value on top of the stack, when extra) as upvalues. */
static void push_view(lua_State *L, lua_CFunction fn, int extra)
{
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, 1);
    if (extra)
        lua_pushvalue(L, -4);
    lua_pushcclosure(L, fn, 1 + extra);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
}

static int walk_views(lua_State *L)
{
    check_walk(L, 1);
    lua_settop(L, 1);
    lua_createtable(L, SP_PYSCAN_KIND_COUNT, 0);
    for (int k = 0; k < SP_PYSCAN_KIND_COUNT; k++) {
        lua_pushstring(L, sp_pyscan_kind_name((enum sp_pyscan_kind)k));
        lua_rawseti(L, -2, k + 1);
    }
    push_view(L, kind_at, 1);
    push_view(L, text_at, 0);
    return 2;
}

static int walk_defined(lua_State *L)
{
    size_t len;
    struct sp_pywalk *w = check_walk(L, 1);
    const char *name = luaL_checklstring(L, 2, &len);
    lua_pushboolean(L, sp_pywalk_defined(w, name, len));
    return 1;
}

/* walk:statement(i) -> the first token of i's statement, the first token
 * of its block's header (0 at top level) */
static int walk_statement(lua_State *L)
{
    struct sp_pywalk *w = check_walk(L, 1);
    lua_Integer i = luaL_checkinteger(L, 2);
    size_t statement, header;
    luaL_argcheck(L, i >= 1 && (size_t)i <= sp_pywalk_count(w), 2, "token index out of range");
    out_of_memory_if(L, sp_pywalk_statement(w, (size_t)i, &statement, &header) != 0);
    lua_pushinteger(L, (lua_Integer)statement);
    lua_pushinteger(L, (lua_Integer)header);
    return 2;
}

/* walk:field_default(i) -> boolean (sp_pywalk_field_default) */
static int walk_field_default(lua_State *L)
{
    struct sp_pywalk *w = check_walk(L, 1);
    lua_Integer i = luaL_checkinteger(L, 2);
    lua_pushboolean(L, i >= 1 && sp_pywalk_field_default(w, (size_t)i));
    return 1;
}

static int by_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* walk:locate(indices) -> { [index] = {line=, col=} } */
static int walk_locate(lua_State *L)
{
    struct sp_pywalk *w = check_walk(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    size_t n = (size_t)luaL_len(L, 2);
    /* Scratch memory owned by Lua, so that an error frees it. */
    size_t *tokens = lua_newuserdatauv(L, n * (sizeof *tokens + 2 * sizeof(unsigned)) + 1, 0);
    unsigned *lines = (unsigned *)(tokens + n), *cols = lines + n;
    for (size_t k = 0; k < n; k++) {
        lua_rawgeti(L, 2, (lua_Integer)k + 1);
        tokens[k] = token_index(L, -1);
        lua_pop(L, 1);
    }
    qsort(tokens, n, sizeof *tokens, by_index);
    if (sp_pywalk_locate(w, n, tokens, lines, cols) != 0)
        return luaL_argerror(L, 2, "no such token");
    lua_createtable(L, 0, (int)n);
    for (size_t k = 0; k < n; k++) {
        lua_createtable(L, 0, 2);
        lua_pushinteger(L, lines[k]);
        lua_setfield(L, -2, "line");
        lua_pushinteger(L, cols[k]);
        lua_setfield(L, -2, "col");
        lua_rawseti(L, -2, (lua_Integer)tokens[k]);
    }
    return 1;
}

struct lua_hooks {
    lua_State *L; /* stack: 1 walk, 2 policy, 3 w, 4 hooks */
};

static void call_hook(lua_State *L, const char *name, size_t i, int extra)
{
    lua_getfield(L, 4, name);
    lua_pushvalue(L, 3);
    lua_pushinteger(L, (lua_Integer)i);
    lua_rotate(L, -3 - extra, 3); /* the function, w and i before the extra arguments */
    lua_call(L, 2 + extra, 0);
}

static void report_to_lua(void *ctx, size_t i, const char *rule, const char *message)
{
    lua_State *L = ((struct lua_hooks *)ctx)->L;
    lua_pushstring(L, rule);
    lua_pushstring(L, message);
    call_hook(L, "report", i, 2);
}

static void defer_to_lua(void *ctx, enum sp_pywalk_event event, size_t i)
{
    static const char *const names[SP_PYWALK_EVENT_COUNT] = {
        [SP_PYWALK_DECORATOR] = "decorator",
        [SP_PYWALK_FORMAT] = "format",
        [SP_PYWALK_NAME_DUNDER] = "dunder",
        [SP_PYWALK_MATCH] = "match",
        [SP_PYWALK_CONTEXT] = "context",
    };
    call_hook(((struct lua_hooks *)ctx)->L, names[event], i, 0);
}

static int walk_check(lua_State *L)
{
    struct sp_pywalk *w = check_walk(L, 1);
    const struct sp_pywalk_policy *p = check_policy(L, 2);
    luaL_checktype(L, 3, LUA_TTABLE);
    luaL_checktype(L, 4, LUA_TTABLE);
    lua_settop(L, 4);
    static const struct sp_pywalk_hooks hooks = {report_to_lua, defer_to_lua};
    struct lua_hooks ctx = {L};
    out_of_memory_if(L, sp_pywalk_check(w, p, &hooks, &ctx) != 0);
    return 0;
}

/* pywalk.plain_format_fields(s) -> boolean */
static int pywalk_plain_format_fields(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    lua_pushboolean(L, sp_pywalk_plain_format_fields(s, len));
    return 1;
}

/* ---- module ------------------------------------------------------------------------ */

static void new_metatable(lua_State *L, const char *name, lua_CFunction gc, const luaL_Reg *methods)
{
    luaL_newmetatable(L, name);
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__close");
    if (methods != NULL) {
        lua_newtable(L);
        luaL_setfuncs(L, methods, 0);
        lua_setfield(L, -2, "__index");
    }
    lua_pop(L, 1);
}

int luaopen_sandprobe_pywalk(lua_State *L)
{
    static const luaL_Reg walk_methods[] = {
        {"count", walk_count}, {"views", walk_views}, {"defined", walk_defined}, {"statement", walk_statement}, {"field_default", walk_field_default},
        {"locate", walk_locate}, {"check", walk_check}, {NULL, NULL},
    };
    static const luaL_Reg functions[] = {
        {"policy", pywalk_policy},
        {"lex", pywalk_lex},
        {"plain_format_fields", pywalk_plain_format_fields},
        {NULL, NULL},
    };
    new_metatable(L, POLICY_META, policy_gc, NULL);
    new_metatable(L, WALK_META, walk_gc, walk_methods);
    luaL_newlib(L, functions);
    return 1;
}

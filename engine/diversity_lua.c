/* diversity for Lua (include/sandprobe/diversity.h, docs/diversity.md).
 *
 *   diversity.observe(code | fingerprint) -> state (the process-wide monitor, published as metrics);
 *                                         a fingerprint is one pywalk.lex made while the validator
 *                                         lexed the program, so that it is not lexed twice
 *   diversity.record{score=, unique=, total=, window=, collapsed=} -> state
 *   diversity.state()                  -> state
 *   diversity.configure{window=, threshold=, collapse_after=}  (forgets what was seen)
 *   diversity.new{window=, threshold=, collapse_after=} -> monitor with the same
 *                                         :observe :record :state :configure, publishing nothing
 *   diversity.similarity(a, b)         -> estimated Jaccard similarity in [0, 1] (codes or fingerprints)
 *   diversity.fingerprint(code | fingerprint) -> {exact = "16 hex digits", minhash = "64 x 16 hex
 *                                         digits", tokens = n, lines = n, rejected_rule = ...}
 *
 * A state: {score=, unique=, total=, window=, collapsed=, collapse_events=,
 * threshold=, collapse_after=, window_size=}. Bad values raise, naming the key. */
#include "lua_util.h"
#include "sandprobe/diversity.h"
#include "sandprobe/engine.h"

#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define MONITOR_MT "sandprobe.diversity.monitor"
#define FINGERPRINT_MT "sandprobe.diversity.fingerprint"

struct sp_diversity_fingerprint *sp_lua_new_fingerprint(lua_State *L)
{
    struct sp_diversity_fingerprint *fp = lua_newuserdatauv(L, sizeof *fp, 0);
    memset(fp, 0, sizeof *fp);
    luaL_setmetatable(L, FINGERPRINT_MT);
    return fp;
}

/* The argument at idx: a fingerprint made elsewhere, or a source to
 * fingerprint into *scratch. */
static const struct sp_diversity_fingerprint *check_fingerprint(lua_State *L, int idx,
                                                               struct sp_diversity_fingerprint *scratch)
{
    const struct sp_diversity_fingerprint *made = luaL_testudata(L, idx, FINGERPRINT_MT);
    if (made != NULL)
        return made;
    if (lua_type(L, idx) != LUA_TSTRING)
        luaL_typeerror(L, idx, "string or fingerprint");
    size_t len;
    const char *code = lua_tolstring(L, idx, &len);
    sp_diversity_fingerprint(code, len, scratch);
    return scratch;
}

struct monitor {
    struct sp_diversity *d;
    bool owned; /* false for the process-wide one */
};

static int monitor_gc(lua_State *L)
{
    struct monitor *m = luaL_checkudata(L, 1, MONITOR_MT);
    if (m->owned)
        sp_diversity_free(m->d);
    m->d = NULL;
    return 0;
}

static struct sp_diversity *check_monitor(lua_State *L)
{
    struct monitor *m = luaL_checkudata(L, 1, MONITOR_MT);
    if (m->d == NULL)
        luaL_error(L, "attempt to use a closed diversity monitor");
    return m->d;
}

static void push_state(lua_State *L, struct sp_diversity *d, const struct sp_diversity_state *s)
{
    struct sp_diversity_config c = sp_diversity_config_of(d);
    lua_createtable(L, 0, 9);
    lua_pushnumber(L, s->score);
    lua_setfield(L, -2, "score");
    lua_pushinteger(L, (lua_Integer)s->unique);
    lua_setfield(L, -2, "unique");
    lua_pushinteger(L, (lua_Integer)s->total);
    lua_setfield(L, -2, "total");
    lua_pushinteger(L, (lua_Integer)s->window);
    lua_setfield(L, -2, "window");
    lua_pushboolean(L, s->collapsed);
    lua_setfield(L, -2, "collapsed");
    lua_pushinteger(L, (lua_Integer)s->collapse_events);
    lua_setfield(L, -2, "collapse_events");
    lua_pushnumber(L, c.threshold);
    lua_setfield(L, -2, "threshold");
    lua_pushinteger(L, c.collapse_after);
    lua_setfield(L, -2, "collapse_after");
    lua_pushinteger(L, c.window);
    lua_setfield(L, -2, "window_size");
}

/* Raises for a key that is not in `known`, so a misspelt key is not ignored. */
static void check_keys(lua_State *L, int idx, const char *what, const char *const *known)
{
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_pop(L, 1);
        bool ok = false;
        const char *key = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        for (int i = 0; key != NULL && known[i] != NULL; i++)
            ok = ok || strcmp(known[i], key) == 0;
        if (!ok)
            luaL_error(L, "%s: unknown key %s", what,
                       key ? lua_pushfstring(L, "'%s'", key) : luaL_typename(L, -1));
    }
}

static double number_field(lua_State *L, int idx, const char *what, const char *key)
{
    lua_getfield(L, idx, key);
    if (lua_type(L, -1) != LUA_TNUMBER)
        luaL_error(L, "%s: %s must be a number, got %s", what, key, luaL_typename(L, -1));
    double v = lua_tonumber(L, -1);
    lua_pop(L, 1);
    return v;
}

/* The config table at idx over `base`: absent keys keep base's values. */
static struct sp_diversity_config check_config(lua_State *L, int idx, const char *what,
                                               struct sp_diversity_config base)
{
    static const char *const keys[] = {"window", "threshold", "collapse_after", NULL};
    if (lua_isnoneornil(L, idx))
        return base;
    luaL_checktype(L, idx, LUA_TTABLE);
    check_keys(L, idx, what, keys);
    for (int i = 0; keys[i] != NULL; i++) {
        lua_getfield(L, idx, keys[i]);
        bool absent = lua_isnil(L, -1);
        lua_pop(L, 1);
        if (absent)
            continue;
        double v = number_field(L, idx, what, keys[i]);
        if (i != 1 && (v != floor(v) || v < 0 || v > 1e9))
            luaL_error(L, "%s: %s must be a whole number of programs, got %g", what, keys[i], v);
        if (i == 0)
            base.window = (unsigned)v;
        else if (i == 1)
            base.threshold = v;
        else
            base.collapse_after = (unsigned)v;
    }
    char err[160];
    if (sp_diversity_check_config(&base, err, sizeof err) != 0)
        luaL_error(L, "%s: %s", what, err);
    return base;
}

static int m_observe(lua_State *L)
{
    struct sp_diversity *d = check_monitor(L);
    struct sp_diversity_fingerprint scratch;
    const struct sp_diversity_fingerprint *fp = check_fingerprint(L, 2, &scratch);
    struct sp_diversity_state s;
    sp_diversity_add(d, fp, &s);
    push_state(L, d, &s);
    return 1;
}

static int m_record(lua_State *L)
{
    static const char *const keys[] = {"score", "unique", "total", "window", "collapsed", NULL};
    struct sp_diversity *d = check_monitor(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    check_keys(L, 2, "diversity.record", keys);
    struct sp_diversity_figures f = {
        .score = number_field(L, 2, "diversity.record", "score"),
        .unique = number_field(L, 2, "diversity.record", "unique"),
        .total = number_field(L, 2, "diversity.record", "total"),
        .window = number_field(L, 2, "diversity.record", "window"),
    };
    lua_getfield(L, 2, "collapsed");
    if (!lua_isboolean(L, -1))
        luaL_error(L, "diversity.record: collapsed must be a boolean, got %s", luaL_typename(L, -1));
    f.collapsed = lua_toboolean(L, -1);
    lua_pop(L, 1);
    char err[160];
    struct sp_diversity_state s;
    if (sp_diversity_record(d, &f, &s, err, sizeof err) != 0)
        luaL_error(L, "diversity.record: %s", err);
    push_state(L, d, &s);
    return 1;
}

static int m_state(lua_State *L)
{
    struct sp_diversity *d = check_monitor(L);
    struct sp_diversity_state s;
    sp_diversity_state(d, &s);
    push_state(L, d, &s);
    return 1;
}

static int m_configure(lua_State *L)
{
    struct sp_diversity *d = check_monitor(L);
    struct sp_diversity_config c = check_config(L, 2, "diversity.configure", sp_diversity_config_of(d));
    char err[160];
    if (sp_diversity_reset(d, &c, err, sizeof err) != 0)
        luaL_error(L, "diversity.configure: %s", err);
    return m_state(L);
}

static void push_monitor(lua_State *L, struct sp_diversity *d, bool owned)
{
    struct monitor *m = lua_newuserdatauv(L, sizeof *m, 0);
    m->d = d;
    m->owned = owned;
    luaL_setmetatable(L, MONITOR_MT);
}

static int diversity_new(lua_State *L)
{
    struct sp_diversity_config c = check_config(L, 1, "diversity.new", sp_diversity_default_config());
    char err[160];
    struct sp_diversity *d = sp_diversity_new(&c, err, sizeof err);
    if (d == NULL)
        luaL_error(L, "diversity.new: %s", err);
    push_monitor(L, d, true);
    return 1;
}

static int diversity_similarity(lua_State *L)
{
    struct sp_diversity_fingerprint fa, fb;
    lua_pushnumber(L, sp_diversity_similarity(check_fingerprint(L, 1, &fa), check_fingerprint(L, 2, &fb)));
    return 1;
}

static int diversity_fingerprint(lua_State *L)
{
    struct sp_diversity_fingerprint scratch;
    const struct sp_diversity_fingerprint *fp = check_fingerprint(L, 1, &scratch);
    char hex[16 * SP_DIVERSITY_SLOTS + 1];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)fp->exact);
    lua_createtable(L, 0, 5);
    lua_pushstring(L, hex);
    lua_setfield(L, -2, "exact");
    for (unsigned i = 0; i < SP_DIVERSITY_SLOTS; i++)
        snprintf(hex + 16 * i, sizeof hex - 16 * i, "%016llx", (unsigned long long)fp->minhash[i]);
    lua_pushstring(L, hex);
    lua_setfield(L, -2, "minhash");
    lua_pushinteger(L, (lua_Integer)fp->tokens);
    lua_setfield(L, -2, "tokens");
    lua_pushinteger(L, (lua_Integer)fp->lines);
    lua_setfield(L, -2, "lines");
    if (fp->rejected_rule != NULL) {
        lua_pushstring(L, fp->rejected_rule);
        lua_setfield(L, -2, "rejected_rule");
    }
    return 1;
}

/* Module-level functions: the method with the process-wide monitor first. */
static int on_default(lua_State *L, lua_CFunction method)
{
    push_monitor(L, sp_diversity_default(), false);
    lua_insert(L, 1);
    return method(L);
}

static int default_observe(lua_State *L) { return on_default(L, m_observe); }
static int default_record(lua_State *L) { return on_default(L, m_record); }
static int default_state(lua_State *L) { return on_default(L, m_state); }
static int default_configure(lua_State *L) { return on_default(L, m_configure); }

int luaopen_sandprobe_diversity(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"observe", m_observe}, {"record", m_record},       {"state", m_state},
        {"configure", m_configure}, {"__gc", monitor_gc},   {NULL, NULL},
    };
    static const luaL_Reg functions[] = {
        {"observe", default_observe},     {"record", default_record},
        {"state", default_state},         {"configure", default_configure},
        {"new", diversity_new},           {"similarity", diversity_similarity},
        {"fingerprint", diversity_fingerprint}, {NULL, NULL},
    };
    if (luaL_newmetatable(L, MONITOR_MT)) {
        luaL_setfuncs(L, methods, 0);
        lua_pushvalue(L, -1);
        lua_setfield(L, -2, "__index");
    }
    lua_pop(L, 1);
    luaL_newmetatable(L, FINGERPRINT_MT);
    lua_pop(L, 1);
    luaL_newlib(L, functions);
    return 1;
}

/* metrics: the Lua face of the process-wide metrics registry (metrics.h).
 * Every worker state sees the same registry, so a family declared identically
 * in several states is one family; family objects are light handles to it.
 * Documented in docs/metrics-module.md. */
#include "lua_util.h"
#include "sandprobe/engine.h"
#include "sandprobe/metrics.h"
#include "sandprobe/metrics_catalogue.h"
#include "sandprobe/metrics_http.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#define COUNTER_MT "sandprobe.metrics.counter"
#define GAUGE_MT "sandprobe.metrics.gauge"
#define HISTOGRAM_MT "sandprobe.metrics.histogram"
#define SERVER_MT "sandprobe.metrics.server"
#define MAX_LABELS 32
#define MAX_BUCKETS 256

static const char *const METATABLES[] = {
    [SP_METRIC_COUNTER] = COUNTER_MT,
    [SP_METRIC_GAUGE] = GAUGE_MT,
    [SP_METRIC_HISTOGRAM] = HISTOGRAM_MT,
};

static const char *const TYPE_NAMES[] = {
    [SP_METRIC_COUNTER] = "counter",
    [SP_METRIC_GAUGE] = "gauge",
    [SP_METRIC_HISTOGRAM] = "histogram",
};

static void push_family(lua_State *L, sp_metric_family *f)
{
    sp_metric_family **ud = lua_newuserdatauv(L, sizeof *ud, 0);
    *ud = f;
    luaL_setmetatable(L, METATABLES[sp_metric_family_type(f)]);
}

static sp_metric_family *check_family(lua_State *L, int idx, enum sp_metric_type type)
{
    return *(sp_metric_family **)luaL_checkudata(L, idx, METATABLES[type]);
}

/* Raises the status of a recording call as a Lua error naming the family. */
static void check_status(lua_State *L, sp_metric_family *f, int status)
{
    if (status != SP_METRICS_OK)
        luaL_error(L, "metric '%s': %s", sp_metric_family_name(f), sp_metrics_strerror(status));
}

/* ---- declaring ----------------------------------------------------------- */

static const char *const SPEC_KEYS[] = {"name", "help", "labels", "buckets", "unit", NULL};

/* Unknown keys are refused so that a typo ("label=") is not silently ignored. */
static void check_spec_keys(lua_State *L, int spec)
{
    lua_pushnil(L);
    while (lua_next(L, spec) != 0) {
        lua_pop(L, 1);
        const char *key = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        int known = 0;
        for (size_t i = 0; key != NULL && SPEC_KEYS[i] != NULL; i++)
            known |= strcmp(key, SPEC_KEYS[i]) == 0;
        if (!known)
            luaL_argerror(L, spec, lua_pushfstring(L, "unknown field '%s' (expected name, help, "
                          "labels, buckets, unit)", key ? key : luaL_typename(L, -1)));
    }
}

static size_t read_label_names(lua_State *L, int spec, const char **names)
{
    lua_getfield(L, spec, "labels");
    if (lua_isnil(L, -1))
        return 0;
    luaL_argcheck(L, lua_istable(L, -1), spec, "'labels' must be a list of names");
    size_t n = (size_t)lua_rawlen(L, -1);
    luaL_argcheck(L, n <= MAX_LABELS, spec, "too many labels");
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, -1 - (int)i, (lua_Integer)i + 1); /* each name stays on the stack */
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_argerror(L, spec, "'labels' must be a list of strings");
        names[i] = lua_tostring(L, -1);
    }
    return n;
}

static size_t read_buckets(lua_State *L, int spec, double *buckets)
{
    lua_getfield(L, spec, "buckets");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return 0;
    }
    luaL_argcheck(L, lua_istable(L, -1), spec, "'buckets' must be a list of numbers");
    size_t n = (size_t)lua_rawlen(L, -1);
    luaL_argcheck(L, n >= 1 && n <= MAX_BUCKETS, spec, "'buckets' must hold 1 to 256 bounds");
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        if (!lua_isnumber(L, -1))
            luaL_argerror(L, spec, "'buckets' must be a list of numbers");
        buckets[i] = lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return n;
}

static int declare(lua_State *L, enum sp_metric_type type)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    check_spec_keys(L, 1);
    luaL_checkstack(L, MAX_LABELS + 8, "too many labels");
    const char *names[MAX_LABELS];
    double buckets[MAX_BUCKETS];
    struct sp_metric_desc d = {.type = type};
    d.name = sp_lua_opt_string_field(L, 1, "name");
    luaL_argcheck(L, d.name != NULL, 1, "'name' is required");
    d.help = sp_lua_opt_string_field(L, 1, "help");
    d.unit = sp_lua_opt_string_field(L, 1, "unit");
    if (type == SP_METRIC_HISTOGRAM) {
        d.bucket_count = read_buckets(L, 1, buckets);
        d.buckets = d.bucket_count ? buckets : NULL;
    } else {
        lua_getfield(L, 1, "buckets");
        luaL_argcheck(L, lua_isnil(L, -1), 1, "only histograms have buckets");
    }
    d.label_count = read_label_names(L, 1, names);
    d.label_names = names;
    char err[256];
    sp_metric_family *f = sp_metrics_register(sp_metrics_default(), &d, err, sizeof err);
    if (f == NULL)
        return luaL_error(L, "metrics.%s: %s", TYPE_NAMES[type], err);
    push_family(L, f);
    return 1;
}

static int metrics_counter(lua_State *L) { return declare(L, SP_METRIC_COUNTER); }
static int metrics_gauge(lua_State *L) { return declare(L, SP_METRIC_GAUGE); }
static int metrics_histogram(lua_State *L) { return declare(L, SP_METRIC_HISTOGRAM); }

/* ---- label values -------------------------------------------------------- */

/* A label value is a string or a number, without NUL bytes (C strings). */
static const char *label_value_at_top(lua_State *L, sp_metric_family *f, const char *label)
{
    int t = lua_type(L, -1);
    if (t != LUA_TSTRING && t != LUA_TNUMBER)
        luaL_error(L, "metric '%s': label '%s' needs a string or number value, got %s",
                   sp_metric_family_name(f), label, luaL_typename(L, -1));
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (strlen(s) != len)
        luaL_error(L, "metric '%s': label '%s' value contains a NUL byte",
                   sp_metric_family_name(f), label);
    return s;
}

static size_t count_keys(lua_State *L, int t)
{
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, t) != 0) {
        lua_pop(L, 1);
        n++;
    }
    return n;
}

/* Fills values[] from the labels argument at idx: nil (no labels), a table by
 * name {outcome="ok"}, a list in declaration order {"ok"}, or a single string
 * when the family has one label (a bare number would read as an amount).
 * The strings stay on the stack. */
static const char *const *label_values(lua_State *L, int idx, sp_metric_family *f,
                                       const char **values)
{
    size_t n = sp_metric_family_label_count(f);
    const char *family = sp_metric_family_name(f);
    luaL_checkstack(L, (int)n + 4, "too many labels");
    int t = lua_type(L, idx);
    if (t == LUA_TNONE || t == LUA_TNIL) {
        if (n > 0)
            luaL_error(L, "metric '%s' needs label values for: %s%s", family,
                       sp_metric_family_label_name(f, 0), n > 1 ? ", ..." : "");
        return NULL;
    }
    if (t == LUA_TSTRING) {
        if (n != 1)
            luaL_error(L, "metric '%s' has %d labels: give them in a table", family, (int)n);
        lua_pushvalue(L, idx);
        values[0] = label_value_at_top(L, f, sp_metric_family_label_name(f, 0));
        return values;
    }
    if (t != LUA_TTABLE)
        luaL_error(L, "metric '%s': labels must be a table, got %s", family, luaL_typename(L, idx));
    idx = lua_absindex(L, idx);
    size_t keys = count_keys(L, idx);
    int by_position = keys > 0 && lua_rawlen(L, idx) == keys;
    if (keys != n)
        luaL_error(L, "metric '%s' has %d label(s), %d given", family, (int)n, (int)keys);
    for (size_t i = 0; i < n; i++) {
        const char *label = sp_metric_family_label_name(f, i);
        if (by_position)
            lua_rawgeti(L, idx, (lua_Integer)i + 1);
        else
            lua_getfield(L, idx, label);
        if (lua_isnil(L, -1))
            luaL_error(L, "metric '%s': label '%s' missing", family, label);
        values[i] = label_value_at_top(L, f, label);
    }
    return values;
}

/* ---- recording ------------------------------------------------------------ */

/* inc/dec take the labels and the amount in either order, both optional:
 * c:inc(), c:inc(2), c:inc({outcome="ok"}), c:inc({outcome="ok"}, 2). */
static void labels_and_amount(lua_State *L, int *labels_idx, double *amount)
{
    *labels_idx = 2;
    *amount = 1;
    if (lua_type(L, 2) == LUA_TNUMBER) {
        *amount = lua_tonumber(L, 2);
        *labels_idx = 3;
    } else if (!lua_isnoneornil(L, 3)) {
        *amount = luaL_checknumber(L, 3);
    }
}

static int counter_inc(lua_State *L)
{
    sp_metric_family *f = check_family(L, 1, SP_METRIC_COUNTER);
    int labels_idx;
    double amount;
    labels_and_amount(L, &labels_idx, &amount);
    const char *values[MAX_LABELS];
    check_status(L, f, sp_metric_counter_add(f, label_values(L, labels_idx, f, values), amount));
    return 0;
}

static int gauge_add_sign(lua_State *L, double sign)
{
    sp_metric_family *f = check_family(L, 1, SP_METRIC_GAUGE);
    int labels_idx;
    double amount;
    labels_and_amount(L, &labels_idx, &amount);
    const char *values[MAX_LABELS];
    check_status(L, f, sp_metric_gauge_add(f, label_values(L, labels_idx, f, values), sign * amount));
    return 0;
}

static int gauge_inc(lua_State *L) { return gauge_add_sign(L, 1); }
static int gauge_dec(lua_State *L) { return gauge_add_sign(L, -1); }

/* family:method(v [, labels]) for a method that records v as it is. */
static int record_value(lua_State *L, enum sp_metric_type type,
                        int (*record)(sp_metric_family *, const char *const *, double))
{
    sp_metric_family *f = check_family(L, 1, type);
    double v = luaL_checknumber(L, 2);
    const char *values[MAX_LABELS];
    check_status(L, f, record(f, label_values(L, 3, f, values), v));
    return 0;
}

static int gauge_set(lua_State *L)
{
    return record_value(L, SP_METRIC_GAUGE, sp_metric_gauge_set);
}

static int histogram_observe(lua_State *L)
{
    return record_value(L, SP_METRIC_HISTOGRAM, sp_metric_histogram_observe);
}

static sp_metric_family *check_any_family(lua_State *L, int idx)
{
    for (size_t t = 0; t < sizeof METATABLES / sizeof METATABLES[0]; t++) {
        void *ud = luaL_testudata(L, idx, METATABLES[t]);
        if (ud != NULL)
            return *(sp_metric_family **)ud;
    }
    luaL_typeerror(L, idx, "metric family");
    return NULL;
}

/* family:remove([labels]): forgets one series (e.g. of a container that is gone). */
static int family_remove(lua_State *L)
{
    sp_metric_family *f = check_any_family(L, 1);
    const char *values[MAX_LABELS];
    check_status(L, f, sp_metric_remove(f, label_values(L, 2, f, values)));
    return 0;
}

static int family_tostring(lua_State *L)
{
    sp_metric_family *f = check_any_family(L, 1);
    enum sp_metric_type t = sp_metric_family_type(f);
    lua_pushfstring(L, "metrics.%s (%s%s)", TYPE_NAMES[t], sp_metric_family_name(f),
                    t == SP_METRIC_COUNTER ? "_total" : "");
    return 1;
}

/* ---- registry-wide functions ------------------------------------------------ */

/* metrics.value(name, [labels]) -> value (counter, gauge) | count, sum (histogram)
 *                              | nil, message when no such family exists */
static int metrics_value(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    sp_metric_family *f = sp_metrics_find(sp_metrics_default(), name);
    if (f == NULL) {
        luaL_pushfail(L);
        lua_pushfstring(L, "no metric family named '%s'", name);
        return 2;
    }
    const char *values[MAX_LABELS];
    double value, sum;
    check_status(L, f, sp_metric_read(f, label_values(L, 2, f, values), &value, &sum));
    lua_pushnumber(L, value);
    if (sp_metric_family_type(f) != SP_METRIC_HISTOGRAM)
        return 1;
    lua_pushnumber(L, sum);
    return 2;
}

/* metrics.expose(["prometheus" | "openmetrics"]) -> text */
static int metrics_expose(lua_State *L)
{
    static const char *const formats[] = {"prometheus", "openmetrics", NULL};
    static const enum sp_metrics_format values[] = {SP_METRICS_PROMETHEUS, SP_METRICS_OPENMETRICS};
    int which = luaL_checkoption(L, 1, "prometheus", formats);
    size_t len;
    char *text = sp_metrics_expose(sp_metrics_default(), values[which], &len);
    if (text == NULL)
        return luaL_error(L, "metrics.expose: out of memory");
    lua_pushlstring(L, text, len);
    free(text);
    return 1;
}

/* metrics.write_textfile(path) -> true | nil, message */
static int metrics_write_textfile(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    char err[512];
    if (sp_metrics_write_textfile(sp_metrics_default(), path, err, sizeof err) != 0) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

/* metrics.catalogue() -> { [name] = family } for the engine's own families,
 * keyed by the name as exposed (counters with _total). */
static int metrics_catalogue(lua_State *L)
{
    lua_createtable(L, 0, SP_M_CATALOGUE_SIZE);
    for (int id = 0; id < SP_M_CATALOGUE_SIZE; id++) {
        sp_metric_family *f = sp_catalogue((enum sp_catalogue_metric)id);
        if (f == NULL)
            return luaL_error(L, "metrics.catalogue: the engine's metrics could not be declared");
        push_family(L, f);
        lua_setfield(L, -2, sp_catalogue_name((enum sp_catalogue_metric)id));
    }
    return 1;
}

/* ---- the /metrics server ---------------------------------------------------- */

static sp_metrics_server **check_server_slot(lua_State *L)
{
    return luaL_checkudata(L, 1, SERVER_MT);
}

static sp_metrics_server *check_open_server(lua_State *L)
{
    sp_metrics_server **slot = check_server_slot(L);
    if (*slot == NULL)
        luaL_error(L, "metrics server is closed");
    return *slot;
}

/* __gc, __close and :close(); stopping twice is harmless. */
static int server_close(lua_State *L)
{
    sp_metrics_server **slot = check_server_slot(L);
    sp_metrics_server_stop(*slot);
    *slot = NULL;
    return 0;
}

static int server_port(lua_State *L)
{
    lua_pushinteger(L, sp_metrics_server_port(check_open_server(L)));
    return 1;
}

/* Pushes a scrape's body: called protected, so a memory error cannot leak it. */
static int push_scrape_body(lua_State *L)
{
    const struct sp_metrics_scrape *scrape = lua_touserdata(L, 1);
    lua_pushlstring(L, scrape->body, scrape->len);
    return 1;
}

/* server:scrape{path = "/metrics", accept = nil}
 *   -> {status=, content_type=, body=} | nil, message */
static int server_scrape(lua_State *L)
{
    const sp_metrics_server *server = check_open_server(L);
    const char *path = "/metrics", *accept = NULL;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lua_getfield(L, 2, "path");
        path = luaL_optstring(L, -1, path); /* kept alive by the table */
        lua_getfield(L, 2, "accept");
        accept = luaL_optstring(L, -1, NULL);
        luaL_argcheck(L, path[0] == '/' && strpbrk(path, " \r\n") == NULL, 2,
                      "path must start with / and hold no spaces");
    }
    struct sp_metrics_scrape scrape;
    char err[512];
    if (sp_metrics_server_scrape(server, path, accept, &scrape, err, sizeof err) != 0) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    lua_pushcfunction(L, push_scrape_body);
    lua_pushlightuserdata(L, &scrape);
    int rc = lua_pcall(L, 1, 1, 0);
    long status = scrape.status;
    char content_type[sizeof scrape.content_type];
    memcpy(content_type, scrape.content_type, sizeof content_type);
    sp_metrics_scrape_free(&scrape);
    if (rc != LUA_OK)
        return lua_error(L);
    lua_createtable(L, 0, 3);
    lua_insert(L, -2);
    lua_setfield(L, -2, "body");
    lua_pushinteger(L, status);
    lua_setfield(L, -2, "status");
    lua_pushstring(L, content_type);
    lua_setfield(L, -2, "content_type");
    return 1;
}

static int server_tostring(lua_State *L)
{
    sp_metrics_server **slot = check_server_slot(L);
    if (*slot == NULL)
        lua_pushliteral(L, "metrics server (closed)");
    else
        lua_pushfstring(L, "metrics server (port %d)", (int)sp_metrics_server_port(*slot));
    return 1;
}

/* metrics.serve(addr) -> server | nil, message. A malformed address is a
 * usage error; an address that cannot be bound is an environmental one. */
static int metrics_serve(lua_State *L)
{
    const char *listen = luaL_checkstring(L, 1);
    char err[512];
    struct sockaddr_storage addr;
    socklen_t addrlen;
    if (sp_metrics_parse_listen(listen, &addr, &addrlen, err, sizeof err) != 0)
        return luaL_argerror(L, 1, err);
    /* The handle exists, closed, before the server does: nothing leaks if
     * making the userdata fails. */
    sp_metrics_server **slot = lua_newuserdatauv(L, sizeof *slot, 0);
    *slot = NULL;
    luaL_setmetatable(L, SERVER_MT);
    *slot = sp_metrics_server_start(sp_metrics_default(), listen, err, sizeof err);
    if (*slot == NULL) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    return 1;
}

/* ---- module ------------------------------------------------------------------ */

static void new_family_metatable(lua_State *L, const char *name, const luaL_Reg *methods)
{
    static const luaL_Reg common[] = {{"remove", family_remove}, {NULL, NULL}};
    luaL_newmetatable(L, name);
    lua_pushcfunction(L, family_tostring);
    lua_setfield(L, -2, "__tostring");
    luaL_newlib(L, common);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
}

static void create_metatables(lua_State *L)
{
    static const luaL_Reg counter_methods[] = {{"inc", counter_inc}, {NULL, NULL}};
    static const luaL_Reg gauge_methods[] = {
        {"set", gauge_set}, {"inc", gauge_inc}, {"dec", gauge_dec}, {NULL, NULL}};
    static const luaL_Reg histogram_methods[] = {{"observe", histogram_observe}, {NULL, NULL}};
    new_family_metatable(L, COUNTER_MT, counter_methods);
    new_family_metatable(L, GAUGE_MT, gauge_methods);
    new_family_metatable(L, HISTOGRAM_MT, histogram_methods);

    static const luaL_Reg server_meta[] = {
        {"__gc", server_close}, {"__close", server_close}, {"__tostring", server_tostring},
        {NULL, NULL}};
    static const luaL_Reg server_methods[] = {
        {"port", server_port}, {"scrape", server_scrape}, {"close", server_close}, {NULL, NULL}};
    luaL_newmetatable(L, SERVER_MT);
    luaL_setfuncs(L, server_meta, 0);
    luaL_newlib(L, server_methods);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
}

int luaopen_sandprobe_metrics(lua_State *L)
{
    /* The engine's families exist before any scenario can declare a name of
     * its own, so a clash is reported to the scenario, not to the engine. */
    if (sp_catalogue(SP_M_BUILD_INFO) == NULL)
        return luaL_error(L, "metrics: the engine's metrics could not be declared");
    create_metatables(L);
    static const luaL_Reg functions[] = {
        {"counter", metrics_counter},
        {"gauge", metrics_gauge},
        {"histogram", metrics_histogram},
        {"value", metrics_value},
        {"expose", metrics_expose},
        {"write_textfile", metrics_write_textfile},
        {"serve", metrics_serve},
        {"catalogue", metrics_catalogue},
        {NULL, NULL},
    };
    luaL_newlib(L, functions);
    return 1;
}

/* alerts: alert rules written in Lua, evaluated by the C alert manager.
 *   alerts.load(rules)               -> manager (raises on a malformed rule)
 *   manager:evaluate([now,] lookup)  -> list of transitions
 *   manager:states() / :firing()     -> list of rule states
 *   manager:payload()                -> JSON text, count
 *   manager:send(url [, {timeout=}]) -> count | nil, message
 *   manager:stats()                  -> {sent=, failed=, rounds=}
 *   manager:start_background{interval=, alertmanager=, timeout=} -> true | nil, message
 *   manager:stop_background()
 *   manager:close()
 * A rule: {name=, expr="METRIC OP NUMBER", for_seconds=, labels={}, summary=}.
 * See docs/monitor-and-alerts.md. */
#include "sandprobe/alerts.h"
#include "sandprobe/clock.h"
#include "sandprobe/engine.h"
#include "sandprobe/metrics_catalogue.h"
#include "sandprobe/alert_loop.h"

#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MANAGER_MT "sandprobe.alerts.manager"

struct manager {
    struct sp_alerts *alerts;   /* NULL once closed */
    struct sp_alert_loop *loop; /* the background evaluator, NULL when none */
};

static int manager_close(lua_State *L)
{
    struct manager *m = luaL_checkudata(L, 1, MANAGER_MT);
    sp_alert_loop_stop(m->loop); /* first: it uses the rules */
    m->loop = NULL;
    sp_alerts_free(m->alerts);
    m->alerts = NULL;
    return 0;
}

static struct sp_alerts *check_manager(lua_State *L)
{
    struct manager *m = luaL_checkudata(L, 1, MANAGER_MT);
    if (m->alerts == NULL)
        luaL_error(L, "attempt to use a closed alert manager");
    return m->alerts;
}

static const char *const rule_keys[] = {"name", "expr", "for_seconds", "labels", "summary", NULL};

/* Raises for a key no rule has, so a misspelt "for_secs" is not silently
 * ignored. Rule table at `idx`. */
static void check_rule_keys(lua_State *L, int idx, lua_Integer n)
{
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_pop(L, 1);
        const char *key = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        bool known = false;
        for (int i = 0; key != NULL && rule_keys[i] != NULL; i++)
            known = known || strcmp(key, rule_keys[i]) == 0;
        if (!known)
            luaL_error(L, "alert rule %d: unknown key %s", (int)n, luaL_tolstring(L, -1, NULL));
    }
}

static const char *rule_string(lua_State *L, int idx, const char *key, bool required,
                               lua_Integer n)
{
    int type = lua_getfield(L, idx, key);
    if (type != LUA_TSTRING && (required || type != LUA_TNIL))
        luaL_error(L, "alert rule %d: %s must be a string", (int)n, key);
    const char *s = lua_tostring(L, -1);
    lua_pop(L, 1); /* the string stays alive: the rule table holds it */
    return s;
}

/* The labels table at the top of the stack as an array of sp_alert_label in
 * a userdata left on the stack (pointers into strings the table keeps). */
static size_t collect_labels(lua_State *L, const char *rule, struct sp_alert_label **out)
{
    size_t count = 0;
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        lua_pop(L, 1);
        count++;
    }
    struct sp_alert_label *labels = lua_newuserdatauv(L, (count ? count : 1) * sizeof *labels, 0);
    size_t i = 0;
    lua_pushnil(L);
    while (lua_next(L, -3) != 0) {
        if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "alert rule %s: labels must map strings to strings", rule);
        labels[i].name = lua_tostring(L, -2);
        labels[i++].value = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    *out = labels;
    return count;
}

/* Adds the rule table at `idx` (the n-th) to the manager. */
static void add_rule(lua_State *L, struct sp_alerts *alerts, int idx, lua_Integer n)
{
    check_rule_keys(L, idx, n);
    struct sp_alert_rule_spec spec = {0};
    spec.name = rule_string(L, idx, "name", true, n);
    spec.summary = rule_string(L, idx, "summary", false, n);
    const char *expr = rule_string(L, idx, "expr", true, n);
    char metric[512], err[512];
    if (sp_alert_parse_expr(expr, metric, sizeof metric, &spec.op, &spec.threshold, err,
                            sizeof err) != 0)
        luaL_error(L, "alert rule %s: %s", spec.name, err);
    spec.metric = metric;
    int type = lua_getfield(L, idx, "for_seconds");
    if (type != LUA_TNIL && type != LUA_TNUMBER)
        luaL_error(L, "alert rule %s: for_seconds must be a number", spec.name);
    spec.for_seconds = lua_tonumber(L, -1);
    lua_pop(L, 1);
    int top = lua_gettop(L);
    if (lua_getfield(L, idx, "labels") != LUA_TNIL) {
        if (!lua_istable(L, -1))
            luaL_error(L, "alert rule %s: labels must be a table", spec.name);
        struct sp_alert_label *labels;
        spec.label_count = collect_labels(L, spec.name, &labels);
        spec.labels = labels;
    }
    if (sp_alerts_add(alerts, &spec, err, sizeof err) != 0)
        luaL_error(L, "%s", err);
    lua_settop(L, top);
}

static int alerts_load(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    struct manager *m = lua_newuserdatauv(L, sizeof *m, 0);
    m->loop = NULL;
    m->alerts = NULL; /* closed until complete: an error below leaves nothing half-made */
    luaL_setmetatable(L, MANAGER_MT);
    struct sp_alerts *alerts = sp_alerts_new();
    if (alerts == NULL)
        return luaL_error(L, "alerts: out of memory");
    m->alerts = alerts; /* owned by the userdata from here: freed by __gc on error */
    lua_Integer n = luaL_len(L, 1);
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_geti(L, 1, i) != LUA_TTABLE)
            return luaL_error(L, "alert rule %d: a table expected", (int)i);
        add_rule(L, alerts, lua_gettop(L), i);
        lua_pop(L, 1);
    }
    return 1;
}

/* The lookup for sp_alerts_evaluate: calls the Lua function at fn_index. A
 * Lua error or a non-number aborts the evaluation; the message is kept at
 * err_index and raised once the C code has returned. */
struct lua_lookup {
    lua_State *L;
    int fn_index, err_index;
    bool failed;
};

static int call_lua_lookup(void *ctx, const char *metric, double *value)
{
    struct lua_lookup *lk = ctx;
    lua_State *L = lk->L;
    lua_pushvalue(L, lk->fn_index);
    lua_pushstring(L, metric);
    if (lua_pcall(L, 1, 1, 0) == LUA_OK) {
        int type = lua_type(L, -1);
        if (type == LUA_TNUMBER || type == LUA_TNIL) {
            *value = type == LUA_TNUMBER ? lua_tonumber(L, -1) : NAN;
            lua_pop(L, 1);
            return type == LUA_TNUMBER ? 0 : -1;
        }
        lua_pushfstring(L, "alert lookup returned a %s for %s (a number or nil expected)",
                        luaL_typename(L, -1), metric);
        lua_remove(L, -2);
    }
    lua_replace(L, lk->err_index);
    lk->failed = true;
    return SP_ALERT_LOOKUP_ABORT;
}

static void set_number_or_nil(lua_State *L, const char *field, double v)
{
    if (isnan(v))
        return;
    lua_pushnumber(L, v);
    lua_setfield(L, -2, field);
}

/* manager:evaluate([now,] lookup) -> {{name=, from=, to=, value=, at=}, ...} */
static int manager_evaluate(lua_State *L)
{
    struct sp_alerts *alerts = check_manager(L);
    double now = sp_clock_wall();
    int fn_index = 2;
    if (lua_type(L, 2) == LUA_TNUMBER) {
        now = lua_tonumber(L, 2);
        fn_index = 3;
    }
    luaL_checktype(L, fn_index, LUA_TFUNCTION);
    size_t count = sp_alerts_count(alerts);
    struct sp_alert_transition *out =
        lua_newuserdatauv(L, (count ? count : 1) * sizeof *out, 0);
    lua_pushnil(L); /* the lookup's error, if any */
    struct lua_lookup lk = {L, fn_index, lua_gettop(L), false};
    size_t n = sp_alerts_evaluate(alerts, now, call_lua_lookup, &lk, out, count);
    if (lk.failed)
        return lua_error(L);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_createtable(L, 0, 5);
        lua_pushstring(L, out[i].name);
        lua_setfield(L, -2, "name");
        lua_pushstring(L, sp_alert_state_name(out[i].from));
        lua_setfield(L, -2, "from");
        lua_pushstring(L, sp_alert_state_name(out[i].to));
        lua_setfield(L, -2, "to");
        set_number_or_nil(L, "value", out[i].value);
        lua_pushnumber(L, out[i].at);
        lua_setfield(L, -2, "at");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static void push_status(lua_State *L, const struct sp_alert_status *st)
{
    lua_createtable(L, 0, 9);
    lua_pushstring(L, st->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, st->metric);
    lua_setfield(L, -2, "metric");
    lua_pushstring(L, sp_alert_state_name(st->state));
    lua_setfield(L, -2, "state");
    if (st->summary != NULL) {
        lua_pushstring(L, st->summary);
        lua_setfield(L, -2, "summary");
    }
    lua_createtable(L, 0, (int)st->label_count);
    for (size_t i = 0; i < st->label_count; i++) {
        lua_pushstring(L, st->labels[i].value);
        lua_setfield(L, -2, st->labels[i].name);
    }
    lua_setfield(L, -2, "labels");
    set_number_or_nil(L, "value", st->value);
    bool active = st->state == SP_ALERT_PENDING || st->state == SP_ALERT_FIRING;
    set_number_or_nil(L, "active_since", active ? st->active_since : NAN);
    bool fired = st->state == SP_ALERT_FIRING || st->state == SP_ALERT_RESOLVED;
    set_number_or_nil(L, "fired_at", fired ? st->fired_at : NAN);
    set_number_or_nil(L, "resolved_at", st->state == SP_ALERT_RESOLVED ? st->resolved_at : NAN);
}

/* The states of every rule, or only the firing ones. */
static int push_states(lua_State *L, bool firing_only)
{
    struct sp_alerts *alerts = check_manager(L);
    lua_newtable(L);
    lua_Integer n = 0;
    struct sp_alert_status st;
    for (size_t i = 0; sp_alerts_status(alerts, i, &st) == 0; i++) {
        if (firing_only && st.state != SP_ALERT_FIRING)
            continue;
        push_status(L, &st);
        lua_rawseti(L, -2, ++n);
    }
    return 1;
}

static int manager_states(lua_State *L)
{
    return push_states(L, false);
}

static int manager_firing(lua_State *L)
{
    return push_states(L, true);
}

static int manager_payload(lua_State *L)
{
    struct sp_alerts *alerts = check_manager(L);
    size_t count;
    char *text = sp_alerts_payload(alerts, &count);
    if (text == NULL)
        return luaL_error(L, "alerts: out of memory");
    lua_pushstring(L, text);
    free(text);
    lua_pushinteger(L, (lua_Integer)count);
    return 2;
}

/* manager:send(url [, {timeout=seconds}]) -> count | nil, message */
static int manager_send(lua_State *L)
{
    struct sp_alerts *alerts = check_manager(L);
    const char *url = luaL_checkstring(L, 2);
    double timeout = SP_ALERTS_DEFAULT_TIMEOUT_MS / 1000.0;
    if (!lua_isnoneornil(L, 3)) {
        luaL_checktype(L, 3, LUA_TTABLE);
        lua_getfield(L, 3, "timeout");
        timeout = luaL_optnumber(L, -1, timeout);
        luaL_argcheck(L, timeout > 0, 3, "timeout must be positive");
    }
    char err[512];
    int sent = sp_alerts_send(alerts, url, (long)(timeout * 1000), err, sizeof err);
    if (sent < 0) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    lua_pushinteger(L, sent);
    return 1;
}

static int manager_stats(lua_State *L)
{
    unsigned long sent, failed;
    sp_alerts_send_counts(check_manager(L), &sent, &failed);
    struct manager *m = luaL_checkudata(L, 1, MANAGER_MT);
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, (lua_Integer)sent);
    lua_setfield(L, -2, "sent");
    lua_pushinteger(L, (lua_Integer)failed);
    lua_setfield(L, -2, "failed");
    lua_pushinteger(L, m->loop ? (lua_Integer)sp_alert_loop_rounds(m->loop) : 0);
    lua_setfield(L, -2, "rounds");
    return 1;
}

/* manager:start_background{interval=seconds, alertmanager=url, timeout=seconds}
 * -> true | nil, message. Evaluates the rules against the process-wide
 * metrics registry in a thread of its own (alert_loop.h), recording
 * sandprobe_alerts_firing and posting to the Alertmanager when given. */
static int manager_start_background(lua_State *L)
{
    struct sp_alerts *alerts = check_manager(L);
    struct manager *m = luaL_checkudata(L, 1, MANAGER_MT);
    struct sp_alert_loop_config cfg = {.registry = sp_metrics_default()};
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lua_getfield(L, 2, "interval");
        cfg.interval_seconds = luaL_optnumber(L, -1, SP_ALERT_LOOP_DEFAULT_INTERVAL);
        luaL_argcheck(L, cfg.interval_seconds >= SP_ALERT_LOOP_MIN_INTERVAL, 2, "interval too small");
        lua_getfield(L, 2, "timeout");
        double timeout = luaL_optnumber(L, -1, SP_ALERTS_DEFAULT_TIMEOUT_MS / 1000.0);
        luaL_argcheck(L, timeout > 0, 2, "timeout must be positive");
        cfg.timeout_ms = (long)(timeout * 1000);
        lua_getfield(L, 2, "alertmanager");
        cfg.alertmanager_url = luaL_optstring(L, -1, NULL); /* kept alive by the table */
    }
    if (m->loop != NULL) {
        luaL_pushfail(L);
        lua_pushliteral(L, "alert evaluation already running");
        return 2;
    }
    sp_catalogue(SP_M_ALERTS_FIRING); /* the families the rules read, declared */
    char err[256];
    m->loop = sp_alert_loop_start(alerts, &cfg, err, sizeof err);
    if (m->loop == NULL) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int manager_stop_background(lua_State *L)
{
    check_manager(L);
    struct manager *m = luaL_checkudata(L, 1, MANAGER_MT);
    sp_alert_loop_stop(m->loop);
    m->loop = NULL;
    return 0;
}

int luaopen_sandprobe_alerts(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"evaluate", manager_evaluate}, {"states", manager_states}, {"firing", manager_firing},
        {"payload", manager_payload},   {"send", manager_send},     {"stats", manager_stats},
        {"start_background", manager_start_background},
        {"stop_background", manager_stop_background},
        {"close", manager_close},       {NULL, NULL},
    };
    static const luaL_Reg meta[] = {
        {"__gc", manager_close},
        {"__close", manager_close},
        {"__index", NULL},
        {NULL, NULL},
    };
    static const luaL_Reg functions[] = {{"load", alerts_load}, {NULL, NULL}};
    luaL_newmetatable(L, MANAGER_MT);
    luaL_setfuncs(L, meta, 0);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    luaL_newlib(L, functions);
    return 1;
}

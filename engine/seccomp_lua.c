/* seccomp: Docker seccomp profiles for Lua, a thin binding over
 * engine/seccomp.c. docs/seccomp-module.md describes the API.
 *
 *   local seccomp = require("seccomp")
 *   local p = assert(seccomp.default_profile())
 *   p:deny{"fork", "vfork", errno = "EPERM"}
 *   p:action("fork")  --> "errno", 1, <rule index>
 *   docker_security_opt = "seccomp=" .. p:to_json()
 */
#include "sandprobe/engine.h"
#include "sandprobe/seccomp.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROFILE_MT "sandprobe.seccomp.profile"
#define MAX_NAMES 512
#define ERRLEN 512

/* The userdata holds a pointer that is NULL until the profile is made and
 * again once it is freed, so __gc and __close can share one idempotent function. */
static sp_seccomp_profile **new_handle(lua_State *L)
{
    sp_seccomp_profile **slot = lua_newuserdatauv(L, sizeof *slot, 0);
    *slot = NULL;
    luaL_setmetatable(L, PROFILE_MT);
    return slot;
}

static sp_seccomp_profile *check_profile(lua_State *L, int idx)
{
    sp_seccomp_profile **slot = luaL_checkudata(L, idx, PROFILE_MT);
    luaL_argcheck(L, *slot != NULL, idx, "profile is closed");
    return *slot;
}

static int profile_close(lua_State *L)
{
    sp_seccomp_profile **slot = luaL_checkudata(L, 1, PROFILE_MT);
    sp_seccomp_free(*slot);
    *slot = NULL;
    return 0;
}

/* Leaves the profile (or fail, message) on the stack. */
static int push_profile(lua_State *L, sp_seccomp_profile **slot, const char *err)
{
    if (*slot == NULL) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    return 1;
}

/* seccomp.parse(json_text) -> profile | fail, message */
static int l_parse(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    char err[ERRLEN] = "";
    sp_seccomp_profile **slot = new_handle(L);
    *slot = sp_seccomp_parse(text, len, err, sizeof err);
    return push_profile(L, slot, err);
}

/* seccomp.load(path) -> profile | fail, message */
static int l_load(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    char err[ERRLEN] = "";
    sp_seccomp_profile **slot = new_handle(L);
    *slot = sp_seccomp_load(path, err, sizeof err);
    return push_profile(L, slot, err);
}

/* seccomp.default_profile() -> Docker's default profile shipped with the
 * engine (lua/sandprobe/profiles/docker-default.json) | fail, message */
static int l_default_profile(lua_State *L)
{
    const char *dir = sp_engine_data_dir();
    char err[ERRLEN] = "cannot find the sandprobe Lua library";
    sp_seccomp_profile **slot = new_handle(L);
    if (dir != NULL) {
        char path[4096];
        snprintf(path, sizeof path, "%s/lua/sandprobe/profiles/docker-default.json", dir);
        *slot = sp_seccomp_load(path, err, sizeof err);
    }
    return push_profile(L, slot, err);
}

/* seccomp.native_arch() -> "x86_64" */
static int l_native_arch(lua_State *L)
{
    lua_pushstring(L, sp_seccomp_native_arch());
    return 1;
}

/* seccomp.syscall_number(name) -> native number | fail, message */
static int l_syscall_number(lua_State *L)
{
    char err[ERRLEN];
    int nr = sp_seccomp_syscall_number(luaL_checkstring(L, 1), err, sizeof err);
    if (nr < 0) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    lua_pushinteger(L, nr);
    return 1;
}

/* seccomp.errno(name) -> number | fail */
static int l_errno(lua_State *L)
{
    int e = sp_seccomp_errno_from_name(luaL_checkstring(L, 1));
    if (e < 0)
        luaL_pushfail(L);
    else
        lua_pushinteger(L, e);
    return 1;
}

/* The syscall names of a change: the array part of the table argument. */
static size_t check_names(lua_State *L, int idx, const char **names)
{
    luaL_checktype(L, idx, LUA_TTABLE);
    size_t n = (size_t)luaL_len(L, idx);
    luaL_argcheck(L, n > 0, idx, "no syscall names given");
    luaL_argcheck(L, n <= MAX_NAMES, idx, "too many syscall names");
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, idx, (lua_Integer)i + 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_argerror(L, idx, lua_pushfstring(L, "name %d is not a string", (int)i + 1));
        names[i] = lua_tostring(L, -1);
        lua_pop(L, 1); /* the string stays alive: the table holds it */
    }
    return n;
}

/* errno = "EPERM" | "ENOSYS" | number; EPERM when absent. */
static unsigned check_errno(lua_State *L, int idx)
{
    lua_getfield(L, idx, "errno");
    int type = lua_type(L, -1);
    unsigned value = 1; /* EPERM */
    if (type == LUA_TNUMBER) {
        lua_Integer n = luaL_checkinteger(L, -1);
        luaL_argcheck(L, n >= 0 && n <= 4095, idx, "errno out of range (0..4095)");
        value = (unsigned)n;
    } else if (type == LUA_TSTRING) {
        int e = sp_seccomp_errno_from_name(lua_tostring(L, -1));
        if (e < 0)
            luaL_argerror(L, idx, lua_pushfstring(L, "unknown errno %s", lua_tostring(L, -1)));
        value = (unsigned)e;
    } else if (type != LUA_TNIL) {
        luaL_argerror(L, idx, "errno must be a name such as \"EPERM\" or a number");
    }
    lua_pop(L, 1);
    return value;
}

static int change_done(lua_State *L, int rc, const char *err)
{
    if (rc != 0)
        return luaL_error(L, "seccomp: %s", err);
    lua_settop(L, 1);
    return 1; /* the profile, for chaining */
}

/* profile:deny{"fork", "vfork", errno = "EPERM"} -> profile */
static int m_deny(lua_State *L)
{
    sp_seccomp_profile *p = check_profile(L, 1);
    const char *names[MAX_NAMES];
    size_t n = check_names(L, 2, names);
    unsigned e = check_errno(L, 2);
    char err[ERRLEN];
    return change_done(L, sp_seccomp_deny(p, names, n, e, err, sizeof err), err);
}

/* profile:allow{"name", ...} -> profile */
static int m_allow(lua_State *L)
{
    sp_seccomp_profile *p = check_profile(L, 1);
    const char *names[MAX_NAMES];
    size_t n = check_names(L, 2, names);
    char err[ERRLEN];
    return change_done(L, sp_seccomp_allow(p, names, n, err, sizeof err), err);
}

/* profile:remove{"name", ...} -> profile (the names fall to the default action) */
static int m_remove(lua_State *L)
{
    sp_seccomp_profile *p = check_profile(L, 1);
    const char *names[MAX_NAMES];
    size_t n = check_names(L, 2, names);
    char err[ERRLEN];
    return change_done(L, sp_seccomp_remove(p, names, n, err, sizeof err), err);
}

/* profile:deny_clone_without_thread() -> profile */
static int m_deny_clone_without_thread(lua_State *L)
{
    sp_seccomp_profile *p = check_profile(L, 1);
    char err[ERRLEN];
    return change_done(L, sp_seccomp_deny_clone_without_thread(p, err, sizeof err), err);
}

/* profile:allow_only_arg0{"socket", "socketpair", values = {1, 2, 10}} -> profile */
static int m_allow_only_arg0(lua_State *L)
{
    sp_seccomp_profile *p = check_profile(L, 1);
    const char *names[MAX_NAMES];
    size_t n = check_names(L, 2, names);
    uint64_t values[MAX_NAMES];
    luaL_argcheck(L, lua_getfield(L, 2, "values") == LUA_TTABLE, 2, "values must be a list of integers");
    size_t nvalues = (size_t)luaL_len(L, -1);
    luaL_argcheck(L, nvalues > 0 && nvalues <= MAX_NAMES, 2, "values must hold 1 to 512 integers");
    for (size_t i = 0; i < nvalues; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        luaL_argcheck(L, lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0, 2,
                      "values must be non-negative integers");
        values[i] = (uint64_t)lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    char err[ERRLEN];
    return change_done(L, sp_seccomp_allow_only_arg0(p, names, n, values, nvalues, err, sizeof err), err);
}

static void push_verdict(lua_State *L, const struct sp_seccomp_verdict *v)
{
    lua_pushstring(L, sp_seccomp_action_name(v->action));
    if (v->action == SP_SECCOMP_ERRNO || v->action == SP_SECCOMP_TRACE)
        lua_pushinteger(L, v->data);
    else
        lua_pushnil(L);
}

/* profile:action(name [, {a0, ..., a5}]) -> action, errno|nil, rule|nil
 * | fail, message. rule is the 1-based index in syscalls[] of the deciding
 * rule, nil when the default action applies. */
static int m_action(lua_State *L)
{
    sp_seccomp_profile *p = check_profile(L, 1);
    const char *name = luaL_checkstring(L, 2);
    uint64_t args[SP_SECCOMP_MAX_ARGS] = {0};
    if (!lua_isnoneornil(L, 3)) {
        luaL_checktype(L, 3, LUA_TTABLE);
        luaL_argcheck(L, luaL_len(L, 3) <= SP_SECCOMP_MAX_ARGS, 3, "at most 6 arguments");
        for (int i = 0; i < SP_SECCOMP_MAX_ARGS; i++) {
            lua_rawgeti(L, 3, i + 1);
            if (!lua_isnil(L, -1)) {
                int ok;
                lua_Integer v = lua_tointegerx(L, -1, &ok);
                luaL_argcheck(L, ok, 3, "arguments must be integers");
                args[i] = (uint64_t)v; /* -1 is 0xffffffffffffffff, as in C */
            }
            lua_pop(L, 1);
        }
    }
    struct sp_seccomp_verdict v;
    char err[ERRLEN];
    if (sp_seccomp_query(p, name, args, &v, err, sizeof err) != 0) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    push_verdict(L, &v);
    if (v.rule >= 0)
        lua_pushinteger(L, v.rule + 1);
    else
        lua_pushnil(L);
    return 3;
}

static void push_string_array(lua_State *L, size_t n, const char *(*get)(const sp_seccomp_profile *, size_t),
                              const sp_seccomp_profile *p)
{
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, get(p, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* profile:warnings() -> {message, ...} */
static int m_warnings(lua_State *L)
{
    sp_seccomp_profile *p = check_profile(L, 1);
    push_string_array(L, sp_seccomp_warning_count(p), sp_seccomp_warning, p);
    return 1;
}

/* profile:capabilities() -> {"CAP_CHOWN", ...}
 * profile:capabilities{"CAP_NET_RAW", ...} | profile:capabilities("default") -> profile */
static int m_capabilities(lua_State *L)
{
    sp_seccomp_profile *p = check_profile(L, 1);
    if (lua_isnoneornil(L, 2)) {
        push_string_array(L, sp_seccomp_capability_count(p), sp_seccomp_capability, p);
        return 1;
    }
    int rc;
    if (lua_type(L, 2) == LUA_TSTRING) {
        luaL_argcheck(L, strcmp(lua_tostring(L, 2), "default") == 0, 2,
                      "expected a list of capabilities or \"default\"");
        rc = sp_seccomp_set_capabilities(p, NULL, 0);
    } else {
        luaL_checktype(L, 2, LUA_TTABLE);
        size_t n = (size_t)luaL_len(L, 2);
        const char *caps[64];
        luaL_argcheck(L, n <= sizeof caps / sizeof caps[0], 2, "too many capabilities");
        for (size_t i = 0; i < n; i++) {
            lua_rawgeti(L, 2, (lua_Integer)i + 1);
            if (lua_type(L, -1) != LUA_TSTRING)
                luaL_argerror(L, 2, "capabilities must be strings");
            caps[i] = lua_tostring(L, -1);
            lua_pop(L, 1);
        }
        rc = sp_seccomp_set_capabilities(p, caps, n);
    }
    return change_done(L, rc, "out of memory");
}

/* profile:to_json() -> compact JSON for SecurityOpt "seccomp=<json>" */
static int m_to_json(lua_State *L)
{
    char *text = sp_seccomp_to_json(check_profile(L, 1));
    if (text == NULL)
        return luaL_error(L, "seccomp: out of memory");
    lua_pushstring(L, text);
    free(text);
    return 1;
}

/* profile:bpf() -> the compiled filter (struct sock_filter array) | fail, message */
static int m_bpf(lua_State *L)
{
    void *bpf;
    size_t len;
    char err[ERRLEN];
    if (sp_seccomp_export_bpf(check_profile(L, 1), &bpf, &len, err, sizeof err) != 0) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    lua_pushlstring(L, bpf, len);
    free(bpf);
    return 1;
}

/* profile:pfc() -> libseccomp's pseudo filter code | fail, message */
static int m_pfc(lua_State *L)
{
    char err[ERRLEN];
    char *text = sp_seccomp_export_pfc(check_profile(L, 1), err, sizeof err);
    if (text == NULL) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    lua_pushstring(L, text);
    free(text);
    return 1;
}

/* profile:syscalls() -> sorted names the applying rules name */
static int m_syscalls(lua_State *L)
{
    size_t n;
    const char **names = sp_seccomp_active_syscalls(check_profile(L, 1), &n);
    if (names == NULL)
        return luaL_error(L, "seccomp: out of memory");
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, names[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    free(names);
    return 1;
}

/* profile:copy() -> an independent profile */
static int m_copy(lua_State *L)
{
    sp_seccomp_profile *p = check_profile(L, 1);
    sp_seccomp_profile **slot = new_handle(L);
    *slot = sp_seccomp_copy(p);
    if (*slot == NULL)
        return luaL_error(L, "seccomp: out of memory");
    return 1;
}

static int m_tostring(lua_State *L)
{
    sp_seccomp_profile **slot = luaL_checkudata(L, 1, PROFILE_MT);
    if (*slot == NULL)
        lua_pushliteral(L, "seccomp profile (closed)");
    else
        lua_pushfstring(L, "seccomp profile (%p)", (void *)*slot);
    return 1;
}

static const luaL_Reg profile_methods[] = {
    {"deny", m_deny},
    {"allow", m_allow},
    {"remove", m_remove},
    {"deny_clone_without_thread", m_deny_clone_without_thread},
    {"allow_only_arg0", m_allow_only_arg0},
    {"action", m_action},
    {"warnings", m_warnings},
    {"capabilities", m_capabilities},
    {"to_json", m_to_json},
    {"bpf", m_bpf},
    {"pfc", m_pfc},
    {"syscalls", m_syscalls},
    {"copy", m_copy},
    {"close", profile_close},
    {NULL, NULL},
};

static const luaL_Reg profile_meta[] = {
    {"__gc", profile_close},
    {"__close", profile_close},
    {"__tostring", m_tostring},
    {"__index", NULL},
    {NULL, NULL},
};

static const luaL_Reg module_functions[] = {
    {"parse", l_parse},
    {"load", l_load},
    {"default_profile", l_default_profile},
    {"native_arch", l_native_arch},
    {"errno", l_errno},
    {"syscall_number", l_syscall_number},
    {NULL, NULL},
};

int luaopen_sandprobe_seccomp(lua_State *L)
{
    luaL_newmetatable(L, PROFILE_MT);
    luaL_setfuncs(L, profile_meta, 0);
    luaL_newlib(L, profile_methods);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    luaL_newlib(L, module_functions);
    return 1;
}

/* sandprobe.guard: runs a function under a wall-clock deadline enforced by a
 * hook on instruction counts and on every function call. Once the deadline
 * passes, the hook raises "timed out" and re-arms itself to fire on every
 * instruction, so a scenario that catches the error with pcall is stopped
 * again at its very next instruction (the technique Redis uses for script
 * time limits).
 *
 * The call hook is there for C functions: a loop of a few instructions
 * around string.gsub on a megabyte string runs seconds between two count
 * hooks, but calls gsub every time round. What one C call costs by itself
 * is bounded by its input, which the memory cap bounds (engine.h); the C
 * waits (the Docker client's) keep to the thread's deadline (deadline.h).
 *
 * The deadline lives in the state's extra space, which Lua copies into every
 * coroutine, so a coroutine made through guard.coroutine_create shares it. */
#include "sandprobe/engine.h"
#include "sandprobe/clock.h"
#include "sandprobe/deadline.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Instructions between clock reads while the deadline is in the future. */
#define GUARD_CHECK_INTERVAL 10000
#define GUARD_HOOK_MASK (LUA_MASKCOUNT | LUA_MASKCALL)

struct guard {
    double deadline; /* monotonic seconds; 0 when no deadline is armed */
    double timeout;
};

static struct guard *guard_of(lua_State *L)
{
    return *(struct guard **)lua_getextraspace(L);
}

static void deadline_hook(lua_State *L, lua_Debug *ar)
{
    struct guard *g = guard_of(L);
    if (g == NULL || g->deadline == 0 || sp_clock_monotonic() < g->deadline)
        return;
    lua_sethook(L, deadline_hook, LUA_MASKCOUNT | LUA_MASKCALL, 1);
    char seconds[32];
    snprintf(seconds, sizeof seconds, "%.3g", g->timeout);
    /* Say where it was stopped: level 0 is the function that was running,
     * or, at a call, the one being called (its caller is what ran). */
    luaL_where(L, ar->event == LUA_HOOKCALL ? 1 : 0);
    lua_pushfstring(L, "timed out after %s s", seconds);
    lua_concat(L, 2);
    lua_error(L);
}

/* Strings get a traceback; other error values (the runner's sentinels for
 * t:fail and t:skip) pass through untouched so the caller can recognise them. */
static int message_handler(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL)
        return 1;
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* guard.call(timeout_s, fn, ...) -> true, results... | false, message, traceback
 * (or false, value when the error value is not a string) */
static int guard_call(lua_State *L)
{
    double timeout = luaL_checknumber(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    luaL_argcheck(L, timeout > 0, 1, "timeout must be positive");
    struct guard *g = guard_of(L);
    if (g == NULL)
        return luaL_error(L, "guard: state has no guard area");
    int nargs = lua_gettop(L) - 2;
    g->timeout = timeout;
    g->deadline = sp_clock_monotonic() + timeout;
    lua_sethook(L, deadline_hook, GUARD_HOOK_MASK, GUARD_CHECK_INTERVAL);
    /* The hook only runs between Lua instructions; the C waits (the Docker
     * client's requests, attach) read the thread's deadline instead. */
    double outer_deadline = sp_deadline_get();
    sp_deadline_set(outer_deadline > 0 && outer_deadline < g->deadline ? outer_deadline
                                                                      : g->deadline);

    lua_pushcfunction(L, message_handler);
    lua_insert(L, 2);
    int status = lua_pcall(L, nargs, LUA_MULTRET, 2);

    lua_sethook(L, NULL, 0, 0);
    g->deadline = 0;
    sp_deadline_set(outer_deadline);
    if (status != LUA_OK && !lua_isstring(L, -1)) {
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    if (status != LUA_OK) {
        /* The traceback's first line is the message itself. */
        const char *tb = lua_tostring(L, -1);
        const char *nl = tb ? strchr(tb, '\n') : NULL;
        lua_pushboolean(L, 0);
        if (nl != NULL)
            lua_pushlstring(L, tb, (size_t)(nl - tb));
        else
            lua_pushvalue(L, -2);
        lua_pushvalue(L, -3);
        return 3;
    }
    int nresults = lua_gettop(L) - 2;
    lua_pushboolean(L, 1);
    lua_replace(L, 2);
    return nresults + 1;
}

/* guard.coroutine_create(fn): coroutine.create that carries the deadline hook. */
static int guard_coroutine_create(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State *co = lua_newthread(L);
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);
    struct guard *g = guard_of(L);
    if (g != NULL && g->deadline != 0)
        lua_sethook(co, deadline_hook, GUARD_HOOK_MASK, GUARD_CHECK_INTERVAL);
    return 1;
}

/* guard.remaining() -> seconds left before the deadline, or nil if none. */
static int guard_remaining(lua_State *L)
{
    struct guard *g = guard_of(L);
    if (g == NULL || g->deadline == 0)
        return 0;
    lua_pushnumber(L, g->deadline - sp_clock_monotonic());
    return 1;
}

static int guard_gc(lua_State *L)
{
    struct guard **slot = lua_touserdata(L, 1);
    free(*slot);
    *slot = NULL;
    *(struct guard **)lua_getextraspace(L) = NULL;
    return 0;
}

/* The guard area is freed with the state through a userdata anchored in the
 * registry; it is created once per state, before any coroutine exists. */
static void ensure_guard(lua_State *L)
{
    if (guard_of(L) != NULL)
        return;
    struct guard *g = calloc(1, sizeof *g);
    if (g == NULL)
        luaL_error(L, "out of memory");
    struct guard **slot = lua_newuserdatauv(L, sizeof *slot, 0);
    *slot = g;
    lua_newtable(L);
    lua_pushcfunction(L, guard_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, "sandprobe.guard.area");
    *(struct guard **)lua_getextraspace(L) = g;
}

int luaopen_sandprobe_guard(lua_State *L)
{
    ensure_guard(L);
    static const luaL_Reg functions[] = {
        {"call", guard_call},
        {"coroutine_create", guard_coroutine_create},
        {"remaining", guard_remaining},
        {NULL, NULL},
    };
    luaL_newlib(L, functions);
    return 1;
}

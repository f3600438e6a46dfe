/* sandprobe.core: what the engine's own Lua library needs from the host and
 * that the Lua standard library lacks: settings, directory listing, a
 * monotonic clock, terminal detection, identity of the process, clean-up. */
#include "sandprobe/cleanup.h"
#include "sandprobe/engine.h"
#include "sandprobe/settings.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <lauxlib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* core.listdir(path) -> sorted names (without . and ..) | nil, message */
static int core_listdir(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    DIR *dir = opendir(path);
    if (dir == NULL)
        return luaL_fileresult(L, 0, path);
    size_t n = 0, cap = 32;
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    while (names != NULL && (e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            char **grown = realloc(names, (cap *= 2) * sizeof *names);
            if (grown == NULL)
                break;
            names = grown;
        }
        names[n] = strdup(e->d_name);
        if (names[n] != NULL)
            n++;
    }
    closedir(dir);
    if (names == NULL)
        return luaL_error(L, "out of memory");
    qsort(names, n, sizeof *names, compare_strings);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, names[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
        free(names[i]);
    }
    free(names);
    return 1;
}

/* core.filetype(path) -> "file" | "directory" | "other" | nil */
static int core_filetype(lua_State *L)
{
    struct stat st;
    if (stat(luaL_checkstring(L, 1), &st) != 0)
        return 0;
    lua_pushstring(L, S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ? "directory" : "other");
    return 1;
}

/* core.realpath(path) -> absolute path | nil, message */
static int core_realpath(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    char resolved[PATH_MAX];
    if (realpath(path, resolved) == NULL)
        return luaL_fileresult(L, 0, path);
    lua_pushstring(L, resolved);
    return 1;
}

static int core_monotonic(lua_State *L)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    lua_pushnumber(L, (double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
    return 1;
}

/* core.now() -> wall-clock seconds since the epoch, with fractions */
static int core_now(lua_State *L)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    lua_pushnumber(L, (double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
    return 1;
}

static int core_sleep(lua_State *L)
{
    double s = luaL_checknumber(L, 1);
    luaL_argcheck(L, s >= 0, 1, "negative duration");
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
    return 0;
}

static int core_isatty(lua_State *L)
{
    lua_pushboolean(L, isatty((int)luaL_checkinteger(L, 1)));
    return 1;
}

static int core_pid(lua_State *L)
{
    lua_pushinteger(L, getpid());
    return 1;
}

static int core_hostname(lua_State *L)
{
    char name[256];
    if (gethostname(name, sizeof name) != 0)
        return luaL_fileresult(L, 0, "gethostname");
    name[sizeof name - 1] = '\0';
    lua_pushstring(L, name);
    return 1;
}

/* core.setting(key) -> value | nil;  core.setting(key, value) sets it. */
static int core_setting(lua_State *L)
{
    const char *key = luaL_checkstring(L, 1);
    if (lua_gettop(L) >= 2) {
        if (sp_settings_set(key, luaL_checkstring(L, 2)) != 0)
            return luaL_error(L, "cannot store setting '%s'", key);
        return 0;
    }
    const char *value = sp_settings_get(key);
    if (value == NULL)
        return 0;
    lua_pushstring(L, value);
    return 1;
}

static int core_cleanup(lua_State *L)
{
    (void)L;
    sp_cleanup_run();
    return 0;
}

static int core_interrupted(lua_State *L)
{
    lua_pushinteger(L, sp_cleanup_signal_received());
    return 1;
}

/* core.wait_for_signal([timeout]) -> signal number | nil on time-out.
 * Without a timeout it waits for a signal however long that takes. The
 * first SIGINT/SIGTERM/SIGHUP is then this caller's to handle (see
 * sp_cleanup_wait_for_signal); a second one still ends the process. */
static int core_wait_for_signal(lua_State *L)
{
    double timeout = luaL_optnumber(L, 1, -1);
    luaL_argcheck(L, lua_isnoneornil(L, 1) || timeout >= 0, 1, "negative timeout");
    int sig = sp_cleanup_wait_for_signal(timeout);
    if (sig == 0)
        return 0;
    lua_pushinteger(L, sig);
    return 1;
}

/* core.random_hex(nbytes) -> hex string from the kernel's random source
 * (getrandom(2): no file descriptor, and it blocks only until the pool is
 * first initialised). */
static int core_random_hex(lua_State *L)
{
    lua_Integer n = luaL_optinteger(L, 1, 8);
    luaL_argcheck(L, n > 0 && n <= 64, 1, "between 1 and 64 bytes");
    unsigned char bytes[64];
    ssize_t got;
    do
        got = getrandom(bytes, (size_t)n, 0);
    while (got < 0 && errno == EINTR);
    if (got != (ssize_t)n) /* at most 256 bytes are never cut short */
        return luaL_error(L, "getrandom: %s", got < 0 ? strerror(errno) : "short read");
    char hex[129];
    for (lua_Integer i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", bytes[i]);
    lua_pushlstring(L, hex, (size_t)n * 2);
    return 1;
}

/* core.fnmatch(pattern, s) -> true when s matches the shell glob pattern
 * (fnmatch(3): '*', '?', '[...]'; '*' also matches '.'). */
static int core_fnmatch(lua_State *L)
{
    size_t plen, slen;
    const char *pattern = luaL_checklstring(L, 1, &plen);
    const char *s = luaL_checklstring(L, 2, &slen);
    /* fnmatch reads C strings: a NUL inside either would cut it short. */
    if (memchr(pattern, '\0', plen) != NULL || memchr(s, '\0', slen) != NULL) {
        lua_pushboolean(L, 0);
        return 1;
    }
    lua_pushboolean(L, fnmatch(pattern, s, 0) == 0);
    return 1;
}

#include "lua_modules.h"

int luaopen_sandprobe_core(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"listdir", core_listdir},
        {"filetype", core_filetype},
        {"realpath", core_realpath},
        {"monotonic", core_monotonic},
        {"now", core_now},
        {"sleep", core_sleep},
        {"isatty", core_isatty},
        {"pid", core_pid},
        {"hostname", core_hostname},
        {"setting", core_setting},
        {"cleanup", core_cleanup},
        {"interrupted", core_interrupted},
        {"wait_for_signal", core_wait_for_signal},
        {"random_hex", core_random_hex},
        {"fnmatch", core_fnmatch},
        {"run_workers", sp_core_run_workers},
        {NULL, NULL},
    };
    luaL_newlib(L, functions);
    lua_pushstring(L, SANDPROBE_VERSION);
    lua_setfield(L, -2, "version");
    const char *dir = sp_engine_data_dir();
    lua_pushstring(L, dir ? dir : "");
    lua_setfield(L, -2, "data_dir");
    return 1;
}

/* Lua states for the engine: one memory cap for all of them, the standard libraries,
 * the engine's Lua library on package.path, no native modules from disk, and
 * the C modules in package.preload. */
#include "sandprobe/engine.h"
#include "lua_modules.h"

#include <lauxlib.h>
#include <limits.h>
#include <lualib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct capped_allocator {
    size_t limit;
};

/* Bytes every engine state holds together. The cap is the process's, not a
 * state's: --jobs N workers share it, so N memory-hungry scenarios cannot
 * take N times the cap between them. */
static _Atomic size_t bytes_in_use;

/* Takes grow bytes from the process's allowance; -1 when that would pass limit. */
static int reserve(size_t grow, size_t limit)
{
    size_t now = atomic_load(&bytes_in_use);
    do {
        if (grow > limit || now > limit - grow)
            return -1;
    } while (!atomic_compare_exchange_weak(&bytes_in_use, &now, now + grow));
    return 0;
}

/* Refusing an allocation makes Lua raise "not enough memory" in the state
 * that asked, which a scenario sees as an error, not the host as an OOM. */
static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct capped_allocator *a = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        atomic_fetch_sub(&bytes_in_use, old);
        return NULL;
    }
    if (nsize > old && reserve(nsize - old, a->limit) != 0)
        return NULL;
    void *p = realloc(ptr, nsize);
    if (p == NULL && nsize > old)
        atomic_fetch_sub(&bytes_in_use, nsize - old);
    else if (p != NULL && nsize < old)
        atomic_fetch_sub(&bytes_in_use, old - nsize);
    return p;
}

size_t sp_engine_memory_in_use(void)
{
    return atomic_load(&bytes_in_use);
}

static int is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int has_lua_library(const char *dir)
{
    char probe[PATH_MAX];
    int n = snprintf(probe, sizeof probe, "%s/lua/sandprobe", dir);
    return n > 0 && (size_t)n < sizeof probe && is_directory(probe);
}

static char data_dir[PATH_MAX];
static pthread_once_t data_dir_once = PTHREAD_ONCE_INIT;

/* Looks for share/sandprobe next to the executable: the installed layout
 * (bin/../share/sandprobe) and the build tree's mirror (build/share/sandprobe). */
static void resolve_data_dir(void)
{
    const char *home = getenv("SANDPROBE_HOME");
    if (home != NULL && has_lua_library(home)) {
        snprintf(data_dir, sizeof data_dir, "%s", home);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return;
    *slash = '\0';
    const char *candidates[] = {SANDPROBE_BIN_TO_DATA, "share/sandprobe"};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        char dir[PATH_MAX], real[PATH_MAX];
        int len = snprintf(dir, sizeof dir, "%s/%s", exe, candidates[i]);
        if (len > 0 && (size_t)len < sizeof dir && has_lua_library(dir) &&
            realpath(dir, real) != NULL) {
            snprintf(data_dir, sizeof data_dir, "%s", real);
            return;
        }
    }
}

const char *sp_engine_data_dir(void)
{
    pthread_once(&data_dir_once, resolve_data_dir);
    return data_dir[0] ? data_dir : NULL;
}

static void preload_modules(lua_State *L)
{
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    for (const luaL_Reg *m = sp_lua_modules; m->name != NULL; m++) {
        lua_pushcfunction(L, m->func);
        lua_setfield(L, -2, m->name);
    }
    lua_pop(L, 1);
}

/* package.path holds only the engine's library; the runner adds pack folders.
 * package.cpath is empty: nothing loads native code from disk. */
static int set_package_paths(lua_State *L, const char *dir)
{
    lua_getglobal(L, "package");
    lua_pushfstring(L, "%s/lua/?.lua;%s/lua/?/init.lua", dir, dir);
    lua_setfield(L, -2, "path");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "cpath");
    lua_pop(L, 1);
    return 0;
}

static int open_state(lua_State *L)
{
    luaL_openlibs(L);
    preload_modules(L);
    set_package_paths(L, lua_tostring(L, 1));
    return 0;
}

lua_State *sp_engine_new_state(char *err, size_t errlen)
{
    const char *dir = sp_engine_data_dir();
    if (dir == NULL) {
        snprintf(err, errlen, "cannot find the sandprobe Lua library (set SANDPROBE_HOME "
                              "to the folder holding lua/ and scenarios/)");
        return NULL;
    }
    struct capped_allocator *a = malloc(sizeof *a);
    if (a == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    a->limit = SP_ENGINE_DEFAULT_MEMORY_LIMIT;
    lua_State *L = lua_newstate(capped_alloc, a);
    if (L == NULL) {
        free(a);
        snprintf(err, errlen, "cannot create a Lua state");
        return NULL;
    }
    /* Lua leaves the extra space uninitialised; sandprobe.guard keeps its
     * pointer there and must find NULL in a new state. */
    memset(lua_getextraspace(L), 0, LUA_EXTRASPACE);
    lua_pushcfunction(L, open_state);
    lua_pushstring(L, dir);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        snprintf(err, errlen, "cannot initialise Lua: %s", lua_tostring(L, -1));
        sp_engine_close_state(L);
        return NULL;
    }
    return L;
}

void sp_engine_close_state(lua_State *L)
{
    void *ud = NULL;
    lua_getallocf(L, &ud);
    lua_close(L);
    free(ud);
}

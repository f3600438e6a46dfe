/* The engine's Lua states: the data folder, every C module preloaded, the
 * package paths limited to the library, the memory cap. */
#include "../../engine/lua_modules.h"
#include "sandprobe/engine.h"
#include "unit.h"

#include <lauxlib.h>
#include <stdlib.h>

static char source_root[4096];

/* The ctest environment names the profiles folder inside the source tree. */
static int find_source_root(void)
{
    const char *profiles = getenv("SANDPROBE_PROFILES");
    const char *tail = "/lua/sandprobe/profiles";
    if (profiles == NULL || strlen(profiles) <= strlen(tail) || strlen(profiles) >= sizeof source_root)
        return -1;
    size_t n = strlen(profiles) - strlen(tail);
    if (strcmp(profiles + n, tail) != 0)
        return -1;
    memcpy(source_root, profiles, n);
    source_root[n] = '\0';
    return setenv("SANDPROBE_HOME", source_root, 1);
}

static lua_State *new_state(void)
{
    char err[256];
    lua_State *L = sp_engine_new_state(err, sizeof err);
    if (L == NULL)
        fprintf(stderr, "  %s\n", err);
    return L;
}

/* Runs code in L; returns its one result as a string (or the error). */
static const char *eval(lua_State *L, const char *code)
{
    if (luaL_loadstring(L, code) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK)
        return lua_tostring(L, -1);
    return luaL_tolstring(L, -1, NULL);
}

static void data_dir_is_sandprobe_home(void)
{
    REQUIRE(find_source_root() == 0);
    CHECK_STR(sp_engine_data_dir(), source_root);
}

static void every_module_is_preloaded(void)
{
    lua_State *L = new_state();
    REQUIRE(L != NULL);
    for (const luaL_Reg *m = sp_lua_modules; m->name != NULL; m++) {
        lua_getglobal(L, "package");
        lua_getfield(L, -1, "preload");
        lua_getfield(L, -1, m->name);
        if (!lua_isfunction(L, -1))
            fprintf(stderr, "  module %s not preloaded\n", m->name), unit_failures_in_test++;
        lua_settop(L, 0);
    }
    CHECK_STR(eval(L, "return require('json').encode({1, 2})"), "[1,2]");
    sp_engine_close_state(L);
}

static void packages_come_from_the_library_only(void)
{
    lua_State *L = new_state();
    REQUIRE(L != NULL);
    CHECK_STR(eval(L, "return package.cpath"), "");
    char want[2 * sizeof source_root + 64];
    snprintf(want, sizeof want, "%s/lua/?.lua;%s/lua/?/init.lua", source_root, source_root);
    CHECK_STR(eval(L, "return package.path"), want);
    CHECK_STR(eval(L, "return type(require('sandprobe.reports').names)"), "function");
    sp_engine_close_state(L);
}

static void memory_is_capped_per_state(void)
{
    lua_State *L = new_state();
    REQUIRE(L != NULL);
    /* 1 GiB in one string: more than a state may have. */
    const char *got = eval(L, "local ok, err = pcall(string.rep, 'x', 1024 * 1024 * 1024) "
                              "return tostring(ok) .. ' ' .. tostring(err)");
    CHECK_STR(got, "false not enough memory");
    CHECK_STR(eval(L, "return 1 + 1"), "2"); /* the state goes on */
    sp_engine_close_state(L);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(data_dir_is_sandprobe_home),
        UNIT_TEST(every_module_is_preloaded),
        UNIT_TEST(packages_come_from_the_library_only),
        UNIT_TEST(memory_is_capped_per_state),
    };
    return UNIT_RUN(tests);
}

/* The Lua memory cap is the process's: what one state holds is not there
 * for another, so --jobs workers cannot take the cap once each. */
#include "sandprobe/engine.h"
#include "unit.h"

#include <lauxlib.h>

#define MB (1024 * 1024)

/* Runs code in L; 1 when it succeeded. */
static int runs(lua_State *L, const char *code)
{
    int ok = luaL_dostring(L, code) == LUA_OK;
    lua_settop(L, 0);
    return ok;
}

static void two_states_share_one_cap(void)
{
    char err[256];
    lua_State *a = sp_engine_new_state(err, sizeof err);
    lua_State *b = sp_engine_new_state(err, sizeof err);
    REQUIRE(a != NULL && b != NULL);
    /* a holds 60% of the cap, in four strings (string.rep needs twice a
     * string's size while it builds one). */
    size_t part = SP_ENGINE_DEFAULT_MEMORY_LIMIT / MB * 15 / 100;
    char code[160];
    snprintf(code, sizeof code,
             "held = {} for i = 1, 4 do held[i] = string.rep(string.char(64 + i), %zu * 1024 * 1024) end",
             part);
    CHECK(runs(a, code));
    CHECK(sp_engine_memory_in_use() >= 4 * part * MB);
    /* b alone could build a 30% string; beside a's 60% it may not. */
    snprintf(code, sizeof code, "held = string.rep('x', %zu * 1024 * 1024)", 2 * part);
    CHECK(!runs(b, code));
    /* Once a lets go, b can have it. */
    CHECK(runs(a, "held = nil; collectgarbage(); collectgarbage()"));
    CHECK(runs(b, code));
    sp_engine_close_state(a);
    sp_engine_close_state(b);
}

static void closing_a_state_gives_its_memory_back(void)
{
    size_t before = sp_engine_memory_in_use();
    char err[256];
    lua_State *L = sp_engine_new_state(err, sizeof err);
    REQUIRE(L != NULL);
    CHECK(runs(L, "held = string.rep('y', 8 * 1024 * 1024)"));
    CHECK(sp_engine_memory_in_use() > before);
    sp_engine_close_state(L);
    CHECK(sp_engine_memory_in_use() == before);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(two_states_share_one_cap),
        UNIT_TEST(closing_a_state_gives_its_memory_back),
    };
    return UNIT_RUN(tests);
}

/* sandprobe's entry point: the command line itself is parsed and dispatched
 * in Lua (lua/sandprobe/cli.lua); C sets up signals, the composition root
 * (compose.c) and clean-up around it. */
#include "sandprobe/cleanup.h"
#include "sandprobe/compose.h"
#include "sandprobe/engine.h"

#include <lauxlib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

/* Exit status for a failure of the engine itself (as opposed to a scenario). */
#define SP_EXIT_USAGE 2

static int traceback(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    luaL_traceback(L, L, msg ? msg : "(error object is not a string)", 1);
    return 1;
}

static int run_cli(lua_State *L, int argc, char **argv)
{
    lua_pushcfunction(L, traceback);
    lua_getglobal(L, "require");
    lua_pushliteral(L, "sandprobe.cli");
    if (lua_pcall(L, 1, 1, 1) != LUA_OK) {
        fprintf(stderr, "sandprobe: cannot load the command line: %s\n", lua_tostring(L, -1));
        return SP_EXIT_USAGE;
    }
    lua_getfield(L, -1, "main");
    lua_createtable(L, argc, 0);
    for (int i = 1; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i);
    }
    if (lua_pcall(L, 1, 1, 1) != LUA_OK) {
        fprintf(stderr, "sandprobe: internal error: %s\n", lua_tostring(L, -1));
        return SP_EXIT_USAGE;
    }
    return (int)luaL_optinteger(L, -1, 0);
}

int main(int argc, char **argv)
{
    /* A daemon closing its end of a socket must be an error return, not a kill. */
    signal(SIGPIPE, SIG_IGN);
    if (sp_cleanup_install_signal_handling() != 0) {
        fprintf(stderr, "sandprobe: cannot set up signal handling\n");
        return SP_EXIT_USAGE;
    }
    /* Before any client or monitor exists, so every one records into the
     * metrics and every container is removed at exit. */
    sp_compose_process();
    char err[512];
    lua_State *L = sp_engine_new_state(err, sizeof err);
    if (L == NULL) {
        fprintf(stderr, "sandprobe: %s\n", err);
        return SP_EXIT_USAGE;
    }
    int status = run_cli(L, argc, argv);
    sp_cleanup_run();
    sp_engine_close_state(L);
    fflush(stdout);
    return status;
}

/* core.run_workers(jobs, tasks, on_result): runs tasks in `jobs` threads, each
 * with a Lua state of its own (states are not thread-safe, so nothing is
 * shared but the task strings). A worker passes each task to
 * require("sandprobe.worker").run(task) and hands back the string it returns.
 * on_result(index, result | nil, error) is called in the calling state, in the
 * order tasks finish, so the caller can show progress while work goes on. */
#include "lua_util.h"
#include "sandprobe/engine.h"

#include <lauxlib.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define WORKERS_MAX 64

struct outcome {
    char *result; /* what worker.run returned, or NULL */
    char *error;  /* why there is no result */
};

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t finished;
    char **tasks;
    size_t task_count;
    size_t next_task;
    struct outcome *outcomes;
    size_t *done_order; /* indices in completion order */
    size_t done_count;
};

static char *copy_lua_string(lua_State *L, int idx)
{
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    if (s == NULL)
        return strdup("(non-string value)");
    char *copy = malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

static void run_one(lua_State *L, const char *task, struct outcome *out)
{
    lua_settop(L, 0);
    lua_getglobal(L, "require");
    lua_pushliteral(L, "sandprobe.worker");
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        out->error = copy_lua_string(L, -1);
        return;
    }
    lua_getfield(L, -1, "run");
    lua_pushstring(L, task);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK)
        out->error = copy_lua_string(L, -1);
    else
        out->result = copy_lua_string(L, -1);
    lua_settop(L, 0);
}

static size_t take_task(struct pool *p)
{
    pthread_mutex_lock(&p->lock);
    size_t i = p->next_task < p->task_count ? p->next_task++ : p->task_count;
    pthread_mutex_unlock(&p->lock);
    return i;
}

static void report_done(struct pool *p, size_t i)
{
    pthread_mutex_lock(&p->lock);
    p->done_order[p->done_count++] = i;
    pthread_cond_signal(&p->finished);
    pthread_mutex_unlock(&p->lock);
}

static void *worker_main(void *arg)
{
    struct pool *p = arg;
    char err[512];
    lua_State *L = sp_engine_new_state(err, sizeof err);
    for (size_t i; (i = take_task(p)) < p->task_count;) {
        if (L != NULL)
            run_one(L, p->tasks[i], &p->outcomes[i]);
        else
            p->outcomes[i].error = strdup(err);
        report_done(p, i);
    }
    if (L != NULL)
        sp_engine_close_state(L);
    return NULL;
}

static size_t wait_next_done(struct pool *p, size_t already_seen)
{
    pthread_mutex_lock(&p->lock);
    while (p->done_count == already_seen)
        pthread_cond_wait(&p->finished, &p->lock);
    size_t i = p->done_order[already_seen];
    pthread_mutex_unlock(&p->lock);
    return i;
}

static void free_pool(struct pool *p)
{
    for (size_t i = 0; i < p->task_count; i++) {
        free(p->tasks[i]);
        free(p->outcomes[i].result);
        free(p->outcomes[i].error);
    }
    free(p->tasks);
    free(p->outcomes);
    free(p->done_order);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->finished);
}

static int init_pool(lua_State *L, struct pool *p, size_t n)
{
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->finished, NULL);
    p->tasks = calloc(n + 1, sizeof *p->tasks);
    p->outcomes = calloc(n + 1, sizeof *p->outcomes);
    p->done_order = calloc(n + 1, sizeof *p->done_order);
    if (!p->tasks || !p->outcomes || !p->done_order)
        return -1;
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, 2, (lua_Integer)i + 1);
        if (lua_type(L, -1) != LUA_TSTRING) {
            lua_pop(L, 1);
            return -2;
        }
        p->tasks[i] = copy_lua_string(L, -1);
        lua_pop(L, 1);
        if (p->tasks[i] == NULL)
            return -1;
        p->task_count = i + 1;
    }
    return 0;
}

/* Calls on_result for every finished task; returns the first error raised by
 * on_result (left on the stack) or LUA_OK. Every task is waited for, even
 * after an error, so no thread outlives this call. */
static int deliver_results(lua_State *L, struct pool *p)
{
    int first_error = LUA_OK;
    for (size_t seen = 0; seen < p->task_count; seen++) {
        size_t i = wait_next_done(p, seen);
        if (first_error != LUA_OK)
            continue;
        lua_pushvalue(L, 3);
        lua_pushinteger(L, (lua_Integer)i + 1);
        if (p->outcomes[i].result)
            lua_pushstring(L, p->outcomes[i].result);
        else
            lua_pushnil(L);
        if (p->outcomes[i].error)
            lua_pushstring(L, p->outcomes[i].error);
        else
            lua_pushnil(L);
        first_error = lua_pcall(L, 3, 0, 0);
    }
    return first_error;
}

int sp_core_run_workers(lua_State *L)
{
    lua_Integer jobs = luaL_checkinteger(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TFUNCTION);
    luaL_argcheck(L, jobs >= 1 && jobs <= WORKERS_MAX, 1, "jobs must be between 1 and 64");
    lua_settop(L, 3);
    size_t n = (size_t)lua_rawlen(L, 2);
    struct pool p;
    int rc = init_pool(L, &p, n);
    if (rc != 0) {
        free_pool(&p);
        return rc == -2 ? luaL_argerror(L, 2, "tasks must be strings")
                        : luaL_error(L, "out of memory");
    }
    size_t threads_wanted = (size_t)jobs < n ? (size_t)jobs : n;
    pthread_t threads[WORKERS_MAX];
    size_t started = 0;
    while (started < threads_wanted &&
           pthread_create(&threads[started], NULL, worker_main, &p) == 0)
        started++;
    if (started == 0 && n > 0) {
        free_pool(&p);
        return luaL_error(L, "cannot start worker threads");
    }
    int status = deliver_results(L, &p);
    for (size_t t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    free_pool(&p);
    if (status != LUA_OK)
        return lua_error(L);
    return 0;
}

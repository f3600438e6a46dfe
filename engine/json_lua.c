/* json: cJSON for Lua. encode(value [, {pretty=true}]) and decode(text).
 * JSON null is json.null; arrays decoded from JSON carry json.array_mt so that
 * an empty array survives a round trip. Object keys are emitted sorted, so the
 * same table always gives the same text (stable reports and diffs). */
#include "sandprobe/engine.h"

#include <cjson/cJSON.h>
#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 200
#define JSON_ARRAY_MT "sandprobe.json.array"

static int is_null(lua_State *L, int idx)
{
    return lua_islightuserdata(L, idx) && lua_touserdata(L, idx) == NULL;
}

/* An array: marked with the array metatable, or a non-empty table whose keys
 * are exactly 1..n. */
static int table_array_length(lua_State *L, int idx, size_t *len)
{
    if (lua_getmetatable(L, idx)) {
        luaL_getmetatable(L, JSON_ARRAY_MT);
        int marked = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
        if (marked) {
            *len = (size_t)lua_rawlen(L, idx);
            return 1;
        }
    }
    size_t count = 0;
    lua_Integer max = 0;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_pop(L, 1);
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1) {
            lua_pop(L, 1);
            return 0;
        }
        lua_Integer k = lua_tointeger(L, -1);
        if (k > max)
            max = k;
        count++;
    }
    *len = count;
    return count > 0 && (lua_Integer)count == max;
}

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static cJSON *to_json(lua_State *L, int idx, int depth);

static cJSON *table_to_json(lua_State *L, int idx, int depth)
{
    size_t len;
    if (table_array_length(L, idx, &len)) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 1; i <= len; i++) {
            lua_rawgeti(L, idx, (lua_Integer)i);
            cJSON_AddItemToArray(arr, to_json(L, lua_gettop(L), depth + 1));
            lua_pop(L, 1);
        }
        return arr;
    }
    /* Collect string keys, sort them, then emit in order. */
    size_t n = 0, cap = 16;
    const char **keys = malloc(cap * sizeof *keys);
    lua_pushnil(L);
    while (keys && lua_next(L, idx) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) {
            free(keys);
            luaL_error(L, "json: cannot encode a table with a %s key", luaL_typename(L, -1));
        }
        if (n == cap) {
            const char **grown = realloc(keys, (cap *= 2) * sizeof *keys);
            if (grown == NULL) {
                free(keys);
                keys = NULL;
                break;
            }
            keys = grown;
        }
        keys[n++] = lua_tostring(L, -1); /* anchored by the table itself */
    }
    if (keys == NULL)
        luaL_error(L, "json: out of memory");
    qsort(keys, n, sizeof *keys, compare_keys);
    cJSON *obj = cJSON_CreateObject();
    for (size_t i = 0; i < n; i++) {
        lua_getfield(L, idx, keys[i]);
        cJSON_AddItemToObject(obj, keys[i], to_json(L, lua_gettop(L), depth + 1));
        lua_pop(L, 1);
    }
    free(keys);
    return obj;
}

static cJSON *to_json(lua_State *L, int idx, int depth)
{
    if (depth > JSON_MAX_DEPTH)
        luaL_error(L, "json: nesting deeper than %d (a cycle?)", JSON_MAX_DEPTH);
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        return cJSON_CreateNull();
    case LUA_TBOOLEAN:
        return cJSON_CreateBool(lua_toboolean(L, idx));
    case LUA_TNUMBER: {
        double d = lua_tonumber(L, idx);
        if (!isfinite(d))
            return cJSON_CreateNull(); /* JSON has no NaN or infinity */
        return cJSON_CreateNumber(d);
    }
    case LUA_TSTRING:
        return cJSON_CreateString(lua_tostring(L, idx));
    case LUA_TTABLE:
        return table_to_json(L, idx, depth);
    case LUA_TLIGHTUSERDATA:
        if (is_null(L, idx))
            return cJSON_CreateNull();
        /* fall through */
    default:
        luaL_error(L, "json: cannot encode a %s", luaL_typename(L, idx));
        return NULL;
    }
}

/* Builds the cJSON tree inside a protected call so a Lua error (a cycle, a
 * function value) cannot leak the partial tree: the tree is owned by a
 * userdata slot that the caller frees. */
static int encode_into_slot(lua_State *L)
{
    cJSON **slot = lua_touserdata(L, 2);
    lua_settop(L, 1);
    *slot = cJSON_CreateArray(); /* holder: freed with everything below it */
    cJSON_AddItemToArray(*slot, to_json(L, 1, 0));
    return 0;
}

static int json_encode(lua_State *L)
{
    luaL_checkany(L, 1);
    int pretty = 0;
    if (lua_istable(L, 2)) {
        lua_getfield(L, 2, "pretty");
        pretty = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    cJSON *holder = NULL;
    lua_pushcfunction(L, encode_into_slot);
    lua_pushvalue(L, 1);
    lua_pushlightuserdata(L, &holder);
    int status = lua_pcall(L, 2, 0, 0);
    if (status != LUA_OK) {
        cJSON_Delete(holder);
        return lua_error(L);
    }
    char *text = pretty ? cJSON_Print(cJSON_GetArrayItem(holder, 0))
                        : cJSON_PrintUnformatted(cJSON_GetArrayItem(holder, 0));
    cJSON_Delete(holder);
    if (text == NULL)
        return luaL_error(L, "json: out of memory");
    lua_pushstring(L, text);
    free(text);
    return 1;
}

static void push_json(lua_State *L, const cJSON *item, int depth)
{
    luaL_checkstack(L, 4, "json: nesting too deep");
    if (depth > JSON_MAX_DEPTH)
        luaL_error(L, "json: nesting deeper than %d", JSON_MAX_DEPTH);
    if (cJSON_IsNull(item)) {
        lua_pushlightuserdata(L, NULL);
    } else if (cJSON_IsBool(item)) {
        lua_pushboolean(L, cJSON_IsTrue(item));
    } else if (cJSON_IsNumber(item)) {
        double d = item->valuedouble;
        if (d == floor(d) && fabs(d) < 9007199254740992.0)
            lua_pushinteger(L, (lua_Integer)d);
        else
            lua_pushnumber(L, d);
    } else if (cJSON_IsString(item)) {
        lua_pushstring(L, item->valuestring);
    } else if (cJSON_IsArray(item)) {
        lua_createtable(L, cJSON_GetArraySize(item), 0);
        lua_Integer i = 1;
        for (const cJSON *c = item->child; c != NULL; c = c->next) {
            push_json(L, c, depth + 1);
            lua_rawseti(L, -2, i++);
        }
        luaL_setmetatable(L, JSON_ARRAY_MT);
    } else {
        lua_newtable(L);
        for (const cJSON *c = item->child; c != NULL; c = c->next) {
            push_json(L, c, depth + 1);
            lua_setfield(L, -2, c->string);
        }
    }
}

static int decode_tree(lua_State *L)
{
    const cJSON *tree = lua_touserdata(L, 1);
    push_json(L, tree, 0);
    return 1;
}

/* json.decode(text) -> value | nil, "message at offset N" */
static int json_decode(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    const char *end = NULL;
    cJSON *tree = cJSON_ParseWithLengthOpts(text, len, &end, 1);
    if (tree == NULL) {
        size_t offset = end ? (size_t)(end - text) : 0;
        luaL_pushfail(L);
        lua_pushfstring(L, "invalid JSON at offset %d", (int)offset);
        return 2;
    }
    lua_pushcfunction(L, decode_tree);
    lua_pushlightuserdata(L, tree);
    int status = lua_pcall(L, 1, 1, 0);
    cJSON_Delete(tree);
    if (status != LUA_OK)
        return lua_error(L);
    return 1;
}

/* json.array(t): marks t as an array (so an empty one encodes as []). */
static int json_array(lua_State *L)
{
    if (lua_isnoneornil(L, 1))
        lua_newtable(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    luaL_setmetatable(L, JSON_ARRAY_MT);
    return 1;
}

int luaopen_sandprobe_json(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"encode", json_encode},
        {"decode", json_decode},
        {"array", json_array},
        {NULL, NULL},
    };
    luaL_newmetatable(L, JSON_ARRAY_MT);
    lua_pop(L, 1);
    luaL_newlib(L, functions);
    lua_pushlightuserdata(L, NULL);
    lua_setfield(L, -2, "null");
    luaL_getmetatable(L, JSON_ARRAY_MT);
    lua_setfield(L, -2, "array_mt");
    return 1;
}

/* For other bindings (docker): a Lua value as a cJSON tree the caller owns;
 * raises a Lua error (nothing leaked) when the value cannot be encoded. */
struct cJSON *sp_json_from_lua(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    cJSON *holder = NULL;
    lua_pushcfunction(L, encode_into_slot);
    lua_pushvalue(L, idx);
    lua_pushlightuserdata(L, &holder);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
        cJSON_Delete(holder);
        lua_error(L);
    }
    cJSON *value = cJSON_DetachItemFromArray(holder, 0);
    cJSON_Delete(holder);
    if (value == NULL)
        luaL_error(L, "json: out of memory");
    return value;
}

/* Pushes tree as a Lua value and frees it, also when pushing raises. */
void sp_json_push_owned(lua_State *L, struct cJSON *tree)
{
    lua_pushcfunction(L, decode_tree);
    lua_pushlightuserdata(L, tree);
    int status = lua_pcall(L, 1, 1, 0);
    cJSON_Delete(tree);
    if (status != LUA_OK)
        lua_error(L);
}

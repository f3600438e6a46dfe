/* json: cJSON for Lua. encode(value [, {pretty=true, binary=true}]) and
 * decode(text [, {binary=true}]).
 * JSON null is json.null; arrays decoded from JSON carry json.array_mt so that
 * an empty array survives a round trip. Object keys are emitted sorted, so the
 * same table always gives the same text (stable reports and diffs).
 *
 * Lua strings are bytes; JSON strings are Unicode text. json.encode keeps
 * every byte (docs/report-schema.md, "Bytes in reports"): NUL and other
 * control characters are escaped (\u0000), and an object value that is not
 * valid UTF-8 is written as text with U+FFFD for each ill-formed sequence,
 * beside "<key>_base64" (the exact bytes) and "<key>_invalid_utf8": true; an
 * array element that is not valid UTF-8 becomes such an object
 * ({"text":..., "base64":..., "invalid_utf8": true}). Keys that are not valid
 * UTF-8 or hold NUL are made visible (keys name evidence; they are not
 * program output), never cut short.
 * With binary=true (the worker channel, read back by decode{binary=true}),
 * every string that is not NUL-free valid UTF-8 travels as {"$base64": ...}
 * and comes back as the same bytes. */
#include "sandprobe/bytes.h"
#include "sandprobe/engine.h"

#include <cjson/cJSON.h>
#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 200
#define JSON_ARRAY_MT "sandprobe.json.array"
#define JSON_BINARY_KEY "$base64"

/* How strings that are not plain text are written (see the top comment). */
enum string_mode {
    STRINGS_LOSSLESS, /* json.encode: text + "<key>_base64" + flag */
    STRINGS_BINARY,   /* json.encode{binary=true}: {"$base64": ...} */
    STRINGS_REPLACE,  /* sp_json_from_lua (daemon requests): U+FFFD only */
    STRINGS_WRAPPED,  /* lossless, for one value whose sibling names are taken */
};

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

static struct sp_bytes *replaced(lua_State *L, const char *s, size_t len);
static struct sp_bytes *scratch(lua_State *L);

/* Whether the table at idx has its own "<key>_base64" or "<key>_invalid_utf8"
 * (then an invalid UTF-8 value under key is written as a bytes object, not
 * with siblings that would repeat a name). Raw lookups: no metamethod runs. */
static int siblings_taken(lua_State *L, int idx, const char *key)
{
    static const char *const suffixes[] = {"_base64", "_invalid_utf8"};
    int taken = 0;
    for (int i = 0; i < 2 && !taken; i++) {
        lua_pushfstring(L, "%s%s", key, suffixes[i]);
        taken = lua_rawget(L, idx) != LUA_TNIL;
        lua_pop(L, 1);
    }
    return taken;
}

/* An object key: its bytes may hold NUL. */
struct key {
    const char *text;
    size_t len;
};

/* Byte order, a prefix first. */
static int compare_keys(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    int c = memcmp(x->text, y->text, x->len < y->len ? x->len : y->len);
    return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

static void add_value(lua_State *L, int idx, int depth, cJSON *parent, const char *key,
                      enum string_mode mode);

/* Attaches item to its parent at once, so that an error raised further down
 * (a cycle, a function value) leaves nothing unowned: the whole tree hangs
 * off the holder that json_encode frees. */
static cJSON *attach(cJSON *parent, const char *key, cJSON *item)
{
    if (key != NULL)
        cJSON_AddItemToObject(parent, key, item);
    else
        cJSON_AddItemToArray(parent, item);
    return item;
}

static void fill_array(lua_State *L, int idx, int depth, cJSON *arr, size_t len,
                       enum string_mode mode)
{
    for (size_t i = 1; i <= len; i++) {
        lua_rawgeti(L, idx, (lua_Integer)i);
        add_value(L, lua_gettop(L), depth + 1, arr, NULL, mode);
        lua_pop(L, 1);
    }
}

/* Keys are sorted so the same table always encodes to the same text. The key
 * list lives in a userdata, collected by Lua even if an error unwinds. Values
 * are read raw (no metamethod of the table runs) by the key's full bytes. */
static void fill_object(lua_State *L, int idx, int depth, cJSON *obj, enum string_mode mode)
{
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "json: cannot encode a table with a %s key", luaL_typename(L, -1));
        n++;
    }
    struct key *keys = lua_newuserdatauv(L, (n ? n : 1) * sizeof *keys, 0);
    size_t i = 0;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_pop(L, 1);
        keys[i].text = lua_tolstring(L, -1, &keys[i].len); /* anchored by the table itself */
        i++;
    }
    qsort(keys, n, sizeof *keys, compare_keys);
    for (i = 0; i < n; i++) {
        lua_pushlstring(L, keys[i].text, keys[i].len);
        lua_rawget(L, idx);
        const char *key = keys[i].text;
        int plain = sp_utf8_valid(key, keys[i].len) && memchr(key, '\0', keys[i].len) == NULL;
        enum string_mode value_mode = mode;
        if (mode == STRINGS_LOSSLESS && plain && lua_type(L, -1) == LUA_TSTRING && siblings_taken(L, idx, key))
            value_mode = STRINGS_WRAPPED;
        if (!plain) {
            /* Keys name evidence: shown, NUL as U+2400, never cut short. */
            struct sp_bytes *shown = scratch(L);
            if (sp_text_visible(shown, key, keys[i].len) != 0)
                luaL_error(L, "json: out of memory");
            key = shown->data; /* stays on the stack until the pop */
        }
        add_value(L, lua_gettop(L) - !plain, depth + 1, obj, key, value_mode);
        lua_pop(L, plain ? 1 : 2);
    }
    lua_pop(L, 1); /* the key list */
}

/* Runs fn over s into a buffer owned by a Lua userdata (freed by its __gc
 * even when an error unwinds); pushes nothing, returns the buffer. */
#define JSON_SCRATCH_MT "sandprobe.json.scratch"

static int scratch_gc(lua_State *L)
{
    sp_bytes_free(lua_touserdata(L, 1));
    return 0;
}

static struct sp_bytes *scratch(lua_State *L)
{
    luaL_checkstack(L, 2, "json: nesting too deep");
    struct sp_bytes *b = lua_newuserdatauv(L, sizeof *b, 0);
    *b = (struct sp_bytes){0};
    if (luaL_newmetatable(L, JSON_SCRATCH_MT)) {
        lua_pushcfunction(L, scratch_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return b;
}

static void check_ok(lua_State *L, int rc)
{
    if (rc != 0)
        luaL_error(L, "json: out of memory");
}

/* A JSON string literal of valid UTF-8 s, as a raw item: cJSON's own strings
 * end at the first NUL. */
static cJSON *quoted(lua_State *L, const char *s, size_t len)
{
    struct sp_bytes *q = scratch(L);
    check_ok(L, sp_json_quote(q, s, len));
    cJSON *item = cJSON_CreateRaw(q->data);
    lua_pop(L, 1);
    return item;
}

/* s with ill-formed UTF-8 replaced; the buffer stays on the Lua stack. */
static struct sp_bytes *replaced(lua_State *L, const char *s, size_t len)
{
    struct sp_bytes *r = scratch(L);
    check_ok(L, sp_utf8_replace(r, s, len));
    return r;
}

static cJSON *base64_item(lua_State *L, const char *s, size_t len)
{
    struct sp_bytes *b = scratch(L);
    check_ok(L, sp_base64_encode(b, s, len));
    cJSON *item = cJSON_CreateString(b->data);
    lua_pop(L, 1);
    return item;
}

static void add_string(lua_State *L, int idx, cJSON *parent, const char *key, enum string_mode mode)
{
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    int valid = sp_utf8_valid(s, len);
    if (mode == STRINGS_REPLACE) {
        struct sp_bytes *r = replaced(L, s, len);
        attach(parent, key, cJSON_CreateString(r->data));
        lua_pop(L, 1);
    } else if (valid && (mode != STRINGS_BINARY || memchr(s, '\0', len) == NULL)) {
        attach(parent, key, quoted(L, s, len));
    } else if (mode == STRINGS_BINARY) {
        cJSON *wrapper = attach(parent, key, cJSON_CreateObject());
        cJSON_AddItemToObject(wrapper, JSON_BINARY_KEY, base64_item(L, s, len));
    } else {
        struct sp_bytes *r = replaced(L, s, len);
        cJSON *text = quoted(L, r->data, r->len);
        lua_pop(L, 1);
        if (key == NULL || mode == STRINGS_WRAPPED) {
            cJSON *obj = attach(parent, key, cJSON_CreateObject());
            cJSON_AddItemToObject(obj, "text", text);
            cJSON_AddItemToObject(obj, "base64", base64_item(L, s, len));
            cJSON_AddTrueToObject(obj, "invalid_utf8");
            return;
        }
        attach(parent, key, text);
        lua_pushfstring(L, "%s_base64", key);
        cJSON_AddItemToObject(parent, lua_tostring(L, -1), base64_item(L, s, len));
        lua_pop(L, 1);
        lua_pushfstring(L, "%s_invalid_utf8", key);
        cJSON_AddTrueToObject(parent, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
}

static void add_value(lua_State *L, int idx, int depth, cJSON *parent, const char *key,
                      enum string_mode mode)
{
    if (depth > JSON_MAX_DEPTH)
        luaL_error(L, "json: nesting deeper than %d (a cycle?)", JSON_MAX_DEPTH);
    luaL_checkstack(L, 4, "json: nesting too deep");
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        attach(parent, key, cJSON_CreateNull());
        return;
    case LUA_TBOOLEAN:
        attach(parent, key, cJSON_CreateBool(lua_toboolean(L, idx)));
        return;
    case LUA_TNUMBER: {
        double d = lua_tonumber(L, idx);
        /* JSON has no NaN or infinity */
        attach(parent, key, isfinite(d) ? cJSON_CreateNumber(d) : cJSON_CreateNull());
        return;
    }
    case LUA_TSTRING:
        add_string(L, idx, parent, key, mode);
        return;
    case LUA_TTABLE: {
        size_t len;
        if (table_array_length(L, idx, &len))
            fill_array(L, idx, depth, attach(parent, key, cJSON_CreateArray()), len, mode);
        else
            fill_object(L, idx, depth, attach(parent, key, cJSON_CreateObject()), mode);
        return;
    }
    case LUA_TLIGHTUSERDATA:
        if (is_null(L, idx)) {
            attach(parent, key, cJSON_CreateNull());
            return;
        }
        /* fall through */
    default:
        luaL_error(L, "json: cannot encode a %s", luaL_typename(L, idx));
    }
}

static int encode_into_holder(lua_State *L)
{
    cJSON *holder = lua_touserdata(L, 2);
    add_value(L, 1, 0, holder, NULL, (enum string_mode)lua_tointeger(L, 3));
    return 0;
}

static cJSON *tree_from_lua(lua_State *L, int idx, enum string_mode mode);

/* A table option of json.encode/json.decode at idx. */
static int flag_option(lua_State *L, int idx, const char *name)
{
    if (!lua_istable(L, idx))
        return 0;
    lua_getfield(L, idx, name);
    int on = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return on;
}

static int json_encode(lua_State *L)
{
    luaL_checkany(L, 1);
    int pretty = flag_option(L, 2, "pretty");
    cJSON *value = tree_from_lua(L, 1, flag_option(L, 2, "binary") ? STRINGS_BINARY : STRINGS_LOSSLESS);
    char *text = pretty ? cJSON_Print(value) : cJSON_PrintUnformatted(value);
    cJSON_Delete(value);
    if (text == NULL)
        return luaL_error(L, "json: out of memory");
    lua_pushstring(L, text);
    free(text);
    return 1;
}

/* {"$base64": "..."} as written by encode{binary=true}: pushes the bytes. */
static int push_binary(lua_State *L, const cJSON *item)
{
    const cJSON *only = item->child;
    if (only == NULL || only->next != NULL || strcmp(only->string, JSON_BINARY_KEY) != 0 ||
        !cJSON_IsString(only))
        return 0;
    struct sp_bytes *b = scratch(L);
    const char *text = only->valuestring;
    if (sp_base64_decode(b, text, strlen(text)) != 0) {
        lua_pop(L, 1); /* not ours: an ordinary object */
        return 0;
    }
    lua_pushlstring(L, b->data ? b->data : "", b->len);
    lua_remove(L, -2);
    return 1;
}

static void push_json(lua_State *L, const cJSON *item, int depth, int binary)
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
            push_json(L, c, depth + 1, binary);
            lua_rawseti(L, -2, i++);
        }
        luaL_setmetatable(L, JSON_ARRAY_MT);
    } else if (!(binary && push_binary(L, item))) {
        lua_newtable(L);
        for (const cJSON *c = item->child; c != NULL; c = c->next) {
            push_json(L, c, depth + 1, binary);
            lua_setfield(L, -2, c->string);
        }
    }
}

static int decode_tree(lua_State *L)
{
    const cJSON *tree = lua_touserdata(L, 1);
    push_json(L, tree, 0, lua_toboolean(L, 2));
    return 1;
}

/* json.decode(text [, {binary=true}]) -> value | nil, "message at offset N" */
static int json_decode(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    const char *end = NULL;
    cJSON *tree = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    /* Only whitespace may follow the value (cJSON's own check would read past
     * `len`, so it is done here). */
    while (tree != NULL && end < text + len && strchr(" \t\r\n", *end) != NULL && *end != '\0')
        end++;
    if (tree != NULL && end != text + len) {
        cJSON_Delete(tree);
        tree = NULL;
    }
    if (tree == NULL) {
        const char *err_at = end ? end : cJSON_GetErrorPtr();
        size_t offset = err_at && err_at >= text && err_at <= text + len ? (size_t)(err_at - text) : 0;
        luaL_pushfail(L);
        lua_pushfstring(L, "invalid JSON at offset %d", (int)offset);
        return 2;
    }
    lua_pushcfunction(L, decode_tree);
    lua_pushlightuserdata(L, tree);
    lua_pushboolean(L, flag_option(L, 2, "binary"));
    int status = lua_pcall(L, 2, 1, 0);
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
    return tree_from_lua(L, idx, STRINGS_REPLACE);
}

static cJSON *tree_from_lua(lua_State *L, int idx, enum string_mode mode)
{
    idx = lua_absindex(L, idx);
    cJSON *holder = cJSON_CreateArray();
    if (holder == NULL)
        luaL_error(L, "json: out of memory");
    lua_pushcfunction(L, encode_into_holder);
    lua_pushvalue(L, idx);
    lua_pushlightuserdata(L, holder);
    lua_pushinteger(L, mode);
    if (lua_pcall(L, 3, 0, 0) != LUA_OK) {
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

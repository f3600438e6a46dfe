/* seccomp profiles, parsing: Docker's JSON format read into the model
 * (seccomp_model.h), checked with errors that name the offending field by its
 * JSON path ("syscalls[3].args[0].op: unknown operator"). */
#include "seccomp_model.h"
#include "sandprobe/text.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cJSON keeps numbers as doubles: integers above 2^53 would silently change. */
#define MAX_EXACT_JSON_INTEGER 9007199254740992.0
#define PATH_SIZE 192 /* a JSON path in a message: syscalls[12].args[0].value */

/* ---- parsing ---------------------------------------------------------- */

struct parser {
    sp_seccomp_profile *p;
    char *err;
    size_t errlen;
};

static int fail(struct parser *ps, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct parser *ps, const char *path, const char *fmt, ...)
{
    char message[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    sp_error(ps->err, ps->errlen, "%s: %s", path, message);
    return -1;
}

static int out_of_memory(struct parser *ps)
{
    sp_error(ps->err, ps->errlen, "out of memory");
    return -1;
}

static const char *json_type_name(const cJSON *j)
{
    if (cJSON_IsString(j)) return "a string";
    if (cJSON_IsNumber(j)) return "a number";
    if (cJSON_IsBool(j)) return "a boolean";
    if (cJSON_IsNull(j)) return "null";
    if (cJSON_IsArray(j)) return "an array";
    if (cJSON_IsObject(j)) return "an object";
    return "an invalid value";
}

static int wrong_type(struct parser *ps, const char *path, const char *want, const cJSON *got)
{
    return fail(ps, path, "expected %s, got %s", want, json_type_name(got));
}

/* absent or null */
static bool missing(const cJSON *j)
{
    return j == NULL || cJSON_IsNull(j);
}

/* JSON paths in messages are bounded; a cut one still points the way. */
static void child_path(char *out, const char *parent, const char *key)
{
    (void)sp_format(out, PATH_SIZE, "%s%s%s", parent, parent[0] ? "." : "", key);
}

static void index_path(char *out, const char *parent, size_t i)
{
    (void)sp_format(out, PATH_SIZE, "%s[%zu]", parent, i);
}

static int parse_string(struct parser *ps, const cJSON *j, const char *path, const char **out)
{
    if (!cJSON_IsString(j))
        return wrong_type(ps, path, "a string", j);
    *out = j->valuestring;
    return 0;
}

static int parse_integer(struct parser *ps, const cJSON *j, const char *path, double max,
                         uint64_t *out)
{
    if (!cJSON_IsNumber(j))
        return wrong_type(ps, path, "a number", j);
    double v = j->valuedouble;
    if (v > max)
        return fail(ps, path, "%.0f is out of range (0..%.0f)", v, max);
    if (!(v >= 0) || v != floor(v))
        return fail(ps, path, "expected a non-negative integer, got %g", v);
    *out = (uint64_t)v;
    return 0;
}

static int parse_errno(struct parser *ps, const cJSON *j, const char *path, unsigned *out)
{
    uint64_t v;
    if (parse_integer(ps, j, path, SP_SECCOMP_MAX_ERRNO, &v) != 0)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int parse_action(struct parser *ps, const cJSON *j, const char *path, unsigned *out)
{
    const char *s = NULL;
    if (missing(j))
        return fail(ps, path, "required");
    if (parse_string(ps, j, path, &s) != 0)
        return -1;
    int spelling = sp_seccomp_action_spelling(s);
    if (spelling < 0)
        return fail(ps, path, "unknown action \"%s\"", s);
    *out = (unsigned)spelling;
    return 0;
}

/* An array of strings; absent or null is the empty list. */
static int parse_strlist(struct parser *ps, const cJSON *j, const char *path, struct sp_strlist *out)
{
    if (missing(j))
        return 0;
    if (!cJSON_IsArray(j))
        return wrong_type(ps, path, "an array of strings", j);
    size_t i = 0;
    for (const cJSON *item = j->child; item != NULL; item = item->next, i++) {
        char item_path[PATH_SIZE];
        const char *s = NULL;
        index_path(item_path, path, i);
        if (parse_string(ps, item, item_path, &s) != 0)
            return -1;
        if (sp_strlist_push(out, s) != 0)
            return out_of_memory(ps);
    }
    return 0;
}

static int parse_min_kernel(struct parser *ps, const cJSON *j, const char *path,
                            struct sp_seccomp_cond *c)
{
    const char *s = NULL;
    int used = 0;
    if (missing(j))
        return 0;
    if (parse_string(ps, j, path, &s) != 0)
        return -1;
    if (sscanf(s, "%u.%u%n", &c->min_major, &c->min_minor, &used) != 2 || s[used] != '\0' ||
        !isdigit((unsigned char)s[0]))
        return fail(ps, path, "expected a kernel version such as \"4.8\", got \"%s\"", s);
    c->has_min_kernel = true;
    return 0;
}

static int parse_cond(struct parser *ps, const cJSON *j, const char *path, struct sp_seccomp_cond *c)
{
    char sub[PATH_SIZE];
    if (missing(j))
        return 0;
    if (!cJSON_IsObject(j))
        return wrong_type(ps, path, "an object", j);
    child_path(sub, path, "caps");
    if (parse_strlist(ps, cJSON_GetObjectItemCaseSensitive(j, "caps"), sub, &c->caps) != 0)
        return -1;
    child_path(sub, path, "arches");
    if (parse_strlist(ps, cJSON_GetObjectItemCaseSensitive(j, "arches"), sub, &c->arches) != 0)
        return -1;
    child_path(sub, path, "minKernel");
    return parse_min_kernel(ps, cJSON_GetObjectItemCaseSensitive(j, "minKernel"), sub, c);
}

static int parse_op(struct parser *ps, const cJSON *j, const char *path, enum sp_seccomp_op *out)
{
    const char *s = NULL;
    if (missing(j))
        return fail(ps, path, "required");
    if (parse_string(ps, j, path, &s) != 0)
        return -1;
    int op = sp_seccomp_op_from_json(s);
    if (op >= 0) {
        *out = (enum sp_seccomp_op)op;
        return 0;
    }
    return fail(ps, path, "unknown operator \"%s\"", s);
}

static int parse_arg(struct parser *ps, const cJSON *j, const char *path, struct sp_seccomp_arg *a)
{
    char sub[PATH_SIZE];
    uint64_t index = 0;
    const cJSON *item;
    if (!cJSON_IsObject(j))
        return wrong_type(ps, path, "an object", j);
    child_path(sub, path, "index");
    item = cJSON_GetObjectItemCaseSensitive(j, "index");
    if (missing(item))
        return fail(ps, sub, "required");
    if (parse_integer(ps, item, sub, SP_SECCOMP_MAX_ARGS - 1, &index) != 0)
        return -1;
    a->index = (unsigned)index;
    child_path(sub, path, "value");
    item = cJSON_GetObjectItemCaseSensitive(j, "value");
    if (!missing(item) && parse_integer(ps, item, sub, MAX_EXACT_JSON_INTEGER, &a->value) != 0)
        return -1;
    child_path(sub, path, "valueTwo");
    item = cJSON_GetObjectItemCaseSensitive(j, "valueTwo");
    if (!missing(item) &&
        parse_integer(ps, item, sub, MAX_EXACT_JSON_INTEGER, &a->value_two) != 0)
        return -1;
    child_path(sub, path, "op");
    return parse_op(ps, cJSON_GetObjectItemCaseSensitive(j, "op"), sub, &a->op);
}

static int parse_args(struct parser *ps, const cJSON *j, const char *path, struct sp_seccomp_rule *r)
{
    if (missing(j))
        return 0;
    if (!cJSON_IsArray(j))
        return wrong_type(ps, path, "an array", j);
    size_t n = (size_t)cJSON_GetArraySize(j);
    if (n == 0)
        return 0;
    r->args = calloc(n, sizeof *r->args);
    if (r->args == NULL)
        return out_of_memory(ps);
    for (const cJSON *item = j->child; item != NULL; item = item->next) {
        char item_path[PATH_SIZE];
        index_path(item_path, path, r->nargs);
        if (parse_arg(ps, item, item_path, &r->args[r->nargs++]) != 0)
            return -1;
    }
    return 0;
}

/* "names", or the legacy single "name" (Docker takes one or the other). */
static int parse_names(struct parser *ps, const cJSON *rule, const char *path,
                       struct sp_seccomp_rule *r)
{
    char sub[PATH_SIZE];
    const cJSON *names = cJSON_GetObjectItemCaseSensitive(rule, "names");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(rule, "name");
    bool has_names = !missing(names) && !(cJSON_IsArray(names) && names->child == NULL);
    bool has_name = !missing(name) && !(cJSON_IsString(name) && name->valuestring[0] == '\0');
    if (has_names && has_name)
        return fail(ps, path, "use either \"name\" or \"names\", not both");
    if (!has_names && !has_name)
        return fail(ps, path, "a rule needs \"names\" (or the legacy \"name\")");
    if (has_name) {
        const char *s = NULL;
        child_path(sub, path, "name");
        if (parse_string(ps, name, sub, &s) != 0)
            return -1;
        if (sp_strlist_push(&r->names, s) != 0)
            return out_of_memory(ps);
        sp_seccomp_warn_if_unknown(ps->p, sub, s);
        return 0;
    }
    child_path(sub, path, "names");
    if (parse_strlist(ps, names, sub, &r->names) != 0)
        return -1;
    for (size_t i = 0; i < r->names.count; i++) {
        char item_path[PATH_SIZE];
        index_path(item_path, sub, i);
        if (r->names.items[i][0] == '\0')
            return fail(ps, item_path, "empty syscall name");
        sp_seccomp_warn_if_unknown(ps->p, item_path, r->names.items[i]);
    }
    return 0;
}

static int parse_rule(struct parser *ps, const cJSON *j, const char *path, struct sp_seccomp_rule *r)
{
    char sub[PATH_SIZE];
    const cJSON *item;
    if (!cJSON_IsObject(j))
        return wrong_type(ps, path, "an object", j);
    if (parse_names(ps, j, path, r) != 0)
        return -1;
    child_path(sub, path, "action");
    if (parse_action(ps, cJSON_GetObjectItemCaseSensitive(j, "action"), sub,
                     &r->action_spelling) != 0)
        return -1;
    child_path(sub, path, "errnoRet");
    item = cJSON_GetObjectItemCaseSensitive(j, "errnoRet");
    if (!missing(item)) {
        if (parse_errno(ps, item, sub, &r->errno_ret) != 0)
            return -1;
        r->has_errno = true;
    }
    child_path(sub, path, "args");
    if (parse_args(ps, cJSON_GetObjectItemCaseSensitive(j, "args"), sub, r) != 0)
        return -1;
    child_path(sub, path, "includes");
    if (parse_cond(ps, cJSON_GetObjectItemCaseSensitive(j, "includes"), sub, &r->includes) != 0)
        return -1;
    child_path(sub, path, "excludes");
    if (parse_cond(ps, cJSON_GetObjectItemCaseSensitive(j, "excludes"), sub, &r->excludes) != 0)
        return -1;
    child_path(sub, path, "comment");
    item = cJSON_GetObjectItemCaseSensitive(j, "comment");
    if (!missing(item)) {
        const char *s = NULL;
        if (parse_string(ps, item, sub, &s) != 0)
            return -1;
        if (s[0] != '\0' && (r->comment = strdup(s)) == NULL)
            return out_of_memory(ps);
    }
    return 0;
}

static int parse_rules(struct parser *ps, const cJSON *j)
{
    sp_seccomp_profile *p = ps->p;
    if (missing(j))
        return 0;
    if (!cJSON_IsArray(j))
        return wrong_type(ps, "syscalls", "an array", j);
    size_t n = (size_t)cJSON_GetArraySize(j);
    if (n == 0)
        return 0;
    p->rules = calloc(n, sizeof *p->rules);
    if (p->rules == NULL)
        return out_of_memory(ps);
    for (const cJSON *item = j->child; item != NULL; item = item->next) {
        char path[PATH_SIZE];
        index_path(path, "syscalls", p->nrules);
        /* Counted before parsing so a half-parsed rule is freed with the profile. */
        if (parse_rule(ps, item, path, &p->rules[p->nrules++]) != 0)
            return -1;
    }
    return 0;
}

static void warn_if_unknown_arch(sp_seccomp_profile *p, const char *path, const char *scmp_name)
{
    if (sp_seccomp_arch_token(scmp_name) == 0)
        sp_seccomp_add_warning(p, "%s: unknown architecture \"%s\"", path, scmp_name);
}

static int parse_archmap_entry(struct parser *ps, const cJSON *j, const char *path,
                               struct sp_seccomp_archmap *a)
{
    char sub[PATH_SIZE];
    const char *arch = NULL;
    const cJSON *item;
    if (!cJSON_IsObject(j))
        return wrong_type(ps, path, "an object", j);
    child_path(sub, path, "architecture");
    item = cJSON_GetObjectItemCaseSensitive(j, "architecture");
    if (missing(item))
        return fail(ps, sub, "required");
    if (parse_string(ps, item, sub, &arch) != 0)
        return -1;
    if ((a->arch = strdup(arch)) == NULL)
        return out_of_memory(ps);
    warn_if_unknown_arch(ps->p, sub, arch);
    child_path(sub, path, "subArchitectures");
    if (parse_strlist(ps, cJSON_GetObjectItemCaseSensitive(j, "subArchitectures"), sub,
                      &a->subs) != 0)
        return -1;
    for (size_t i = 0; i < a->subs.count; i++) {
        char item_path[PATH_SIZE];
        index_path(item_path, sub, i);
        warn_if_unknown_arch(ps->p, item_path, a->subs.items[i]);
    }
    return 0;
}

static int parse_arches(struct parser *ps, const cJSON *root)
{
    sp_seccomp_profile *p = ps->p;
    const cJSON *map = cJSON_GetObjectItemCaseSensitive(root, "archMap");
    if (parse_strlist(ps, cJSON_GetObjectItemCaseSensitive(root, "architectures"),
                      "architectures", &p->architectures) != 0)
        return -1;
    if (missing(map))
        return 0;
    if (!cJSON_IsArray(map))
        return wrong_type(ps, "archMap", "an array", map);
    size_t n = (size_t)cJSON_GetArraySize(map);
    if (n > 0 && p->architectures.count > 0)
        return fail(ps, "architectures", "use either \"architectures\" or \"archMap\", not both");
    if (n == 0)
        return 0;
    p->archmap = calloc(n, sizeof *p->archmap);
    if (p->archmap == NULL)
        return out_of_memory(ps);
    for (const cJSON *item = map->child; item != NULL; item = item->next) {
        char path[PATH_SIZE];
        index_path(path, "archMap", p->narchmap);
        if (parse_archmap_entry(ps, item, path, &p->archmap[p->narchmap++]) != 0)
            return -1;
    }
    return 0;
}

static int parse_profile(struct parser *ps, const cJSON *root)
{
    sp_seccomp_profile *p = ps->p;
    const cJSON *item;
    if (!cJSON_IsObject(root))
        return wrong_type(ps, "profile", "an object", root);
    if (parse_action(ps, cJSON_GetObjectItemCaseSensitive(root, "defaultAction"),
                     "defaultAction", &p->default_spelling) != 0)
        return -1;
    item = cJSON_GetObjectItemCaseSensitive(root, "defaultErrnoRet");
    if (!missing(item)) {
        if (parse_errno(ps, item, "defaultErrnoRet", &p->default_errno) != 0)
            return -1;
        p->has_default_errno = true;
        if (p->default_errno != EPERM)
            sp_seccomp_add_warning(p, "defaultErrnoRet: Docker 20.10 ignores it (its containers get "
                           "EPERM); per-rule errnoRet works");
    }
    if (parse_arches(ps, root) != 0)
        return -1;
    return parse_rules(ps, cJSON_GetObjectItemCaseSensitive(root, "syscalls"));
}

/* "line L, column C" of a position in text, for JSON syntax errors. */
static void describe_position(const char *text, size_t len, const char *at, char *out,
                              size_t outlen)
{
    size_t line = 1, column = 1;
    size_t end = (at != NULL && at >= text && (size_t)(at - text) <= len) ? (size_t)(at - text)
                                                                          : len;
    for (size_t i = 0; i < end; i++) {
        if (text[i] == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
    }
    snprintf(out, outlen, "line %zu, column %zu", line, column);
}

sp_seccomp_profile *sp_seccomp_parse(const char *text, size_t len, char *err, size_t errlen)
{
    const char *end = NULL;
    cJSON *root = len > 0 ? cJSON_ParseWithLengthOpts(text, len, &end, 0) : NULL;
    size_t used = (root != NULL && end != NULL) ? (size_t)(end - text) : 0;
    while (used < len && isspace((unsigned char)text[used]))
        used++;
    if (root == NULL || used < len) {
        char where[64];
        describe_position(text, len, root == NULL ? end : text + used, where, sizeof where);
        sp_error(err, errlen, "invalid JSON at %s", where);
        cJSON_Delete(root);
        return NULL;
    }
    sp_seccomp_profile *p = sp_seccomp_profile_new();
    if (p == NULL) {
        cJSON_Delete(root);
        sp_error(err, errlen, "out of memory");
        return NULL;
    }
    struct parser ps = {p, err, errlen};
    int rc = parse_profile(&ps, root);
    cJSON_Delete(root);
    if (rc != 0) {
        sp_seccomp_free(p);
        return NULL;
    }
    return p;
}

sp_seccomp_profile *sp_seccomp_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        sp_error(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            char *bigger = realloc(text, cap = cap ? cap * 2 : 16384);
            if (bigger == NULL) {
                free(text);
                fclose(f);
                sp_error(err, errlen, "%s: out of memory", path);
                return NULL;
            }
            text = bigger;
        }
        size_t n = fread(text + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    int read_error = ferror(f);
    fclose(f);
    sp_seccomp_profile *p = NULL;
    if (read_error) {
        sp_error(err, errlen, "%s: read error", path);
    } else {
        char message[512] = "";
        p = sp_seccomp_parse(text, len, message, sizeof message);
        if (p == NULL)
            sp_error(err, errlen, "%s: %s", path, message);
    }
    free(text);
    return p;
}


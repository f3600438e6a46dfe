/* seccomp profiles: the Docker JSON format read into a model, checked with
 * errors that name the offending field by its JSON path, changed (deny,
 * allow, remove), written back as compact JSON, and evaluated the way the
 * compiled filter behaves. Compilation with libseccomp is in seccomp_filter.c. */
#define _GNU_SOURCE /* strerrorname_np, memfd_create */
#include "seccomp_model.h"
#include "sandprobe/text.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#define MAX_ERRNO_VALUE 4095
/* cJSON keeps numbers as doubles: integers above 2^53 would silently change. */
#define MAX_EXACT_JSON_INTEGER 9007199254740992.0
#define PATH_SIZE 192
#define CLONE_THREAD_FLAG 0x00010000u

/* Docker's default capability set (the profile Docker applies to a container
 * started without --cap-add/--cap-drop). */
static const char *const DOCKER_DEFAULT_CAPS[] = {
    "CAP_CHOWN",  "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",           "CAP_MKNOD",
    "CAP_NET_RAW", "CAP_SETGID",      "CAP_SETUID", "CAP_SETFCAP",          "CAP_SETPCAP",
    "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
};

static const struct {
    const char *json;
    enum sp_seccomp_action action;
} ACTIONS[] = {
    {"SCMP_ACT_KILL", SP_SECCOMP_KILL_THREAD},   {"SCMP_ACT_KILL_THREAD", SP_SECCOMP_KILL_THREAD},
    {"SCMP_ACT_KILL_PROCESS", SP_SECCOMP_KILL_PROCESS}, {"SCMP_ACT_TRAP", SP_SECCOMP_TRAP},
    {"SCMP_ACT_ERRNO", SP_SECCOMP_ERRNO},        {"SCMP_ACT_TRACE", SP_SECCOMP_TRACE},
    {"SCMP_ACT_ALLOW", SP_SECCOMP_ALLOW},        {"SCMP_ACT_LOG", SP_SECCOMP_LOG},
    {"SCMP_ACT_NOTIFY", SP_SECCOMP_NOTIFY},
};
#define N_ACTIONS (sizeof ACTIONS / sizeof ACTIONS[0])

/* The index in ACTIONS of a JSON action name, or -1. */
static int action_spelling(const char *json)
{
    for (size_t i = 0; i < N_ACTIONS; i++)
        if (strcmp(ACTIONS[i].json, json) == 0)
            return (int)i;
    return -1;
}

static const char *const OPS[] = {
    [OP_NE] = "SCMP_CMP_NE", [OP_LT] = "SCMP_CMP_LT", [OP_LE] = "SCMP_CMP_LE",
    [OP_EQ] = "SCMP_CMP_EQ", [OP_GE] = "SCMP_CMP_GE", [OP_GT] = "SCMP_CMP_GT",
    [OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};
#define N_OPS (sizeof OPS / sizeof OPS[0])

/* Architectures: libseccomp's token and name, the profile's SCMP_ARCH_ name,
 * and the name Docker compares includes/excludes "arches" with (Go-style). */
static const struct {
    uint32_t token;
    const char *libseccomp, *scmp, *docker;
} ARCHES[] = {
    {SCMP_ARCH_X86_64, "x86_64", "SCMP_ARCH_X86_64", "amd64"},
    {SCMP_ARCH_X86, "x86", "SCMP_ARCH_X86", "x86"},
    {SCMP_ARCH_X32, "x32", "SCMP_ARCH_X32", "x32"},
    {SCMP_ARCH_AARCH64, "aarch64", "SCMP_ARCH_AARCH64", "arm64"},
    {SCMP_ARCH_ARM, "arm", "SCMP_ARCH_ARM", "arm"},
    {SCMP_ARCH_PPC64LE, "ppc64le", "SCMP_ARCH_PPC64LE", "ppc64le"},
    {SCMP_ARCH_PPC64, "ppc64", "SCMP_ARCH_PPC64", "ppc64"},
    {SCMP_ARCH_S390X, "s390x", "SCMP_ARCH_S390X", "s390x"},
    {SCMP_ARCH_S390, "s390", "SCMP_ARCH_S390", "s390"},
    {SCMP_ARCH_RISCV64, "riscv64", "SCMP_ARCH_RISCV64", "riscv64"},
    {SCMP_ARCH_MIPS64, "mips64", "SCMP_ARCH_MIPS64", "mips64"},
    {SCMP_ARCH_MIPSEL64, "mipsel64", "SCMP_ARCH_MIPSEL64", "mipsel64"},
};

static int native_arch_index(void)
{
    uint32_t native = seccomp_arch_native();
    for (size_t i = 0; i < sizeof ARCHES / sizeof ARCHES[0]; i++)
        if (ARCHES[i].token == native)
            return (int)i;
    return -1;
}

const char *sp_seccomp_native_arch(void)
{
    int i = native_arch_index();
    return i < 0 ? "unknown" : ARCHES[i].libseccomp;
}

/* ---- small helpers ---------------------------------------------------- */


static int strlist_push(struct strlist *l, const char *s)
{
    char *copy = strdup(s);
    char **items = copy ? realloc(l->items, (l->count + 1) * sizeof *items) : NULL;
    if (items == NULL) {
        free(copy);
        return -1;
    }
    items[l->count++] = copy;
    l->items = items;
    return 0;
}

static bool strlist_contains(const struct strlist *l, const char *s)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

static void strlist_clear(struct strlist *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

static int strlist_copy(struct strlist *dst, const struct strlist *src)
{
    for (size_t i = 0; i < src->count; i++)
        if (strlist_push(dst, src->items[i]) != 0)
            return -1;
    return 0;
}

static void add_warning(sp_seccomp_profile *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add_warning(sp_seccomp_profile *p, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (!strlist_contains(&p->warnings, text))
        (void)strlist_push(&p->warnings, text); /* a lost warning is not worth failing for */
}

static bool syscall_known(const char *name)
{
    return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
}

static void warn_if_unknown(sp_seccomp_profile *p, const char *path, const char *name)
{
    if (!syscall_known(name))
        add_warning(p, "%s: unknown syscall \"%s\" (ignored, as runc does)", path, name);
}

int sp_seccomp_syscall_number(const char *name, char *err, size_t errlen)
{
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) {
        sp_error(err, errlen, "unknown syscall \"%s\"", name);
        return -1;
    }
    if (nr < 0) {
        sp_error(err, errlen, "\"%s\" is not a syscall on %s", name, sp_seccomp_native_arch());
        return -1;
    }
    return nr;
}

/* ---- the model -------------------------------------------------------- */

static void cond_clear(struct seccomp_cond *c)
{
    strlist_clear(&c->caps);
    strlist_clear(&c->arches);
}

static void rule_clear(struct seccomp_rule *r)
{
    strlist_clear(&r->names);
    free(r->args);
    cond_clear(&r->includes);
    cond_clear(&r->excludes);
    free(r->comment);
    memset(r, 0, sizeof *r);
}

void seccomp_invalidate(sp_seccomp_profile *p)
{
    free(p->bpf);
    p->bpf = NULL;
    p->bpf_len = 0;
}

void sp_seccomp_free(sp_seccomp_profile *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->nrules; i++)
        rule_clear(&p->rules[i]);
    free(p->rules);
    for (size_t i = 0; i < p->narchmap; i++) {
        free(p->archmap[i].arch);
        strlist_clear(&p->archmap[i].subs);
    }
    free(p->archmap);
    strlist_clear(&p->architectures);
    strlist_clear(&p->caps);
    strlist_clear(&p->warnings);
    seccomp_invalidate(p);
    free(p);
}

static sp_seccomp_profile *profile_new(void)
{
    sp_seccomp_profile *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    if (sp_seccomp_set_capabilities(p, NULL, 0) != 0) {
        sp_seccomp_free(p);
        return NULL;
    }
    struct utsname u;
    if (uname(&u) == 0)
        (void)sscanf(u.release, "%u.%u", &p->kernel_major, &p->kernel_minor);
    return p;
}

static uint32_t action_value(enum sp_seccomp_action action, bool has_data, unsigned data)
{
    /* Without an errnoRet, runc makes ERRNO and TRACE return EPERM. */
    uint16_t code = (uint16_t)(has_data ? data : EPERM);
    switch (action) {
    case SP_SECCOMP_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
    case SP_SECCOMP_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
    case SP_SECCOMP_TRAP: return SCMP_ACT_TRAP;
    case SP_SECCOMP_ERRNO: return SCMP_ACT_ERRNO(code);
    case SP_SECCOMP_TRACE: return SCMP_ACT_TRACE(code);
    case SP_SECCOMP_LOG: return SCMP_ACT_LOG;
    case SP_SECCOMP_ALLOW: return SCMP_ACT_ALLOW;
    case SP_SECCOMP_NOTIFY: return SCMP_ACT_NOTIFY;
    }
    return SCMP_ACT_KILL_PROCESS;
}

uint32_t seccomp_rule_action_value(const struct seccomp_rule *r)
{
    return action_value(ACTIONS[r->action_spelling].action, r->has_errno, r->errno_ret);
}

uint32_t seccomp_default_action_value(const sp_seccomp_profile *p)
{
    return action_value(ACTIONS[p->default_spelling].action, p->has_default_errno,
                        p->default_errno);
}

void seccomp_verdict_from_value(uint32_t value, struct sp_seccomp_verdict *out)
{
    static const struct {
        uint32_t base;
        enum sp_seccomp_action action;
    } kinds[] = {
        {SCMP_ACT_KILL_THREAD, SP_SECCOMP_KILL_THREAD}, {SCMP_ACT_TRAP, SP_SECCOMP_TRAP},
        {SCMP_ACT_ERRNO(0), SP_SECCOMP_ERRNO},          {SCMP_ACT_TRACE(0), SP_SECCOMP_TRACE},
        {SCMP_ACT_LOG, SP_SECCOMP_LOG},                  {SCMP_ACT_ALLOW, SP_SECCOMP_ALLOW},
        {SCMP_ACT_NOTIFY, SP_SECCOMP_NOTIFY},
    };
    uint32_t base = value & 0xffff0000u;
    /* The kernel treats any action it does not know as KILL_PROCESS. */
    out->action = SP_SECCOMP_KILL_PROCESS;
    out->data = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (kinds[i].base == base) {
            out->action = kinds[i].action;
            if (out->action == SP_SECCOMP_ERRNO || out->action == SP_SECCOMP_TRACE)
                out->data = value & 0xffffu;
        }
    }
}

const char *sp_seccomp_action_name(enum sp_seccomp_action action)
{
    switch (action) {
    case SP_SECCOMP_KILL_THREAD: return "kill_thread";
    case SP_SECCOMP_KILL_PROCESS: return "kill_process";
    case SP_SECCOMP_TRAP: return "trap";
    case SP_SECCOMP_ERRNO: return "errno";
    case SP_SECCOMP_TRACE: return "trace";
    case SP_SECCOMP_LOG: return "log";
    case SP_SECCOMP_ALLOW: return "allow";
    case SP_SECCOMP_NOTIFY: return "notify";
    }
    return "unknown";
}

int sp_seccomp_errno_from_name(const char *name)
{
    for (int e = 1; e <= MAX_ERRNO_VALUE; e++) {
        const char *n = strerrorname_np(e);
        if (n != NULL && strcmp(n, name) == 0)
            return e;
    }
    return -1;
}

size_t sp_seccomp_warning_count(const sp_seccomp_profile *p)
{
    return p->warnings.count;
}

const char *sp_seccomp_warning(const sp_seccomp_profile *p, size_t i)
{
    return i < p->warnings.count ? p->warnings.items[i] : NULL;
}

/* ---- capabilities, architecture, kernel: Docker's includes/excludes ---- */

static int normalise_capability(const char *name, char *out, size_t outlen)
{
    const char *prefix = strncasecmp(name, "CAP_", 4) == 0 ? "" : "CAP_";
    int n = snprintf(out, outlen, "%s%s", prefix, name);
    if (n < 0 || (size_t)n >= outlen)
        return -1;
    for (char *c = out; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    return 0;
}

int sp_seccomp_set_capabilities(sp_seccomp_profile *p, const char *const *caps, size_t count)
{
    if (caps == NULL) {
        caps = DOCKER_DEFAULT_CAPS;
        count = sizeof DOCKER_DEFAULT_CAPS / sizeof DOCKER_DEFAULT_CAPS[0];
    }
    struct strlist chosen = {0};
    for (size_t i = 0; i < count; i++) {
        char cap[64];
        if (normalise_capability(caps[i], cap, sizeof cap) != 0)
            continue; /* longer than any capability: cannot match a profile's */
        if (!strlist_contains(&chosen, cap) && strlist_push(&chosen, cap) != 0) {
            strlist_clear(&chosen);
            return -1;
        }
    }
    strlist_clear(&p->caps);
    p->caps = chosen;
    seccomp_invalidate(p);
    return 0;
}

size_t sp_seccomp_capability_count(const sp_seccomp_profile *p)
{
    return p->caps.count;
}

const char *sp_seccomp_capability(const sp_seccomp_profile *p, size_t i)
{
    return i < p->caps.count ? p->caps.items[i] : NULL;
}

void sp_seccomp_set_kernel_version(sp_seccomp_profile *p, unsigned major, unsigned minor)
{
    p->kernel_major = major;
    p->kernel_minor = minor;
    seccomp_invalidate(p);
}

/* Docker names arches Go-style ("amd64", "s390x"); newer releases also take
 * the SCMP_ARCH_ names. */
static bool arches_name_native(const struct strlist *arches)
{
    int i = native_arch_index();
    return i >= 0 && (strlist_contains(arches, ARCHES[i].docker) ||
                      strlist_contains(arches, ARCHES[i].scmp));
}

static bool kernel_at_least(const sp_seccomp_profile *p, const struct seccomp_cond *c)
{
    if (p->kernel_major != c->min_major)
        return p->kernel_major > c->min_major;
    return p->kernel_minor >= c->min_minor;
}

bool seccomp_rule_applies(const sp_seccomp_profile *p, const struct seccomp_rule *r)
{
    const struct seccomp_cond *ex = &r->excludes, *in = &r->includes;
    if (ex->arches.count > 0 && arches_name_native(&ex->arches))
        return false;
    for (size_t i = 0; i < ex->caps.count; i++)
        if (strlist_contains(&p->caps, ex->caps.items[i]))
            return false;
    if (ex->has_min_kernel && kernel_at_least(p, ex))
        return false;
    if (in->arches.count > 0 && !arches_name_native(&in->arches))
        return false;
    for (size_t i = 0; i < in->caps.count; i++)
        if (!strlist_contains(&p->caps, in->caps.items[i]))
            return false;
    if (in->has_min_kernel && !kernel_at_least(p, in))
        return false;
    return true;
}

bool seccomp_rule_compiled(const sp_seccomp_profile *p, const struct seccomp_rule *r)
{
    return seccomp_rule_applies(p, r) &&
           seccomp_rule_action_value(r) != seccomp_default_action_value(p);
}

bool seccomp_rule_splits_args(const struct seccomp_rule *r)
{
    unsigned seen = 0;
    for (size_t i = 0; i < r->nargs; i++) {
        unsigned bit = 1u << r->args[i].index;
        if (seen & bit)
            return true;
        seen |= bit;
    }
    return false;
}

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
    if (parse_integer(ps, j, path, MAX_ERRNO_VALUE, &v) != 0)
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
    int spelling = action_spelling(s);
    if (spelling < 0)
        return fail(ps, path, "unknown action \"%s\"", s);
    *out = (unsigned)spelling;
    return 0;
}

/* An array of strings; absent or null is the empty list. */
static int parse_strlist(struct parser *ps, const cJSON *j, const char *path, struct strlist *out)
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
        if (strlist_push(out, s) != 0)
            return out_of_memory(ps);
    }
    return 0;
}

static int parse_min_kernel(struct parser *ps, const cJSON *j, const char *path,
                            struct seccomp_cond *c)
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

static int parse_cond(struct parser *ps, const cJSON *j, const char *path, struct seccomp_cond *c)
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

static int parse_op(struct parser *ps, const cJSON *j, const char *path, enum seccomp_op *out)
{
    const char *s = NULL;
    if (missing(j))
        return fail(ps, path, "required");
    if (parse_string(ps, j, path, &s) != 0)
        return -1;
    for (size_t i = 0; i < N_OPS; i++) {
        if (strcmp(OPS[i], s) == 0) {
            *out = (enum seccomp_op)i;
            return 0;
        }
    }
    return fail(ps, path, "unknown operator \"%s\"", s);
}

static int parse_arg(struct parser *ps, const cJSON *j, const char *path, struct seccomp_arg *a)
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

static int parse_args(struct parser *ps, const cJSON *j, const char *path, struct seccomp_rule *r)
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
                       struct seccomp_rule *r)
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
        if (strlist_push(&r->names, s) != 0)
            return out_of_memory(ps);
        warn_if_unknown(ps->p, sub, s);
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
        warn_if_unknown(ps->p, item_path, r->names.items[i]);
    }
    return 0;
}

static int parse_rule(struct parser *ps, const cJSON *j, const char *path, struct seccomp_rule *r)
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

uint32_t seccomp_arch_token(const char *scmp_name)
{
    char name[64];
    const char *suffix = strncmp(scmp_name, "SCMP_ARCH_", 10) == 0 ? scmp_name + 10 : NULL;
    if (suffix == NULL || strlen(suffix) >= sizeof name)
        return 0;
    for (size_t i = 0;; i++) {
        name[i] = (char)tolower((unsigned char)suffix[i]);
        if (suffix[i] == '\0')
            break;
    }
    return seccomp_arch_resolve_name(name);
}

const char *seccomp_native_arch_scmp_name(void)
{
    int i = native_arch_index();
    return i < 0 ? "" : ARCHES[i].scmp;
}

static void warn_if_unknown_arch(sp_seccomp_profile *p, const char *path, const char *scmp_name)
{
    if (seccomp_arch_token(scmp_name) == 0)
        add_warning(p, "%s: unknown architecture \"%s\"", path, scmp_name);
}

static int parse_archmap_entry(struct parser *ps, const cJSON *j, const char *path,
                               struct seccomp_archmap *a)
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
            add_warning(p, "defaultErrnoRet: Docker 20.10 ignores it (its containers get "
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
    sp_seccomp_profile *p = profile_new();
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

/* ---- JSON export ------------------------------------------------------ */

static bool add_strlist(cJSON *obj, const char *key, const struct strlist *l)
{
    cJSON *arr = cJSON_AddArrayToObject(obj, key);
    if (arr == NULL)
        return false;
    for (size_t i = 0; i < l->count; i++) {
        cJSON *s = cJSON_CreateString(l->items[i]);
        if (s == NULL || !cJSON_AddItemToArray(arr, s)) {
            cJSON_Delete(s);
            return false;
        }
    }
    return true;
}

static bool add_cond(cJSON *rule, const char *key, const struct seccomp_cond *c)
{
    if (c->caps.count == 0 && c->arches.count == 0 && !c->has_min_kernel)
        return true;
    cJSON *obj = cJSON_AddObjectToObject(rule, key);
    if (obj == NULL)
        return false;
    if (c->caps.count > 0 && !add_strlist(obj, "caps", &c->caps))
        return false;
    if (c->arches.count > 0 && !add_strlist(obj, "arches", &c->arches))
        return false;
    if (c->has_min_kernel) {
        char version[32];
        snprintf(version, sizeof version, "%u.%u", c->min_major, c->min_minor);
        if (cJSON_AddStringToObject(obj, "minKernel", version) == NULL)
            return false;
    }
    return true;
}

static bool add_args(cJSON *rule, const struct seccomp_rule *r)
{
    if (r->nargs == 0)
        return true;
    cJSON *arr = cJSON_AddArrayToObject(rule, "args");
    if (arr == NULL)
        return false;
    for (size_t i = 0; i < r->nargs; i++) {
        const struct seccomp_arg *a = &r->args[i];
        cJSON *obj = cJSON_CreateObject();
        if (obj == NULL || !cJSON_AddItemToArray(arr, obj)) {
            cJSON_Delete(obj);
            return false;
        }
        if (!cJSON_AddNumberToObject(obj, "index", a->index) ||
            !cJSON_AddNumberToObject(obj, "value", (double)a->value) ||
            !cJSON_AddNumberToObject(obj, "valueTwo", (double)a->value_two) ||
            !cJSON_AddStringToObject(obj, "op", OPS[a->op]))
            return false;
    }
    return true;
}

static bool add_rule(cJSON *arr, const struct seccomp_rule *r)
{
    cJSON *obj = cJSON_CreateObject();
    if (obj == NULL || !cJSON_AddItemToArray(arr, obj)) {
        cJSON_Delete(obj);
        return false;
    }
    return add_strlist(obj, "names", &r->names) &&
           cJSON_AddStringToObject(obj, "action", ACTIONS[r->action_spelling].json) &&
           (!r->has_errno || cJSON_AddNumberToObject(obj, "errnoRet", r->errno_ret)) &&
           add_args(obj, r) && add_cond(obj, "includes", &r->includes) &&
           add_cond(obj, "excludes", &r->excludes) &&
           (r->comment == NULL || cJSON_AddStringToObject(obj, "comment", r->comment));
}

static bool add_archmap(cJSON *root, const sp_seccomp_profile *p)
{
    if (p->narchmap == 0)
        return true;
    cJSON *arr = cJSON_AddArrayToObject(root, "archMap");
    if (arr == NULL)
        return false;
    for (size_t i = 0; i < p->narchmap; i++) {
        cJSON *obj = cJSON_CreateObject();
        if (obj == NULL || !cJSON_AddItemToArray(arr, obj)) {
            cJSON_Delete(obj);
            return false;
        }
        if (!cJSON_AddStringToObject(obj, "architecture", p->archmap[i].arch) ||
            !add_strlist(obj, "subArchitectures", &p->archmap[i].subs))
            return false;
    }
    return true;
}

static bool build_json(cJSON *root, const sp_seccomp_profile *p)
{
    if (!cJSON_AddStringToObject(root, "defaultAction", ACTIONS[p->default_spelling].json))
        return false;
    if (p->has_default_errno &&
        !cJSON_AddNumberToObject(root, "defaultErrnoRet", p->default_errno))
        return false;
    if (p->architectures.count > 0 && !add_strlist(root, "architectures", &p->architectures))
        return false;
    if (!add_archmap(root, p))
        return false;
    cJSON *rules = cJSON_AddArrayToObject(root, "syscalls");
    if (rules == NULL)
        return false;
    for (size_t i = 0; i < p->nrules; i++)
        if (!add_rule(rules, &p->rules[i]))
            return false;
    return true;
}

char *sp_seccomp_to_json(const sp_seccomp_profile *p)
{
    cJSON *root = cJSON_CreateObject();
    char *text = (root != NULL && build_json(root, p)) ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    return text;
}

sp_seccomp_profile *sp_seccomp_copy(const sp_seccomp_profile *p)
{
    char *text = sp_seccomp_to_json(p);
    sp_seccomp_profile *copy = text ? sp_seccomp_parse(text, strlen(text), NULL, 0) : NULL;
    free(text);
    if (copy == NULL)
        return NULL;
    strlist_clear(&copy->caps);
    strlist_clear(&copy->warnings);
    if (strlist_copy(&copy->caps, &p->caps) != 0 ||
        strlist_copy(&copy->warnings, &p->warnings) != 0) {
        sp_seccomp_free(copy);
        return NULL;
    }
    copy->kernel_major = p->kernel_major;
    copy->kernel_minor = p->kernel_minor;
    return copy;
}

/* ---- changes ---------------------------------------------------------- */

static bool name_listed(const char *name, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

static int check_names(sp_seccomp_profile *p, const char *const *names, size_t count, char *err,
                       size_t errlen)
{
    if (count == 0) {
        sp_error(err, errlen, "no syscall names given");
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        if (names[i] == NULL || names[i][0] == '\0') {
            sp_error(err, errlen, "empty syscall name");
            return -1;
        }
        warn_if_unknown(p, "change", names[i]);
    }
    return 0;
}

/* Takes the names out of every rule, whatever its includes/excludes, and
 * drops the rules left empty. */
static void remove_names_everywhere(sp_seccomp_profile *p, const char *const *names, size_t count)
{
    size_t kept_rules = 0;
    for (size_t i = 0; i < p->nrules; i++) {
        struct seccomp_rule *r = &p->rules[i];
        size_t kept = 0;
        for (size_t k = 0; k < r->names.count; k++) {
            if (name_listed(r->names.items[k], names, count))
                free(r->names.items[k]);
            else
                r->names.items[kept++] = r->names.items[k];
        }
        r->names.count = kept;
        if (kept == 0)
            rule_clear(r);
        else
            p->rules[kept_rules++] = *r;
    }
    p->nrules = kept_rules;
    seccomp_invalidate(p);
}

/* Appends a rule; on failure the profile is left as it was. */
static int append_rule(sp_seccomp_profile *p, const char *const *names, size_t count,
                       const char *action, int errno_value, const struct seccomp_arg *args,
                       size_t nargs, const char *comment, char *err, size_t errlen)
{
    struct seccomp_rule r = {.action_spelling = (unsigned)action_spelling(action)};
    struct seccomp_rule *rules = realloc(p->rules, (p->nrules + 1) * sizeof *rules);
    if (rules != NULL)
        p->rules = rules;
    bool ok = rules != NULL;
    for (size_t i = 0; ok && i < count; i++)
        ok = strlist_push(&r.names, names[i]) == 0;
    if (ok && nargs > 0) {
        r.args = malloc(nargs * sizeof *r.args);
        ok = r.args != NULL;
        if (ok) {
            memcpy(r.args, args, nargs * sizeof *args);
            r.nargs = nargs;
        }
    }
    if (ok && comment != NULL)
        ok = (r.comment = strdup(comment)) != NULL;
    if (!ok) {
        rule_clear(&r);
        sp_error(err, errlen, "out of memory");
        return -1;
    }
    if (errno_value >= 0) {
        r.has_errno = true;
        r.errno_ret = (unsigned)errno_value;
    }
    p->rules[p->nrules++] = r;
    seccomp_invalidate(p);
    return 0;
}

int sp_seccomp_deny(sp_seccomp_profile *p, const char *const *names, size_t count,
                    unsigned errno_value, char *err, size_t errlen)
{
    if (errno_value > MAX_ERRNO_VALUE) {
        sp_error(err, errlen, "errno %u is out of range (0..%d)", errno_value, MAX_ERRNO_VALUE);
        return -1;
    }
    if (check_names(p, names, count, err, errlen) != 0)
        return -1;
    remove_names_everywhere(p, names, count);
    return append_rule(p, names, count, "SCMP_ACT_ERRNO", (int)errno_value, NULL, 0,
                       "sandprobe: denied", err, errlen);
}

int sp_seccomp_allow(sp_seccomp_profile *p, const char *const *names, size_t count, char *err,
                     size_t errlen)
{
    if (check_names(p, names, count, err, errlen) != 0)
        return -1;
    remove_names_everywhere(p, names, count);
    return append_rule(p, names, count, "SCMP_ACT_ALLOW", -1, NULL, 0, "sandprobe: allowed", err,
                       errlen);
}

int sp_seccomp_remove(sp_seccomp_profile *p, const char *const *names, size_t count, char *err,
                      size_t errlen)
{
    if (check_names(p, names, count, err, errlen) != 0)
        return -1;
    remove_names_everywhere(p, names, count);
    return 0;
}

int sp_seccomp_deny_clone_without_thread(sp_seccomp_profile *p, char *err, size_t errlen)
{
    /* Threads are clone(CLONE_THREAD|CLONE_VM|...); fork() in glibc and
     * posix_spawn's fallback are clone without CLONE_THREAD. Two disjoint rules
     * cover every value of arg 0, so the outcome does not hang on the default
     * action. (On s390 clone's flags are arg 1; this profile targets the native
     * architectures Docker runs sandboxes on: x86_64, aarch64.) */
    static const char *const clone[] = {"clone"};
    const struct seccomp_arg with_thread = {0, CLONE_THREAD_FLAG, CLONE_THREAD_FLAG, OP_MASKED_EQ};
    const struct seccomp_arg without_thread = {0, CLONE_THREAD_FLAG, 0, OP_MASKED_EQ};
    remove_names_everywhere(p, clone, 1);
    if (append_rule(p, clone, 1, "SCMP_ACT_ALLOW", -1, &with_thread, 1,
                    "sandprobe: clone only for threads (CLONE_THREAD set)", err, errlen) != 0)
        return -1;
    if (append_rule(p, clone, 1, "SCMP_ACT_ERRNO", EPERM, &without_thread, 1,
                    "sandprobe: no process creation (clone without CLONE_THREAD)", err,
                    errlen) != 0) {
        rule_clear(&p->rules[--p->nrules]);
        return -1;
    }
    return 0;
}

int sp_seccomp_allow_only_arg0(sp_seccomp_profile *p, const char *const *names, size_t count,
                               const uint64_t *values, size_t nvalues, char *err, size_t errlen)
{
    /* One ALLOW rule per value: libseccomp ORs the rules of a syscall, while
     * one rule listing several EQ comparisons of arg 0 would be split by runc
     * into the same thing anyway. Every other value meets no rule and gets the
     * default action (a refusal in every profile this is meant for). */
    if (nvalues == 0) {
        sp_error(err, errlen, "no allowed values given");
        return -1;
    }
    if (check_names(p, names, count, err, errlen) != 0)
        return -1;
    remove_names_everywhere(p, names, count);
    for (size_t i = 0; i < nvalues; i++) {
        const struct seccomp_arg equal = {0, values[i], 0, OP_EQ};
        if (append_rule(p, names, count, "SCMP_ACT_ALLOW", -1, &equal, 1,
                        "sandprobe: allowed for this value of argument 0 only", err, errlen) != 0)
            return -1;
    }
    return 0;
}

/* ---- the model's own answer ------------------------------------------- */

static bool arg_matches(const struct seccomp_arg *c, const uint64_t *args)
{
    uint64_t v = args[c->index];
    switch (c->op) {
    case OP_NE: return v != c->value;
    case OP_LT: return v < c->value;
    case OP_LE: return v <= c->value;
    case OP_EQ: return v == c->value;
    case OP_GE: return v >= c->value;
    case OP_GT: return v > c->value;
    case OP_MASKED_EQ: return (v & c->value) == c->value_two;
    }
    return false;
}

static bool rule_matches(const struct seccomp_rule *r, const uint64_t *args)
{
    bool any_of = seccomp_rule_splits_args(r); /* runc's split: ORed comparisons */
    for (size_t i = 0; i < r->nargs; i++) {
        bool hit = arg_matches(&r->args[i], args);
        if (any_of && hit)
            return true;
        if (!any_of && !hit)
            return false;
    }
    return !any_of;
}

/* A rule with the default's own action is not compiled (runc skips it), so
 * it cannot decide; but when the default action applies and such a rule
 * matches, it is the rule a reader wrote for the syscall: name it. */
static int redundant_rule_matching(const sp_seccomp_profile *p, const char *name,
                                   const uint64_t *args)
{
    for (size_t i = 0; i < p->nrules; i++) {
        const struct seccomp_rule *r = &p->rules[i];
        if (strlist_contains(&r->names, name) && seccomp_rule_applies(p, r) &&
            !seccomp_rule_compiled(p, r) && (r->nargs == 0 || rule_matches(r, args)))
            return (int)i;
    }
    return -1;
}

/* libseccomp merges the rules of one syscall into a tree where a rule without
 * argument comparisons overrides every conditional one; among conditional
 * rules the first that matches decides. */
int sp_seccomp_evaluate(const sp_seccomp_profile *p, const char *name, const uint64_t *args,
                        struct sp_seccomp_verdict *out, char *err, size_t errlen)
{
    static const uint64_t zeros[SP_SECCOMP_MAX_ARGS];
    if (sp_seccomp_syscall_number(name, err, errlen) < 0)
        return -1;
    if (args == NULL)
        args = zeros;
    int unconditional = -1, conditional = -1;
    for (size_t i = 0; i < p->nrules && unconditional < 0; i++) {
        const struct seccomp_rule *r = &p->rules[i];
        if (!strlist_contains(&r->names, name) || !seccomp_rule_compiled(p, r))
            continue;
        if (r->nargs == 0)
            unconditional = (int)i;
        else if (conditional < 0 && rule_matches(r, args))
            conditional = (int)i;
    }
    out->rule = unconditional >= 0 ? unconditional : conditional;
    if (out->rule < 0)
        out->rule = redundant_rule_matching(p, name, args);
    seccomp_verdict_from_value(out->rule >= 0 ? seccomp_rule_action_value(&p->rules[out->rule])
                                              : seccomp_default_action_value(p),
                               out);
    return 0;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **sp_seccomp_active_syscalls(const sp_seccomp_profile *p, size_t *count)
{
    size_t total = 0, n = 0;
    for (size_t i = 0; i < p->nrules; i++)
        total += p->rules[i].names.count;
    const char **names = malloc((total ? total : 1) * sizeof *names);
    if (names == NULL)
        return NULL;
    for (size_t i = 0; i < p->nrules; i++)
        if (seccomp_rule_applies(p, &p->rules[i]))
            for (size_t k = 0; k < p->rules[i].names.count; k++)
                names[n++] = p->rules[i].names.items[k];
    qsort(names, n, sizeof *names, compare_strings);
    size_t unique = 0;
    for (size_t i = 0; i < n; i++)
        if (unique == 0 || strcmp(names[unique - 1], names[i]) != 0)
            names[unique++] = names[i];
    *count = unique;
    return names;
}

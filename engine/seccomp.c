/* seccomp profiles, the model (seccomp_model.h): its tables (actions,
 * operators, architectures), Docker's includes/excludes for capabilities,
 * architecture and kernel, and the model's own answer, evaluated the way the
 * compiled filter behaves. Parsing is in seccomp_parse.c, JSON export and
 * changes in seccomp_json.c, compilation with libseccomp in seccomp_filter.c. */
#define _GNU_SOURCE /* strerrorname_np, memfd_create */
#include "seccomp_model.h"
#include "sandprobe/text.h"

#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>


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

int sp_seccomp_action_spelling(const char *json)
{
    for (size_t i = 0; i < N_ACTIONS; i++)
        if (strcmp(ACTIONS[i].json, json) == 0)
            return (int)i;
    return -1;
}

static const char *const OPS[] = {
    [SP_SECCOMP_OP_NE] = "SCMP_CMP_NE", [SP_SECCOMP_OP_LT] = "SCMP_CMP_LT", [SP_SECCOMP_OP_LE] = "SCMP_CMP_LE",
    [SP_SECCOMP_OP_EQ] = "SCMP_CMP_EQ", [SP_SECCOMP_OP_GE] = "SCMP_CMP_GE", [SP_SECCOMP_OP_GT] = "SCMP_CMP_GT",
    [SP_SECCOMP_OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};
#define N_OPS (sizeof OPS / sizeof OPS[0])

const char *sp_seccomp_action_json(unsigned spelling)
{
    return ACTIONS[spelling].json;
}

const char *sp_seccomp_op_json(enum sp_seccomp_op op)
{
    return OPS[op];
}

int sp_seccomp_op_from_json(const char *json)
{
    for (size_t i = 0; i < N_OPS; i++)
        if (strcmp(OPS[i], json) == 0)
            return (int)i;
    return -1;
}

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

uint32_t sp_seccomp_arch_token(const char *scmp_name)
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

const char *sp_seccomp_native_arch_scmp_name(void)
{
    int i = native_arch_index();
    return i < 0 ? "" : ARCHES[i].scmp;
}

/* ---- small helpers ---------------------------------------------------- */


int sp_strlist_push(struct sp_strlist *l, const char *s)
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

bool sp_strlist_contains(const struct sp_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

void sp_strlist_clear(struct sp_strlist *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

int sp_strlist_copy(struct sp_strlist *dst, const struct sp_strlist *src)
{
    for (size_t i = 0; i < src->count; i++)
        if (sp_strlist_push(dst, src->items[i]) != 0)
            return -1;
    return 0;
}

void sp_seccomp_add_warning(sp_seccomp_profile *p, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (!sp_strlist_contains(&p->warnings, text))
        (void)sp_strlist_push(&p->warnings, text); /* a lost warning is not worth failing for */
}

static bool syscall_known(const char *name)
{
    return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
}

void sp_seccomp_warn_if_unknown(sp_seccomp_profile *p, const char *path, const char *name)
{
    if (!syscall_known(name))
        sp_seccomp_add_warning(p, "%s: unknown syscall \"%s\" (ignored, as runc does)", path, name);
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

static void cond_clear(struct sp_seccomp_cond *c)
{
    sp_strlist_clear(&c->caps);
    sp_strlist_clear(&c->arches);
}

void sp_seccomp_rule_clear(struct sp_seccomp_rule *r)
{
    sp_strlist_clear(&r->names);
    free(r->args);
    cond_clear(&r->includes);
    cond_clear(&r->excludes);
    free(r->comment);
    memset(r, 0, sizeof *r);
}

void sp_seccomp_invalidate(sp_seccomp_profile *p)
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
        sp_seccomp_rule_clear(&p->rules[i]);
    free(p->rules);
    for (size_t i = 0; i < p->narchmap; i++) {
        free(p->archmap[i].arch);
        sp_strlist_clear(&p->archmap[i].subs);
    }
    free(p->archmap);
    sp_strlist_clear(&p->architectures);
    sp_strlist_clear(&p->caps);
    sp_strlist_clear(&p->warnings);
    sp_seccomp_invalidate(p);
    free(p);
}

sp_seccomp_profile *sp_seccomp_profile_new(void)
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

uint32_t sp_seccomp_rule_action_value(const struct sp_seccomp_rule *r)
{
    return action_value(ACTIONS[r->action_spelling].action, r->has_errno, r->errno_ret);
}

uint32_t sp_seccomp_default_action_value(const sp_seccomp_profile *p)
{
    return action_value(ACTIONS[p->default_spelling].action, p->has_default_errno,
                        p->default_errno);
}

void sp_seccomp_verdict_from_value(uint32_t value, struct sp_seccomp_verdict *out)
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
    for (int e = 1; e <= SP_SECCOMP_MAX_ERRNO; e++) {
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
    struct sp_strlist chosen = {0};
    for (size_t i = 0; i < count; i++) {
        char cap[64];
        if (normalise_capability(caps[i], cap, sizeof cap) != 0)
            continue; /* longer than any capability: cannot match a profile's */
        if (!sp_strlist_contains(&chosen, cap) && sp_strlist_push(&chosen, cap) != 0) {
            sp_strlist_clear(&chosen);
            return -1;
        }
    }
    sp_strlist_clear(&p->caps);
    p->caps = chosen;
    sp_seccomp_invalidate(p);
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
    sp_seccomp_invalidate(p);
}

/* Docker names arches Go-style ("amd64", "s390x"); newer releases also take
 * the SCMP_ARCH_ names. */
static bool arches_name_native(const struct sp_strlist *arches)
{
    int i = native_arch_index();
    return i >= 0 && (sp_strlist_contains(arches, ARCHES[i].docker) ||
                      sp_strlist_contains(arches, ARCHES[i].scmp));
}

static bool kernel_at_least(const sp_seccomp_profile *p, const struct sp_seccomp_cond *c)
{
    if (p->kernel_major != c->min_major)
        return p->kernel_major > c->min_major;
    return p->kernel_minor >= c->min_minor;
}

bool sp_seccomp_rule_applies(const sp_seccomp_profile *p, const struct sp_seccomp_rule *r)
{
    const struct sp_seccomp_cond *ex = &r->excludes, *in = &r->includes;
    if (ex->arches.count > 0 && arches_name_native(&ex->arches))
        return false;
    for (size_t i = 0; i < ex->caps.count; i++)
        if (sp_strlist_contains(&p->caps, ex->caps.items[i]))
            return false;
    if (ex->has_min_kernel && kernel_at_least(p, ex))
        return false;
    if (in->arches.count > 0 && !arches_name_native(&in->arches))
        return false;
    for (size_t i = 0; i < in->caps.count; i++)
        if (!sp_strlist_contains(&p->caps, in->caps.items[i]))
            return false;
    if (in->has_min_kernel && !kernel_at_least(p, in))
        return false;
    return true;
}

bool sp_seccomp_rule_compiled(const sp_seccomp_profile *p, const struct sp_seccomp_rule *r)
{
    return sp_seccomp_rule_applies(p, r) &&
           sp_seccomp_rule_action_value(r) != sp_seccomp_default_action_value(p);
}

bool sp_seccomp_rule_splits_args(const struct sp_seccomp_rule *r)
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

/* ---- the model's own answer ------------------------------------------- */

static bool arg_matches(const struct sp_seccomp_arg *c, const uint64_t *args)
{
    uint64_t v = args[c->index];
    switch (c->op) {
    case SP_SECCOMP_OP_NE: return v != c->value;
    case SP_SECCOMP_OP_LT: return v < c->value;
    case SP_SECCOMP_OP_LE: return v <= c->value;
    case SP_SECCOMP_OP_EQ: return v == c->value;
    case SP_SECCOMP_OP_GE: return v >= c->value;
    case SP_SECCOMP_OP_GT: return v > c->value;
    case SP_SECCOMP_OP_MASKED_EQ: return (v & c->value) == c->value_two;
    }
    return false;
}

static bool rule_matches(const struct sp_seccomp_rule *r, const uint64_t *args)
{
    bool any_of = sp_seccomp_rule_splits_args(r); /* runc's split: ORed comparisons */
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
        const struct sp_seccomp_rule *r = &p->rules[i];
        if (sp_strlist_contains(&r->names, name) && sp_seccomp_rule_applies(p, r) &&
            !sp_seccomp_rule_compiled(p, r) && (r->nargs == 0 || rule_matches(r, args)))
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
        const struct sp_seccomp_rule *r = &p->rules[i];
        if (!sp_strlist_contains(&r->names, name) || !sp_seccomp_rule_compiled(p, r))
            continue;
        if (r->nargs == 0)
            unconditional = (int)i;
        else if (conditional < 0 && rule_matches(r, args))
            conditional = (int)i;
    }
    out->rule = unconditional >= 0 ? unconditional : conditional;
    if (out->rule < 0)
        out->rule = redundant_rule_matching(p, name, args);
    sp_seccomp_verdict_from_value(out->rule >= 0 ? sp_seccomp_rule_action_value(&p->rules[out->rule])
                                              : sp_seccomp_default_action_value(p),
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
        if (sp_seccomp_rule_applies(p, &p->rules[i]))
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

/* seccomp profiles, JSON export and changes: the model written back as
 * compact JSON (and copied through it), and the edits deny, allow, remove and
 * the clone rule pair. */
#include "seccomp_model.h"
#include "sandprobe/text.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLONE_THREAD_FLAG 0x00010000u

/* ---- JSON export ------------------------------------------------------ */

static bool add_strlist(cJSON *obj, const char *key, const struct sp_strlist *l)
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

static bool add_cond(cJSON *rule, const char *key, const struct sp_seccomp_cond *c)
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

static bool add_args(cJSON *rule, const struct sp_seccomp_rule *r)
{
    if (r->nargs == 0)
        return true;
    cJSON *arr = cJSON_AddArrayToObject(rule, "args");
    if (arr == NULL)
        return false;
    for (size_t i = 0; i < r->nargs; i++) {
        const struct sp_seccomp_arg *a = &r->args[i];
        cJSON *obj = cJSON_CreateObject();
        if (obj == NULL || !cJSON_AddItemToArray(arr, obj)) {
            cJSON_Delete(obj);
            return false;
        }
        if (!cJSON_AddNumberToObject(obj, "index", a->index) ||
            !cJSON_AddNumberToObject(obj, "value", (double)a->value) ||
            !cJSON_AddNumberToObject(obj, "valueTwo", (double)a->value_two) ||
            !cJSON_AddStringToObject(obj, "op", sp_seccomp_op_json(a->op)))
            return false;
    }
    return true;
}

static bool add_rule(cJSON *arr, const struct sp_seccomp_rule *r)
{
    cJSON *obj = cJSON_CreateObject();
    if (obj == NULL || !cJSON_AddItemToArray(arr, obj)) {
        cJSON_Delete(obj);
        return false;
    }
    return add_strlist(obj, "names", &r->names) &&
           cJSON_AddStringToObject(obj, "action", sp_seccomp_action_json(r->action_spelling)) &&
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
    if (!cJSON_AddStringToObject(root, "defaultAction", sp_seccomp_action_json(p->default_spelling)))
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
    sp_strlist_clear(&copy->caps);
    sp_strlist_clear(&copy->warnings);
    if (sp_strlist_copy(&copy->caps, &p->caps) != 0 ||
        sp_strlist_copy(&copy->warnings, &p->warnings) != 0) {
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
        sp_seccomp_warn_if_unknown(p, "change", names[i]);
    }
    return 0;
}

/* Takes the names out of every rule, whatever its includes/excludes, and
 * drops the rules left empty. */
static void remove_names_everywhere(sp_seccomp_profile *p, const char *const *names, size_t count)
{
    size_t kept_rules = 0;
    for (size_t i = 0; i < p->nrules; i++) {
        struct sp_seccomp_rule *r = &p->rules[i];
        size_t kept = 0;
        for (size_t k = 0; k < r->names.count; k++) {
            if (name_listed(r->names.items[k], names, count))
                free(r->names.items[k]);
            else
                r->names.items[kept++] = r->names.items[k];
        }
        r->names.count = kept;
        if (kept == 0)
            sp_seccomp_rule_clear(r);
        else
            p->rules[kept_rules++] = *r;
    }
    p->nrules = kept_rules;
    sp_seccomp_invalidate(p);
}

/* Appends a rule; on failure the profile is left as it was. */
static int append_rule(sp_seccomp_profile *p, const char *const *names, size_t count,
                       const char *action, int errno_value, const struct sp_seccomp_arg *args,
                       size_t nargs, const char *comment, char *err, size_t errlen)
{
    struct sp_seccomp_rule r = {.action_spelling = (unsigned)sp_seccomp_action_spelling(action)};
    struct sp_seccomp_rule *rules = realloc(p->rules, (p->nrules + 1) * sizeof *rules);
    if (rules != NULL)
        p->rules = rules;
    bool ok = rules != NULL;
    for (size_t i = 0; ok && i < count; i++)
        ok = sp_strlist_push(&r.names, names[i]) == 0;
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
        sp_seccomp_rule_clear(&r);
        sp_error(err, errlen, "out of memory");
        return -1;
    }
    if (errno_value >= 0) {
        r.has_errno = true;
        r.errno_ret = (unsigned)errno_value;
    }
    p->rules[p->nrules++] = r;
    sp_seccomp_invalidate(p);
    return 0;
}

int sp_seccomp_deny(sp_seccomp_profile *p, const char *const *names, size_t count,
                    unsigned errno_value, char *err, size_t errlen)
{
    if (errno_value > SP_SECCOMP_MAX_ERRNO) {
        sp_error(err, errlen, "errno %u is out of range (0..%d)", errno_value, SP_SECCOMP_MAX_ERRNO);
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
    const struct sp_seccomp_arg with_thread = {0, CLONE_THREAD_FLAG, CLONE_THREAD_FLAG, SP_SECCOMP_OP_MASKED_EQ};
    const struct sp_seccomp_arg without_thread = {0, CLONE_THREAD_FLAG, 0, SP_SECCOMP_OP_MASKED_EQ};
    remove_names_everywhere(p, clone, 1);
    if (append_rule(p, clone, 1, "SCMP_ACT_ALLOW", -1, &with_thread, 1,
                    "sandprobe: clone only for threads (CLONE_THREAD set)", err, errlen) != 0)
        return -1;
    if (append_rule(p, clone, 1, "SCMP_ACT_ERRNO", EPERM, &without_thread, 1,
                    "sandprobe: no process creation (clone without CLONE_THREAD)", err,
                    errlen) != 0) {
        sp_seccomp_rule_clear(&p->rules[--p->nrules]);
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
        const struct sp_seccomp_arg equal = {0, values[i], 0, SP_SECCOMP_OP_EQ};
        if (append_rule(p, names, count, "SCMP_ACT_ALLOW", -1, &equal, 1,
                        "sandprobe: allowed for this value of argument 0 only", err, errlen) != 0)
            return -1;
    }
    return 0;
}


/* The seccomp profile model shared by engine/seccomp.c (JSON, changes, model
 * evaluation) and engine/seccomp_filter.c (libseccomp compilation, BPF).
 * Private to the engine: users see include/sandprobe/seccomp.h. */
#ifndef SANDPROBE_SECCOMP_MODEL_H
#define SANDPROBE_SECCOMP_MODEL_H

#include "sandprobe/seccomp.h"

#include <stdbool.h>
#include <stdint.h>

enum sp_seccomp_op {
    SP_SECCOMP_OP_NE,
    SP_SECCOMP_OP_LT,
    SP_SECCOMP_OP_LE,
    SP_SECCOMP_OP_EQ,
    SP_SECCOMP_OP_GE,
    SP_SECCOMP_OP_GT,
    SP_SECCOMP_OP_MASKED_EQ,
};

struct sp_strlist {
    char **items;
    size_t count;
};

struct sp_seccomp_arg {
    unsigned index;
    uint64_t value;     /* the datum, or the mask for MASKED_EQ */
    uint64_t value_two; /* the datum for MASKED_EQ */
    enum sp_seccomp_op op;
};

/* includes / excludes */
struct sp_seccomp_cond {
    struct sp_strlist caps;
    struct sp_strlist arches;
    bool has_min_kernel;
    unsigned min_major, min_minor;
};

struct sp_seccomp_rule {
    struct sp_strlist names;
    unsigned action_spelling; /* index in the action table (seccomp.c) */
    bool has_errno;
    unsigned errno_ret;
    struct sp_seccomp_arg *args;
    size_t nargs;
    struct sp_seccomp_cond includes, excludes;
    char *comment;
};

struct sp_seccomp_archmap {
    char *arch;
    struct sp_strlist subs;
};

struct sp_seccomp_profile {
    unsigned default_spelling;
    bool has_default_errno;
    unsigned default_errno;
    struct sp_seccomp_archmap *archmap;
    size_t narchmap;
    struct sp_strlist architectures; /* the legacy form of archMap */
    struct sp_seccomp_rule *rules;
    size_t nrules;

    struct sp_strlist caps;
    unsigned kernel_major, kernel_minor;
    struct sp_strlist warnings;

    /* The compiled native filter, cached until the profile changes. */
    void *bpf;
    size_t bpf_len;
};

/* The libseccomp action value (SCMP_ACT_...) of a rule or of the default. */
uint32_t sp_seccomp_rule_action_value(const struct sp_seccomp_rule *r);
uint32_t sp_seccomp_default_action_value(const sp_seccomp_profile *p);

/* Whether the rule survives Docker's includes/excludes filtering for the
 * profile's capabilities, the native architecture and the kernel version. */
bool sp_seccomp_rule_applies(const sp_seccomp_profile *p, const struct sp_seccomp_rule *r);

/* Whether compilation keeps the rule: it applies and its action differs from
 * the default (runc skips such rules; libseccomp would refuse them). */
bool sp_seccomp_rule_compiled(const sp_seccomp_profile *p, const struct sp_seccomp_rule *r);

/* runc adds a rule comparing one argument more than once as one rule per
 * comparison (ORed) instead of one rule with all of them (ANDed). */
bool sp_seccomp_rule_splits_args(const struct sp_seccomp_rule *r);

/* The verdict an action value stands for. */
void sp_seccomp_verdict_from_value(uint32_t value, struct sp_seccomp_verdict *out);

/* Drops the cached compiled filter (after any change). */
void sp_seccomp_invalidate(sp_seccomp_profile *p);

/* The libseccomp token of an SCMP_ARCH_ name ("SCMP_ARCH_X86" -> SCMP_ARCH_X86), 0 if unknown. */
uint32_t sp_seccomp_arch_token(const char *scmp_name);

/* The native architecture's SCMP_ARCH_ name, as archMap spells it. */
const char *sp_seccomp_native_arch_scmp_name(void);

/* ---- shared by the files of the model (seccomp.c, seccomp_parse.c,
 * seccomp_json.c) ---------------------------------------------------- */

#define SP_SECCOMP_MAX_ERRNO 4095

/* The action table: the index of a JSON action name ("SCMP_ACT_ERRNO"), or
 * -1; and the JSON name at an index. */
int sp_seccomp_action_spelling(const char *json);
const char *sp_seccomp_action_json(unsigned spelling);

/* Operators: the JSON name ("SCMP_CMP_MASKED_EQ") and back (-1: unknown). */
const char *sp_seccomp_op_json(enum sp_seccomp_op op);
int sp_seccomp_op_from_json(const char *json);

/* String lists: push and copy give 0 or -1 (out of memory). */
int sp_strlist_push(struct sp_strlist *l, const char *s);
bool sp_strlist_contains(const struct sp_strlist *l, const char *s);
void sp_strlist_clear(struct sp_strlist *l);
int sp_strlist_copy(struct sp_strlist *dst, const struct sp_strlist *src);

/* An empty profile (NULL: out of memory), and a rule's storage freed. */
sp_seccomp_profile *sp_seccomp_profile_new(void);
void sp_seccomp_rule_clear(struct sp_seccomp_rule *r);

/* A warning kept once (sp_seccomp_warning); and one for a syscall libseccomp
 * does not know, at JSON path `path`. */
void sp_seccomp_add_warning(sp_seccomp_profile *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sp_seccomp_warn_if_unknown(sp_seccomp_profile *p, const char *path, const char *name);

#endif

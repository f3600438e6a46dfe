/* seccomp: Docker-format JSON seccomp profiles, compiled with libseccomp.
 *
 * A profile is a model of the JSON (defaultAction, defaultErrnoRet, archMap or
 * architectures, syscalls[] with names/action/errnoRet/args/includes/excludes)
 * that can be changed (deny, allow, remove names), exported back to the compact
 * JSON Docker takes in HostConfig.SecurityOpt ("seccomp=<json>"), and compiled
 * for the native architecture the way Docker and runc would apply it to a
 * container with a given set of capabilities: rules whose includes/excludes
 * do not match are dropped, rules with the default action are skipped, and a
 * rule that compares the same argument twice is split into one rule per
 * comparison (runc's behaviour). The compiled filter answers "what does
 * syscall X with arguments a0..a5 get".
 *
 * Pure C (libseccomp + cJSON); the Lua binding is engine/seccomp_lua.c. */
#ifndef SANDPROBE_SECCOMP_H
#define SANDPROBE_SECCOMP_H

#include <stddef.h>
#include <stdint.h>

typedef struct sp_seccomp_profile sp_seccomp_profile;

/* What a filter does with a syscall. SCMP_ACT_KILL and SCMP_ACT_KILL_THREAD
 * are the same action (the model keeps the spelling for the JSON). */
enum sp_seccomp_action {
    SP_SECCOMP_KILL_THREAD,
    SP_SECCOMP_KILL_PROCESS,
    SP_SECCOMP_TRAP,
    SP_SECCOMP_ERRNO,
    SP_SECCOMP_TRACE,
    SP_SECCOMP_LOG,
    SP_SECCOMP_ALLOW,
    SP_SECCOMP_NOTIFY,
};

#define SP_SECCOMP_MAX_ARGS 6

/* The answer for one syscall. */
struct sp_seccomp_verdict {
    enum sp_seccomp_action action;
    unsigned data; /* the errno for ERRNO, the message for TRACE, else 0 */
    int rule;      /* index in syscalls[] of the deciding rule, -1 for the default action
                    * (a matching rule that repeats the default action is named too) */
};

/* Parses a profile from JSON text. NULL with a message in err on failure; the
 * message names the offending field by its JSON path, e.g.
 * `syscalls[12].args[0].op: unknown operator "SCMP_CMP_FOO"`. Syscall names
 * unknown to libseccomp are not errors: they become warnings (runc ignores
 * them too). Capabilities start as Docker's default set, the kernel version
 * as the running kernel's. */
sp_seccomp_profile *sp_seccomp_parse(const char *text, size_t len, char *err, size_t errlen);

/* sp_seccomp_parse on the contents of a file. */
sp_seccomp_profile *sp_seccomp_load(const char *path, char *err, size_t errlen);

/* An independent copy (rules, capabilities, kernel version); NULL when out of memory. */
sp_seccomp_profile *sp_seccomp_copy(const sp_seccomp_profile *p);

void sp_seccomp_free(sp_seccomp_profile *p);

/* Warnings gathered while loading and changing the profile. */
size_t sp_seccomp_warning_count(const sp_seccomp_profile *p);
const char *sp_seccomp_warning(const sp_seccomp_profile *p, size_t i);

/* The capabilities includes/excludes are evaluated against: the profile is
 * what Docker would apply to a container holding exactly these. Names are
 * case-insensitive, with or without "CAP_". caps == NULL selects Docker's
 * default set; count == 0 the empty set (--cap-drop ALL). 0, or -1 when out of
 * memory. */
int sp_seccomp_set_capabilities(sp_seccomp_profile *p, const char *const *caps, size_t count);
size_t sp_seccomp_capability_count(const sp_seccomp_profile *p);
const char *sp_seccomp_capability(const sp_seccomp_profile *p, size_t i); /* "CAP_CHOWN" */

/* The kernel version minKernel is compared against (default: uname). */
void sp_seccomp_set_kernel_version(sp_seccomp_profile *p, unsigned major, unsigned minor);

/* Changes. Each removes the names from every existing rule first (whatever
 * its includes/excludes, so the change holds for any capabilities) and drops
 * rules left without names, then:
 *   deny:   appends a rule refusing the names with errno_value (e.g. EPERM, ENOSYS);
 *   allow:  appends a rule allowing them;
 *   remove: nothing more, the names fall to the default action.
 * deny_clone_without_thread replaces every clone rule by two: allow clone when
 * (arg0 & CLONE_THREAD) == CLONE_THREAD, refuse it with EPERM when the flag is
 * clear. Process creation through clone is refused; threads keep working.
 * 0 on success, -1 with a message in err. */
int sp_seccomp_deny(sp_seccomp_profile *p, const char *const *names, size_t count,
                    unsigned errno_value, char *err, size_t errlen);
int sp_seccomp_allow(sp_seccomp_profile *p, const char *const *names, size_t count, char *err,
                     size_t errlen);
int sp_seccomp_remove(sp_seccomp_profile *p, const char *const *names, size_t count, char *err,
                      size_t errlen);
int sp_seccomp_deny_clone_without_thread(sp_seccomp_profile *p, char *err, size_t errlen);
/* Replaces every rule of the names by: allow when argument 0 equals one of
 * values; any other value gets the profile's default action. For socket()'s
 * address family: the families a program needs, and no other. */
int sp_seccomp_allow_only_arg0(sp_seccomp_profile *p, const char *const *names, size_t count,
                               const uint64_t *values, size_t nvalues, char *err, size_t errlen);

/* The profile as compact JSON for Docker's SecurityOpt. malloc'd; NULL when
 * out of memory. Parsing it gives back the same profile. */
char *sp_seccomp_to_json(const sp_seccomp_profile *p);

/* Syscall names the profile's rules name and that apply with the selected
 * capabilities, architecture and kernel, sorted, without duplicates. The
 * array is malloc'd (free it); the strings belong to the profile and live
 * until it changes. NULL when out of memory (count 0 and non-NULL when empty). */
const char **sp_seccomp_active_syscalls(const sp_seccomp_profile *p, size_t *count);

/* The filter compiled for the native architecture, as classic BPF (an array of
 * struct sock_filter), malloc'd into *bpf / *len bytes. -1 with err on failure
 * (libseccomp refused a rule, an unknown sub-architecture...). */
int sp_seccomp_export_bpf(sp_seccomp_profile *p, void **bpf, size_t *len, char *err,
                          size_t errlen);

/* libseccomp's pseudo filter code (PFC) for the same filter, malloc'd. */
char *sp_seccomp_export_pfc(sp_seccomp_profile *p, char *err, size_t errlen);

/* What syscall `name` with arguments args[0..5] (NULL: all zero) gets, from
 * the compiled filter run on the native architecture; rule comes from the
 * profile model. -1 with err for a name that is not a syscall of the native
 * architecture or a filter that does not compile. */
int sp_seccomp_query(sp_seccomp_profile *p, const char *name, const uint64_t *args,
                     struct sp_seccomp_verdict *out, char *err, size_t errlen);

/* The same question answered by evaluating the profile model alone (no
 * libseccomp filter): the semantics the compiled filter has, written out.
 * Exposed so tests can hold the two answers against each other. */
int sp_seccomp_evaluate(const sp_seccomp_profile *p, const char *name, const uint64_t *args,
                        struct sp_seccomp_verdict *out, char *err, size_t errlen);

/* "allow", "errno", "kill_thread", "kill_process", "trap", "trace", "log", "notify". */
const char *sp_seccomp_action_name(enum sp_seccomp_action action);

/* The errno number for a name such as "EPERM" or "ENOSYS"; -1 if unknown. */
int sp_seccomp_errno_from_name(const char *name);

/* The native number of a syscall name; -1 with err when it is unknown or not
 * a syscall of the native architecture. */
int sp_seccomp_syscall_number(const char *name, char *err, size_t errlen);

/* The native architecture as libseccomp names it ("x86_64"). */
const char *sp_seccomp_native_arch(void);

#endif

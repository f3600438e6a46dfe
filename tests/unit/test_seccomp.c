/* The seccomp primitive: loading Docker's real profiles and malformed ones,
 * includes/excludes, runc's and libseccomp's rule semantics, the answers of
 * the compiled filter against the model's, changes, and the JSON round trip. */
#include "sandprobe/seccomp.h"
#include "unit.h"

#include <errno.h>
#include <linux/filter.h>
#include <stdint.h>

#define CLONE_THREAD_FLAGS 0x3d0f00ull /* what glibc's pthread_create passes */
#define FORK_FLAGS 0x1200011ull        /* glibc's fork(): CHILD_SETTID|CHILD_CLEARTID|SIGCHLD */
#define CLONE_NEWNS_FLAG 0x20000ull
#define DOCKER_2010 "docker-default.json"
#define DOCKER_NEWEST "moby-default-newest.json"

static char err[512];

static sp_seccomp_profile *load_from(const char *env, const char *name)
{
    const char *dir = getenv(env);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : ".", name);
    err[0] = '\0';
    return sp_seccomp_load(path, err, sizeof err);
}

static sp_seccomp_profile *fixture(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "seccomp/%s", name);
    return load_from("SANDPROBE_FIXTURES", rel);
}

/* Docker's real default profiles: 20.10.24 as the project ships it, the
 * newest one as a fixture (tests/fixtures/seccomp/README.md). */
static sp_seccomp_profile *docker_profile(const char *name)
{
    if (strcmp(name, DOCKER_2010) == 0)
        return load_from("SANDPROBE_PROFILES", name);
    return fixture(name);
}

static sp_seccomp_profile *docker_2010(void)
{
    return docker_profile(DOCKER_2010);
}

/* action and data syscall `name` gets with arg0 (other args 0), from the filter */
static struct sp_seccomp_verdict ask(sp_seccomp_profile *p, const char *name, uint64_t arg0)
{
    uint64_t args[SP_SECCOMP_MAX_ARGS] = {arg0};
    struct sp_seccomp_verdict v = {SP_SECCOMP_KILL_PROCESS, 9999, -9};
    if (sp_seccomp_query(p, name, args, &v, err, sizeof err) != 0)
        fprintf(stderr, "  query %s: %s\n", name, err);
    return v;
}

#define CHECK_VERDICT(p, name, arg0, want_action, want_data)            \
    do {                                                                \
        struct sp_seccomp_verdict v_ = ask((p), (name), (arg0));        \
        CHECK_STR(sp_seccomp_action_name(v_.action), (want_action));    \
        CHECK_INT(v_.data, (want_data));                                \
    } while (0)

static void both_real_profiles_load(void)
{
    const char *files[] = {DOCKER_2010, DOCKER_NEWEST};
    for (size_t i = 0; i < 2; i++) {
        sp_seccomp_profile *p = docker_profile(files[i]);
        if (p == NULL)
            fprintf(stderr, "  %s: %s\n", files[i], err);
        REQUIRE(p != NULL);
        /* The newest profile names syscalls this libseccomp may not know:
         * warnings, never errors. */
        for (size_t w = 0; w < sp_seccomp_warning_count(p); w++)
            CHECK(strstr(sp_seccomp_warning(p, w), "unknown syscall") != NULL);
        size_t n;
        const char **names = sp_seccomp_active_syscalls(p, &n);
        CHECK(names != NULL && n > 300);
        free(names);
        CHECK_VERDICT(p, "read", 0, "allow", 0);
        CHECK_VERDICT(p, "mount", 0, "errno", EPERM);
        sp_seccomp_free(p);
    }
    sp_seccomp_profile *p = docker_2010();
    REQUIRE(p != NULL);
    CHECK_INT(sp_seccomp_warning_count(p), 0);
    sp_seccomp_free(p);
}

static void docker_default_answers(void)
{
    sp_seccomp_profile *p = docker_2010();
    REQUIRE(p != NULL);
    CHECK_VERDICT(p, "clone", FORK_FLAGS, "allow", 0);
    CHECK_VERDICT(p, "clone", CLONE_NEWNS_FLAG, "errno", EPERM);
    CHECK_VERDICT(p, "clone3", 0, "errno", ENOSYS);
    CHECK_VERDICT(p, "personality", 0, "allow", 0);
    CHECK_VERDICT(p, "personality", 0xffffffff, "allow", 0);
    CHECK_VERDICT(p, "personality", 0x0040000, "errno", EPERM); /* ADDR_NO_RANDOMIZE */
    CHECK_VERDICT(p, "socket", 40, "allow", 0);
    CHECK_VERDICT(p, "chroot", 0, "allow", 0); /* CAP_SYS_CHROOT is a default capability */
    /* rule numbers: clone's first rule is syscalls[14] of this file */
    CHECK_INT(ask(p, "clone", 0).rule, 14);
    CHECK_INT(ask(p, "mount", 0).rule, -1);

    /* ptrace is allowed from kernel 4.8 on (includes.minKernel). */
    CHECK_VERDICT(p, "ptrace", 0, "allow", 0);
    sp_seccomp_set_kernel_version(p, 4, 4);
    CHECK_VERDICT(p, "ptrace", 0, "errno", EPERM);
    sp_seccomp_free(p);
}

static void capabilities_select_rules(void)
{
    sp_seccomp_profile *p = docker_2010();
    REQUIRE(p != NULL);
    CHECK_INT(sp_seccomp_capability_count(p), 14);

    const char *admin[] = {"sys_admin", "CAP_SYS_ADMIN"}; /* normalised, deduplicated */
    REQUIRE(sp_seccomp_set_capabilities(p, admin, 2) == 0);
    CHECK_INT(sp_seccomp_capability_count(p), 1);
    CHECK_STR(sp_seccomp_capability(p, 0), "CAP_SYS_ADMIN");
    CHECK_VERDICT(p, "mount", 0, "allow", 0);
    CHECK_VERDICT(p, "clone", CLONE_NEWNS_FLAG, "allow", 0);
    CHECK_VERDICT(p, "clone3", 0, "allow", 0);
    CHECK_VERDICT(p, "chroot", 0, "errno", EPERM); /* needs CAP_SYS_CHROOT, not granted */

    REQUIRE(sp_seccomp_set_capabilities(p, admin, 0) == 0); /* --cap-drop ALL */
    CHECK_INT(sp_seccomp_capability_count(p), 0);
    CHECK_VERDICT(p, "chroot", 0, "errno", EPERM);
    CHECK_VERDICT(p, "mount", 0, "errno", EPERM);
    CHECK_VERDICT(p, "clone", FORK_FLAGS, "allow", 0);
    sp_seccomp_free(p);
}

/* The model's answer and the compiled filter's must be the same for every
 * syscall the profile names, across argument values that hit the rules. */
static int count_disagreements(sp_seccomp_profile *p)
{
    static const uint64_t samples[][SP_SECCOMP_MAX_ARGS] = {
        {0},          {1},          {2, 1},    {3, 0, 1},  {40},       {0x7E020000},
        {FORK_FLAGS}, {CLONE_THREAD_FLAGS},    {0xffffffff}, {8},       {0x20008},
        {100, 4096, 1}, {7},        {8, 8, 8, 8, 8, 8},    {UINT64_MAX, UINT64_MAX},
    };
    size_t n;
    const char **names = sp_seccomp_active_syscalls(p, &n);
    int disagreements = 0, checked = 0;
    for (size_t i = 0; names != NULL && i < n; i++) {
        for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++) {
            struct sp_seccomp_verdict model, filter;
            if (sp_seccomp_evaluate(p, names[i], samples[s], &model, err, sizeof err) != 0)
                continue; /* not a syscall of this architecture */
            checked++;
            if (sp_seccomp_query(p, names[i], samples[s], &filter, err, sizeof err) != 0 ||
                model.action != filter.action || model.data != filter.data) {
                fprintf(stderr, "  %s sample %zu: model %s/%u, filter %s/%u\n", names[i], s,
                        sp_seccomp_action_name(model.action), model.data,
                        sp_seccomp_action_name(filter.action), filter.data);
                disagreements++;
            }
        }
    }
    free(names);
    return checked > 0 ? disagreements : -1;
}

static void model_agrees_with_compiled_filter(void)
{
    const char *files[] = {DOCKER_2010, DOCKER_NEWEST};
    const char *admin[] = {"CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_BOOT"};
    for (size_t i = 0; i < 2; i++) {
        sp_seccomp_profile *p = docker_profile(files[i]);
        REQUIRE(p != NULL);
        CHECK_INT(count_disagreements(p), 0);
        sp_seccomp_set_capabilities(p, admin, 3);
        CHECK_INT(count_disagreements(p), 0);
        sp_seccomp_set_capabilities(p, admin, 0);
        CHECK_INT(count_disagreements(p), 0);
        sp_seccomp_free(p);
    }
    sp_seccomp_profile *p = fixture("runc-semantics.json");
    REQUIRE(p != NULL);
    CHECK_INT(count_disagreements(p), 0);
    sp_seccomp_free(p);
}

static void runc_and_libseccomp_semantics(void)
{
    sp_seccomp_profile *p = fixture("runc-semantics.json");
    if (p == NULL)
        fprintf(stderr, "  %s\n", err);
    REQUIRE(p != NULL);
    /* defaultErrnoRet is honoured, with a warning that Docker 20.10 ignores it */
    CHECK_VERDICT(p, "getcwd", 0, "errno", ENOSYS);
    CHECK(sp_seccomp_warning_count(p) == 1 &&
          strstr(sp_seccomp_warning(p, 0), "defaultErrnoRet") != NULL);
    /* one argument compared twice: ORed */
    CHECK_VERDICT(p, "personality", 1, "allow", 0);
    CHECK_VERDICT(p, "personality", 2, "allow", 0);
    CHECK_VERDICT(p, "personality", 3, "errno", ENOSYS);
    /* different arguments: ANDed */
    uint64_t inet_stream[SP_SECCOMP_MAX_ARGS] = {2, 1}, inet_dgram[SP_SECCOMP_MAX_ARGS] = {2, 2};
    struct sp_seccomp_verdict v;
    REQUIRE(sp_seccomp_query(p, "socket", inet_stream, &v, err, sizeof err) == 0);
    CHECK_STR(sp_seccomp_action_name(v.action), "allow");
    REQUIRE(sp_seccomp_query(p, "socket", inet_dgram, &v, err, sizeof err) == 0);
    CHECK_STR(sp_seccomp_action_name(v.action), "errno");
    /* an unconditional rule overrides a conditional one, whatever the order */
    CHECK_VERDICT(p, "getpid", 8, "errno", EACCES);
    CHECK_INT(ask(p, "getpid", 8).rule, 4);
    /* arches, kernel, capabilities */
    CHECK_VERDICT(p, "getuid", 0, "errno", ENOSYS);  /* includes s390x only */
    CHECK_VERDICT(p, "getgid", 0, "errno", ENOSYS);  /* excludes amd64 */
    CHECK_VERDICT(p, "geteuid", 0, "allow", 0);      /* SCMP_ARCH_ spelling */
    sp_seccomp_set_kernel_version(p, 5, 8);
    CHECK_VERDICT(p, "getegid", 0, "errno", ENOSYS);
    CHECK_VERDICT(p, "getppid", 0, "allow", 0);
    sp_seccomp_set_kernel_version(p, 6, 1);
    CHECK_VERDICT(p, "getegid", 0, "allow", 0);
    CHECK_VERDICT(p, "getppid", 0, "errno", ENOSYS);
    CHECK_VERDICT(p, "chroot", 0, "errno", ENOSYS); /* needs both capabilities */
    const char *both[] = {"CAP_SYS_CHROOT", "CAP_SYS_ADMIN"};
    sp_seccomp_set_capabilities(p, both, 2);
    CHECK_VERDICT(p, "chroot", 0, "allow", 0);
    CHECK_VERDICT(p, "mount", 0, "errno", ENOSYS); /* excluded by CAP_SYS_ADMIN */
    /* the other actions */
    CHECK_VERDICT(p, "kill", 0, "kill_process", 0);
    CHECK_VERDICT(p, "tkill", 0, "trap", 0);
    CHECK_VERDICT(p, "tgkill", 0, "trace", 5);
    CHECK_VERDICT(p, "getpgrp", 0, "log", 0);
    CHECK_VERDICT(p, "getsid", 0, "kill_thread", 0);
    /* a rule repeating the default action is skipped, but still named */
    CHECK_VERDICT(p, "setsid", 0, "errno", ENOSYS);
    CHECK_INT(ask(p, "setsid", 0).rule, 17);
    /* MASKED_EQ: (a2 & 3) == 1; LE/NE; LT; GE */
    uint64_t lseek_ok[SP_SECCOMP_MAX_ARGS] = {0, 0, 5}, lseek_no[SP_SECCOMP_MAX_ARGS] = {0, 0, 3};
    REQUIRE(sp_seccomp_query(p, "lseek", lseek_ok, &v, err, sizeof err) == 0);
    CHECK_STR(sp_seccomp_action_name(v.action), "allow");
    REQUIRE(sp_seccomp_query(p, "lseek", lseek_no, &v, err, sizeof err) == 0);
    CHECK_STR(sp_seccomp_action_name(v.action), "errno");
    uint64_t mmap_ok[SP_SECCOMP_MAX_ARGS] = {0, 4096, 1}, mmap_no[SP_SECCOMP_MAX_ARGS] = {0, 4097, 1};
    REQUIRE(sp_seccomp_query(p, "mmap", mmap_ok, &v, err, sizeof err) == 0);
    CHECK_STR(sp_seccomp_action_name(v.action), "allow");
    REQUIRE(sp_seccomp_query(p, "mmap", mmap_no, &v, err, sizeof err) == 0);
    CHECK_STR(sp_seccomp_action_name(v.action), "errno");
    CHECK_VERDICT(p, "brk", 99, "allow", 0);
    CHECK_VERDICT(p, "brk", 100, "errno", ENOSYS);
    CHECK_VERDICT(p, "munmap", 100, "allow", 0);
    CHECK_VERDICT(p, "munmap", 99, "errno", ENOSYS);
    sp_seccomp_free(p);
}

static void malformed_profiles_name_the_field(void)
{
    static const struct {
        const char *file, *message;
    } cases[] = {
        {"bad-json.json", "invalid JSON at line 4"},
        {"unknown-action.json", "syscalls[1].action: unknown action \"SCMP_ACT_PERMIT\""},
        {"unknown-op.json", "syscalls[2].args[0].op: unknown operator \"SCMP_CMP_FOO\""},
        {"wrong-types.json", "syscalls[0].names: expected an array of strings, got a string"},
        {"arg-index-out-of-range.json", "syscalls[1].args[0].index: 6 is out of range (0..5)"},
        {"no-such-file.json", "No such file or directory"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sp_seccomp_profile *p = fixture(cases[i].file);
        CHECK(p == NULL);
        sp_seccomp_free(p);
        if (strstr(err, cases[i].message) == NULL)
            fprintf(stderr, "  %s: got \"%s\", want \"%s\"\n", cases[i].file, err,
                    cases[i].message);
        CHECK(strstr(err, cases[i].message) != NULL);
        CHECK(strstr(err, cases[i].file) != NULL); /* load() names the file */
    }
}

static void malformed_text_name_the_field(void)
{
    static const struct {
        const char *json, *message;
    } cases[] = {
        {"", "invalid JSON at line 1, column 1"},
        {"[]", "profile: expected an object, got an array"},
        {"{} trailing", "invalid JSON at line 1, column 4"},
        {"{}", "defaultAction: required"},
        {"{\"defaultAction\": 1}", "defaultAction: expected a string, got a number"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":-1}",
         "defaultErrnoRet: expected a non-negative integer, got -1"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":{}}",
         "syscalls: expected an array, got an object"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"action\":\"SCMP_ACT_ERRNO\"}]}",
         "syscalls[0]: a rule needs \"names\""},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"]}]}",
         "syscalls[0].action: required"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"name\":\"read\",\"names\":"
         "[\"write\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
         "syscalls[0]: use either \"name\" or \"names\", not both"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\",7],"
         "\"action\":\"SCMP_ACT_ERRNO\"}]}",
         "syscalls[0].names[1]: expected a string, got a number"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
         "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":70000}]}",
         "syscalls[0].errnoRet: 70000 is out of range (0..4095)"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
         "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":1.5,\"op\":"
         "\"SCMP_CMP_EQ\"}]}]}",
         "syscalls[0].args[0].value: expected a non-negative integer, got 1.5"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
         "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
         "syscalls[0].args[0].index: required"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
         "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":18446744073709551615,"
         "\"op\":\"SCMP_CMP_EQ\"}]}]}",
         "syscalls[0].args[0].value: 18446744073709551616 is out of range"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
         "\"action\":\"SCMP_ACT_ERRNO\",\"includes\":{\"minKernel\":\"four\"}}]}",
         "syscalls[0].includes.minKernel: expected a kernel version such as \"4.8\", got "
         "\"four\""},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
         "\"action\":\"SCMP_ACT_ERRNO\",\"excludes\":{\"caps\":\"CAP_SYS_ADMIN\"}}]}",
         "syscalls[0].excludes.caps: expected an array of strings, got a string"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":[{\"subArchitectures\":[]}]}",
         "archMap[0].architecture: required"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86\"],"
         "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\"}]}",
         "architectures: use either \"architectures\" or \"archMap\", not both"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err[0] = '\0';
        sp_seccomp_profile *p =
            sp_seccomp_parse(cases[i].json, strlen(cases[i].json), err, sizeof err);
        CHECK(p == NULL);
        sp_seccomp_free(p);
        if (strstr(err, cases[i].message) == NULL)
            fprintf(stderr, "  case %zu: got \"%s\", want \"%s\"\n", i, err, cases[i].message);
        CHECK(strstr(err, cases[i].message) != NULL);
    }
}

static void unknown_syscalls_are_warnings(void)
{
    sp_seccomp_profile *p = fixture("legacy-name.json");
    if (p == NULL)
        fprintf(stderr, "  %s\n", err);
    REQUIRE(p != NULL);
    REQUIRE(sp_seccomp_warning_count(p) == 2);
    CHECK_STR(sp_seccomp_warning(p, 0),
              "syscalls[1].name: unknown syscall \"no_such_syscall\" (ignored, as runc does)");
    CHECK(strstr(sp_seccomp_warning(p, 1), "syscalls[2].names[1]") != NULL);
    CHECK(sp_seccomp_warning(p, 2) == NULL);
    /* the rest of the rules still work */
    CHECK_VERDICT(p, "read", 0, "allow", 0);
    CHECK_VERDICT(p, "write", 0, "errno", EACCES);
    struct sp_seccomp_verdict v;
    CHECK(sp_seccomp_query(p, "no_such_syscall", NULL, &v, err, sizeof err) != 0);
    CHECK_STR(err, "unknown syscall \"no_such_syscall\"");
    CHECK(sp_seccomp_query(p, "socketcall", NULL, &v, err, sizeof err) != 0);
    CHECK(strstr(err, "is not a syscall on") != NULL);
    sp_seccomp_free(p);
}

static void json_round_trip(void)
{
    const char *files[] = {DOCKER_2010, DOCKER_NEWEST};
    for (size_t i = 0; i < 2; i++) {
        sp_seccomp_profile *p = docker_profile(files[i]);
        REQUIRE(p != NULL);
        char *first = sp_seccomp_to_json(p);
        REQUIRE(first != NULL);
        CHECK(strchr(first, '\n') == NULL && strstr(first, ": ") == NULL); /* compact */
        sp_seccomp_profile *again = sp_seccomp_parse(first, strlen(first), err, sizeof err);
        REQUIRE(again != NULL);
        char *second = sp_seccomp_to_json(again);
        CHECK_STR(second, first);
        CHECK_INT(count_disagreements(again), 0);
        free(first);
        free(second);
        sp_seccomp_free(again);
        sp_seccomp_free(p);
    }
    /* the legacy "name" comes back as "names"; errnoRet and architectures are kept */
    sp_seccomp_profile *p = fixture("legacy-name.json");
    REQUIRE(p != NULL);
    char *json = sp_seccomp_to_json(p);
    CHECK(strstr(json, "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}") != NULL);
    CHECK(strstr(json, "\"errnoRet\":13") != NULL);
    CHECK(strstr(json, "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"]") != NULL);
    free(json);
    sp_seccomp_free(p);
    p = fixture("runc-semantics.json");
    REQUIRE(p != NULL);
    json = sp_seccomp_to_json(p);
    CHECK(strstr(json, "\"defaultErrnoRet\":38") != NULL);
    CHECK(strstr(json, "{\"index\":2,\"value\":3,\"valueTwo\":1,\"op\":\"SCMP_CMP_MASKED_EQ\"}") != NULL);
    CHECK(strstr(json, "\"includes\":{\"minKernel\":\"5.9\"}") != NULL);
    free(json);
    sp_seccomp_free(p);
}

static void changes_hold_for_any_capabilities(void)
{
    sp_seccomp_profile *p = docker_2010();
    REQUIRE(p != NULL);
    const char *fork_names[] = {"fork", "vfork"}, *clone3[] = {"clone3"}, *mount[] = {"mount"};
    REQUIRE(sp_seccomp_deny(p, fork_names, 2, EPERM, err, sizeof err) == 0);
    REQUIRE(sp_seccomp_deny(p, clone3, 1, ENOSYS, err, sizeof err) == 0);
    REQUIRE(sp_seccomp_deny_clone_without_thread(p, err, sizeof err) == 0);
    REQUIRE(sp_seccomp_deny(p, mount, 1, EPERM, err, sizeof err) == 0);
    const char *all[] = {"CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_CHOWN"};
    for (size_t caps = 0; caps <= 3; caps += 3) {
        sp_seccomp_set_capabilities(p, all, caps);
        CHECK_VERDICT(p, "fork", 0, "errno", EPERM);
        CHECK_VERDICT(p, "vfork", 0, "errno", EPERM);
        CHECK_VERDICT(p, "clone3", 0, "errno", ENOSYS);
        CHECK_VERDICT(p, "clone", FORK_FLAGS, "errno", EPERM);
        CHECK_VERDICT(p, "clone", CLONE_NEWNS_FLAG, "errno", EPERM);
        CHECK_VERDICT(p, "clone", CLONE_THREAD_FLAGS, "allow", 0);
        CHECK_VERDICT(p, "mount", 0, "errno", EPERM);
        CHECK_VERDICT(p, "read", 0, "allow", 0);
        CHECK_INT(count_disagreements(p), 0);
    }
    /* the deciding rule is the one the change appended */
    size_t n;
    const char **names = sp_seccomp_active_syscalls(p, &n);
    free(names);
    CHECK(ask(p, "clone", CLONE_THREAD_FLAGS).rule > 14);
    char *json = sp_seccomp_to_json(p);
    CHECK(strstr(json, "\"names\":[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38") != NULL);
    free(json);

    /* allow and remove */
    REQUIRE(sp_seccomp_allow(p, mount, 1, err, sizeof err) == 0);
    CHECK_VERDICT(p, "mount", 0, "allow", 0);
    const char *read_name[] = {"read"};
    REQUIRE(sp_seccomp_remove(p, read_name, 1, err, sizeof err) == 0);
    CHECK_VERDICT(p, "read", 0, "errno", EPERM);
    CHECK(sp_seccomp_deny(p, read_name, 0, EPERM, err, sizeof err) != 0);
    CHECK_STR(err, "no syscall names given");
    CHECK(sp_seccomp_deny(p, read_name, 1, 5000, err, sizeof err) != 0);
    CHECK(strstr(err, "out of range") != NULL);
    const char *typo[] = {"forkk"};
    REQUIRE(sp_seccomp_deny(p, typo, 1, EPERM, err, sizeof err) == 0);
    CHECK(sp_seccomp_warning_count(p) == 1 && strstr(sp_seccomp_warning(p, 0), "forkk") != NULL);

    /* a copy is independent */
    sp_seccomp_profile *copy = sp_seccomp_copy(p);
    REQUIRE(copy != NULL);
    REQUIRE(sp_seccomp_allow(copy, fork_names, 2, err, sizeof err) == 0);
    CHECK_VERDICT(copy, "fork", 0, "allow", 0);
    CHECK_VERDICT(p, "fork", 0, "errno", EPERM);
    CHECK_INT(sp_seccomp_capability_count(copy), sp_seccomp_capability_count(p));
    sp_seccomp_free(copy);
    sp_seccomp_free(p);
}

static void allow_only_arg0_allows_the_values_alone(void)
{
    sp_seccomp_profile *p = docker_2010();
    REQUIRE(p != NULL);
    const char *socket_names[] = {"socket", "socketpair"};
    const uint64_t families[] = {1, 2, 10};
    REQUIRE(sp_seccomp_allow_only_arg0(p, socket_names, 2, families, 3, err, sizeof err) == 0);
    const char *all[] = {"CAP_SYS_ADMIN", "CAP_NET_RAW"};
    for (size_t caps = 0; caps <= 2; caps += 2) {
        sp_seccomp_set_capabilities(p, all, caps);
        CHECK_VERDICT(p, "socket", 1, "allow", 0);
        CHECK_VERDICT(p, "socket", 2, "allow", 0);
        CHECK_VERDICT(p, "socketpair", 10, "allow", 0);
        CHECK_VERDICT(p, "socket", 40, "errno", EPERM); /* AF_VSOCK */
        CHECK_VERDICT(p, "socket", 16, "errno", EPERM); /* AF_NETLINK */
        CHECK_VERDICT(p, "socket", 0, "errno", EPERM);
        CHECK_INT(count_disagreements(p), 0);
    }
    /* the JSON keeps one EQ rule per value and survives a round trip */
    char *json = sp_seccomp_to_json(p);
    REQUIRE(json != NULL);
    CHECK(strstr(json, "{\"index\":0,\"value\":40") == NULL);
    CHECK(strstr(json, "{\"index\":0,\"value\":10,\"valueTwo\":0,\"op\":\"SCMP_CMP_EQ\"}") != NULL);
    sp_seccomp_profile *back = sp_seccomp_parse(json, strlen(json), err, sizeof err);
    REQUIRE(back != NULL);
    CHECK_VERDICT(back, "socket", 40, "errno", EPERM);
    CHECK_VERDICT(back, "socket", 2, "allow", 0);
    sp_seccomp_free(back);
    free(json);
    /* misuse */
    CHECK(sp_seccomp_allow_only_arg0(p, socket_names, 2, families, 0, err, sizeof err) != 0);
    CHECK_STR(err, "no allowed values given");
    CHECK(sp_seccomp_allow_only_arg0(p, socket_names, 0, families, 3, err, sizeof err) != 0);
    sp_seccomp_free(p);
}

static void bpf_and_pfc_export(void)
{
    sp_seccomp_profile *p = fixture("runc-semantics.json");
    REQUIRE(p != NULL);
    void *bpf = NULL;
    size_t len = 0;
    REQUIRE(sp_seccomp_export_bpf(p, &bpf, &len, err, sizeof err) == 0);
    CHECK(len > 0 && len % sizeof(struct sock_filter) == 0);
    free(bpf);
    char *pfc = sp_seccomp_export_pfc(p, err, sizeof err);
    REQUIRE(pfc != NULL);
    CHECK(strstr(pfc, "pseudo filter code") != NULL);
    /* archMap: the native entry's sub-architectures are in the filter */
    if (strcmp(sp_seccomp_native_arch(), "x86_64") == 0) {
        CHECK(strstr(pfc, "filter for arch x86_64") != NULL);
        CHECK(strstr(pfc, "filter for arch x86 ") != NULL);
        CHECK(strstr(pfc, "filter for arch x32") != NULL);
        CHECK(strstr(pfc, "filter for arch aarch64") == NULL);
    }
    free(pfc);
    sp_seccomp_free(p);

    /* an unknown sub-architecture of the native one is a compile error */
    char json[256];
    snprintf(json, sizeof json,
             "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":[{\"architecture\":"
             "\"SCMP_ARCH_%s\",\"subArchitectures\":[\"SCMP_ARCH_VAX\"]}]}",
             strcmp(sp_seccomp_native_arch(), "x86_64") == 0 ? "X86_64" : "AARCH64");
    p = sp_seccomp_parse(json, strlen(json), err, sizeof err);
    REQUIRE(p != NULL);
    CHECK(sp_seccomp_warning_count(p) == 1 && strstr(sp_seccomp_warning(p, 0), "SCMP_ARCH_VAX"));
    CHECK(sp_seccomp_export_bpf(p, &bpf, &len, err, sizeof err) != 0);
    CHECK_STR(err, "unknown architecture \"SCMP_ARCH_VAX\"");
    sp_seccomp_free(p);
}

static void errno_names(void)
{
    CHECK_INT(sp_seccomp_errno_from_name("EPERM"), EPERM);
    CHECK_INT(sp_seccomp_errno_from_name("ENOSYS"), ENOSYS);
    CHECK_INT(sp_seccomp_errno_from_name("ENOPE"), -1);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(both_real_profiles_load),
        UNIT_TEST(docker_default_answers),
        UNIT_TEST(capabilities_select_rules),
        UNIT_TEST(model_agrees_with_compiled_filter),
        UNIT_TEST(runc_and_libseccomp_semantics),
        UNIT_TEST(malformed_profiles_name_the_field),
        UNIT_TEST(malformed_text_name_the_field),
        UNIT_TEST(unknown_syscalls_are_warnings),
        UNIT_TEST(json_round_trip),
        UNIT_TEST(changes_hold_for_any_capabilities),
        UNIT_TEST(allow_only_arg0_allows_the_values_alone),
        UNIT_TEST(bpf_and_pfc_export),
        UNIT_TEST(errno_names),
    };
    return UNIT_RUN(tests);
}

/* Fuzzes the seccomp profile loader: any input either fails with a message or
 * gives a profile whose JSON parses back to the same JSON, whose changes and
 * queries work, and whose model agrees with its compiled filter. */
#include "sandprobe/seccomp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Compiling is the slow part; skip it for inputs with very many rules. */
#define MAX_COMPILED_INPUT 4096

static void must(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "invariant broken: %s\n", what);
        abort();
    }
}

static void check_round_trip(const sp_seccomp_profile *p)
{
    char err[512];
    char *first = sp_seccomp_to_json(p);
    must(first != NULL, "to_json");
    sp_seccomp_profile *again = sp_seccomp_parse(first, strlen(first), err, sizeof err);
    must(again != NULL, "exported JSON parses");
    char *second = sp_seccomp_to_json(again);
    must(second != NULL && strcmp(first, second) == 0, "JSON round trip is stable");
    free(first);
    free(second);
    sp_seccomp_free(again);
}

static void check_queries(sp_seccomp_profile *p)
{
    static const char *const names[] = {"read", "clone", "personality", "socket", "mount"};
    static const unsigned long long samples[][SP_SECCOMP_MAX_ARGS] = {
        {0}, {1, 2, 3, 4, 5, 6}, {0x10000}, {~0ull, ~0ull}};
    char err[512];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++) {
            struct sp_seccomp_verdict model, filter;
            const uint64_t *args = (const uint64_t *)samples[s];
            if (sp_seccomp_evaluate(p, names[i], args, &model, err, sizeof err) != 0)
                continue;
            if (sp_seccomp_query(p, names[i], args, &filter, err, sizeof err) != 0)
                return; /* libseccomp refused the profile: a reported error */
            must(model.action == filter.action && model.data == filter.data,
                 "model and compiled filter agree");
        }
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char err[512];
    sp_seccomp_profile *p = sp_seccomp_parse((const char *)data, size, err, sizeof err);
    if (p == NULL) {
        must(err[0] != '\0', "a failed parse says why");
        return 0;
    }
    check_round_trip(p);
    if (size <= MAX_COMPILED_INPUT) {
        check_queries(p);
        const char *const clone3[] = {"clone3"};
        must(sp_seccomp_deny(p, clone3, 1, ENOSYS, err, sizeof err) == 0, "deny");
        must(sp_seccomp_deny_clone_without_thread(p, err, sizeof err) == 0, "deny clone");
        check_queries(p);
        check_round_trip(p);
    }
    sp_seccomp_free(p);
    return 0;
}

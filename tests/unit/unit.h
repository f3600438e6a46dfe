/* A minimal unit-test harness: CHECK records a failure and goes on,
 * REQUIRE stops the test function. unit_main() runs every test and ends with
 * the line "N passed, N failed" that CI tooling reads; exit status 1 on any failure. */
#ifndef SANDPROBE_UNIT_H
#define SANDPROBE_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_failures_in_test;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "  %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                    \
            unit_failures_in_test++;                                           \
        }                                                                      \
    } while (0)

#define REQUIRE(cond)                                                            \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "  %s:%d: REQUIRE failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                      \
            unit_failures_in_test++;                                             \
            return;                                                              \
        }                                                                        \
    } while (0)

#define CHECK_STR(got, want)                                                         \
    do {                                                                             \
        const char *unit_got_ = (got), *unit_want_ = (want);                         \
        if (unit_got_ == NULL || strcmp(unit_got_, unit_want_) != 0) {               \
            fprintf(stderr, "  %s:%d: CHECK_STR failed: %s\n    got:  %s\n    want: %s\n", \
                    __FILE__, __LINE__, #got, unit_got_ ? unit_got_ : "(null)",      \
                    unit_want_);                                                     \
            unit_failures_in_test++;                                                 \
        }                                                                            \
    } while (0)

#define CHECK_INT(got, want)                                                        \
    do {                                                                            \
        long long unit_got_ = (long long)(got), unit_want_ = (long long)(want);     \
        if (unit_got_ != unit_want_) {                                              \
            fprintf(stderr, "  %s:%d: CHECK_INT failed: %s = %lld, want %lld\n",    \
                    __FILE__, __LINE__, #got, unit_got_, unit_want_);               \
            unit_failures_in_test++;                                                \
        }                                                                           \
    } while (0)

struct unit_test {
    const char *name;
    void (*fn)(void);
};

#define UNIT_TEST(fn) { #fn, fn }

static inline int unit_main(const struct unit_test *tests, size_t count)
{
    int passed = 0, failed = 0;
    for (size_t i = 0; i < count; i++) {
        unit_failures_in_test = 0;
        tests[i].fn();
        if (unit_failures_in_test == 0) {
            passed++;
            printf("ok   %s\n", tests[i].name);
        } else {
            failed++;
            printf("FAIL %s\n", tests[i].name);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#define UNIT_RUN(tests) unit_main((tests), sizeof(tests) / sizeof((tests)[0]))

#endif

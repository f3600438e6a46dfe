/* The thread's deadline shortens waits to what is left of it, and belongs to
 * the thread that set it. */
#include "sandprobe/clock.h"
#include "sandprobe/deadline.h"
#include "unit.h"

#include <pthread.h>

static void no_deadline_keeps_the_timeout(void)
{
    sp_deadline_set(0);
    int capped = 1;
    CHECK(sp_deadline_cap_ms(60000, &capped) == 60000);
    CHECK(capped == 0);
}

static void a_near_deadline_shortens_the_timeout(void)
{
    sp_deadline_set(sp_clock_monotonic() + 2);
    int capped = 0;
    long ms = sp_deadline_cap_ms(60000, &capped);
    CHECK(capped == 1);
    CHECK(ms > 1500 && ms <= 2000);
    /* A shorter timeout than the deadline stays as it is. */
    CHECK(sp_deadline_cap_ms(500, &capped) == 500);
    CHECK(capped == 0);
    sp_deadline_set(0);
}

static void a_passed_deadline_leaves_nothing(void)
{
    sp_deadline_set(sp_clock_monotonic() - 1);
    int capped = 0;
    CHECK(sp_deadline_cap_ms(60000, &capped) == 0);
    CHECK(capped == 1);
    sp_deadline_set(0);
}

static void *read_deadline(void *out)
{
    *(double *)out = sp_deadline_get();
    return NULL;
}

static void another_thread_has_its_own(void)
{
    sp_deadline_set(sp_clock_monotonic() + 5);
    double seen = -1;
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, read_deadline, &seen) == 0);
    pthread_join(t, NULL);
    CHECK(seen == 0);
    CHECK(sp_deadline_get() > 0);
    sp_deadline_set(0);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(no_deadline_keeps_the_timeout),
        UNIT_TEST(a_near_deadline_shortens_the_timeout),
        UNIT_TEST(a_passed_deadline_leaves_nothing),
        UNIT_TEST(another_thread_has_its_own),
    };
    return UNIT_RUN(tests);
}

/* The engine's clock: wall seconds agree with time(), monotonic seconds never
 * go back and advance with a real sleep. */
#include "sandprobe/clock.h"
#include "unit.h"

#include <time.h>

static void wall_is_seconds_since_the_epoch(void)
{
    time_t before = time(NULL);
    double wall = sp_clock_wall();
    time_t after = time(NULL);
    CHECK(wall >= (double)before && wall < (double)after + 1);
}

static void wall_has_fractions(void)
{
    /* Two readings a few milliseconds apart differ: whole seconds would not. */
    double a = sp_clock_wall();
    struct timespec pause = {0, 5 * 1000 * 1000};
    nanosleep(&pause, NULL);
    double b = sp_clock_wall();
    CHECK(b > a);
    CHECK(b - a < 1);
}

static void monotonic_advances_with_a_sleep(void)
{
    double a = sp_clock_monotonic();
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
    double b = sp_clock_monotonic();
    CHECK(b - a >= 0.02);
    double previous = b;
    for (int i = 0; i < 1000; i++) {
        double now = sp_clock_monotonic();
        CHECK(now >= previous);
        previous = now;
    }
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(wall_is_seconds_since_the_epoch),
        UNIT_TEST(wall_has_fractions),
        UNIT_TEST(monotonic_advances_with_a_sleep),
    };
    return UNIT_RUN(tests);
}

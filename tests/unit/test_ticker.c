/* sp_ticker: a wait that lasts its interval, ends at once when stopped, and
 * says whether to go on; sp_monotonic_deadline's carry into seconds. */
#include "sandprobe/clock.h"
#include "sandprobe/ticker.h"
#include "unit.h"

static void deadline_carries_nanoseconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    struct timespec d = sp_monotonic_deadline(1.75);
    CHECK(d.tv_nsec >= 0 && d.tv_nsec < 1000000000L);
    double delta = (double)(d.tv_sec - now.tv_sec) + (double)(d.tv_nsec - now.tv_nsec) / 1e9;
    CHECK(delta >= 1.75 && delta < 1.85);
}

static void wait_lasts_the_interval(void)
{
    struct sp_ticker t;
    REQUIRE(sp_ticker_init(&t) == 0);
    pthread_mutex_lock(&t.lock);
    double started = sp_clock_monotonic();
    bool go_on = sp_ticker_wait_locked(&t, 0.05);
    double waited = sp_clock_monotonic() - started;
    pthread_mutex_unlock(&t.lock);
    CHECK(go_on);
    CHECK(waited >= 0.05);
    sp_ticker_destroy(&t);
}

static void *stop_soon(void *arg)
{
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
    sp_ticker_stop(arg);
    return NULL;
}

static void stop_ends_a_long_wait(void)
{
    struct sp_ticker t;
    REQUIRE(sp_ticker_init(&t) == 0);
    pthread_t stopper;
    pthread_mutex_lock(&t.lock);
    REQUIRE(pthread_create(&stopper, NULL, stop_soon, &t) == 0);
    double started = sp_clock_monotonic();
    bool go_on = sp_ticker_wait_locked(&t, 30); /* would be 30 s without the stop */
    double waited = sp_clock_monotonic() - started;
    pthread_mutex_unlock(&t.lock);
    pthread_join(stopper, NULL);
    CHECK(!go_on);
    CHECK(waited < 5);
    /* Stopped stays stopped: the next wait returns at once. */
    pthread_mutex_lock(&t.lock);
    CHECK(!sp_ticker_wait_locked(&t, 30));
    pthread_mutex_unlock(&t.lock);
    sp_ticker_destroy(&t);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(deadline_carries_nanoseconds),
        UNIT_TEST(wait_lasts_the_interval),
        UNIT_TEST(stop_ends_a_long_wait),
    };
    return UNIT_RUN(tests);
}

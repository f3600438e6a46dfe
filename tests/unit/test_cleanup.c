/* Clean-up hooks: run once, newest first, from whoever asks first; the
 * signal state before any signal. (Signals themselves are tested against
 * the real binary: tests/integration/test_docker_signals.sh.) */
#include "sandprobe/cleanup.h"
#include "unit.h"

static char order[16];
static size_t ran;

static void hook(void *arg)
{
    if (ran < sizeof order - 1)
        order[ran++] = *(const char *)arg;
}

static void hooks_run_once_newest_first(void)
{
    static const char a = 'a', b = 'b', c = 'c';
    REQUIRE(sp_cleanup_register(hook, (void *)&a) == 0);
    REQUIRE(sp_cleanup_register(hook, (void *)&b) == 0);
    REQUIRE(sp_cleanup_register(hook, (void *)&c) == 0);
    CHECK_INT(sp_cleanup_signal_received(), 0);
    sp_cleanup_run();
    CHECK_STR(order, "cba");
    sp_cleanup_run(); /* later calls do nothing */
    CHECK_STR(order, "cba");
}

static void wait_without_signal_times_out(void)
{
    CHECK_INT(sp_cleanup_wait_for_signal(0.01), 0);
    CHECK_INT(sp_cleanup_signal_received(), 0);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(hooks_run_once_newest_first),
        UNIT_TEST(wait_without_signal_times_out),
    };
    return UNIT_RUN(tests);
}

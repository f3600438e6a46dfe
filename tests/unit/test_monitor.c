/* The resource monitor: host readers on fixtures, the thread's start/stop,
 * tracking containers (cgroup fixture trees) and the sink callbacks. */
#include "sandprobe/monitor.h"
#include "unit.h"

#include <time.h>

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define MISSING_ID "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static char path_buf[3][PATH_MAX];

static const char *fixture(int slot, const char *rel)
{
    const char *base = getenv("SANDPROBE_FIXTURES");
    snprintf(path_buf[slot], PATH_MAX, "%s/%s", base ? base : "tests/fixtures", rel);
    return path_buf[slot];
}

struct counting_sink {
    int host_calls, container_calls, gone_calls;
    char last_gone[65];
    uint64_t last_usage;
};

static void count_host(void *ctx, const struct sp_host_sample *s)
{
    struct counting_sink *c = ctx;
    if (s->memory_present)
        c->host_calls++;
}

static void count_container(void *ctx, const char *id, const struct sp_cgroup_stats *s)
{
    struct counting_sink *c = ctx;
    (void)id;
    c->container_calls++;
    c->last_usage = s->memory_usage_bytes.value;
}

static void count_gone(void *ctx, const char *id)
{
    struct counting_sink *c = ctx;
    c->gone_calls++;
    snprintf(c->last_gone, sizeof c->last_gone, "%s", id);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Waits (at most 5 s) until the thread has done `cycles` cycles. */
static unsigned long wait_for_cycles(struct sp_monitor *m, unsigned long cycles)
{
    struct sp_monitor_snapshot snap;
    for (int i = 0; i < 500; i++) {
        sp_monitor_latest(m, &snap);
        sp_monitor_snapshot_free(&snap);
        if (snap.cycles >= cycles)
            return snap.cycles;
        sleep_ms(10);
    }
    return snap.cycles;
}

static void test_read_host_fixture(void)
{
    struct sp_host_sample s;
    CHECK_INT(sp_monitor_read_host(fixture(0, "monitor/proc"), &s), 0);
    CHECK(s.memory_present);
    CHECK_INT(s.memory_total_bytes, 8048576ULL * 1024);
    CHECK_INT(s.memory_available_bytes, 4024288ULL * 1024);
    CHECK(s.load_present);
    CHECK(s.load1 > 0.51 && s.load1 < 0.53);
    CHECK(s.load15 > 0.20 && s.load15 < 0.22);
    CHECK(s.time > 1e9);
}

static void test_read_host_broken_and_real(void)
{
    struct sp_host_sample s;
    CHECK_INT(sp_monitor_read_host(fixture(0, "monitor/broken"), &s), -1);
    CHECK(!s.memory_present); /* MemAvailable missing */
    CHECK(!s.load_present);
    CHECK_INT(sp_monitor_read_host(NULL, &s), 0); /* this host's /proc */
    CHECK(s.memory_total_bytes >= s.memory_available_bytes);
    CHECK(s.memory_available_bytes > 0);
}

static void test_start_stop_without_work(void)
{
    char err[256];
    struct sp_monitor_config cfg = {.interval_seconds = 3600};
    struct sp_monitor *m = sp_monitor_start(&cfg, err, sizeof err);
    REQUIRE(m != NULL);
    CHECK(wait_for_cycles(m, 1) >= 1); /* the first cycle runs at once */
    /* stop must not wait for the hour-long interval */
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    sp_monitor_stop(m);
    clock_gettime(CLOCK_MONOTONIC, &b);
    CHECK(b.tv_sec - a.tv_sec < 2);
    sp_monitor_stop(NULL);
}

static void test_bad_interval(void)
{
    char err[256] = "";
    struct sp_monitor_config cfg = {.interval_seconds = 0.0001};
    CHECK(sp_monitor_start(&cfg, err, sizeof err) == NULL);
    CHECK(strstr(err, "interval") != NULL);
}

static void test_tracks_containers_and_feeds_sink(void)
{
    struct counting_sink counts = {0};
    struct sp_monitor_config cfg = {
        .interval_seconds = 0.01,
        .cgroup_root = fixture(0, "cgroup/v1-cgroupfs"),
        .proc_root = fixture(1, "monitor/proc"),
        .sink = {count_host, count_container, count_gone, &counts},
    };
    char err[256];
    struct sp_monitor *m = sp_monitor_start(&cfg, err, sizeof err);
    REQUIRE(m != NULL);
    CHECK_INT(sp_monitor_track(m, "not-an-id", 1), -1);
    CHECK_INT(sp_monitor_track(m, ID, 0), 0);
    CHECK_INT(sp_monitor_track(m, MISSING_ID, 0), 0);
    CHECK_INT(sp_monitor_track(m, ID, 0), 0); /* again: still one entry */
    unsigned long start = wait_for_cycles(m, 1);
    CHECK(wait_for_cycles(m, start + 3) >= start + 3);

    struct sp_monitor_snapshot snap;
    REQUIRE(sp_monitor_latest(m, &snap) == 0);
    CHECK_INT(snap.count, 2);
    CHECK_INT(snap.host.memory_total_bytes, 8048576ULL * 1024);
    for (size_t i = 0; i < snap.count; i++) {
        const struct sp_monitor_container *c = &snap.containers[i];
        if (strcmp(c->id, ID) == 0) {
            CHECK(c->sampled);
            CHECK_STR(c->error, "");
            CHECK_INT(c->stats.memory_usage_bytes.value, 2859008);
            CHECK_INT(c->stats.cpu_usage_ns.value, 1500000000);
        } else {
            CHECK_STR(c->id, MISSING_ID);
            CHECK(!c->sampled);
            CHECK(strstr(c->error, "not found") != NULL);
        }
    }
    sp_monitor_snapshot_free(&snap);

    sp_monitor_untrack(m, ID);
    sp_monitor_untrack(m, ID); /* unknown now: ignored */
    sp_monitor_sample_now(m);
    REQUIRE(sp_monitor_latest(m, &snap) == 0);
    CHECK_INT(snap.count, 1);
    sp_monitor_snapshot_free(&snap);
    sp_monitor_stop(m);

    CHECK(counts.host_calls >= 4);
    CHECK(counts.container_calls >= 3);
    CHECK_INT(counts.last_usage, 2859008);
    CHECK_INT(counts.gone_calls, 1);
    CHECK_STR(counts.last_gone, ID);
}

static void test_default_sink(void)
{
    struct counting_sink counts = {0};
    struct sp_monitor_sink sink = {count_host, NULL, NULL, &counts};
    sp_monitor_set_default_sink(&sink);
    CHECK(sp_monitor_default_sink().ctx == &counts);
    sp_monitor_set_default_sink(NULL);
    CHECK(sp_monitor_default_sink().host == NULL);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(test_read_host_fixture),
        UNIT_TEST(test_read_host_broken_and_real),
        UNIT_TEST(test_start_stop_without_work),
        UNIT_TEST(test_bad_interval),
        UNIT_TEST(test_tracks_containers_and_feeds_sink),
        UNIT_TEST(test_default_sink),
    };
    return UNIT_RUN(tests);
}

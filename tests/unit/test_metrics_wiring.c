/* The wiring of the engine to its metrics: the
 * monitor sink recording into the catalogue (a real monitor on cgroup
 * fixtures), the alert lookup over a registry, the background alert
 * evaluator, and sp_cleanup_wait_for_signal. */
#include "sandprobe/cleanup.h"
#include "sandprobe/clock.h"
#include "sandprobe/docker.h"
#include "sandprobe/metrics_catalogue.h"
#include "sandprobe/alert_loop.h"
#include "sandprobe/metrics_observers.h"
#include "unit.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static const char *fixture(char *buf, const char *rel)
{
    const char *base = getenv("SANDPROBE_FIXTURES");
    snprintf(buf, PATH_MAX, "%s/%s", base ? base : "tests/fixtures", rel);
    return buf;
}

static double read_value(enum sp_catalogue_metric id, const char *label)
{
    const char *values[] = {label};
    double v = -1;
    sp_metric_read(sp_catalogue(id), label ? values : NULL, &v, NULL);
    return v;
}

static void test_monitor_sink_records_into_catalogue(void)
{
    char root[PATH_MAX], proc[PATH_MAX];
    struct sp_monitor_config cfg = {
        .interval_seconds = 0.01,
        .cgroup_root = fixture(root, "cgroup/v1-cgroupfs"),
        .proc_root = fixture(proc, "monitor/proc"),
        .sink = sp_metrics_monitor_sink(),
    };
    double samples_before = read_value(SP_M_MONITOR_SAMPLES, NULL);
    char err[256];
    struct sp_monitor *m = sp_monitor_start(&cfg, err, sizeof err);
    REQUIRE(m != NULL);
    REQUIRE(sp_monitor_track(m, ID, 0) == 0);
    double deadline = sp_clock_monotonic() + 5;
    while (read_value(SP_M_CONTAINER_MEMORY_USAGE, "0123456789ab") <= 0 && sp_clock_monotonic() < deadline)
        sleep_ms(5);
    CHECK(read_value(SP_M_HOST_MEMORY_AVAILABLE, NULL) == 4024288.0 * 1024);
    CHECK(fabs(read_value(SP_M_HOST_LOAD1, NULL) - 0.52) < 1e-9);
    CHECK(read_value(SP_M_MONITOR_SAMPLES, NULL) >= samples_before + 1);
    CHECK(read_value(SP_M_CONTAINER_MEMORY_USAGE, "0123456789ab") == 2859008);
    CHECK(read_value(SP_M_CONTAINER_CPU_SECONDS, "0123456789ab") == 1.5);

    size_t len = 0;
    char *text = sp_metrics_expose(sp_metrics_default(), SP_METRICS_PROMETHEUS, &len);
    REQUIRE(text != NULL);
    CHECK(strstr(text, "sandprobe_container_memory_usage_bytes{container=\"0123456789ab\"} 2.859008e+06\n") != NULL);
    free(text);

    sp_monitor_untrack(m, ID);
    sp_monitor_stop(m);
    text = sp_metrics_expose(sp_metrics_default(), SP_METRICS_PROMETHEUS, &len);
    REQUIRE(text != NULL);
    CHECK(strstr(text, "container=\"0123456789ab\"") == NULL); /* series removed */
    free(text);
}

/* A registry of its own with the catalogue and one labelled family. */
static sp_metrics_registry *test_registry(void)
{
    sp_metrics_registry *reg = sp_metrics_registry_new();
    char err[256];
    if (reg == NULL || sp_metrics_declare_catalogue(reg, err, sizeof err) != 0)
        return NULL;
    static const char *const labels[] = {"pool", "zone"};
    struct sp_metric_desc d = {.type = SP_METRIC_GAUGE, .name = "test_queue", .help = "q",
                               .label_names = labels, .label_count = 2};
    if (sp_metrics_register(reg, &d, err, sizeof err) == NULL)
        return NULL;
    return reg;
}

static void test_alert_lookup(void)
{
    sp_metrics_registry *reg = test_registry();
    REQUIRE(reg != NULL);
    const char *v[] = {"a\"b", "z"};
    sp_metric_gauge_set(sp_metrics_find(reg, "test_queue"), v, 7);
    sp_metric_gauge_set(sp_metrics_find(reg, "sandprobe_host_load1"), NULL, 2.5);
    const char *pack[] = {"seed"};
    sp_metric_histogram_observe(sp_metrics_find(reg, "sandprobe_scenario_duration_seconds"), pack, 0.25);
    sp_metric_counter_add(sp_metrics_find(reg, "sandprobe_orphans_swept"), NULL, 3);

    double x = -1;
    CHECK_INT(sp_metrics_alert_lookup(reg, "sandprobe_host_load1", &x), 0);
    CHECK(x == 2.5);
    CHECK_INT(sp_metrics_alert_lookup(reg, "sandprobe_orphans_swept_total", &x), 0);
    CHECK(x == 3);
    /* Labels in any order, escapes and spaces as in PromQL. */
    CHECK_INT(sp_metrics_alert_lookup(reg, "test_queue{zone=\"z\", pool=\"a\\\"b\"}", &x), 0);
    CHECK(x == 7);
    CHECK_INT(sp_metrics_alert_lookup(reg, "test_queue{pool=\"other\",zone=\"z\"}", &x), 0);
    CHECK(x == 0); /* a series never recorded reads 0, as sp_metric_read says */
    CHECK_INT(sp_metrics_alert_lookup(reg, "sandprobe_scenario_duration_seconds_count{pack=\"seed\"}", &x), 0);
    CHECK(x == 1);
    CHECK_INT(sp_metrics_alert_lookup(reg, "sandprobe_scenario_duration_seconds_sum{pack=\"seed\"}", &x), 0);
    CHECK(x == 0.25);
    /* No value: unknown family, missing/extra/unknown labels, malformed. */
    CHECK_INT(sp_metrics_alert_lookup(reg, "no_such_metric", &x), -1);
    CHECK_INT(sp_metrics_alert_lookup(reg, "sandprobe_host_load1_count", &x), -1);
    CHECK_INT(sp_metrics_alert_lookup(reg, "test_queue", &x), -1);
    CHECK_INT(sp_metrics_alert_lookup(reg, "test_queue{pool=\"a\"}", &x), -1);
    CHECK_INT(sp_metrics_alert_lookup(reg, "test_queue{pool=\"a\",region=\"z\"}", &x), -1);
    CHECK_INT(sp_metrics_alert_lookup(reg, "test_queue{pool=\"a\",zone=\"z\"", &x), -1);
    CHECK_INT(sp_metrics_alert_lookup(reg, "test_queue{pool=a,zone=\"z\"}", &x), -1);
    CHECK_INT(sp_metrics_alert_lookup(reg, "sandprobe_host_load1{} x", &x), -1);
    sp_metrics_registry_free(reg);
}

static struct sp_alerts *rules_on_load(void)
{
    struct sp_alerts *a = sp_alerts_new();
    char err[256];
    struct sp_alert_rule_spec high = {.name = "LoadHigh", .metric = "sandprobe_host_load1",
                                      .op = SP_ALERT_GT, .threshold = 4};
    struct sp_alert_rule_spec missing = {.name = "Missing", .metric = "no_such_metric",
                                         .op = SP_ALERT_GE, .threshold = 0};
    if (a == NULL || sp_alerts_add(a, &high, err, sizeof err) != 0 ||
        sp_alerts_add(a, &missing, err, sizeof err) != 0)
        return NULL;
    return a;
}

static double firing(sp_metrics_registry *reg, const char *name)
{
    const char *v[] = {name};
    double x = -1;
    sp_metric_read(sp_metrics_find(reg, "sandprobe_alerts_firing"), v, &x, NULL);
    return x;
}

static int wait_rounds(struct sp_alert_loop *loop, unsigned long want)
{
    double deadline = sp_clock_monotonic() + 5;
    while (sp_alert_loop_rounds(loop) < want && sp_clock_monotonic() < deadline)
        sleep_ms(2);
    return sp_alert_loop_rounds(loop) >= want;
}

static void test_alert_loop_evaluates_in_background(void)
{
    sp_metrics_registry *reg = test_registry();
    struct sp_alerts *a = rules_on_load();
    REQUIRE(reg != NULL && a != NULL);
    sp_metric_family *load = sp_metrics_find(reg, "sandprobe_host_load1");
    sp_metric_gauge_set(load, NULL, 1);
    /* Nobody listens on port 1: every post fails, and the loop goes on. */
    struct sp_alert_loop_config cfg = {.registry = reg, .interval_seconds = 0.01,
                                       .alertmanager_url = "http://127.0.0.1:1", .timeout_ms = 500};
    char err[256];
    struct sp_alert_loop *loop = sp_alert_loop_start(a, &cfg, err, sizeof err);
    REQUIRE(loop != NULL);
    REQUIRE(wait_rounds(loop, 2));
    CHECK(firing(reg, "LoadHigh") == 0);
    CHECK(firing(reg, "Missing") == 0); /* no value: not firing, but its series is there */
    sp_metric_gauge_set(load, NULL, 9);
    unsigned long now = sp_alert_loop_rounds(loop);
    REQUIRE(wait_rounds(loop, now + 2));
    CHECK(firing(reg, "LoadHigh") == 1);
    unsigned long sent = 99, failed = 0;
    sp_alerts_send_counts(a, &sent, &failed);
    CHECK_INT(sent, 0);
    CHECK(failed >= 1);
    sp_metric_gauge_set(load, NULL, 0.5);
    now = sp_alert_loop_rounds(loop);
    REQUIRE(wait_rounds(loop, now + 2));
    CHECK(firing(reg, "LoadHigh") == 0);
    struct sp_alert_status st;
    REQUIRE(sp_alerts_status(a, 0, &st) == 0);
    CHECK_INT(st.state, SP_ALERT_RESOLVED);

    /* Stopping does not wait for a long interval. */
    cfg.interval_seconds = 3600;
    cfg.alertmanager_url = NULL;
    struct sp_alert_loop *slow = sp_alert_loop_start(a, &cfg, err, sizeof err);
    REQUIRE(slow != NULL);
    REQUIRE(wait_rounds(slow, 1));
    double t0 = sp_clock_monotonic();
    sp_alert_loop_stop(slow);
    CHECK(sp_clock_monotonic() - t0 < 1);

    sp_alert_loop_stop(loop);
    sp_alert_loop_stop(NULL);
    sp_alerts_free(a);
    sp_metrics_registry_free(reg);
}

static void test_alert_loop_refuses_bad_config(void)
{
    char err[256] = "";
    struct sp_alerts *a = sp_alerts_new();
    REQUIRE(a != NULL);
    struct sp_alert_loop_config cfg = {.registry = sp_metrics_default(), .interval_seconds = 0.001};
    CHECK(sp_alert_loop_start(a, &cfg, err, sizeof err) == NULL);
    CHECK(strstr(err, "interval") != NULL);
    cfg.interval_seconds = 1;
    cfg.registry = NULL;
    CHECK(sp_alert_loop_start(a, &cfg, err, sizeof err) == NULL);
    sp_alerts_free(a);
}

/* Runs last: it installs signal handling for the whole process. */
static void *send_sigterm_later(void *unused)
{
    (void)unused;
    sleep_ms(100);
    kill(getpid(), SIGTERM);
    return NULL;
}

static void test_wait_for_signal(void)
{
    double t0 = sp_clock_monotonic();
    CHECK_INT(sp_cleanup_wait_for_signal(0.05), 0);
    double waited = sp_clock_monotonic() - t0;
    CHECK(waited >= 0.05 && waited < 2);

    REQUIRE(sp_cleanup_install_signal_handling() == 0);
    pthread_t sender;
    REQUIRE(pthread_create(&sender, NULL, send_sigterm_later, NULL) == 0);
    t0 = sp_clock_monotonic();
    /* The SIGTERM is handed over: the process goes on (else the test dies). */
    CHECK_INT(sp_cleanup_wait_for_signal(10), SIGTERM);
    CHECK(sp_clock_monotonic() - t0 < 5);
    pthread_join(sender, NULL);
    CHECK_INT(sp_cleanup_wait_for_signal(10), SIGTERM); /* at once, every time after */
    CHECK_INT(sp_cleanup_signal_received(), SIGTERM);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(test_monitor_sink_records_into_catalogue),
        UNIT_TEST(test_alert_lookup),
        UNIT_TEST(test_alert_loop_evaluates_in_background),
        UNIT_TEST(test_alert_loop_refuses_bad_config),
        UNIT_TEST(test_wait_for_signal),
    };
    return UNIT_RUN(tests);
}

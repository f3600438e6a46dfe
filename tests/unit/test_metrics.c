/* Unit tests of the metrics registry: validation, recording, exposition text
 * in both formats, textfile writing and concurrent updates. */
#include "sandprobe/metrics.h"
#include "unit.h"

#include <math.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

static char err[256];

static sp_metric_family *declare(sp_metrics_registry *reg, enum sp_metric_type type,
                                 const char *name, const char *help, const char *const *labels,
                                 size_t nlabels)
{
    struct sp_metric_desc d = {.type = type, .name = name, .help = help,
                               .label_names = labels, .label_count = nlabels};
    return sp_metrics_register(reg, &d, err, sizeof err);
}

static char *expose(sp_metrics_registry *reg, enum sp_metrics_format format)
{
    return sp_metrics_expose(reg, format, NULL);
}

static void test_name_validation(void)
{
    sp_metrics_registry *reg = sp_metrics_registry_new();
    const char *ok_names[] = {"a", "_x", "ns:sub_total_x", "A9_b:c"};
    for (size_t i = 0; i < 4; i++)
        CHECK(declare(reg, SP_METRIC_GAUGE, ok_names[i], "h", NULL, 0) != NULL);
    const char *bad_names[] = {"", "9a", "a-b", "a b", "__reserved", "é"};
    for (size_t i = 0; i < 6; i++) {
        err[0] = '\0';
        CHECK(declare(reg, SP_METRIC_GAUGE, bad_names[i], "h", NULL, 0) == NULL);
        CHECK(strstr(err, "invalid metric name") != NULL);
    }
    CHECK(declare(reg, SP_METRIC_GAUGE, NULL, "h", NULL, 0) == NULL);
    CHECK(declare(reg, SP_METRIC_COUNTER, "_total", "h", NULL, 0) == NULL);
    sp_metrics_registry_free(reg);
}

static void test_label_validation(void)
{
    sp_metrics_registry *reg = sp_metrics_registry_new();
    const char *colon[] = {"a:b"}, *reserved[] = {"__x"}, *dup[] = {"a", "a"}, *le[] = {"le"},
               *digit[] = {"1a"};
    CHECK(declare(reg, SP_METRIC_GAUGE, "g1", "h", colon, 1) == NULL);
    CHECK(strstr(err, "invalid label name 'a:b'") != NULL);
    CHECK(declare(reg, SP_METRIC_GAUGE, "g2", "h", reserved, 1) == NULL);
    CHECK(declare(reg, SP_METRIC_GAUGE, "g3", "h", digit, 1) == NULL);
    CHECK(declare(reg, SP_METRIC_GAUGE, "g4", "h", dup, 2) == NULL);
    CHECK(strstr(err, "duplicate label name 'a'") != NULL);
    CHECK(declare(reg, SP_METRIC_HISTOGRAM, "h1", "h", le, 1) == NULL);
    CHECK(strstr(err, "reserved for histogram") != NULL);
    /* "le" is only reserved for histograms. */
    CHECK(declare(reg, SP_METRIC_GAUGE, "g5", "h", le, 1) != NULL);
    sp_metrics_registry_free(reg);
}

static void test_redeclaration(void)
{
    sp_metrics_registry *reg = sp_metrics_registry_new();
    const char *l1[] = {"a"}, *l2[] = {"b"};
    sp_metric_family *c = declare(reg, SP_METRIC_COUNTER, "jobs_total", "Jobs.", l1, 1);
    REQUIRE(c != NULL);
    CHECK(declare(reg, SP_METRIC_COUNTER, "jobs_total", "Jobs.", l1, 1) == c);
    CHECK(declare(reg, SP_METRIC_COUNTER, "jobs", "Jobs.", l1, 1) == c);
    CHECK(declare(reg, SP_METRIC_COUNTER, "jobs", "Other help.", l1, 1) == NULL);
    CHECK(strstr(err, "already declared as a counter") != NULL);
    CHECK(declare(reg, SP_METRIC_COUNTER, "jobs", "Jobs.", l2, 1) == NULL);
    CHECK(declare(reg, SP_METRIC_GAUGE, "jobs", "Jobs.", l1, 1) == NULL);
    /* Sample names may not collide across families. */
    CHECK(declare(reg, SP_METRIC_GAUGE, "jobs_total", "x", NULL, 0) == NULL);
    CHECK(strstr(err, "clash") != NULL);
    CHECK(declare(reg, SP_METRIC_HISTOGRAM, "lat", "x", NULL, 0) != NULL);
    CHECK(declare(reg, SP_METRIC_GAUGE, "lat_bucket", "x", NULL, 0) == NULL);
    CHECK(declare(reg, SP_METRIC_COUNTER, "lat_count", "x", NULL, 0) == NULL);
    CHECK(sp_metrics_find(reg, "jobs") == c);
    CHECK(sp_metrics_find(reg, "jobs_total") == c);
    CHECK(sp_metrics_find(reg, "nope") == NULL);
    CHECK_STR(sp_metric_family_name(c), "jobs");
    CHECK_STR(sp_metric_family_label_name(c, 0), "a");
    CHECK(sp_metric_family_label_name(c, 1) == NULL);
    sp_metrics_registry_free(reg);
}

static void test_buckets_and_units(void)
{
    sp_metrics_registry *reg = sp_metrics_registry_new();
    double unsorted[] = {1, 0.5}, nan_bucket[] = {NAN}, inf_mid[] = {INFINITY, 2};
    double with_inf[] = {1, INFINITY};
    struct sp_metric_desc d = {.type = SP_METRIC_HISTOGRAM, .name = "h", .help = "x",
                               .buckets = unsorted, .bucket_count = 2};
    CHECK(sp_metrics_register(reg, &d, err, sizeof err) == NULL);
    CHECK(strstr(err, "strictly increasing") != NULL);
    d.buckets = nan_bucket, d.bucket_count = 1;
    CHECK(sp_metrics_register(reg, &d, err, sizeof err) == NULL);
    d.buckets = inf_mid, d.bucket_count = 2;
    CHECK(sp_metrics_register(reg, &d, err, sizeof err) == NULL);
    d.buckets = with_inf, d.bucket_count = 2;
    sp_metric_family *h = sp_metrics_register(reg, &d, err, sizeof err);
    REQUIRE(h != NULL);
    double just_one[] = {1};
    d.buckets = just_one, d.bucket_count = 1; /* a trailing +Inf is implicit: same family */
    CHECK(sp_metrics_register(reg, &d, err, sizeof err) == h);

    struct sp_metric_desc u = {.type = SP_METRIC_GAUGE, .name = "size", .help = "x",
                               .unit = "bytes"};
    CHECK(sp_metrics_register(reg, &u, err, sizeof err) == NULL);
    CHECK(strstr(err, "must end with _bytes") != NULL);
    u.name = "size_bytes";
    CHECK(sp_metrics_register(reg, &u, err, sizeof err) != NULL);
    sp_metrics_registry_free(reg);
}

static void test_recording_errors(void)
{
    sp_metrics_registry *reg = sp_metrics_registry_new();
    const char *labels[] = {"kind"};
    sp_metric_family *c = declare(reg, SP_METRIC_COUNTER, "c", "x", labels, 1);
    sp_metric_family *g = declare(reg, SP_METRIC_GAUGE, "g", "x", NULL, 0);
    sp_metric_family *h = declare(reg, SP_METRIC_HISTOGRAM, "h", "x", NULL, 0);
    REQUIRE(c && g && h);
    const char *v[] = {"a"}, *null_value[] = {NULL}, *bad_utf8[] = {"\xff"};
    CHECK_INT(sp_metric_counter_add(c, v, -1), SP_METRICS_EVALUE);
    CHECK_INT(sp_metric_counter_add(c, v, NAN), SP_METRICS_EVALUE);
    CHECK_INT(sp_metric_counter_add(c, NULL, 1), SP_METRICS_ELABELS);
    CHECK_INT(sp_metric_counter_add(c, null_value, 1), SP_METRICS_ELABELS);
    CHECK_INT(sp_metric_counter_add(c, bad_utf8, 1), SP_METRICS_ELABELS);
    CHECK_INT(sp_metric_gauge_set(c, v, 1), SP_METRICS_ETYPE);
    CHECK_INT(sp_metric_counter_add(g, NULL, 1), SP_METRICS_ETYPE);
    CHECK_INT(sp_metric_histogram_observe(h, NULL, NAN), SP_METRICS_EVALUE);
    CHECK_INT(sp_metric_gauge_set(g, NULL, NAN), SP_METRICS_OK); /* gauges may be NaN */
    CHECK(strstr(sp_metrics_strerror(SP_METRICS_EVALUE), "only go up") != NULL);

    double value = -1, sum = -1;
    CHECK_INT(sp_metric_counter_add(c, v, 2.5), SP_METRICS_OK);
    CHECK_INT(sp_metric_counter_advance_to(c, v, 10), SP_METRICS_OK);
    CHECK_INT(sp_metric_counter_advance_to(c, v, 4), SP_METRICS_OK); /* never goes back */
    sp_metric_read(c, v, &value, NULL);
    CHECK(value == 10);
    const char *unseen[] = {"never"};
    sp_metric_read(c, unseen, &value, NULL);
    CHECK(value == 0);
    sp_metric_histogram_observe(h, NULL, 0.2);
    sp_metric_histogram_observe(h, NULL, 3);
    sp_metric_read(h, NULL, &value, &sum);
    CHECK(value == 2 && sum == 3.2);
    CHECK_INT(sp_metric_remove(c, v), SP_METRICS_OK);
    sp_metric_read(c, v, &value, NULL);
    CHECK(value == 0);
    CHECK_INT(sp_metric_remove(c, v), SP_METRICS_OK);
    sp_metrics_registry_free(reg);
}

static void test_value_formatting(void)
{
    struct { double v; const char *want; } cases[] = {
        {0, "0"}, {-0.0, "0"}, {1, "1"}, {-1, "-1"}, {0.1, "0.1"}, {2.5, "2.5"},
        {123456, "123456"}, {1e6, "1e+06"}, {1234567, "1.234567e+06"}, {0.0001, "0.0001"},
        {0.00001, "1e-05"}, {0.00123, "0.00123"}, {1.5e-7, "1.5e-07"}, {100, "100"},
        {8589934592.0, "8.589934592e+09"}, {1e300, "1e+300"}, {-2.75, "-2.75"},
        {INFINITY, "+Inf"}, {-INFINITY, "-Inf"}, {NAN, "NaN"}, {0.005, "0.005"},
        {12.345, "12.345"}, {1.0 / 3, "0.3333333333333333"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[40];
        sp_metrics_format_value(cases[i].v, buf, sizeof buf);
        CHECK_STR(buf, cases[i].want);
    }
}

static void test_exposition_prometheus(void)
{
    sp_metrics_registry *reg = sp_metrics_registry_new();
    const char *labels[] = {"path", "code"};
    sp_metric_family *req = declare(reg, SP_METRIC_COUNTER, "http_requests", "Requests \\ served.\nBy path.",
                                    labels, 2);
    sp_metric_family *temp = declare(reg, SP_METRIC_GAUGE, "a_temperature", "Say \"hi\".", NULL, 0);
    REQUIRE(req && temp);
    const char *v1[] = {"/b", "200"}, *v2[] = {"/a\"q\"\n\\", "500"}, *v3[] = {"/a", "200"};
    sp_metric_counter_add(req, v1, 1);
    sp_metric_counter_add(req, v2, 2);
    sp_metric_counter_add(req, v3, 1);
    sp_metric_counter_add(req, v3, 0.5);
    sp_metric_gauge_set(temp, NULL, -3.5);
    char *text = expose(reg, SP_METRICS_PROMETHEUS);
    CHECK_STR(text,
              "# HELP a_temperature Say \"hi\".\n"
              "# TYPE a_temperature gauge\n"
              "a_temperature -3.5\n"
              "# HELP http_requests_total Requests \\\\ served.\\nBy path.\n"
              "# TYPE http_requests_total counter\n"
              "http_requests_total{path=\"/a\",code=\"200\"} 1.5\n"
              "http_requests_total{path=\"/a\\\"q\\\"\\n\\\\\",code=\"500\"} 2\n"
              "http_requests_total{path=\"/b\",code=\"200\"} 1\n");
    free(text);
    sp_metrics_registry_free(reg);
}

static void test_exposition_histogram(void)
{
    sp_metrics_registry *reg = sp_metrics_registry_new();
    const char *labels[] = {"op"};
    double bounds[] = {0.1, 1, 10};
    struct sp_metric_desc d = {.type = SP_METRIC_HISTOGRAM, .name = "op_duration_seconds",
                               .help = "Time.", .unit = "seconds", .label_names = labels,
                               .label_count = 1, .buckets = bounds, .bucket_count = 3};
    sp_metric_family *h = sp_metrics_register(reg, &d, err, sizeof err);
    REQUIRE(h != NULL);
    const char *v[] = {"x"};
    double samples[] = {0.05, 0.1, 0.5, 20};
    for (size_t i = 0; i < 4; i++)
        sp_metric_histogram_observe(h, v, samples[i]);
    char *text = expose(reg, SP_METRICS_PROMETHEUS);
    CHECK_STR(text,
              "# HELP op_duration_seconds Time.\n"
              "# TYPE op_duration_seconds histogram\n"
              "op_duration_seconds_bucket{op=\"x\",le=\"0.1\"} 2\n"
              "op_duration_seconds_bucket{op=\"x\",le=\"1\"} 3\n"
              "op_duration_seconds_bucket{op=\"x\",le=\"10\"} 3\n"
              "op_duration_seconds_bucket{op=\"x\",le=\"+Inf\"} 4\n"
              "op_duration_seconds_sum{op=\"x\"} 20.65\n"
              "op_duration_seconds_count{op=\"x\"} 4\n");
    free(text);
    text = expose(reg, SP_METRICS_OPENMETRICS);
    CHECK_STR(text,
              "# HELP op_duration_seconds Time.\n"
              "# TYPE op_duration_seconds histogram\n"
              "# UNIT op_duration_seconds seconds\n"
              "op_duration_seconds_bucket{op=\"x\",le=\"0.1\"} 2\n"
              "op_duration_seconds_bucket{op=\"x\",le=\"1.0\"} 3\n"
              "op_duration_seconds_bucket{op=\"x\",le=\"10.0\"} 3\n"
              "op_duration_seconds_bucket{op=\"x\",le=\"+Inf\"} 4\n"
              "op_duration_seconds_sum{op=\"x\"} 20.65\n"
              "op_duration_seconds_count{op=\"x\"} 4\n"
              "# EOF\n");
    free(text);
    sp_metrics_registry_free(reg);
}

static void test_default_buckets(void)
{
    sp_metrics_registry *reg = sp_metrics_registry_new();
    sp_metric_family *h = declare(reg, SP_METRIC_HISTOGRAM, "d", "x", NULL, 0);
    REQUIRE(h != NULL);
    char *text = expose(reg, SP_METRICS_PROMETHEUS);
    CHECK(strstr(text, "d_bucket{le=\"0.005\"} 0\n") != NULL);
    CHECK(strstr(text, "d_bucket{le=\"10\"} 0\n") != NULL);
    CHECK(strstr(text, "d_bucket{le=\"+Inf\"} 0\nd_sum 0\nd_count 0\n") != NULL);
    size_t lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    CHECK_INT(lines, 2 + SP_METRICS_DEFAULT_BUCKET_COUNT + 1 + 2);
    free(text);
    sp_metrics_registry_free(reg);
}

static void test_exposition_openmetrics(void)
{
    sp_metrics_registry *reg = sp_metrics_registry_new();
    sp_metric_family *c = declare(reg, SP_METRIC_COUNTER, "events_total", "Say \"hi\"\\.", NULL, 0);
    REQUIRE(c != NULL);
    sp_metric_counter_add(c, NULL, 3);
    char *text = expose(reg, SP_METRICS_OPENMETRICS);
    CHECK_STR(text,
              "# HELP events Say \\\"hi\\\"\\\\.\n"
              "# TYPE events counter\n"
              "events_total 3\n"
              "# EOF\n");
    free(text);
    sp_metrics_registry_free(reg);
    reg = sp_metrics_registry_new();
    text = expose(reg, SP_METRICS_OPENMETRICS);
    CHECK_STR(text, "# EOF\n");
    free(text);
    text = expose(reg, SP_METRICS_PROMETHEUS);
    CHECK_STR(text, "");
    free(text);
    sp_metrics_registry_free(reg);
}

static int collector_calls;

static void refresh_gauge(sp_metrics_registry *reg, void *arg)
{
    collector_calls++;
    sp_metric_gauge_set(sp_metrics_find(reg, arg), NULL, collector_calls);
}

static void test_collectors(void)
{
    sp_metrics_registry *reg = sp_metrics_registry_new();
    REQUIRE(declare(reg, SP_METRIC_GAUGE, "alive", "x", NULL, 0) != NULL);
    collector_calls = 0;
    CHECK_INT(sp_metrics_add_collector(reg, refresh_gauge, "alive"), 0);
    char *text = expose(reg, SP_METRICS_PROMETHEUS);
    CHECK(strstr(text, "\nalive 1\n") != NULL);
    free(text);
    text = expose(reg, SP_METRICS_PROMETHEUS);
    CHECK(strstr(text, "\nalive 2\n") != NULL);
    free(text);
    sp_metrics_remove_collector(reg, refresh_gauge, "alive");
    free(expose(reg, SP_METRICS_PROMETHEUS));
    CHECK_INT(collector_calls, 2);
    sp_metrics_registry_free(reg);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_textfile(void)
{
    char dir[] = "/tmp/sp-metrics-XXXXXX";
    REQUIRE(mkdtemp(dir) != NULL);
    sp_metrics_registry *reg = sp_metrics_registry_new();
    sp_metric_family *g = declare(reg, SP_METRIC_GAUGE, "up", "x", NULL, 0);
    sp_metric_gauge_set(g, NULL, 1);
    char path[256];
    snprintf(path, sizeof path, "%s/sandprobe.prom", dir);
    CHECK_INT(sp_metrics_write_textfile(reg, path, err, sizeof err), 0);
    CHECK_STR(read_file(path), "# HELP up x\n# TYPE up gauge\nup 1\n");
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
    sp_metric_gauge_set(g, NULL, 0);
    CHECK_INT(sp_metrics_write_textfile(reg, path, err, sizeof err), 0);
    CHECK_STR(read_file(path), "# HELP up x\n# TYPE up gauge\nup 0\n");
    /* No temporary file is left behind. */
    char cmd[300];
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 1", dir);
    CHECK(system(cmd) == 0);
    unlink(path);
    rmdir(dir);

    CHECK_INT(sp_metrics_write_textfile(reg, "/nonexistent-dir/x.prom", err, sizeof err), -1);
    CHECK(strstr(err, "No such file") != NULL);
    CHECK_INT(sp_metrics_write_textfile(reg, "/tmp/", err, sizeof err), -1);
    sp_metrics_registry_free(reg);
}

#define THREADS 4
#define ROUNDS 20000

struct hammer {
    sp_metric_family *counter, *histogram, *gauge;
    int id;
};

static void *hammer_main(void *arg)
{
    struct hammer *h = arg;
    char label[16];
    snprintf(label, sizeof label, "t%d", h->id % 2);
    const char *v[] = {label};
    for (int i = 0; i < ROUNDS; i++) {
        sp_metric_counter_add(h->counter, v, 1);
        sp_metric_histogram_observe(h->histogram, NULL, 0.5);
        sp_metric_gauge_add(h->gauge, NULL, 1);
        if (i % 5000 == 0)
            free(sp_metrics_expose(sp_metrics_default(), SP_METRICS_PROMETHEUS, NULL));
    }
    return NULL;
}

static void test_threads(void)
{
    sp_metrics_registry *reg = sp_metrics_default();
    CHECK(reg == sp_metrics_default());
    const char *labels[] = {"worker"};
    struct hammer shared = {
        .counter = declare(reg, SP_METRIC_COUNTER, "test_ops_total", "x", labels, 1),
        .histogram = declare(reg, SP_METRIC_HISTOGRAM, "test_op_seconds", "x", NULL, 0),
        .gauge = declare(reg, SP_METRIC_GAUGE, "test_level", "x", NULL, 0),
    };
    REQUIRE(shared.counter && shared.histogram && shared.gauge);
    pthread_t threads[THREADS];
    struct hammer args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = shared;
        args[i].id = i;
        REQUIRE(pthread_create(&threads[i], NULL, hammer_main, &args[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    double v0, v1, count, sum, level;
    sp_metric_read(shared.counter, (const char *[]){"t0"}, &v0, NULL);
    sp_metric_read(shared.counter, (const char *[]){"t1"}, &v1, NULL);
    sp_metric_read(shared.histogram, NULL, &count, &sum);
    sp_metric_read(shared.gauge, NULL, &level, NULL);
    CHECK(v0 == 2.0 * ROUNDS && v1 == 2.0 * ROUNDS);
    CHECK(count == THREADS * ROUNDS && sum == 0.5 * THREADS * ROUNDS);
    CHECK(level == THREADS * ROUNDS);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(test_name_validation),
        UNIT_TEST(test_label_validation),
        UNIT_TEST(test_redeclaration),
        UNIT_TEST(test_buckets_and_units),
        UNIT_TEST(test_recording_errors),
        UNIT_TEST(test_value_formatting),
        UNIT_TEST(test_exposition_prometheus),
        UNIT_TEST(test_exposition_histogram),
        UNIT_TEST(test_default_buckets),
        UNIT_TEST(test_exposition_openmetrics),
        UNIT_TEST(test_collectors),
        UNIT_TEST(test_textfile),
        UNIT_TEST(test_threads),
    };
    return UNIT_RUN(tests);
}

/* The alert manager: expression parsing, the state machine on a fake clock,
 * the Alertmanager payload, and real POSTs to a local listener
 * (libmicrohttpd), including refused connections, error statuses and a
 * listener that never answers (the timeout). */
#include "sandprobe/alerts.h"
#include "unit.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- a fake metric source ---- */

struct fake_metrics {
    double memory, load;
    bool memory_present;
    int lookups;
};

static int fake_lookup(void *ctx, const char *metric, double *value)
{
    struct fake_metrics *f = ctx;
    f->lookups++;
    if (strcmp(metric, "host_memory_available_bytes") == 0 && f->memory_present) {
        *value = f->memory;
        return 0;
    }
    if (strcmp(metric, "load{kind=\"1m\"}") == 0) {
        *value = f->load;
        return 0;
    }
    return -1;
}

static const struct sp_alert_label severity[] = {{"severity", "warning"}, {"team", "sec"}};

static struct sp_alerts *two_rules(void)
{
    struct sp_alerts *a = sp_alerts_new();
    char err[256];
    struct sp_alert_rule_spec low_memory = {
        .name = "HostMemoryLow", .metric = "host_memory_available_bytes", .op = SP_ALERT_LT,
        .threshold = 1000, .for_seconds = 30, .labels = severity, .label_count = 2,
        .summary = "host memory is low"};
    struct sp_alert_rule_spec high_load = {
        .name = "LoadHigh", .metric = "load{kind=\"1m\"}", .op = SP_ALERT_GE, .threshold = 4};
    if (a == NULL || sp_alerts_add(a, &low_memory, err, sizeof err) != 0 ||
        sp_alerts_add(a, &high_load, err, sizeof err) != 0) {
        fprintf(stderr, "  setup: %s\n", err);
        sp_alerts_free(a);
        return NULL;
    }
    return a;
}

static size_t step(struct sp_alerts *a, double now, struct fake_metrics *f,
                   struct sp_alert_transition *out)
{
    return sp_alerts_evaluate(a, now, fake_lookup, f, out, 2);
}

static void test_parse_expr(void)
{
    char metric[128], err[256];
    enum sp_alert_op op;
    double t;
    REQUIRE(sp_alert_parse_expr("mem_bytes < 1e6", metric, sizeof metric, &op, &t, err,
                                sizeof err) == 0);
    CHECK_STR(metric, "mem_bytes");
    CHECK_INT(op, SP_ALERT_LT);
    CHECK(t == 1e6);
    REQUIRE(sp_alert_parse_expr(" up{job=\"a>b\",x=\"\\\"\"}!=0 ", metric, sizeof metric, &op,
                                &t, err, sizeof err) == 0);
    CHECK_STR(metric, "up{job=\"a>b\",x=\"\\\"\"}");
    CHECK_INT(op, SP_ALERT_NE);
    REQUIRE(sp_alert_parse_expr("x>=-2.5", metric, sizeof metric, &op, &t, err, sizeof err) == 0);
    CHECK_INT(op, SP_ALERT_GE);
    CHECK(t == -2.5);

    static const char *const bad[] = {"", "> 3", "x 3", "x = 3", "x > ", "x > 3 y", "x > inf",
                                      "a b > 3", "x =< 3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        CHECK(sp_alert_parse_expr(bad[i], metric, sizeof metric, &op, &t, err, sizeof err) == -1);
        CHECK(strstr(err, "expr") != NULL);
    }
}

static void test_rule_validation(void)
{
    struct sp_alerts *a = two_rules();
    REQUIRE(a != NULL);
    char err[256];
    struct sp_alert_rule_spec dup = {.name = "LoadHigh", .metric = "m", .op = SP_ALERT_GT};
    CHECK(sp_alerts_add(a, &dup, err, sizeof err) == -1);
    CHECK(strstr(err, "defined twice") != NULL);
    struct sp_alert_label bad_label[] = {{"alertname", "x"}};
    struct sp_alert_rule_spec s = {.name = "X", .metric = "m", .labels = bad_label,
                                   .label_count = 1};
    CHECK(sp_alerts_add(a, &s, err, sizeof err) == -1);
    CHECK(strstr(err, "bad label alertname") != NULL);
    bad_label[0].name = "1abc";
    CHECK(sp_alerts_add(a, &s, err, sizeof err) == -1);
    s.label_count = 0;
    s.for_seconds = -1;
    CHECK(sp_alerts_add(a, &s, err, sizeof err) == -1);
    CHECK(strstr(err, "for_seconds") != NULL);
    s.for_seconds = 0;
    s.threshold = NAN;
    CHECK(sp_alerts_add(a, &s, err, sizeof err) == -1);
    s.threshold = 0;
    s.metric = "";
    CHECK(sp_alerts_add(a, &s, err, sizeof err) == -1);
    s.metric = "m";
    s.name = NULL;
    CHECK(sp_alerts_add(a, &s, err, sizeof err) == -1);
    CHECK_INT(sp_alerts_count(a), 2);
    sp_alerts_free(a);
}

static void test_state_machine_with_for(void)
{
    struct sp_alerts *a = two_rules();
    REQUIRE(a != NULL);
    struct fake_metrics f = {.memory = 5000, .memory_present = true, .load = 0};
    struct sp_alert_transition t[2];
    struct sp_alert_status st;

    CHECK_INT(step(a, 100, &f, t), 0); /* all fine */
    f.memory = 500;                    /* below 1000: pending */
    REQUIRE(step(a, 110, &f, t) == 1);
    CHECK_STR(t[0].name, "HostMemoryLow");
    CHECK_INT(t[0].from, SP_ALERT_INACTIVE);
    CHECK_INT(t[0].to, SP_ALERT_PENDING);
    CHECK(t[0].value == 500);
    CHECK_INT(step(a, 139, &f, t), 0); /* 29 s: still pending */
    sp_alerts_status(a, 0, &st);
    CHECK_INT(st.state, SP_ALERT_PENDING);
    CHECK(st.active_since == 110);
    REQUIRE(step(a, 140, &f, t) == 1); /* 30 s held: firing */
    CHECK_INT(t[0].from, SP_ALERT_PENDING);
    CHECK_INT(t[0].to, SP_ALERT_FIRING);
    CHECK_INT(step(a, 150, &f, t), 0);
    f.memory = 2000;
    REQUIRE(step(a, 160, &f, t) == 1);
    CHECK_INT(t[0].to, SP_ALERT_RESOLVED);
    sp_alerts_status(a, 0, &st);
    CHECK(st.fired_at == 140);
    CHECK(st.resolved_at == 160);
    CHECK_INT(step(a, 170, &f, t), 0); /* resolved stays resolved */

    /* pending that drops before for_seconds goes back to inactive */
    f.memory = 10;
    REQUIRE(step(a, 200, &f, t) == 1);
    CHECK_INT(t[0].from, SP_ALERT_RESOLVED);
    CHECK_INT(t[0].to, SP_ALERT_PENDING);
    f.memory = 5000;
    REQUIRE(step(a, 210, &f, t) == 1);
    CHECK_INT(t[0].to, SP_ALERT_INACTIVE);
    sp_alerts_free(a);
}

static void test_zero_for_and_missing_values(void)
{
    struct sp_alerts *a = two_rules();
    REQUIRE(a != NULL);
    struct fake_metrics f = {.memory = 5000, .memory_present = true, .load = 4};
    struct sp_alert_transition t[2];
    REQUIRE(step(a, 1, &f, t) == 1); /* load >= 4, for 0: firing at once */
    CHECK_STR(t[0].name, "LoadHigh");
    CHECK_INT(t[0].rule, 1);
    CHECK_INT(t[0].from, SP_ALERT_INACTIVE);
    CHECK_INT(t[0].to, SP_ALERT_FIRING);
    CHECK_INT(f.lookups, 2);

    f.memory_present = false; /* a missing value never fires */
    f.memory = 0;
    CHECK_INT(step(a, 2, &f, t), 0);
    f.load = NAN; /* NaN neither: the firing alert resolves */
    REQUIRE(step(a, 3, &f, t) == 1);
    CHECK_INT(t[0].to, SP_ALERT_RESOLVED);
    CHECK(isnan(t[0].value));
    /* capacity limits how many rules are evaluated */
    f.load = 9;
    CHECK_INT(sp_alerts_evaluate(a, 4, fake_lookup, &f, t, 1), 0);
    CHECK_INT(sp_alerts_evaluate(a, 4, fake_lookup, &f, t, 2), 1);
    sp_alerts_free(a);
}

static int aborting_lookup(void *ctx, const char *metric, double *value)
{
    (void)ctx;
    (void)metric;
    *value = 1e9;
    return SP_ALERT_LOOKUP_ABORT;
}

static void test_aborted_lookup_changes_nothing(void)
{
    struct sp_alerts *a = two_rules();
    REQUIRE(a != NULL);
    struct fake_metrics f = {.memory = 5000, .memory_present = true, .load = 9};
    struct sp_alert_transition t[2];
    REQUIRE(step(a, 1, &f, t) == 1); /* LoadHigh firing */
    CHECK_INT(sp_alerts_evaluate(a, 2, aborting_lookup, NULL, t, 2), 0);
    struct sp_alert_status st;
    REQUIRE(sp_alerts_status(a, 1, &st) == 0);
    CHECK_INT(st.state, SP_ALERT_FIRING);
    CHECK(st.value == 9);
    REQUIRE(sp_alerts_status(a, 0, &st) == 0);
    CHECK_INT(st.label_count, 2);
    CHECK_STR(st.labels[1].value, "sec");
    CHECK(sp_alerts_status(a, 2, &st) == -1);
    sp_alerts_free(a);
}

static void test_names_and_time(void)
{
    CHECK_STR(sp_alert_state_name(SP_ALERT_PENDING), "pending");
    CHECK_STR(sp_alert_state_name(SP_ALERT_RESOLVED), "resolved");
    CHECK_STR(sp_alert_op_name(SP_ALERT_LE), "<=");
    char buf[32];
    sp_alerts_format_time(1714564800.25, buf, sizeof buf);
    CHECK_STR(buf, "2024-05-01T12:00:00.250Z");
    sp_alerts_format_time(0, buf, sizeof buf);
    CHECK_STR(buf, "1970-01-01T00:00:00.000Z");
}

static cJSON *find_alert(cJSON *arr, const char *name)
{
    cJSON *alert;
    cJSON_ArrayForEach(alert, arr)
    {
        cJSON *labels = cJSON_GetObjectItemCaseSensitive(alert, "labels");
        const char *n = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(labels, "alertname"));
        if (n && strcmp(n, name) == 0)
            return alert;
    }
    return NULL;
}

static const char *json_string_at(cJSON *obj, const char *a, const char *b)
{
    cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, a);
    if (b != NULL)
        item = cJSON_GetObjectItemCaseSensitive(item, b);
    return cJSON_GetStringValue(item);
}

/* A fixed state: LoadHigh firing since t=1714564800, HostMemoryLow fired at
 * 1714564830 and resolved at 1714564900. */
static struct sp_alerts *payload_fixture(void)
{
    struct sp_alerts *a = two_rules();
    if (a == NULL)
        return NULL;
    struct fake_metrics f = {.memory = 1, .memory_present = true, .load = 7.5};
    struct sp_alert_transition t[2];
    step(a, 1714564800, &f, t);
    step(a, 1714564830, &f, t);
    f.memory = 5000;
    step(a, 1714564900, &f, t);
    return a;
}

static void test_payload_json(void)
{
    struct sp_alerts *a = payload_fixture();
    REQUIRE(a != NULL);
    size_t count = 0;
    char *text = sp_alerts_payload(a, &count);
    REQUIRE(text != NULL);
    CHECK_INT(count, 2);
    cJSON *arr = cJSON_Parse(text);
    free(text);
    REQUIRE(cJSON_IsArray(arr));
    CHECK_INT(cJSON_GetArraySize(arr), 2);

    cJSON *load = find_alert(arr, "LoadHigh");
    REQUIRE(load != NULL);
    CHECK_STR(json_string_at(load, "startsAt", NULL), "2024-05-01T12:00:00.000Z");
    CHECK(cJSON_GetObjectItemCaseSensitive(load, "endsAt") == NULL);
    CHECK_STR(json_string_at(load, "annotations", "value"), "7.5");
    CHECK(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(load, "annotations"),
                                           "summary") == NULL);

    cJSON *mem = find_alert(arr, "HostMemoryLow");
    REQUIRE(mem != NULL);
    CHECK_STR(json_string_at(mem, "labels", "severity"), "warning");
    CHECK_STR(json_string_at(mem, "labels", "team"), "sec");
    CHECK_STR(json_string_at(mem, "annotations", "summary"), "host memory is low");
    CHECK_STR(json_string_at(mem, "startsAt", NULL), "2024-05-01T12:00:30.000Z");
    CHECK_STR(json_string_at(mem, "endsAt", NULL), "2024-05-01T12:01:40.000Z");
    cJSON_Delete(arr);
    sp_alerts_free(a);
}

/* ---- a local Alertmanager stand-in ---- */

struct listener {
    struct MHD_Daemon *daemon;
    unsigned short port;
    unsigned int status; /* what to answer */
    pthread_mutex_t lock;
    int requests;
    char method[16], url[256], content_type[64];
    char body[65536];
    size_t body_len;
};

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    struct listener *l = cls;
    if (*con_cls == NULL) { /* headers only: start a new request */
        *con_cls = l;
        pthread_mutex_lock(&l->lock);
        l->body_len = 0;
        pthread_mutex_unlock(&l->lock);
        return MHD_YES;
    }
    pthread_mutex_lock(&l->lock);
    if (*upload_data_size > 0) {
        size_t room = sizeof l->body - 1 - l->body_len;
        size_t n = *upload_data_size < room ? *upload_data_size : room;
        memcpy(l->body + l->body_len, upload_data, n);
        l->body_len += n;
        *upload_data_size = 0;
        pthread_mutex_unlock(&l->lock);
        return MHD_YES;
    }
    l->body[l->body_len] = '\0';
    l->requests++;
    snprintf(l->method, sizeof l->method, "%s", method);
    snprintf(l->url, sizeof l->url, "%s", url);
    const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    snprintf(l->content_type, sizeof l->content_type, "%s", ct ? ct : "");
    unsigned int status = l->status;
    pthread_mutex_unlock(&l->lock);
    struct MHD_Response *r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static bool listener_start(struct listener *l, unsigned int status)
{
    memset(l, 0, sizeof *l);
    pthread_mutex_init(&l->lock, NULL);
    l->status = status;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    l->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, on_request, l,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_END);
    if (l->daemon == NULL)
        return false;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(l->daemon, MHD_DAEMON_INFO_BIND_PORT);
    l->port = info ? info->port : 0;
    return l->port != 0;
}

static void listener_stop(struct listener *l)
{
    if (l->daemon)
        MHD_stop_daemon(l->daemon);
    l->daemon = NULL;
    pthread_mutex_destroy(&l->lock);
}

static void test_send_to_local_alertmanager(void)
{
    struct listener l;
    REQUIRE(listener_start(&l, 200));
    struct sp_alerts *a = payload_fixture();
    REQUIRE(a != NULL);
    char url[64], err[256] = "";
    snprintf(url, sizeof url, "http://127.0.0.1:%u/", l.port); /* trailing slash is fine */

    CHECK_INT(sp_alerts_send(a, url, 2000, err, sizeof err), 2);
    CHECK_STR(err, "");
    CHECK_INT(l.requests, 1);
    CHECK_STR(l.method, "POST");
    CHECK_STR(l.url, "/api/v2/alerts");
    CHECK_STR(l.content_type, "application/json");
    cJSON *arr = cJSON_Parse(l.body);
    CHECK(cJSON_IsArray(arr) && cJSON_GetArraySize(arr) == 2);
    CHECK(find_alert(arr, "HostMemoryLow") != NULL);
    cJSON_Delete(arr);

    /* the resolved alert was delivered: only the firing one is sent again */
    CHECK_INT(sp_alerts_send(a, url, 2000, err, sizeof err), 1);
    arr = cJSON_Parse(l.body);
    CHECK(cJSON_IsArray(arr) && cJSON_GetArraySize(arr) == 1);
    CHECK(find_alert(arr, "LoadHigh") != NULL);
    cJSON_Delete(arr);

    unsigned long sent, failed;
    sp_alerts_send_counts(a, &sent, &failed);
    CHECK_INT(sent, 2);
    CHECK_INT(failed, 0);
    sp_alerts_free(a);
    listener_stop(&l);
}

static void test_nothing_to_send_posts_nothing(void)
{
    struct listener l;
    REQUIRE(listener_start(&l, 200));
    struct sp_alerts *a = two_rules();
    REQUIRE(a != NULL);
    char url[64], err[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%u", l.port);
    CHECK_INT(sp_alerts_send(a, url, 2000, err, sizeof err), 0);
    CHECK_INT(l.requests, 0);
    sp_alerts_free(a);
    listener_stop(&l);
}

static void test_send_failures_are_counted(void)
{
    struct sp_alerts *a = payload_fixture();
    REQUIRE(a != NULL);
    char url[64], err[256];

    struct listener l;
    REQUIRE(listener_start(&l, 500));
    snprintf(url, sizeof url, "http://127.0.0.1:%u", l.port);
    CHECK_INT(sp_alerts_send(a, url, 2000, err, sizeof err), -1);
    CHECK(strstr(err, "HTTP status 500") != NULL);
    listener_stop(&l); /* now the port refuses connections */
    CHECK_INT(sp_alerts_send(a, url, 2000, err, sizeof err), -1);
    CHECK(strstr(err, "alertmanager http://127.0.0.1:") != NULL);

    /* a listener that accepts but never answers: the timeout ends the wait */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    REQUIRE(fd >= 0 && bind(fd, (struct sockaddr *)&addr, len) == 0 && listen(fd, 4) == 0);
    getsockname(fd, (struct sockaddr *)&addr, &len);
    snprintf(url, sizeof url, "http://127.0.0.1:%u", ntohs(addr.sin_port));
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_INT(sp_alerts_send(a, url, 300, err, sizeof err), -1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(t1.tv_sec - t0.tv_sec < 3);
    CHECK(strstr(err, "imed out") != NULL);
    close(fd);

    unsigned long sent, failed;
    sp_alerts_send_counts(a, &sent, &failed);
    CHECK_INT(sent, 0);
    CHECK_INT(failed, 3);
    /* undelivered: the resolved alert is still in the payload */
    size_t count;
    free(sp_alerts_payload(a, &count));
    CHECK_INT(count, 2);
    sp_alerts_free(a);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(test_parse_expr),
        UNIT_TEST(test_rule_validation),
        UNIT_TEST(test_state_machine_with_for),
        UNIT_TEST(test_zero_for_and_missing_values),
        UNIT_TEST(test_aborted_lookup_changes_nothing),
        UNIT_TEST(test_names_and_time),
        UNIT_TEST(test_payload_json),
        UNIT_TEST(test_send_to_local_alertmanager),
        UNIT_TEST(test_nothing_to_send_posts_nothing),
        UNIT_TEST(test_send_failures_are_counted),
    };
    return UNIT_RUN(tests);
}

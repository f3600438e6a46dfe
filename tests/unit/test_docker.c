/* The Docker client's parts that need no daemon: the metrics label of a
 * request path, the run id, refused references and paths, and what the
 * observer is told when the daemon cannot be reached (a socket nobody
 * listens on). */
#include "sandprobe/docker.h"
#include "sandprobe/settings.h"
#include "unit.h"

#include <unistd.h>

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const char *template_of(const char *path)
{
    static char out[128];
    sp_docker_endpoint_template(path, out, sizeof out);
    return out;
}

static void endpoint_templates(void)
{
    CHECK_STR(template_of("/_ping"), "/_ping");
    CHECK_STR(template_of("/v1.41/version"), "/version");
    CHECK_STR(template_of("/v1.41/containers/create?name=sp-1"), "/containers/create");
    CHECK_STR(template_of("/v1.41/containers/json?all=1&filters=%7B%7D"), "/containers/json");
    CHECK_STR(template_of("/v1.41/containers/" ID "/start"), "/containers/{id}/start");
    CHECK_STR(template_of("/v1.41/containers/sp-box_1/kill?signal=SIGKILL"),
              "/containers/{id}/kill");
    CHECK_STR(template_of("/v1.41/containers/" ID "?force=1&v=1"), "/containers/{id}");
    CHECK_STR(template_of("/v1.41/exec/" ID "/start"), "/exec/{id}/start");
    CHECK_STR(template_of("/v1.41/images/sandprobe/python:3.11/json"), "/images/{name}/json");
    CHECK_STR(template_of("/v1.41/images/debian"), "/images/{name}");
    CHECK_STR(template_of("/v1.41/images/registry:5000/a/b:1/tag?repo=x"), "/images/{name}/tag");
    CHECK_STR(template_of("/v1.41/images/json"), "/images/json");
    CHECK_STR(template_of("/v1.41/images/create?fromSrc=-&repo=x"), "/images/create");
    CHECK_STR(template_of("/v1.41/events?since=1.0&until=2.0"), "/events");
    /* Whatever a caller sends, an id never becomes a label value. */
    CHECK_STR(template_of("/v1.41/" ID), "/{other}");
    CHECK_STR(template_of("/v1.41/networks/abc/connect/extra/more"), "/networks/{id}/connect/extra");
    CHECK_STR(template_of(""), "/");
}

static void run_id_is_made_once_and_kept(void)
{
    const char *first = sp_docker_run_id();
    REQUIRE(first != NULL);
    char copy[64];
    snprintf(copy, sizeof copy, "%s", first);
    char pid[32];
    snprintf(pid, sizeof pid, "%ld-", (long)getpid());
    CHECK(strncmp(copy, pid, strlen(pid)) == 0); /* "<pid>-<random hex>" */
    CHECK_INT(strlen(copy), strlen(pid) + 8);
    CHECK_STR(sp_docker_run_id(), copy);
    CHECK_STR(sp_settings_get("run.id"), copy);
}

struct seen {
    int requests, exchanges, created;
    long last_status;
    int last_transport_ok;
    char endpoint[128];
};

static void on_request(void *ctx, const char *endpoint, const char *method)
{
    struct seen *s = ctx;
    (void)method;
    s->requests++;
    snprintf(s->endpoint, sizeof s->endpoint, "%s", endpoint);
}

static void on_exchange(void *ctx, const struct sp_docker_exchange *x)
{
    struct seen *s = ctx;
    s->exchanges++;
    s->last_status = x->status;
    s->last_transport_ok = x->transport_ok;
}

static void on_created(void *ctx, const char *id)
{
    (void)id;
    ((struct seen *)ctx)->created++;
}

/* A client for a unix socket path where nothing listens. */
static sp_docker *unreachable_client(char *path, size_t len)
{
    snprintf(path, len, "/tmp/sandprobe-test-%ld.sock", (long)getpid());
    unlink(path);
    char host[600], err[256];
    snprintf(host, sizeof host, "unix://%s", path);
    struct sp_docker_env env = {.host_setting = host};
    struct sp_docker_endpoint ep;
    if (sp_docker_resolve_endpoint(&env, &ep, err, sizeof err) != 0)
        return NULL;
    return sp_docker_new_for(&ep, err, sizeof err);
}

static void observer_hears_an_unreachable_daemon(void)
{
    struct seen seen = {0};
    struct sp_docker_observer o = {.ctx = &seen, .request = on_request, .exchange = on_exchange,
                                   .container_created = on_created};
    sp_docker_set_observer(&o);
    char path[256];
    sp_docker *c = unreachable_client(path, sizeof path);
    REQUIRE(c != NULL);
    CHECK(sp_docker_ping(c) != 0);
    CHECK(strstr(sp_docker_error(c), "cannot reach the Docker daemon at unix://") != NULL);
    CHECK_INT(sp_docker_status(c), 0);
    CHECK_INT(seen.requests, 1);
    CHECK_STR(seen.endpoint, "/_ping");
    CHECK_INT(seen.exchanges, 1);
    CHECK_INT(seen.last_status, 0);
    CHECK_INT(seen.last_transport_ok, 0);
    CHECK_INT(seen.created, 0);
    sp_docker_free(c);
    sp_docker_set_observer(NULL);
    /* Without an observer the client works the same and tells no one. */
    c = unreachable_client(path, sizeof path);
    REQUIRE(c != NULL);
    CHECK(sp_docker_ping(c) != 0);
    CHECK_INT(seen.requests, 1);
    sp_docker_free(c);
}

static void bad_references_never_reach_the_daemon(void)
{
    struct seen seen = {0};
    struct sp_docker_observer o = {.ctx = &seen, .request = on_request};
    sp_docker_set_observer(&o);
    char path[256];
    sp_docker *c = unreachable_client(path, sizeof path);
    REQUIRE(c != NULL);
    cJSON *out = NULL;
    CHECK(sp_docker_call(c, "GET", "/containers/../../etc", NULL, &out) != 0);
    CHECK(strstr(sp_docker_error(c), "invalid API path") != NULL);
    CHECK(sp_docker_container_inspect(c, "../x", &out) != 0);
    CHECK(strstr(sp_docker_error(c), "invalid container id") != NULL);
    CHECK(sp_docker_container_remove(c, "a?b=c") != 0);
    CHECK_INT(seen.requests, 0);
    sp_docker_free(c);
    sp_docker_set_observer(NULL);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(endpoint_templates),
        UNIT_TEST(run_id_is_made_once_and_kept),
        UNIT_TEST(observer_hears_an_unreachable_daemon),
        UNIT_TEST(bad_references_never_reach_the_daemon),
    };
    return UNIT_RUN(tests);
}

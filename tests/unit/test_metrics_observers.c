/* The Docker client's metrics observer: what the client reports becomes the
 * catalogue's docker and container series. Driven through the observer's own
 * functions, as the client calls them. */
#include "sandprobe/metrics_catalogue.h"
#include "sandprobe/metrics_observers.h"
#include "unit.h"

static double read_value(enum sp_catalogue_metric id, const char *const *values)
{
    double value = -1, sum = 0;
    if (sp_metric_read(sp_catalogue(id), values, &value, &sum) != 0)
        return -1;
    return value;
}

static void containers_alive_is_a_set_of_ids(void)
{
    struct sp_docker_observer o = sp_metrics_docker_observer();
    o.container_created(o.ctx, "aaaa1111");
    o.container_created(o.ctx, "bbbb2222");
    CHECK(read_value(SP_M_CONTAINERS_ALIVE, NULL) == 2);
    o.container_removed(o.ctx, "aaaa"); /* a prefix, as remove takes it */
    CHECK(read_value(SP_M_CONTAINERS_ALIVE, NULL) == 1);
    o.container_removed(o.ctx, "aaaa1111"); /* twice: not counted again */
    o.container_removed(o.ctx, "cccc3333"); /* another process's leftover */
    CHECK(read_value(SP_M_CONTAINERS_ALIVE, NULL) == 1);
    o.container_removed(o.ctx, "bbbb2222");
    CHECK(read_value(SP_M_CONTAINERS_ALIVE, NULL) == 0);
}

static void exchanges_count_errors_and_reachability(void)
{
    struct sp_docker_observer o = sp_metrics_docker_observer();
    const char *ep[] = {"/test/{id}"};
    const char *ep_get[] = {"/test/{id}", "GET"};
    o.request(o.ctx, "/test/{id}", "GET");
    CHECK(read_value(SP_M_DOCKER_REQUESTS, ep_get) == 1);

    struct sp_docker_exchange ok = {.endpoint = "/test/{id}", .method = "GET", .status = 200,
                                    .transport_ok = 1, .seconds = 0.01};
    o.exchange(o.ctx, &ok);
    CHECK(read_value(SP_M_DAEMON_REACHABLE, NULL) == 1);
    CHECK(read_value(SP_M_DOCKER_REQUEST_DURATION, ep) == 1); /* the histogram's count */

    struct sp_docker_exchange not_found = ok;
    not_found.status = 404; /* the API working: no error */
    o.exchange(o.ctx, &not_found);
    CHECK(read_value(SP_M_DOCKER_REQUEST_ERRORS, ep) <= 0);

    struct sp_docker_exchange server = ok;
    server.status = 500;
    o.exchange(o.ctx, &server);
    CHECK(read_value(SP_M_DOCKER_REQUEST_ERRORS, ep) == 1);

    struct sp_docker_exchange unreachable = {.endpoint = "/test/{id}", .method = "GET",
                                             .streamed = 1};
    o.exchange(o.ctx, &unreachable);
    CHECK(read_value(SP_M_DOCKER_REQUEST_ERRORS, ep) == 2);
    CHECK(read_value(SP_M_DAEMON_REACHABLE, NULL) == 0);
    CHECK(read_value(SP_M_DOCKER_REQUEST_DURATION, ep) == 3); /* streamed: no duration */
}

static void sweeps_are_counted(void)
{
    struct sp_docker_observer o = sp_metrics_docker_observer();
    o.orphans_swept(o.ctx, 3);
    CHECK(read_value(SP_M_ORPHANS_SWEPT, NULL) == 3);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(containers_alive_is_a_set_of_ids),
        UNIT_TEST(exchanges_count_errors_and_reachability),
        UNIT_TEST(sweeps_are_counted),
    };
    return UNIT_RUN(tests);
}

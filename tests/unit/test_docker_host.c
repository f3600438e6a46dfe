/* DOCKER_HOST resolution: the --host setting, DOCKER_HOST and the TLS
 * variables, as the docker CLI reads them. */
#include "sandprobe/docker.h"
#include "unit.h"

static struct sp_docker_endpoint ep;
static char err[256];

static int resolve(const struct sp_docker_env *env)
{
    err[0] = '\0';
    return sp_docker_resolve_endpoint(env, &ep, err, sizeof err);
}

static void default_is_the_local_socket(void)
{
    struct sp_docker_env env = {0};
    REQUIRE(resolve(&env) == 0);
    CHECK_INT(ep.transport, SP_DOCKER_UNIX);
    CHECK_STR(ep.socket_path, "/var/run/docker.sock");
    CHECK_STR(ep.url, "unix:///var/run/docker.sock");
    env.docker_host = ""; /* set but empty counts as unset, like the CLI */
    REQUIRE(resolve(&env) == 0);
    CHECK_STR(ep.socket_path, "/var/run/docker.sock");
}

static void unix_path_from_docker_host(void)
{
    struct sp_docker_env env = {.docker_host = "unix:///run/user/1000/docker.sock"};
    REQUIRE(resolve(&env) == 0);
    CHECK_INT(ep.transport, SP_DOCKER_UNIX);
    CHECK_STR(ep.socket_path, "/run/user/1000/docker.sock");
    CHECK_INT(ep.tls, 0);
}

static void host_setting_overrides_docker_host(void)
{
    struct sp_docker_env env = {.host_setting = "unix:///tmp/other.sock",
                                .docker_host = "tcp://10.0.0.1:2375"};
    REQUIRE(resolve(&env) == 0);
    CHECK_STR(ep.socket_path, "/tmp/other.sock");
}

static void tcp_host_and_port(void)
{
    struct sp_docker_env env = {.docker_host = "tcp://10.1.2.3:2377"};
    REQUIRE(resolve(&env) == 0);
    CHECK_INT(ep.transport, SP_DOCKER_TCP);
    CHECK_STR(ep.host, "10.1.2.3");
    CHECK_INT(ep.port, 2377);
    CHECK_INT(ep.tls, 0);
    CHECK_STR(ep.url, "tcp://10.1.2.3:2377");
}

static void tcp_default_ports_and_host(void)
{
    struct sp_docker_env env = {.docker_host = "tcp://docker.example/"};
    REQUIRE(resolve(&env) == 0);
    CHECK_STR(ep.host, "docker.example");
    CHECK_INT(ep.port, 2375);
    env.tls_verify = "1";
    REQUIRE(resolve(&env) == 0);
    CHECK_INT(ep.port, 2376);
    env.docker_host = "tcp://:2375";
    REQUIRE(resolve(&env) == 0);
    CHECK_STR(ep.host, "127.0.0.1");
}

static void tcp_ipv6_in_brackets(void)
{
    struct sp_docker_env env = {.docker_host = "tcp://[::1]:2380"};
    REQUIRE(resolve(&env) == 0);
    CHECK_STR(ep.host, "::1");
    CHECK_INT(ep.port, 2380);
    CHECK_STR(ep.url, "tcp://[::1]:2380");
    env.docker_host = "tcp://::1:2380";
    CHECK(resolve(&env) != 0);
    CHECK(strstr(err, "brackets") != NULL);
}

static void tls_verify_uses_cert_path(void)
{
    struct sp_docker_env env = {.docker_host = "tcp://h:2376", .tls_verify = "1",
                                .cert_path = "/etc/certs"};
    REQUIRE(resolve(&env) == 0);
    CHECK_INT(ep.tls, 1);
    CHECK_INT(ep.tls_verify, 1);
    CHECK_STR(ep.ca_file, "/etc/certs/ca.pem");
    CHECK_STR(ep.cert_file, "/etc/certs/cert.pem");
    CHECK_STR(ep.key_file, "/etc/certs/key.pem");
}

static void tls_without_verify_defaults_to_home(void)
{
    struct sp_docker_env env = {.docker_host = "tcp://h:2376", .tls = "1", .home = "/root"};
    REQUIRE(resolve(&env) == 0);
    CHECK_INT(ep.tls, 1);
    CHECK_INT(ep.tls_verify, 0);
    CHECK_STR(ep.ca_file, "/root/.docker/ca.pem");
}

static void tls_ignored_for_unix_sockets(void)
{
    struct sp_docker_env env = {.tls_verify = "1", .cert_path = "/etc/certs"};
    REQUIRE(resolve(&env) == 0);
    CHECK_INT(ep.tls, 0);
}

static void rejects_bad_hosts(void)
{
    const char *bad[] = {"ssh://user@host", "npipe:////./pipe/docker_engine", "http://h:1",
                         "docker.sock", "tcp://h:0", "tcp://h:65536", "tcp://h:abc",
                         "tcp://h:2375/v1.41", "tcp://[::1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct sp_docker_env env = {.docker_host = bad[i]};
        if (resolve(&env) == 0) {
            fprintf(stderr, "  accepted %s\n", bad[i]);
            CHECK(0);
        }
        CHECK(err[0] != '\0');
    }
}

static void rejects_socket_paths_longer_than_sun_path(void)
{
    char host[300] = "unix:///";
    memset(host + 8, 'a', 200);
    host[208] = '\0';
    struct sp_docker_env env = {.docker_host = host};
    CHECK(resolve(&env) != 0);
    CHECK(strstr(err, "too long") != NULL);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(default_is_the_local_socket),
        UNIT_TEST(unix_path_from_docker_host),
        UNIT_TEST(host_setting_overrides_docker_host),
        UNIT_TEST(tcp_host_and_port),
        UNIT_TEST(tcp_default_ports_and_host),
        UNIT_TEST(tcp_ipv6_in_brackets),
        UNIT_TEST(tls_verify_uses_cert_path),
        UNIT_TEST(tls_without_verify_defaults_to_home),
        UNIT_TEST(tls_ignored_for_unix_sockets),
        UNIT_TEST(rejects_bad_hosts),
        UNIT_TEST(rejects_socket_paths_longer_than_sun_path),
    };
    return UNIT_RUN(tests);
}

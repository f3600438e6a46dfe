/* The cgroup readers on fixture trees: v1 and v2, both drivers, nested
 * parents found through /proc/<pid>/cgroup, missing files and "max". */
#include "sandprobe/cgroup.h"
#include "sandprobe/text.h"
#include "unit.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define OTHER_ID "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static char fixture_root[PATH_MAX];
static char proc_root[PATH_MAX];

static const char *fixture(const char *tree)
{
    const char *base = getenv("SANDPROBE_FIXTURES");
    snprintf(fixture_root, sizeof fixture_root, "%s/cgroup/%s", base ? base : "tests/fixtures",
             tree);
    snprintf(proc_root, sizeof proc_root, "%s/cgroup/proc", base ? base : "tests/fixtures");
    return fixture_root;
}

static int read_tree(const char *tree, long pid, struct sp_cgroup_stats *s, char *err, size_t len)
{
    struct sp_cgroup_query q = {.root = fixture(tree), .proc_root = proc_root, .pid = pid};
    return sp_cgroup_read(ID, &q, s, err, len);
}

#define CHECK_VALUE(v, want)          \
    do {                              \
        CHECK((v).present);           \
        CHECK(!(v).unlimited);        \
        CHECK_INT((v).value, (want)); \
    } while (0)

#define CHECK_UNLIMITED(v)    \
    do {                      \
        CHECK((v).present);   \
        CHECK((v).unlimited); \
    } while (0)

static void test_version_detection(void)
{
    CHECK_INT(sp_cgroup_version(fixture("v1-cgroupfs")), 1);
    CHECK_INT(sp_cgroup_version(fixture("v2-systemd")), 2);
    CHECK_INT(sp_cgroup_version(fixture("proc")), -1);
    CHECK_INT(sp_cgroup_version("/nonexistent/cgroup"), -1);
}

static void test_valid_id(void)
{
    CHECK(sp_cgroup_valid_id(ID));
    CHECK(!sp_cgroup_valid_id("0123456789ab"));
    CHECK(!sp_cgroup_valid_id(NULL));
    CHECK(!sp_cgroup_valid_id("0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"));
    CHECK(!sp_cgroup_valid_id("../../../../etc/passwd/0123456789abcdef0123456789abcdef0123456789"));
}

static void test_v1_cgroupfs(void)
{
    struct sp_cgroup_stats s;
    char err[512] = "";
    REQUIRE(read_tree("v1-cgroupfs", 0, &s, err, sizeof err) == 0);
    CHECK_INT(s.location.version, 1);
    CHECK_INT(s.location.driver, SP_CGROUP_DRIVER_CGROUPFS);
    CHECK(strstr(s.location.memory, "/memory/docker/" ID) != NULL);
    CHECK(strstr(s.location.pids, "/pids/docker/" ID) != NULL);
    CHECK(strstr(s.location.cpu, "/cpuacct/docker/" ID) != NULL);
    CHECK_VALUE(s.memory_limit_bytes, 67108864);
    CHECK_VALUE(s.swap_limit_bytes, 134217728 - 67108864);
    CHECK_VALUE(s.memory_usage_bytes, 2859008);
    CHECK_VALUE(s.memory_peak_bytes, 4087808);
    CHECK_VALUE(s.memory_failcnt, 3);
    CHECK_VALUE(s.oom_kills, 2);
    CHECK_VALUE(s.pids_max, 32);
    CHECK_VALUE(s.pids_current, 1);
    CHECK_VALUE(s.cpu_usage_ns, 1500000000);
}

/* Podman's cgroupfs layout: the same files under /libpod_parent/libpod-<id>. */
static void test_v1_podman(void)
{
    struct sp_cgroup_stats s;
    char err[512] = "";
    REQUIRE(read_tree("v1-podman", 0, &s, err, sizeof err) == 0);
    CHECK_INT(s.location.driver, SP_CGROUP_DRIVER_CGROUPFS);
    CHECK(strstr(s.location.memory, "/memory/libpod_parent/libpod-" ID) != NULL);
    CHECK(strstr(s.location.pids, "/pids/libpod_parent/libpod-" ID) != NULL);
    CHECK_VALUE(s.memory_limit_bytes, 67108864);
}

static void test_v1_systemd_unlimited_and_no_swap_accounting(void)
{
    struct sp_cgroup_stats s;
    char err[512] = "";
    REQUIRE(read_tree("v1-systemd", 0, &s, err, sizeof err) == 0);
    CHECK_INT(s.location.version, 1);
    CHECK_INT(s.location.driver, SP_CGROUP_DRIVER_SYSTEMD);
    CHECK(strstr(s.location.memory, "/memory/system.slice/docker-" ID ".scope") != NULL);
    CHECK_UNLIMITED(s.memory_limit_bytes);
    CHECK(!s.swap_limit_bytes.present); /* memsw missing: no swap accounting */
    CHECK(!s.oom_kills.present);        /* old kernels lack the oom_kill line */
    CHECK_UNLIMITED(s.pids_max);
    CHECK_VALUE(s.pids_current, 7);
    CHECK_VALUE(s.cpu_usage_ns, 250000000);
}

static void test_v2_cgroupfs(void)
{
    struct sp_cgroup_stats s;
    char err[512] = "";
    REQUIRE(read_tree("v2-cgroupfs", 0, &s, err, sizeof err) == 0);
    CHECK_INT(s.location.version, 2);
    CHECK_INT(s.location.driver, SP_CGROUP_DRIVER_CGROUPFS);
    CHECK_STR(s.location.memory, s.location.pids);
    CHECK(strstr(s.location.memory, "/v2-cgroupfs/docker/" ID) != NULL);
    CHECK_VALUE(s.memory_limit_bytes, 67108864);
    CHECK_VALUE(s.swap_limit_bytes, 0);
    CHECK_VALUE(s.memory_usage_bytes, 3145728);
    CHECK_VALUE(s.memory_peak_bytes, 5242880);
    CHECK_VALUE(s.memory_failcnt, 12);
    CHECK_VALUE(s.oom_kills, 1);
    CHECK_VALUE(s.pids_max, 32);
    CHECK_VALUE(s.pids_current, 3);
    CHECK_VALUE(s.cpu_usage_ns, 2500000000LL);
}

static void test_v2_systemd_max_values(void)
{
    struct sp_cgroup_stats s;
    char err[512] = "";
    REQUIRE(read_tree("v2-systemd", 0, &s, err, sizeof err) == 0);
    CHECK_INT(s.location.driver, SP_CGROUP_DRIVER_SYSTEMD);
    CHECK_UNLIMITED(s.memory_limit_bytes);
    CHECK_UNLIMITED(s.swap_limit_bytes);
    CHECK_UNLIMITED(s.pids_max);
    CHECK(!s.memory_peak_bytes.present);
    CHECK_VALUE(s.memory_failcnt, 0);
    CHECK_VALUE(s.cpu_usage_ns, 42000);
}

static void test_nested_parent_needs_pid(void)
{
    struct sp_cgroup_stats s;
    char err[1024] = "";
    CHECK(read_tree("v1-nested", 0, &s, err, sizeof err) == -1);
    CHECK(strstr(err, "not found") != NULL);
    CHECK(strstr(err, "/memory/docker/" ID) != NULL); /* names the paths tried */
    CHECK(strstr(err, "docker-" ID ".scope") != NULL);

    REQUIRE(read_tree("v1-nested", 4242, &s, err, sizeof err) == 0);
    CHECK_INT(s.location.driver, SP_CGROUP_DRIVER_CGROUPFS);
    CHECK(strstr(s.location.memory, "/memory/ci/job7/" ID) != NULL);
    CHECK(strstr(s.location.cpu, "/cpuacct/ci/job7/" ID) != NULL); /* "cpu,cpuacct" line */
    CHECK_VALUE(s.memory_limit_bytes, 536870912);
    CHECK_VALUE(s.swap_limit_bytes, 0);
    CHECK_VALUE(s.pids_max, 64);
}

static void test_v2_nested_with_garbage(void)
{
    struct sp_cgroup_stats s;
    char err[1024] = "";
    REQUIRE(read_tree("v2-nested", 4343, &s, err, sizeof err) == 0);
    CHECK(strstr(s.location.memory, "/ci.slice/runner/" ID) != NULL);
    CHECK(!s.memory_limit_bytes.present); /* "lots" */
    CHECK(!s.memory_usage_bytes.present); /* "12 34" */
    CHECK(!s.cpu_usage_ns.present);       /* no cpu.stat */
    CHECK_VALUE(s.pids_max, 16);
}

static void test_pid_of_another_container_falls_back(void)
{
    struct sp_cgroup_stats s;
    char err[1024] = "";
    /* pid 5151 lives in OTHER_ID's cgroup: not trusted, well-known paths used. */
    REQUIRE(read_tree("v1-cgroupfs", 5151, &s, err, sizeof err) == 0);
    CHECK(strstr(s.location.memory, "/memory/docker/" ID) != NULL);
    CHECK(strstr(s.location.memory, OTHER_ID) == NULL);
    /* An unreadable pid is reported among the attempts when nothing is found. */
    CHECK(read_tree("v1-nested", 99999, &s, err, sizeof err) == -1);
    CHECK(strstr(err, "99999/cgroup unreadable") != NULL);
    CHECK(read_tree("v1-nested", 5151, &s, err, sizeof err) == -1);
    CHECK(strstr(err, "not in container") != NULL);
}

static void test_errors(void)
{
    struct sp_cgroup_stats s;
    char err[1024] = "";
    struct sp_cgroup_query q = {.root = "/nonexistent/cgroup"};
    CHECK(sp_cgroup_read(ID, &q, &s, err, sizeof err) == -1);
    CHECK(strstr(err, "no cgroup hierarchy at /nonexistent/cgroup") != NULL);

    q.root = fixture("v1-cgroupfs");
    CHECK(sp_cgroup_read("abc", &q, &s, err, sizeof err) == -1);
    CHECK(strstr(err, "not a full container id") != NULL);
    CHECK(sp_cgroup_read(OTHER_ID, &q, &s, err, sizeof err) == -1);
    CHECK(strstr(err, "cgroup of container fedcba987654 not found") != NULL);

    struct sp_cgroup_location loc = {.version = 1};
    REQUIRE(sp_format(loc.memory, sizeof loc.memory, "%s/memory/docker/gone", fixture("v1-cgroupfs")) == 0);
    CHECK(sp_cgroup_read_location(&loc, &s, err, sizeof err) == -1);
    CHECK(strstr(err, "is gone") != NULL);
}

static void test_driver_names(void)
{
    CHECK_STR(sp_cgroup_driver_name(SP_CGROUP_DRIVER_CGROUPFS), "cgroupfs");
    CHECK_STR(sp_cgroup_driver_name(SP_CGROUP_DRIVER_SYSTEMD), "systemd");
    CHECK_STR(sp_cgroup_driver_name(SP_CGROUP_DRIVER_UNKNOWN), "unknown");
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(test_version_detection),
        UNIT_TEST(test_valid_id),
        UNIT_TEST(test_v1_cgroupfs),
        UNIT_TEST(test_v1_podman),
        UNIT_TEST(test_v1_systemd_unlimited_and_no_swap_accounting),
        UNIT_TEST(test_v2_cgroupfs),
        UNIT_TEST(test_v2_systemd_max_values),
        UNIT_TEST(test_nested_parent_needs_pid),
        UNIT_TEST(test_v2_nested_with_garbage),
        UNIT_TEST(test_pid_of_another_container_falls_back),
        UNIT_TEST(test_errors),
        UNIT_TEST(test_driver_names),
    };
    return UNIT_RUN(tests);
}

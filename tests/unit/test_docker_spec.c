/* The container create spec's normalisation: aliases, the allow-lists, Env
 * maps, the docker CLI's sizes, and the one-line messages for bad specs. */
#include "sandprobe/docker_spec.h"
#include "unit.h"

static char msg[256];

/* Normalises the JSON text; returns the message (NULL: accepted) and leaves
 * the tree in *out for the caller to free. */
static const char *normalise(const char *json, cJSON **out)
{
    *out = cJSON_Parse(json);
    if (*out == NULL)
        return "test: bad JSON";
    return sp_docker_spec_normalise(*out, msg, sizeof msg);
}

static void aliases_become_engine_names(void)
{
    cJSON *spec;
    REQUIRE(normalise("{\"image\":\"debian\",\"cmd\":[\"true\"],\"working_dir\":\"/tmp\","
                      "\"host_config\":{\"NetworkMode\":\"none\"},\"name\":\"x\"}",
                      &spec) == NULL);
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(spec, "Image")->valuestring, "debian");
    CHECK(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(spec, "Cmd")));
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(spec, "WorkingDir")->valuestring, "/tmp");
    const cJSON *hc = cJSON_GetObjectItemCaseSensitive(spec, "HostConfig");
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(hc, "NetworkMode")->valuestring, "none");
    CHECK(!cJSON_HasObjectItem(spec, "name")); /* passed beside the body, not in it */
    CHECK(cJSON_GetObjectItemCaseSensitive(spec, "image") == NULL);
    cJSON_Delete(spec);
}

static void alias_and_engine_name_together_is_an_error(void)
{
    cJSON *spec;
    CHECK_STR(normalise("{\"image\":\"a\",\"Image\":\"b\"}", &spec), "both 'image' and 'Image' given");
    cJSON_Delete(spec);
}

static void unknown_keys_are_refused(void)
{
    cJSON *spec;
    CHECK_STR(normalise("{\"Image\":\"a\",\"ReadOnlyRootfs\":true}", &spec),
              "unknown container setting 'ReadOnlyRootfs'");
    cJSON_Delete(spec);
    CHECK_STR(normalise("{\"Image\":\"a\",\"HostConfig\":{\"NetworkMod\":\"none\"}}", &spec),
              "unknown HostConfig setting 'NetworkMod'");
    cJSON_Delete(spec);
}

static void image_and_shapes_are_required(void)
{
    cJSON *spec;
    CHECK_STR(normalise("{\"Cmd\":[\"true\"]}", &spec), "image (a string) is required");
    cJSON_Delete(spec);
    CHECK_STR(normalise("{\"Image\":5}", &spec), "image (a string) is required");
    cJSON_Delete(spec);
    CHECK_STR(normalise("[1]", &spec), "a table of container settings expected");
    cJSON_Delete(spec);
    CHECK_STR(normalise("{\"Image\":\"a\",\"HostConfig\":3}", &spec), "host_config must be a table");
    cJSON_Delete(spec);
}

static void stdin_true_opens_and_attaches(void)
{
    cJSON *spec;
    REQUIRE(normalise("{\"Image\":\"a\",\"stdin\":true,\"AttachStderr\":false}", &spec) == NULL);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(spec, "OpenStdin")));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(spec, "StdinOnce")));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(spec, "AttachStdin")));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(spec, "AttachStdout")));
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(spec, "AttachStderr"))); /* given wins */
    CHECK(!cJSON_HasObjectItem(spec, "stdin"));
    cJSON_Delete(spec);
    REQUIRE(normalise("{\"Image\":\"a\",\"stdin\":false}", &spec) == NULL);
    CHECK(!cJSON_HasObjectItem(spec, "OpenStdin"));
    cJSON_Delete(spec);
}

static void env_map_becomes_a_list(void)
{
    cJSON *spec;
    REQUIRE(normalise("{\"Image\":\"a\",\"env\":{\"A\":\"1\",\"B\":2}}", &spec) == NULL);
    const cJSON *env = cJSON_GetObjectItemCaseSensitive(spec, "Env");
    REQUIRE(cJSON_IsArray(env));
    REQUIRE(cJSON_GetArraySize(env) == 2);
    CHECK_STR(cJSON_GetArrayItem(env, 0)->valuestring, "A=1");
    CHECK_STR(cJSON_GetArrayItem(env, 1)->valuestring, "B=2");
    cJSON_Delete(spec);
    /* A list is already the Engine's form and stays as it is. */
    REQUIRE(normalise("{\"Image\":\"a\",\"Env\":[\"X=y\"]}", &spec) == NULL);
    CHECK_STR(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(spec, "Env"), 0)->valuestring,
              "X=y");
    cJSON_Delete(spec);
}

static void sizes_take_the_cli_form(void)
{
    cJSON *spec;
    REQUIRE(normalise("{\"Image\":\"a\",\"HostConfig\":{\"Memory\":\"512m\",\"MemorySwap\":\"-1\","
                      "\"ShmSize\":\"64kb\",\"PidsLimit\":64}}",
                      &spec) == NULL);
    const cJSON *hc = cJSON_GetObjectItemCaseSensitive(spec, "HostConfig");
    CHECK(cJSON_GetObjectItemCaseSensitive(hc, "Memory")->valuedouble == 512.0 * 1024 * 1024);
    CHECK(cJSON_GetObjectItemCaseSensitive(hc, "MemorySwap")->valuedouble == -1);
    CHECK(cJSON_GetObjectItemCaseSensitive(hc, "ShmSize")->valuedouble == 64.0 * 1024);
    CHECK_INT(cJSON_GetObjectItemCaseSensitive(hc, "PidsLimit")->valueint, 64);
    cJSON_Delete(spec);
    CHECK_STR(normalise("{\"Image\":\"a\",\"HostConfig\":{\"Memory\":\"lots\"}}", &spec),
              "bad size 'lots' for Memory (use bytes or 512k, 64m, 1g)");
    cJSON_Delete(spec);
}

static void parse_size_edges(void)
{
    double n = 0;
    CHECK(sp_docker_spec_parse_size("1g", &n) == 0 && n == 1024.0 * 1024 * 1024);
    CHECK(sp_docker_spec_parse_size("1G", &n) == 0 && n == 1024.0 * 1024 * 1024);
    CHECK(sp_docker_spec_parse_size("100", &n) == 0 && n == 100);
    CHECK(sp_docker_spec_parse_size("100b", &n) == 0 && n == 100);
    CHECK(sp_docker_spec_parse_size("", &n) != 0);
    CHECK(sp_docker_spec_parse_size("-2", &n) != 0);
    CHECK(sp_docker_spec_parse_size("5t", &n) != 0);
    CHECK(sp_docker_spec_parse_size("5mm", &n) != 0);
    CHECK(sp_docker_spec_parse_size("5mbx", &n) != 0);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(aliases_become_engine_names),
        UNIT_TEST(alias_and_engine_name_together_is_an_error),
        UNIT_TEST(unknown_keys_are_refused),
        UNIT_TEST(image_and_shapes_are_required),
        UNIT_TEST(stdin_true_opens_and_attaches),
        UNIT_TEST(env_map_becomes_a_list),
        UNIT_TEST(sizes_take_the_cli_form),
        UNIT_TEST(parse_size_edges),
    };
    return UNIT_RUN(tests);
}

#include "sandprobe/settings.h"
#include "unit.h"

static void test_unset_key_is_null(void)
{
    CHECK(sp_settings_get("never.set") == NULL);
    CHECK_STR(sp_settings_get_or("never.set", "fallback"), "fallback");
}

static void test_set_then_get(void)
{
    REQUIRE(sp_settings_set("unit.key", "one") == 0);
    CHECK_STR(sp_settings_get("unit.key"), "one");
    CHECK_STR(sp_settings_get_or("unit.key", "fallback"), "one");
}

static void test_overwrite_keeps_old_pointer_valid(void)
{
    REQUIRE(sp_settings_set("unit.overwrite", "first") == 0);
    const char *held = sp_settings_get("unit.overwrite");
    REQUIRE(sp_settings_set("unit.overwrite", "second") == 0);
    CHECK_STR(held, "first");
    CHECK_STR(sp_settings_get("unit.overwrite"), "second");
}

static void test_value_is_copied(void)
{
    char buf[] = "mutable";
    REQUIRE(sp_settings_set("unit.copy", buf) == 0);
    buf[0] = 'X';
    CHECK_STR(sp_settings_get("unit.copy"), "mutable");
}

static void test_overlong_key_is_refused(void)
{
    char key[200];
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    CHECK(sp_settings_set(key, "v") == -1);
    CHECK(sp_settings_get(key) == NULL);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(test_unset_key_is_null),
        UNIT_TEST(test_set_then_get),
        UNIT_TEST(test_overwrite_keeps_old_pointer_valid),
        UNIT_TEST(test_value_is_copied),
        UNIT_TEST(test_overlong_key_is_refused),
    };
    return UNIT_RUN(tests);
}

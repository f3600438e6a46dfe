/* sp_error and sp_format: the messages every primitive writes. */
#include "sandprobe/text.h"
#include "unit.h"

static void error_writes_and_returns_minus_one(void)
{
    char err[32] = "";
    CHECK_INT(sp_error(err, sizeof err, "bad %s %d", "thing", 7), -1);
    CHECK_STR(err, "bad thing 7");
    /* No buffer: still -1, nothing written anywhere. */
    CHECK_INT(sp_error(NULL, 10, "x"), -1);
    char untouched[4] = "abc";
    CHECK_INT(sp_error(untouched, 0, "x"), -1);
    CHECK_STR(untouched, "abc");
}

static void error_truncates_within_the_buffer(void)
{
    char err[8];
    CHECK_INT(sp_error(err, sizeof err, "%s", "a long message"), -1);
    CHECK_STR(err, "a long ");
}

static void format_reports_truncation(void)
{
    char buf[8];
    CHECK_INT(sp_format(buf, sizeof buf, "%s", "1234567"), 0); /* 7 + NUL fits */
    CHECK_STR(buf, "1234567");
    CHECK_INT(sp_format(buf, sizeof buf, "%s", "12345678"), -1); /* one too many */
    CHECK_INT(sp_format(buf, sizeof buf, "%d/%d", 1, 2), 0);
    CHECK_STR(buf, "1/2");
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(error_writes_and_returns_minus_one),
        UNIT_TEST(error_truncates_within_the_buffer),
        UNIT_TEST(format_reports_truncation),
    };
    return UNIT_RUN(tests);
}

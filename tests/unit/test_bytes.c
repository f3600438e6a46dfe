/* engine/bytes.c: UTF-8 validation and replacement, visible text, base64,
 * JSON string literals. */
#include "sandprobe/bytes.h"
#include "sandprobe/uri.h"

#include <curl/curl.h>

#include "unit.h"

/* fn over s (len bytes) into a fresh buffer; the caller frees. */
static struct sp_bytes run(int (*fn)(struct sp_bytes *, const char *, size_t), const char *s, size_t len)
{
    struct sp_bytes out = {0};
    if (fn(&out, s, len) != 0)
        sp_bytes_free(&out);
    return out;
}

#define RUN(fn, lit) run(fn, lit, sizeof lit - 1)

static void test_utf8_valid(void)
{
    CHECK(sp_utf8_valid("", 0));
    CHECK(sp_utf8_valid("a\0b", 3));                  /* NUL is valid UTF-8 */
    CHECK(sp_utf8_valid("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9));
    CHECK(!sp_utf8_valid("\xff", 1));
    CHECK(!sp_utf8_valid("\xc0\xaf", 2));             /* overlong '/' */
    CHECK(!sp_utf8_valid("\xed\xa0\x80", 3));         /* surrogate U+D800 */
    CHECK(!sp_utf8_valid("\xf4\x90\x80\x80", 4));     /* above U+10FFFF */
    CHECK(!sp_utf8_valid("\xe2\x82", 2));             /* cut short */
}

static void test_replace(void)
{
    struct sp_bytes b = RUN(sp_utf8_replace, "a\xff" "b\xe2\x82" "c\xc3\xa9");
    CHECK_STR(b.data, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xc3\xa9");
    sp_bytes_free(&b);
    /* one U+FFFD per maximal ill-formed subpart: F0 80 is two */
    b = RUN(sp_utf8_replace, "\xf0\x80");
    CHECK_STR(b.data, "\xef\xbf\xbd\xef\xbf\xbd");
    sp_bytes_free(&b);
    b = RUN(sp_utf8_replace, "");
    CHECK(b.data != NULL && b.len == 0);
    sp_bytes_free(&b);
}

static void test_visible(void)
{
    struct sp_bytes b = RUN(sp_text_visible, "a\0b\x1b[31m\r\n\t\x7f\xc2\x9b\xef\xbf\xbf");
    /* NUL, ESC, CR as Control Pictures; LF and tab kept; DEL as U+2421; C1
     * CSI and U+FFFF as U+FFFD */
    CHECK_STR(b.data, "a\xe2\x90\x80" "b\xe2\x90\x9b[31m\xe2\x90\x8d\n\t\xe2\x90\xa1\xef\xbf\xbd\xef\xbf\xbd");
    sp_bytes_free(&b);
}

static void test_base64(void)
{
    const char *cases[][2] = {{"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sp_bytes e = run(sp_base64_encode, cases[i][0], strlen(cases[i][0]));
        CHECK_STR(e.data, cases[i][1]);
        struct sp_bytes d = run(sp_base64_decode, cases[i][1], strlen(cases[i][1]));
        CHECK_STR(d.data, cases[i][0]);
        sp_bytes_free(&e);
        sp_bytes_free(&d);
    }
    struct sp_bytes e = RUN(sp_base64_encode, "\0\xff\xfe");
    CHECK_STR(e.data, "AP/+");
    struct sp_bytes d = run(sp_base64_decode, e.data, e.len);
    CHECK(d.len == 3 && memcmp(d.data, "\0\xff\xfe", 3) == 0);
    sp_bytes_free(&e);
    sp_bytes_free(&d);
    struct sp_bytes bad = {0};
    CHECK(sp_base64_decode(&bad, "Zg=", 3) == -1);   /* not a multiple of 4 */
    CHECK(sp_base64_decode(&bad, "Z*==", 4) == -1);  /* not the alphabet */
    CHECK(sp_base64_decode(&bad, "Zg==Zg==", 8) == -1); /* padding inside */
    sp_bytes_free(&bad);
}

static void test_json_quote(void)
{
    struct sp_bytes q = RUN(sp_json_quote, "a\"b\\c\nd\0e\x1b\x7f\xc3\xa9");
    CHECK_STR(q.data, "\"a\\\"b\\\\c\\nd\\u0000e\\u001b\x7f\xc3\xa9\"");
    sp_bytes_free(&q);
}

static void test_uri_from_path(void)
{
    char *u = sp_uri_from_path("/tmp/a b/#1%\xc3\xa9.py");
    CHECK_STR(u, "file:///tmp/a%20b/%231%25%c3%a9.py");
    curl_free(u);
    u = sp_uri_from_path("src dir/x?.py");
    CHECK_STR(u, "src%20dir/x%3f.py");
    curl_free(u);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(test_utf8_valid), UNIT_TEST(test_replace),    UNIT_TEST(test_visible),
        UNIT_TEST(test_base64),     UNIT_TEST(test_json_quote), UNIT_TEST(test_uri_from_path),
    };
    return UNIT_RUN(tests);
}

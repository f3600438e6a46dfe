/* Unit tests of the strict Python lexer: byte rules (UTF-8 edge cases,
 * control characters, coding declarations), tokens (prefixes, numbers,
 * continuations, indentation), f-string nesting and the places where CPython
 * versions disagree, limits, and linear time on adversarial input. */
#include "sandprobe/pyscan.h"
#include "unit.h"

#include <time.h>

/* Up to 64 tokens of one source, as "KIND:text" joined by spaces. */
struct recorded {
    const char *src;
    char text[4096];
    size_t len;
    int count;
    struct sp_pyscan_token tokens[64];
};

static int record(const struct sp_pyscan_token *t, void *ctx)
{
    struct recorded *r = ctx;
    if (r->count < 64)
        r->tokens[r->count] = *t;
    r->count++;
    int n = snprintf(r->text + r->len, sizeof r->text - r->len, "%s%s:%.*s", r->len ? " " : "",
                     sp_pyscan_kind_name(t->kind), (int)t->length, r->src + t->offset);
    if (n > 0 && r->len + (size_t)n < sizeof r->text)
        r->len += (size_t)n;
    return 0;
}

static enum sp_pyscan_status lex(const char *src, size_t len, struct recorded *r,
                                 struct sp_pyscan_finding *f)
{
    memset(r, 0, sizeof *r);
    r->src = src;
    return sp_pyscan_tokenize(src, len, NULL, record, r, f);
}

/* The rule of the finding for src, or "ok" when it is accepted. */
static const char *rule_of(const char *src, size_t len)
{
    static struct sp_pyscan_finding f;
    if (sp_pyscan_tokenize(src, len, NULL, NULL, NULL, &f) == SP_PYSCAN_OK)
        return "ok";
    return f.rule;
}

#define RULE(lit) rule_of((lit), sizeof(lit) - 1)

static void test_simple_tokens(void)
{
    struct recorded r;
    struct sp_pyscan_finding f;
    const char *src = "x = a.b(1, 'two')  # note\n";
    CHECK_INT(lex(src, strlen(src), &r, &f), SP_PYSCAN_OK);
    CHECK_STR(r.text, "NAME:x OP:= NAME:a OP:. NAME:b OP:( NUMBER:1 OP:, STRING:'two' OP:) "
                      "COMMENT:# note NEWLINE:\n ENDMARKER:");
    CHECK_INT(r.tokens[2].line, 1);
    CHECK_INT(r.tokens[2].col, 5);
    CHECK_INT(r.tokens[8].offset, 11);
}

static int record_unlocated(const struct sp_pyscan_token *t, void *ctx)
{
    struct recorded *r = ctx;
    if (t->line != 0 || t->col != 0)
        r->count = -1000; /* positions were computed: fails the count check */
    return record(t, ctx);
}

static void test_unlocated_tokens(void)
{
    struct recorded located, unlocated;
    struct sp_pyscan_finding f;
    const char *src = "x = f'{a!r}'\nif y:\n    z  # c\n";
    CHECK_INT(lex(src, strlen(src), &located, &f), SP_PYSCAN_OK);
    memset(&unlocated, 0, sizeof unlocated);
    unlocated.src = src;
    CHECK_INT(sp_pyscan_tokenize_unlocated(src, strlen(src), NULL, record_unlocated, &unlocated, &f),
              SP_PYSCAN_OK);
    CHECK_STR(unlocated.text, located.text);
    CHECK_INT(unlocated.count, located.count);
    /* Findings keep their position. */
    const char *bad = "a = 1\nb = 'x\n";
    memset(&f, 0, sizeof f);
    CHECK_INT(sp_pyscan_tokenize_unlocated(bad, strlen(bad), NULL, NULL, NULL, &f),
              SP_PYSCAN_REJECTED);
    CHECK_STR(f.rule, "lex.unterminated-string");
    CHECK_INT(f.line, 2);
    CHECK_INT(f.col, 5);
}

static void test_columns_count_code_points(void)
{
    struct recorded r;
    struct sp_pyscan_finding f;
    const char *src = "s = '\xc3\xa9\xe2\x82\xac' + t\n"; /* 'é€' */
    CHECK_INT(lex(src, strlen(src), &r, &f), SP_PYSCAN_OK);
    CHECK_INT(r.tokens[3].kind, SP_PYSCAN_OP);
    CHECK_INT(r.tokens[3].col, 10);
    CHECK_INT(r.tokens[4].col, 12);
}

static void test_indentation(void)
{
    struct recorded r;
    struct sp_pyscan_finding f;
    const char *src = "if a:\n    b\n\n    # c\n        \nd\n";
    CHECK_INT(lex(src, strlen(src), &r, &f), SP_PYSCAN_OK);
    CHECK_STR(r.text, "NAME:if NAME:a OP:: NEWLINE:\n INDENT: NAME:b NEWLINE:\n NL:\n "
                      "COMMENT:# c NL:\n NL:\n DEDENT: NAME:d NEWLINE:\n ENDMARKER:");
    CHECK_STR(RULE("if a:\n        b\n    c\n"), "lex.indent");
    CHECK_STR(RULE("if a:\n\tb\n        c\n"), "lex.indent"); /* tab vs 8 spaces */
    CHECK_STR(RULE("if a:\n\tb\n\tc\n"), "ok");
    CHECK_STR(RULE("if a:\n  b\n d\n"), "lex.indent");
    CHECK_STR(RULE("x\n  \\\ny\n"), "lex.continuation");
}

static void test_dedent_at_end_and_missing_newline(void)
{
    struct recorded r;
    struct sp_pyscan_finding f;
    CHECK_INT(lex("def f():\n  return 1", 19, &r, &f), SP_PYSCAN_OK);
    CHECK_STR(r.text, "NAME:def NAME:f OP:( OP:) OP:: NEWLINE:\n INDENT: NAME:return NUMBER:1 "
                      "NEWLINE: DEDENT: ENDMARKER:");
}

static void test_utf8_edge_cases(void)
{
    CHECK_STR(RULE("s = '\xc3\xa9'\n"), "ok");              /* U+00E9 */
    CHECK_STR(RULE("s = '\xf0\x9f\x98\x80'\n"), "ok");      /* U+1F600 */
    CHECK_STR(RULE("s = '\xf4\x8f\xbf\xbf'\n"), "ok");      /* U+10FFFF */
    CHECK_STR(RULE("s = '\xc0\xa2'\n"), "byte.utf8");        /* overlong '"' */
    CHECK_STR(RULE("s = '\xc1\xbf'\n"), "byte.utf8");        /* overlong */
    CHECK_STR(RULE("s = '\xe0\x80\xaf'\n"), "byte.utf8");    /* overlong '/' */
    CHECK_STR(RULE("s = '\xf0\x80\x80\xaf'\n"), "byte.utf8"); /* overlong */
    CHECK_STR(RULE("s = '\xed\xa0\x80'\n"), "byte.utf8");    /* surrogate D800 */
    CHECK_STR(RULE("s = '\xed\xbf\xbf'\n"), "byte.utf8");    /* surrogate DFFF */
    CHECK_STR(RULE("s = '\xf4\x90\x80\x80'\n"), "byte.utf8"); /* U+110000 */
    CHECK_STR(RULE("s = '\xf5\x80\x80\x80'\n"), "byte.utf8");
    CHECK_STR(RULE("s = '\x80'\n"), "byte.utf8");            /* stray continuation */
    CHECK_STR(RULE("s = '\xe2\x82'\n"), "byte.utf8");        /* truncated */
    CHECK_STR(rule_of("s = '\xe2\x82", 7), "byte.utf8");     /* truncated at the end */
    CHECK_STR(RULE("s = '\xc2\x85'\n"), "byte.control");     /* C1 NEL */
    CHECK_STR(RULE("s = '\xe2\x80\xae'\n"), "byte.invisible"); /* RLO */
    CHECK_STR(RULE("s = '\xe2\x81\xa6'\n"), "byte.invisible"); /* LRI */
    CHECK_STR(RULE("s = '\xe2\x80\xa8'\n"), "byte.invisible"); /* LINE SEPARATOR */
    CHECK_STR(RULE("\xef\xbb\xbfx = 1\n"), "byte.invisible"); /* BOM */
}

static void test_control_characters(void)
{
    struct sp_pyscan_finding f;
    CHECK_STR(RULE("x = 1\r\n"), "byte.control");
    CHECK_STR(RULE("# c\rimport os\n"), "byte.control");
    CHECK_STR(RULE("x = 1\f\n"), "byte.control");
    CHECK_STR(RULE("x = '\x1b[0m'\n"), "byte.control");
    CHECK_STR(RULE("x = 1\x7f\n"), "byte.control");
    CHECK_STR(RULE("x\t=\t1\n"), "ok");
    /* A NUL byte is seen even though C strings would stop there. */
    CHECK_INT(sp_pyscan_tokenize("x = 1\0\nimport os\n", 17, NULL, NULL, NULL, &f),
              SP_PYSCAN_REJECTED);
    CHECK_STR(f.rule, "byte.control");
    CHECK_INT(f.line, 1);
    CHECK_INT(f.col, 6);
    CHECK(strstr(f.message, "NUL") != NULL);
}

static void test_coding_declarations(void)
{
    CHECK_STR(RULE("# -*- coding: unicode_escape -*-\nx = 1\n"), "byte.coding");
    CHECK_STR(RULE("#!/usr/bin/python\n# vim: set fileencoding=latin-1 :\n"), "byte.coding");
    CHECK_STR(RULE("  \t# coding=utf-8\n"), "ok"); /* UTF-8: what the lexer reads */
    CHECK_STR(RULE("# -*- coding: UTF_8 -*-\nx = 1\n"), "ok");
    CHECK_STR(RULE("# coding: utf8\n"), "ok");
    CHECK_STR(RULE("# coding: utf-8-sig\n"), "byte.coding"); /* only the plain names */
    CHECK_STR(RULE("# coding: utf-80\n"), "byte.coding");
    CHECK_STR(RULE("# coding: latin-1 utf-8\n"), "byte.coding"); /* the first name counts */
    CHECK_STR(RULE("# coding:punycode\n"), "byte.coding");
    CHECK_STR(RULE("x = 1\n# coding: latin-1\n"), "byte.coding"); /* line 2, stricter than CPython */
    CHECK_STR(RULE("x = 1\ny = 2\n# coding: latin-1\n"), "ok");  /* line 3: not a declaration */
    CHECK_STR(RULE("# coding is fun\n"), "ok");
    CHECK_STR(RULE("x = 1  # coding: latin-1\n"), "ok"); /* not a comment-only line */
}

static void test_non_ascii(void)
{
    CHECK_STR(RULE("\xef\xbd\x85\xef\xbd\x98\xef\xbd\x85\xef\xbd\x83('1')\n"), "byte.non-ascii");
    CHECK_STR(RULE("x\xc3\xa9 = 1\n"), "byte.non-ascii");
    CHECK_STR(RULE("x = 1 \xc2\xa0\n"), "byte.non-ascii"); /* no-break space */
    CHECK_STR(RULE("x = '\xef\xbd\x85'  # \xef\xbd\x85\n"), "ok");
    CHECK_STR(RULE("x = f'{\xef\xbd\x85}'\n"), "byte.non-ascii");
    CHECK_STR(RULE("x = f'\xef\xbd\x85{y:\xe2\x86\x92>4}'\n"), "ok");
}

static void test_string_prefixes(void)
{
    struct recorded r;
    struct sp_pyscan_finding f;
    static const char *const ok[] = {"r''", "R''", "u''", "U''", "b''", "B''", "br''", "Br''",
                                     "rB''", "RB''", "f''", "F''", "fr''", "Rf''", "rF''",
                                     "FR''", "''", "\"\"", "''''''", "\"\"\"a\"\"\"", NULL};
    for (int i = 0; ok[i]; i++) {
        char src[32];
        snprintf(src, sizeof src, "x = %s\n", ok[i]);
        CHECK_STR(rule_of(src, strlen(src)), "ok");
    }
    CHECK_STR(RULE("x = ur''\n"), "lex.string-prefix");
    CHECK_STR(RULE("x = bf''\n"), "lex.string-prefix");
    CHECK_STR(RULE("x = t'{a}'\n"), "lex.string-prefix");
    CHECK_STR(RULE("x = rr''\n"), "lex.string-prefix");
    CHECK_STR(RULE("print'x'\n"), "lex.string-prefix");
    const char *src = "x = rb'\\'' + '''a\nb''' + \"\\\"\"\n";
    CHECK_INT(lex(src, strlen(src), &r, &f), SP_PYSCAN_OK);
    CHECK_STR(r.text, "NAME:x OP:= STRING:rb'\\'' OP:+ STRING:'''a\nb''' OP:+ STRING:\"\\\"\" "
                      "NEWLINE:\n ENDMARKER:");
}

static void test_unterminated_strings(void)
{
    struct sp_pyscan_finding f;
    CHECK_STR(RULE("x = 'abc\n"), "lex.unterminated-string");
    CHECK_STR(RULE("x = '''abc\n"), "lex.unterminated-string");
    CHECK_STR(RULE("x = 'abc\\"), "lex.unterminated-string");
    CHECK_STR(RULE("x = r'abc\\'\n"), "lex.unterminated-string");
    CHECK_STR(RULE("x = f'abc\n"), "lex.unterminated-string");
    CHECK_STR(RULE("x = f'{a"), "lex.unterminated-string");
    CHECK_STR(RULE("x = f'{a'\n"), "lex.string-prefix"); /* a name glued to a quote */
    CHECK_STR(RULE("x = f'{a:>3"), "lex.unterminated-string");
    CHECK_STR(RULE("x = 'a\\\nb'\n"), "ok"); /* backslash-newline inside a string */
    CHECK_INT(sp_pyscan_tokenize("a = 1\nb = \"xy\n", 14, NULL, NULL, NULL, &f),
              SP_PYSCAN_REJECTED);
    CHECK_INT(f.line, 2);
    CHECK_INT(f.col, 5);
}

static void test_numbers(void)
{
    struct recorded r;
    struct sp_pyscan_finding f;
    const char *src = "a = 0x_1F + 0o17 + 0b1_0 + 1_000 + 1.5e-3 + .5 + 5. + 3j + 1E5J\n";
    CHECK_INT(lex(src, strlen(src), &r, &f), SP_PYSCAN_OK);
    CHECK_STR(r.text, "NAME:a OP:= NUMBER:0x_1F OP:+ NUMBER:0o17 OP:+ NUMBER:0b1_0 OP:+ "
                      "NUMBER:1_000 OP:+ NUMBER:1.5e-3 OP:+ NUMBER:.5 OP:+ NUMBER:5. OP:+ "
                      "NUMBER:3j OP:+ NUMBER:1E5J NEWLINE:\n ENDMARKER:");
    CHECK_STR(RULE("x = 1if y else 2\n"), "lex.number");
    CHECK_STR(RULE("x = 0x1for\n"), "lex.number");
    CHECK_STR(RULE("x = 0b2\n"), "lex.number");
    CHECK_STR(RULE("x = 0x\n"), "lex.number");
    CHECK_STR(RULE("x = 1 .real\n"), "ok");
    CHECK_STR(RULE("x = 1..real\n"), "ok");
}

static void test_continuation_and_brackets(void)
{
    struct recorded r;
    struct sp_pyscan_finding f;
    const char *src = "x = (1,\n     2) + \\\n    3\n";
    CHECK_INT(lex(src, strlen(src), &r, &f), SP_PYSCAN_OK);
    CHECK_STR(r.text, "NAME:x OP:= OP:( NUMBER:1 OP:, NL:\n NUMBER:2 OP:) OP:+ NUMBER:3 "
                      "NEWLINE:\n ENDMARKER:");
    CHECK_STR(RULE("x = 1 \\ \n"), "lex.continuation");
    CHECK_STR(RULE("x = 1 \\"), "lex.continuation");
    CHECK_STR(RULE("x = (1]\n"), "lex.bracket");
    CHECK_STR(RULE("x = 1)\n"), "lex.bracket");
    CHECK_STR(RULE("x = [1,\n"), "lex.bracket");
    CHECK_STR(RULE("x = $\n"), "lex.character");
    CHECK_STR(RULE("x = a ? b\n"), "lex.character");
    CHECK_STR(RULE("x = !a\n"), "lex.character");
    CHECK_STR(RULE("x = a != b\n"), "ok");
    CHECK_STR(RULE("x = a ** b // c @ d; y -> z\n"), "ok");
}

static void test_depth_cap(void)
{
    char src[600];
    struct sp_pyscan_limits lim = sp_pyscan_default_limits();
    memset(src, '(', 100);
    memset(src + 100, ')', 100);
    struct sp_pyscan_finding f;
    CHECK_INT(sp_pyscan_tokenize(src, 200, &lim, NULL, NULL, &f), SP_PYSCAN_REJECTED);
    CHECK_STR(f.rule, "lex.depth");
    CHECK_INT(f.col, 65);
    lim.max_depth = 200;
    CHECK_INT(sp_pyscan_tokenize(src, 200, &lim, NULL, NULL, &f), SP_PYSCAN_OK);
    lim.max_depth = 100000; /* clamped to the ceiling */
    memset(src, '[', 300);
    memset(src + 300, ']', 300);
    CHECK_INT(sp_pyscan_tokenize(src, 600, &lim, NULL, NULL, &f), SP_PYSCAN_REJECTED);
    CHECK_STR(f.rule, "lex.depth");
    CHECK_STR(RULE("x = f'{f\"{y}\"}'\n"), "ok");
}

static void test_size_cap(void)
{
    struct sp_pyscan_limits lim = sp_pyscan_default_limits();
    struct sp_pyscan_finding f;
    lim.max_bytes = 4;
    CHECK_INT(sp_pyscan_tokenize("x = 1\n", 6, &lim, NULL, NULL, &f), SP_PYSCAN_REJECTED);
    CHECK_STR(f.rule, "byte.size");
    lim.max_bytes = 6;
    CHECK_INT(sp_pyscan_tokenize("x = 1\n", 6, &lim, NULL, NULL, &f), SP_PYSCAN_OK);
    CHECK_INT(sp_pyscan_tokenize(NULL, 0, NULL, NULL, NULL, &f), SP_PYSCAN_OK);
}

static void test_fstring_tokens(void)
{
    struct recorded r;
    struct sp_pyscan_finding f;
    const char *src = "f'a{x!r:>{w}.{p}f}b{{c}}{d[\"k\"]=}{e:%Y}'\n";
    CHECK_INT(lex(src, strlen(src), &r, &f), SP_PYSCAN_OK);
    CHECK_STR(r.text,
              "FSTRING_START:f' FSTRING_MIDDLE:a OP:{ NAME:x OP:! NAME:r OP:: FSTRING_MIDDLE:> "
              "OP:{ NAME:w OP:} FSTRING_MIDDLE:. OP:{ NAME:p OP:} FSTRING_MIDDLE:f OP:} "
              "FSTRING_MIDDLE:b{{c}} OP:{ NAME:d OP:[ STRING:\"k\" OP:] OP:= OP:} OP:{ NAME:e "
              "OP:: FSTRING_MIDDLE:%Y OP:} FSTRING_END:' NEWLINE:\n ENDMARKER:");
}

static void test_fstring_nesting(void)
{
    struct recorded r;
    struct sp_pyscan_finding f;
    const char *src = "f\"{f'{x}'}\"\n";
    CHECK_INT(lex(src, strlen(src), &r, &f), SP_PYSCAN_OK);
    CHECK_STR(r.text, "FSTRING_START:f\" OP:{ FSTRING_START:f' OP:{ NAME:x OP:} FSTRING_END:' "
                      "OP:} FSTRING_END:\" NEWLINE:\n ENDMARKER:");
    /* Triple-quoted f-strings may span lines, fields included. */
    CHECK_STR(RULE("f'''{x +\n y}\n'''\n"), "ok");
    CHECK_STR(RULE("f'{x:{y}}'\n"), "ok");
    CHECK_STR(RULE("f'{ {1: 2}[1] }'\n"), "ok");
    CHECK_STR(RULE("f'{x[1:2]}'\n"), "ok");
    CHECK_STR(RULE("f'{a!=b}'\n"), "ok");
    CHECK_STR(RULE("f'\\N{DIGIT ONE}{x}'\n"), "ok");
    CHECK_STR(RULE("rf'\\N{x}'\n"), "ok"); /* raw: {x} is a field */
    CHECK_STR(RULE("rf'\\N{}'\n"), "lex.fstring-empty");
}

static void test_fstring_disagreements(void)
{
    /* 3.12 reads these as nested strings; 3.11 ends the f-string early. */
    CHECK_STR(RULE("f'{'a'}'\n"), "lex.fstring-quote");
    CHECK_STR(RULE("f\"{x[\"a\"]}\"\n"), "lex.fstring-quote");
    CHECK_STR(RULE("f\"{'a\"b'}\"\n"), "lex.fstring-quote");
    CHECK_STR(RULE("f'{f\"{'x'}\"}'\n"), "lex.fstring-quote");
    CHECK_STR(RULE("f'{x:\\'}'\n"), "lex.fstring-spec");
    CHECK_STR(RULE("f\"{x:'>3}\"\n"), "ok");
    CHECK_STR(RULE("f'{x:\"}'\n"), "ok");
    CHECK_STR(RULE("f\"{x:\"}\"\n"), "lex.fstring-quote");
    CHECK_STR(RULE("f'{\"\\n\"}'\n"), "lex.fstring-backslash");
    CHECK_STR(RULE("f'{x # c\n}'\n"), "lex.fstring-comment");
    CHECK_STR(RULE("f'''{x # c\n}'''\n"), "lex.fstring-comment");
    CHECK_STR(RULE("f'{\"#\"}'\n"), "lex.fstring-comment");
    CHECK_STR(RULE("f'{x\n}'\n"), "lex.fstring-newline");
    CHECK_STR(RULE("f'\\{x}'\n"), "lex.fstring-escape");
    CHECK_STR(RULE("f'\\N{x'\n"), "lex.fstring-escape");
    CHECK_STR(RULE("f'a}b'\n"), "lex.fstring-brace");
    CHECK_STR(RULE("f'{x:{{}}'\n"), "lex.fstring-brace");
    CHECK_STR(RULE("f'{}'\n"), "lex.fstring-empty");
    CHECK_STR(RULE("f'{ :>3}'\n"), "lex.fstring-empty");
    CHECK_STR(RULE("f'{x!z}'\n"), "lex.fstring-conversion");
    CHECK_STR(RULE("f'{x!r }'\n"), "lex.fstring-conversion");
    CHECK_STR(RULE("f'{x)'\n"), "lex.bracket");
    CHECK_STR(RULE("f'{(x}'\n"), "lex.bracket");
}

static int stop_at_third(const struct sp_pyscan_token *t, void *ctx)
{
    (void)t;
    return ++*(int *)ctx == 3;
}

static void test_callback_can_stop(void)
{
    int seen = 0;
    CHECK_INT(sp_pyscan_tokenize("a b c d e\n", 10, NULL, stop_at_third, &seen, NULL),
              SP_PYSCAN_STOPPED);
    CHECK_INT(seen, 3);
}

static double seconds_to_lex(const char *src, size_t len)
{
    struct sp_pyscan_limits lim = sp_pyscan_default_limits();
    lim.max_bytes = len;
    clock_t start = clock();
    sp_pyscan_tokenize(src, len, &lim, NULL, NULL, NULL);
    return (double)(clock() - start) / CLOCKS_PER_SEC;
}

/* Fills buf with copies of unit. */
static void fill(char *buf, size_t len, const char *unit)
{
    size_t u = strlen(unit);
    for (size_t i = 0; i < len; i++)
        buf[i] = unit[i % u];
}

/* Adversarial inputs of 1 MB lex in time proportional to size: each is
 * compared with a 16x smaller input of the same shape. A quadratic lexer
 * would take about 256x longer on the bigger one; a linear one about 16x. */
static void test_linear_time(void)
{
    static const char *const units[] = {
        "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((",
        "f'{f\"{x}\"}{y:{z}}' + ",
        "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\'aaaaaaaaaaa' ",
        "x = [a.b for a in range(10) if a] # comment\n",
        "\"\"\"\n\\\"\"\"\"\n",
        "                                                                  ",
        "f'''{x:{'''",
    };
    size_t big = 1024 * 1024, small = big / 16;
    char *buf = malloc(big);
    REQUIRE(buf != NULL);
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        fill(buf, big, units[i]);
        double t_small = seconds_to_lex(buf, small);
        double t_big = seconds_to_lex(buf, big);
        /* Generous bounds: shared machines are noisy, but 1 MB must never
         * take long and never blow up super-linearly. */
        CHECK(t_big < 0.5);
        CHECK(t_big < 64 * t_small + 0.02);
        if (t_big >= 0.5 || t_big >= 64 * t_small + 0.02)
            fprintf(stderr, "  unit %zu: %.4f s for 64 KiB, %.4f s for 1 MiB\n", i, t_small, t_big);
    }
    free(buf);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(test_simple_tokens),
        UNIT_TEST(test_unlocated_tokens),
        UNIT_TEST(test_columns_count_code_points),
        UNIT_TEST(test_indentation),
        UNIT_TEST(test_dedent_at_end_and_missing_newline),
        UNIT_TEST(test_utf8_edge_cases),
        UNIT_TEST(test_control_characters),
        UNIT_TEST(test_coding_declarations),
        UNIT_TEST(test_non_ascii),
        UNIT_TEST(test_string_prefixes),
        UNIT_TEST(test_unterminated_strings),
        UNIT_TEST(test_numbers),
        UNIT_TEST(test_continuation_and_brackets),
        UNIT_TEST(test_depth_cap),
        UNIT_TEST(test_size_cap),
        UNIT_TEST(test_fstring_tokens),
        UNIT_TEST(test_fstring_nesting),
        UNIT_TEST(test_fstring_disagreements),
        UNIT_TEST(test_callback_can_stop),
        UNIT_TEST(test_linear_time),
    };
    return UNIT_RUN(tests);
}

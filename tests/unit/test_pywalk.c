/* Unit tests of the validator's C walk: the compiled policy, tokens kept
 * from the lexer, import statements, every rule checked in C, the tokens
 * deferred to the caller, positions, and the str.format field scanner. */
#include "sandprobe/pywalk.h"
#include "unit.h"

/* What the hooks saw, as "rule@token" and "event@token" joined by spaces. */
struct seen {
    char text[2048];
    size_t len;
    char last_message[256];
};

static void add_seen(struct seen *s, const char *what, size_t i)
{
    int n = snprintf(s->text + s->len, sizeof s->text - s->len, "%s%s@%zu", s->len ? " " : "",
                     what, i);
    if (n > 0 && s->len + (size_t)n < sizeof s->text)
        s->len += (size_t)n;
}

static void on_report(void *ctx, size_t i, const char *rule, const char *message)
{
    struct seen *s = ctx;
    add_seen(s, rule, i);
    snprintf(s->last_message, sizeof s->last_message, "%s", message);
}

static void on_defer(void *ctx, enum sp_pywalk_event event, size_t i)
{
    static const char *const names[] = {"decorator", "format", "dunder", "match", "context"};
    add_seen(ctx, names[event], i);
}

static const struct sp_pywalk_hooks HOOKS = {on_report, on_defer};

static void add_all(struct sp_pywalk_policy *p, enum sp_pywalk_set set, const char *const *names)
{
    for (; *names != NULL; names++)
        REQUIRE(sp_pywalk_policy_add(p, set, *names, strlen(*names)) == 0);
}

/* A small policy: module m (attribute ok), module json (loads). */
static struct sp_pywalk_policy *small_policy(void)
{
    struct sp_pywalk_policy *p = sp_pywalk_policy_new();
    if (p == NULL)
        return NULL;
    static const char *const keywords[] = {"import", "from", "as", "def", "pass", "if", "class", NULL};
    static const char *const builtins[] = {"eval", "exec", NULL};
    static const char *const dunders[] = {"__init__", NULL};
    static const char *const attributes[] = {"mro", NULL};
    static const char *const formats[] = {"format", NULL};
    static const char *const receivers[] = {"self", NULL};
    static const char *const names[] = {"metaclass", NULL};
    static const char *const forbidden_keywords[] = {"await", NULL};
    static const char *const public_underscore[] = {"_asdict", NULL};
    static const char *const context[] = {"wraps", NULL};
    add_all(p, SP_PYWALK_KEYWORD, keywords);
    add_all(p, SP_PYWALK_FORBIDDEN_BUILTIN, builtins);
    add_all(p, SP_PYWALK_DUNDER, dunders);
    add_all(p, SP_PYWALK_FORBIDDEN_ATTRIBUTE, attributes);
    add_all(p, SP_PYWALK_FORMAT_METHOD, formats);
    add_all(p, SP_PYWALK_PRIVATE_RECEIVER, receivers);
    add_all(p, SP_PYWALK_FORBIDDEN_NAME, names);
    add_all(p, SP_PYWALK_FORBIDDEN_KEYWORD, forbidden_keywords);
    add_all(p, SP_PYWALK_PUBLIC_UNDERSCORE, public_underscore);
    add_all(p, SP_PYWALK_CONTEXT_NAME, context);
    sp_pywalk_policy_add_prefix(p, "gi_", 3);
    sp_pywalk_policy_add_module(p, "m", 1, "ok", 2);
    sp_pywalk_policy_add_module(p, "m", 1, "wraps", 5);
    sp_pywalk_policy_add_module(p, "json", 4, "loads", 5);
    sp_pywalk_policy_add_module(p, "empty", 5, NULL, 0);
    return p;
}

/* Lexes and checks src with the small policy; what the hooks saw. */
static void walk(const char *src, struct seen *s)
{
    memset(s, 0, sizeof *s);
    struct sp_pywalk_policy *p = small_policy();
    REQUIRE(p != NULL);
    enum sp_pyscan_status status;
    struct sp_pyscan_finding f;
    struct sp_pywalk *w = sp_pywalk_lex(src, strlen(src), NULL, &status, &f);
    REQUIRE(w != NULL);
    CHECK_INT(status, SP_PYSCAN_OK);
    CHECK_INT(sp_pywalk_check(w, p, &HOOKS, s), 0);
    sp_pywalk_free(w);
    sp_pywalk_policy_free(p);
}

static void test_tokens_kept(void)
{
    enum sp_pyscan_status status;
    struct sp_pyscan_finding f;
    const char *src = "a.b  # c\n\nx = 'y'\n";
    struct sp_pywalk *w = sp_pywalk_lex(src, strlen(src), NULL, &status, &f);
    REQUIRE(w != NULL);
    /* a . b NEWLINE x = 'y' NEWLINE ENDMARKER: no COMMENT, no NL */
    CHECK_INT(sp_pywalk_count(w), 9);
    CHECK_INT(sp_pywalk_kind(w, 1), SP_PYSCAN_NAME);
    CHECK_INT(sp_pywalk_kind(w, 4), SP_PYSCAN_NEWLINE);
    CHECK_INT(sp_pywalk_kind(w, 9), SP_PYSCAN_ENDMARKER);
    CHECK_INT(sp_pywalk_kind(w, 0), SP_PYSCAN_KIND_COUNT);
    CHECK_INT(sp_pywalk_kind(w, 10), SP_PYSCAN_KIND_COUNT);
    size_t len = 0;
    const char *text = sp_pywalk_text(w, 7, &len);
    REQUIRE(text != NULL);
    CHECK_INT(len, 3);
    CHECK(memcmp(text, "'y'", 3) == 0);
    CHECK(sp_pywalk_text(w, 10, &len) == NULL);
    sp_pywalk_free(w);
}

static void test_rejected_source(void)
{
    enum sp_pyscan_status status;
    struct sp_pyscan_finding f;
    struct sp_pyscan_limits lim = sp_pyscan_default_limits();
    lim.max_bytes = 4;
    struct sp_pywalk *w = sp_pywalk_lex("x = 12\n", 7, &lim, &status, &f);
    REQUIRE(w != NULL);
    CHECK_INT(status, SP_PYSCAN_REJECTED);
    CHECK_STR(f.rule, "byte.size");
    CHECK_INT(sp_pywalk_count(w), 0);
    sp_pywalk_free(w);
    w = sp_pywalk_lex("s = 'x\n", 7, NULL, &status, &f);
    REQUIRE(w != NULL);
    CHECK_INT(status, SP_PYSCAN_REJECTED);
    CHECK_STR(f.rule, "lex.unterminated-string");
    CHECK_INT(f.line, 1);
    CHECK_INT(f.col, 5);
    sp_pywalk_free(w);
}

static void test_locate(void)
{
    enum sp_pyscan_status status;
    struct sp_pyscan_finding f;
    const char *src = "s = '\xc3\xa9'; t\nu\n"; /* s = 'é'; t */
    struct sp_pywalk *w = sp_pywalk_lex(src, strlen(src), NULL, &status, &f);
    REQUIRE(w != NULL);
    size_t tokens[] = {1, 5, 7};
    unsigned lines[3], cols[3];
    CHECK_INT(sp_pywalk_locate(w, 3, tokens, lines, cols), 0);
    CHECK_INT(lines[0], 1);
    CHECK_INT(cols[0], 1);
    CHECK_INT(lines[1], 1);
    CHECK_INT(cols[1], 10); /* code points, not bytes */
    CHECK_INT(lines[2], 2);
    CHECK_INT(cols[2], 1);
    size_t backwards[] = {5, 1};
    CHECK_INT(sp_pywalk_locate(w, 2, backwards, lines, cols), -1);
    size_t outside[] = {99};
    CHECK_INT(sp_pywalk_locate(w, 1, outside, lines, cols), -1);
    sp_pywalk_free(w);
}

static void test_names(void)
{
    struct seen s;
    walk("eval\nx = exec\nmetaclass\nawait\nok\n__init__\n", &s);
    CHECK_STR(s.text, "policy.builtin@1 policy.builtin@5 policy.name@7 policy.keyword@9");
    walk("exec", &s);
    CHECK_STR(s.last_message, "builtin 'exec' is not allowed");
    /* Bare dunders not on the list and `match` need context: deferred. */
    walk("__name__\nmatch\n", &s);
    CHECK_STR(s.text, "dunder@1 match@3");
}

static void test_attributes(void)
{
    struct seen s;
    walk("a.mro\nb.gi_frame\nc.__class__\nd.__init__\nself._x\no._y\na.b._z\n", &s);
    CHECK_STR(s.text, "policy.attribute@3 policy.attribute@7 policy.dunder@11 "
                      "policy.private-attribute@23 policy.private-attribute@29");
    walk("o._y\n", &s);
    CHECK_STR(s.last_message, "private attribute '_y' may only be read through self or cls");
    walk("'{}'.format(1)\n", &s);
    CHECK_STR(s.text, "format@3");
}

/* Restricted names are handed over wherever they are used, but as a
 * keyword's own name, an attribute of a non-module and a decorator's name
 * (the decorator hook checks those); imported under another name they are
 * refused; namedtuple's public `_x` attributes pass; class bases may not be
 * unpacked. */
static void test_restricted_names(void)
{
    struct seen s;
    walk("import m\nwraps(f)\nm.wraps\nx.wraps\n", &s);
    CHECK_STR(s.text, "context@4 context@11");
    walk("import m\n@m.wraps(f)\ndef g(): pass\n@wraps\ndef h(): pass\n", &s);
    CHECK_STR(s.text, "decorator@4 decorator@19");
    walk("from m import wraps as w\nfrom m import wraps\n", &s);
    CHECK_STR(s.text, "policy.call@4");
    CHECK_STR(s.last_message, "'wraps' may not be imported under another name");
    walk("p._asdict()\np._other\n", &s);
    CHECK_STR(s.text, "policy.private-attribute@9");
    walk("class A(**k):\n    pass\nclass B(*b, c):\n    pass\nclass C(D, e=f):\n    pass\nx = (class_ for class_ in y)\n", &s);
    CHECK_STR(s.text, "policy.call@4 policy.call@16");
    CHECK_STR(s.last_message, "class bases may not be unpacked with * or **");
}

/* Statements, their blocks' headers, and field defaults in class bodies. */
static void test_statements_and_field_defaults(void)
{
    const char *src = "@dataclass\nclass A:\n    x: int = field(default=0)\n    def m(self):\n"
                      "        y: int = field()\n    z: int = field() or 1\nw: int = field()\n"
                      "class B:\n    v = field()\n";
    enum sp_pyscan_status status;
    struct sp_pyscan_finding f;
    struct sp_pywalk *w = sp_pywalk_lex(src, strlen(src), NULL, &status, &f);
    REQUIRE(w != NULL && status == SP_PYSCAN_OK);
    size_t fields[8], n = 0;
    for (size_t i = 1; i <= sp_pywalk_count(w) && n < 8; i++) {
        size_t len;
        const char *t = sp_pywalk_text(w, i, &len);
        if (sp_pywalk_kind(w, i) == SP_PYSCAN_NAME && len == 5 && memcmp(t, "field", 5) == 0)
            fields[n++] = i;
    }
    CHECK(n == 5);
    size_t statement, header;
    CHECK(sp_pywalk_statement(w, fields[0], &statement, &header) == 0);
    CHECK(statement == fields[0] - 4 && header == 4); /* x ... in class A (after @dataclass NEWLINE) */
    CHECK(sp_pywalk_field_default(w, fields[0]));     /* x: int = field(default=0) */
    CHECK(!sp_pywalk_field_default(w, fields[1]));    /* in a method */
    CHECK(!sp_pywalk_field_default(w, fields[2]));    /* not the whole value */
    CHECK(!sp_pywalk_field_default(w, fields[3]));    /* top level */
    CHECK(sp_pywalk_statement(w, fields[3], &statement, &header) == 0 && header == 0);
    CHECK(!sp_pywalk_field_default(w, fields[4]));    /* not annotated */
    CHECK(sp_pywalk_field_default(w, fields[0]));     /* asked again, earlier: same answer */
    CHECK(sp_pywalk_statement(w, 0, &statement, &header) == -1);
    sp_pywalk_free(w);
}

/* The first field(...) default of src, as sp_pywalk_field_default sees it. */
static int first_field_default(const char *src)
{
    enum sp_pyscan_status status;
    struct sp_pyscan_finding f;
    struct sp_pywalk *w = sp_pywalk_lex(src, strlen(src), NULL, &status, &f);
    if (w == NULL || status != SP_PYSCAN_OK) {
        sp_pywalk_free(w);
        return -2; /* matches no expectation */
    }
    int result = -1;
    for (size_t i = 1; i <= sp_pywalk_count(w) && result < 0; i++) {
        size_t len;
        const char *t = sp_pywalk_text(w, i, &len);
        if (sp_pywalk_kind(w, i) == SP_PYSCAN_NAME && len == 5 && memcmp(t, "field", 5) == 0)
            result = sp_pywalk_field_default(w, i);
    }
    sp_pywalk_free(w);
    return result;
}

/* Only in a class decorated @dataclass, and with literal flags. */
static void test_field_default_dataclass_only(void)
{
    CHECK(first_field_default("@dataclass\nclass A:\n    x: int = field(default=0, init=False)\n") == 1);
    CHECK(first_field_default("@dataclasses.dataclass(frozen=True)\n# c\nclass A:\n    x: int = field(\n"
                              "        default=0,\n        repr=True,\n    )\n") == 1);
    CHECK(first_field_default("@other\n@dataclass\nclass A:\n    x: int = field(hash=None)\n") == 1);
    CHECK(first_field_default("class A:\n    x: int = field(default=0)\n") == 0);       /* no dataclass */
    CHECK(first_field_default("@total_ordering\nclass A:\n    x: int = field()\n") == 0);
    CHECK(first_field_default("@x.dataclass\nclass A:\n    x: int = field()\n") == 0);    /* not the module */
    CHECK(first_field_default("@dataclass\nclass A:\n    x: int = field(init=T())\n") == 0);
    CHECK(first_field_default("@dataclass\nclass A:\n    x: int = field(compare=c)\n") == 0);
    CHECK(first_field_default("@dataclass\nclass A:\n    x: int = field(kw_only=True or x)\n") == 0);
    CHECK(first_field_default("@dataclass\nclass A:\n    x: int = field(**k)\n") == 0);
    CHECK(first_field_default("@dataclass\nclass A:\n    x: int = field(0)\n") == 0);     /* positional */
    CHECK(first_field_default("@dataclass\nclass A:\n    x: list = field(default_factory=make(1, 2))\n") == 1);
}

static void test_imports_and_modules(void)
{
    struct seen s;
    walk("import m\nm.ok\nm.no\nx = m\n", &s);
    CHECK_STR(s.text, "policy.module-attribute@10 policy.module-value@14");
    walk("import m\nm.no\n", &s);
    CHECK_STR(s.last_message, "'m.no' is not allowed");
    walk("import m as q\nq.ok\nq\n", &s);
    CHECK_STR(s.text, "policy.module-value@10");
    CHECK_STR(s.last_message, "module 'm' may only be used as q.<name>");
    walk("import os.path, m.ok\n", &s);
    CHECK_STR(s.text, "policy.import@2 policy.import@6");
    CHECK_STR(s.last_message, "module 'm.ok' is not on the import allowlist");
    walk("import\n", &s);
    CHECK_STR(s.text, "policy.import@1");
    CHECK_STR(s.last_message, "malformed import statement");
    walk("import m as eval\n", &s);
    CHECK_STR(s.text, "policy.builtin@4");
}

static void test_from_imports(void)
{
    struct seen s;
    walk("from json import loads, dumps as d\nd\n", &s);
    CHECK_STR(s.text, "policy.import-name@6");
    CHECK_STR(s.last_message, "'dumps' may not be imported from 'json'");
    walk("from json import *\n", &s);
    CHECK_STR(s.text, "policy.import-star@4");
    walk("from . import m\n", &s);
    CHECK_STR(s.text, "policy.import-relative@1");
    walk("from json.decoder import x\n", &s);
    CHECK_STR(s.text, "policy.import@1");
    walk("from empty import (x,)\n", &s);
    CHECK_STR(s.text, "policy.import-name@5");
    /* `yield from` and `raise ... from` are no imports. */
    walk("def g(): yield from eval\n", &s);
    CHECK_STR(s.text, "policy.builtin@8");
}

static void test_decorators_and_defined(void)
{
    struct seen s;
    walk("@d\ndef d(): pass\nx @ y\n", &s);
    CHECK_STR(s.text, "decorator@1");
    enum sp_pyscan_status status;
    struct sp_pyscan_finding f;
    const char *src = "def local(): pass\nlocal2 = 1\n";
    struct sp_pywalk *w = sp_pywalk_lex(src, strlen(src), NULL, &status, &f);
    struct sp_pywalk_policy *p = small_policy();
    REQUIRE(w != NULL && p != NULL);
    CHECK_INT(sp_pywalk_check(w, p, &HOOKS, &s), 0);
    CHECK(sp_pywalk_defined(w, "local", 5));
    CHECK(!sp_pywalk_defined(w, "local2", 6));
    CHECK(!sp_pywalk_defined(w, "absent", 6));
    /* A second check gives the same result. */
    memset(&s, 0, sizeof s);
    CHECK_INT(sp_pywalk_check(w, p, &HOOKS, &s), 0);
    CHECK_STR(s.text, "");
    sp_pywalk_free(w);
    sp_pywalk_policy_free(p);
}

static void test_long_names_in_messages(void)
{
    char src[3000] = "__";
    memset(src + 2, 'a', 2500);
    strcpy(src + 2502, "__.x\n");
    struct seen s;
    walk(src, &s);
    CHECK_STR(s.text, "dunder@1");
    strcpy(src, "o.__");
    memset(src + 4, 'a', 2500);
    strcpy(src + 2504, "__\n");
    walk(src, &s);
    CHECK_STR(s.text, "policy.dunder@3");
    CHECK_INT(strlen(s.last_message), sizeof s.last_message - 1); /* truncated only by this test */
}

static int plain(const char *s)
{
    return sp_pywalk_plain_format_fields(s, strlen(s));
}

static void test_plain_format_fields(void)
{
    CHECK(plain(""));
    CHECK(plain("{} and {0} and {name!r:>10} and {:.2f}"));
    CHECK(plain("{{literal}} {x:{width}}"));
    CHECK(!plain("{0.__class__}"));
    CHECK(plain("{x[0]} {0[key][1]:>5}")); /* items: __getitem__, no attribute */
    CHECK(!plain("{x[0].y}"));
    CHECK(!plain("{x[a.b]}"));
    CHECK(!plain("{x[]}"));
    CHECK(!plain("{x[0}"));
    CHECK(!plain("{x[a:b]}"));
    CHECK(!plain("{x[0]y}"));
    CHECK(!plain("{:{0.x}}"));
    CHECK(!plain("{"));
    CHECK(!plain("}"));
    CHECK(!plain("{x"));
    CHECK(plain("}}"));
    CHECK(!plain("{a b}"));
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(test_tokens_kept),
        UNIT_TEST(test_rejected_source),
        UNIT_TEST(test_locate),
        UNIT_TEST(test_names),
        UNIT_TEST(test_attributes),
        UNIT_TEST(test_restricted_names),
        UNIT_TEST(test_statements_and_field_defaults),
        UNIT_TEST(test_field_default_dataclass_only),
        UNIT_TEST(test_imports_and_modules),
        UNIT_TEST(test_from_imports),
        UNIT_TEST(test_decorators_and_defined),
        UNIT_TEST(test_long_names_in_messages),
        UNIT_TEST(test_plain_format_fields),
    };
    return UNIT_RUN(tests);
}

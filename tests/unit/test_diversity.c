/* Unit tests of the diversity monitor: normalisation (renamed variables and
 * changed constants are the same program, changed structure is not), the
 * window score against a brute-force mean of pairwise distances, the collapse
 * flag and its events, caller figures and their refusals, and the metrics the
 * process-wide monitor publishes. */
#include "sandprobe/diversity.h"
#include "sandprobe/metrics.h"
#include "sandprobe/metrics_catalogue.h"
#include "sandprobe/pywalk.h"
#include "unit.h"

#include <math.h>

static void fp_of(const char *src, struct sp_diversity_fingerprint *fp)
{
    sp_diversity_fingerprint(src, strlen(src), fp);
}

static void test_renaming_and_constants_are_the_same_program(void)
{
    struct sp_diversity_fingerprint a, b, c;
    fp_of("total = 0\nfor i in range(10):\n    total += i * 3\nprint(total, 'done')\n", &a);
    fp_of("acc = 0\nfor k in range(99):\n    acc += k * 7\nprint(acc, \"finished\")  # note\n", &b);
    CHECK(a.exact == b.exact);
    CHECK(sp_diversity_similarity(&a, &b) == 1.0);
    CHECK(a.rejected_rule == NULL);
    /* Different structure: a while loop and a function. */
    fp_of("def f(x):\n    while x > 0:\n        x -= 1\n    return x\nprint(f(5))\n", &c);
    CHECK(a.exact != c.exact);
    CHECK(sp_diversity_similarity(&a, &c) < 0.5);
}

static void test_keywords_are_kept(void)
{
    struct sp_diversity_fingerprint a, b;
    fp_of("if x:\n    pass\n", &a);
    fp_of("while x:\n    pass\n", &b);
    CHECK(a.exact != b.exact);
}

/* Logical lines are the units: one line code per NEWLINE, the DEDENTs at
 * the end a line of their own; a program with one line changed out of
 * twenty shares most shingles with the original, one with its lines in
 * another order is another program. */
static void test_lines_are_the_units(void)
{
    struct sp_diversity_fingerprint a, b, c, d;
    fp_of("a = 1\nb = 2  # two\n\n", &a);
    CHECK(a.lines == 2 && a.tokens == 8);
    fp_of("if x:\n    y()\n", &b);
    CHECK(b.lines == 3); /* "if x :", "INDENT y ( )", the closing DEDENT */
    char original[2048] = "", edited[2048] = "", reordered[2048] = "";
    for (int i = 0; i < 20; i++) {
        char line[64];
        snprintf(line, sizeof line, i % 2 ? "v%d = f(v, %d)\n" : "if v > %d:\n    v = g(v)\n", i, i);
        strcat(original, line);
        strcat(edited, i == 10 ? "v10 = [v for v in w]\n" : line);
    }
    for (int i = 19; i >= 0; i--) {
        char line[64];
        snprintf(line, sizeof line, i % 2 ? "v%d = f(v, %d)\n" : "if v > %d:\n    v = g(v)\n", i, i);
        strcat(reordered, line);
    }
    fp_of(original, &a);
    fp_of(edited, &c);
    fp_of(reordered, &d);
    double near = sp_diversity_similarity(&a, &c);
    CHECK(a.exact != c.exact);
    CHECK(near > 0.6 && near < 1.0);
    CHECK(a.exact != d.exact);
}

static void test_refused_source_still_fingerprinted(void)
{
    struct sp_diversity_fingerprint a, b;
    fp_of("x = 'unterminated\n", &a);
    REQUIRE(a.rejected_rule != NULL);
    CHECK(a.exact != 0);
    fp_of("", &b);
    CHECK(b.tokens == 0);
    CHECK(b.exact != 0);
    CHECK(a.exact != b.exact);
}

/* The fingerprint the validator's lexer run makes (sandbox.run's path)
 * equals the one made from the source, bit for bit, whether the lexer
 * accepts the source or refuses it part-way. */
static void test_fingerprint_from_validator_tokens_equals_source(void)
{
    static const char *const sources[] = {
        "total = 0\nfor i in range(10):\n    total += i * 3  # c\n\nprint(total, 'done')\n",
        "class A:\n    def m(self):\n        return f'{self!r:>{10}}' if True else None\n",
        "x",                          /* shorter than a shingle, no newline */
        "",                           /* no token but the end marker */
        "import os\nos.system('x')\n", /* the policy refuses it, the lexer does not */
        "a = 1\nb = 'unterminated\n",  /* the lexer refuses it part-way */
        "while continue nonlocal lambda yield async await finally:\n pass\n",
        /* names, keywords and operators repeated (the walk codes each once) */
        "def f(a) -> int:\n    caf\xc3\xa9 = a ** 2; a //= 3; a **= 2\n    if a != caf\xc3\xa9 and (b := a):\n"
        "        return ... if a else f(a) @ b\n    return not a or b << 1 >> 2\n",
    };
    for (size_t k = 0; k < sizeof sources / sizeof sources[0]; k++) {
        const char *src = sources[k];
        struct sp_diversity_fingerprint direct, walked;
        fp_of(src, &direct);
        struct sp_diversity_builder b;
        sp_diversity_begin(&b, src, strlen(src), &walked);
        enum sp_pyscan_status status;
        struct sp_pyscan_finding finding;
        struct sp_pywalk *w = sp_pywalk_lex_fingerprinted(src, strlen(src), NULL, &b, &status, &finding);
        REQUIRE(w != NULL);
        sp_diversity_end(&b, status == SP_PYSCAN_OK ? NULL : finding.rule);
        CHECK((status == SP_PYSCAN_OK) == (direct.rejected_rule == NULL));
        CHECK(memcmp(&direct, &walked, sizeof direct) == 0);
        sp_pywalk_free(w);
    }
}

/* A long program crosses several hashing batches: still the same. */
static void test_fingerprint_across_batches(void)
{
    char src[8192] = "";
    for (int i = 0; i < 200; i++)
        strcat(src, i % 3 ? "x = y + 1\n" : "if a:\n    b()\n");
    struct sp_diversity_fingerprint direct, walked;
    fp_of(src, &direct);
    CHECK(direct.lines > 4 * SP_DIVERSITY_BATCH);
    struct sp_diversity_builder b;
    sp_diversity_begin(&b, src, strlen(src), &walked);
    enum sp_pyscan_status status;
    struct sp_pywalk *w = sp_pywalk_lex_fingerprinted(src, strlen(src), NULL, &b, &status, NULL);
    REQUIRE(w != NULL && status == SP_PYSCAN_OK);
    sp_diversity_end(&b, NULL);
    CHECK(memcmp(&direct, &walked, sizeof direct) == 0);
    sp_pywalk_free(w);
}

/* Brute force: the mean of (1 - similarity) over every pair. */
static double mean_distance(struct sp_diversity_fingerprint *fps, size_t n)
{
    double sum = 0;
    size_t pairs = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++, pairs++)
            sum += 1 - sp_diversity_similarity(&fps[i], &fps[j]);
    return pairs ? sum / (double)pairs : 1;
}

static const char *const VARIED[] = {
    "print(1)\n",
    "x = [i * i for i in range(5)]\nprint(sum(x))\n",
    "def f(a, b):\n    return a + b\nprint(f(1, 2))\n",
    "import math\nprint(math.sqrt(16))\n",
    "class A:\n    def m(self):\n        return 1\nprint(A().m())\n",
    "d = {'a': 1}\nfor k, v in d.items():\n    print(k, v)\n",
    "try:\n    x = 1 / 0\nexcept ZeroDivisionError:\n    x = None\n",
    "s = 'abc'\nprint(s.upper()[::-1])\n",
};
#define N_VARIED (sizeof VARIED / sizeof VARIED[0])

static void test_window_score_matches_brute_force(void)
{
    char err[128];
    struct sp_diversity_config cfg = {.window = 4, .threshold = 0.1, .collapse_after = 3};
    struct sp_diversity *d = sp_diversity_new(&cfg, err, sizeof err);
    REQUIRE(d != NULL);
    struct sp_diversity_state s;
    sp_diversity_state(d, &s);
    CHECK(s.score == 1 && s.total == 0 && s.window == 0 && !s.collapsed);
    struct sp_diversity_fingerprint fps[N_VARIED];
    for (size_t i = 0; i < N_VARIED; i++) {
        fp_of(VARIED[i], &fps[i]);
        sp_diversity_add(d, &fps[i], &s);
        size_t first = i + 1 > cfg.window ? i + 1 - cfg.window : 0;
        double want = mean_distance(&fps[first], i + 1 - first);
        CHECK(fabs(s.score - want) < 1e-12);
        CHECK(s.window == i + 1 - first);
        CHECK(s.total == i + 1);
        CHECK(s.unique == i + 1);
    }
    CHECK(s.score > 0.5);
    CHECK(!s.collapsed);
    sp_diversity_free(d);
}

static void test_repetition_collapses_and_variety_recovers(void)
{
    char err[128];
    struct sp_diversity_config cfg = {.window = 5, .threshold = 0.2, .collapse_after = 3};
    struct sp_diversity *d = sp_diversity_new(&cfg, err, sizeof err);
    REQUIRE(d != NULL);
    struct sp_diversity_state s;
    char src[128];
    int collapsed_at = 0;
    for (int i = 1; i <= 10; i++) {
        /* One program, renamed every time. */
        snprintf(src, sizeof src, "v%d = %d\nfor w%d in range(v%d):\n    print(w%d)\n", i, i, i, i, i);
        struct sp_diversity_fingerprint fp;
        fp_of(src, &fp);
        sp_diversity_add(d, &fp, &s);
        if (s.collapsed && collapsed_at == 0)
            collapsed_at = i;
    }
    /* Scored from the 2nd program on (score 0), so under the threshold at 2, 3, 4. */
    CHECK_INT(collapsed_at, 4);
    CHECK(s.score == 0);
    CHECK(s.unique == 1 && s.total == 10);
    CHECK(s.collapse_events == 1);
    for (size_t i = 0; i < N_VARIED; i++) {
        struct sp_diversity_fingerprint fp;
        fp_of(VARIED[i], &fp);
        sp_diversity_add(d, &fp, &s);
    }
    CHECK(!s.collapsed);
    CHECK(s.score > 0.5);
    CHECK(s.collapse_events == 1);
    CHECK(sp_diversity_reset(d, NULL, err, sizeof err) == 0);
    sp_diversity_state(d, &s);
    CHECK(s.total == 0 && s.collapse_events == 1 && s.score == 1);
    sp_diversity_free(d);
}

static void test_bad_config_refused(void)
{
    char err[128];
    struct sp_diversity_config cfg = {.window = 1, .threshold = 0.2, .collapse_after = 3};
    CHECK(sp_diversity_new(&cfg, err, sizeof err) == NULL);
    CHECK(strstr(err, "window") != NULL);
    cfg = (struct sp_diversity_config){.window = 5, .threshold = 1.5, .collapse_after = 3};
    CHECK(sp_diversity_new(&cfg, err, sizeof err) == NULL);
    CHECK(strstr(err, "threshold") != NULL);
    cfg = (struct sp_diversity_config){.window = 5, .threshold = NAN, .collapse_after = 3};
    CHECK(sp_diversity_new(&cfg, err, sizeof err) == NULL);
    cfg = (struct sp_diversity_config){.window = 5, .threshold = 0.5, .collapse_after = 0};
    CHECK(sp_diversity_new(&cfg, err, sizeof err) == NULL);
    CHECK(strstr(err, "collapse_after") != NULL);
}

static void test_record_refuses_bad_figures(void)
{
    char err[128];
    struct sp_diversity *d = sp_diversity_new(NULL, err, sizeof err);
    REQUIRE(d != NULL);
    struct sp_diversity_state s;
    struct sp_diversity_figures ok = {0.5, 10, 20, 5, false};
    CHECK(sp_diversity_record(d, &ok, &s, err, sizeof err) == 0);
    CHECK(s.score == 0.5 && s.unique == 10 && s.total == 20 && s.window == 5 && !s.collapsed);
    struct {
        struct sp_diversity_figures f;
        const char *says;
    } bad[] = {
        {{1.5, 10, 20, 5, false}, "score must be in [0, 1], got 1.5"},
        {{-0.1, 10, 20, 5, false}, "score must be in [0, 1]"},
        {{NAN, 10, 20, 5, false}, "score must be in [0, 1]"},
        {{0.5, -1, 20, 5, false}, "unique must be a non-negative integer"},
        {{0.5, 1, -20, 5, false}, "total must be a non-negative integer"},
        {{0.5, 1.5, 20, 5, false}, "unique must be a non-negative integer"},
        {{0.5, 30, 20, 5, false}, "unique (30) cannot exceed total (20)"},
        {{0.5, 1, 20, 0, false}, "window must be at least 1"},
        {{0.5, 1, INFINITY, 5, false}, "total must be"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        CHECK(sp_diversity_record(d, &bad[i].f, &s, err, sizeof err) == -1);
        if (strstr(err, bad[i].says) == NULL)
            fprintf(stderr, "  case %zu: got '%s', want '%s'\n", i, err, bad[i].says);
        CHECK(strstr(err, bad[i].says) != NULL);
    }
    /* Refusals change nothing. */
    sp_diversity_state(d, &s);
    CHECK(s.score == 0.5 && s.unique == 10 && s.total == 20);
    struct sp_diversity_figures collapse = {0.05, 1, 20, 5, true};
    CHECK(sp_diversity_record(d, &collapse, &s, err, sizeof err) == 0);
    CHECK(s.collapsed && s.collapse_events == 1);
    CHECK(sp_diversity_record(d, &collapse, &s, err, sizeof err) == 0);
    CHECK(s.collapse_events == 1);
    sp_diversity_free(d);
}

static double value_of(const char *name)
{
    double v = -1, sum = 0;
    sp_metric_family *f = sp_metrics_find(sp_metrics_default(), name);
    if (f == NULL || sp_metric_read(f, NULL, &v, &sum) != SP_METRICS_OK)
        return -1;
    return v;
}

static void test_default_monitor_publishes_metrics(void)
{
    struct sp_diversity *d = sp_diversity_default();
    REQUIRE(d != NULL);
    CHECK(value_of("sandprobe_diversity_score") == 1);
    CHECK(value_of("sandprobe_diversity_collapsed") == 0);
    char err[128];
    double events = value_of("sandprobe_diversity_collapse_events_total");
    struct sp_diversity_figures f = {0.5, 10, 20, 5, false};
    CHECK(sp_diversity_record(d, &f, NULL, err, sizeof err) == 0);
    CHECK(value_of("sandprobe_diversity_score") == 0.5);
    CHECK(value_of("sandprobe_diversity_unique_programs") == 10);
    CHECK(value_of("sandprobe_diversity_programs") == 20);
    CHECK(value_of("sandprobe_diversity_window_programs") == 5);
    f.collapsed = true;
    CHECK(sp_diversity_record(d, &f, NULL, err, sizeof err) == 0);
    CHECK(value_of("sandprobe_diversity_collapsed") == 1);
    CHECK(value_of("sandprobe_diversity_collapse_events_total") == events + 1);
    CHECK(sp_diversity_reset(d, NULL, err, sizeof err) == 0);
    CHECK(value_of("sandprobe_diversity_collapsed") == 0);
    CHECK(value_of("sandprobe_diversity_collapse_events_total") == events + 1);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(test_renaming_and_constants_are_the_same_program),
        UNIT_TEST(test_keywords_are_kept),
        UNIT_TEST(test_lines_are_the_units),
        UNIT_TEST(test_refused_source_still_fingerprinted),
        UNIT_TEST(test_fingerprint_from_validator_tokens_equals_source),
        UNIT_TEST(test_fingerprint_across_batches),
        UNIT_TEST(test_window_score_matches_brute_force),
        UNIT_TEST(test_repetition_collapses_and_variety_recovers),
        UNIT_TEST(test_bad_config_refused),
        UNIT_TEST(test_record_refuses_bad_figures),
        UNIT_TEST(test_default_monitor_publishes_metrics),
    };
    return UNIT_RUN(tests);
}

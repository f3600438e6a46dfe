/* pywalk: the validator's token walk in C (see pywalk.h).
 *
 * Speed comes from doing per name, not per token, whatever does not depend
 * on the token's neighbours: lexing interns every NAME (a source has a few
 * thousand distinct names at most), and sp_pywalk_check() classifies each
 * distinct name once against the policy's sets. The walk over the tokens is
 * then a few flag tests per token; strings are formatted only for findings.
 *
 * Over 600 lines, knowingly: the hash set, the policy, the lexing and the
 * walk share one translation unit so that the walk's hot lookups (strmap_get
 * in classify and intern_name) inline; they are kept apart by the banners
 * below. The hash set is the first cut to a file of its own (with an inline
 * header) once the speed bench shows it costs nothing. */
#include "sandprobe/pywalk.h"
#include "sandprobe/diversity.h"
#include "sandprobe/text.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a string-keyed hash map (open addressing) -------------------------------- */

/* Keys are mostly identifiers of a few bytes: their first 8 bytes, as a
 * number, give the hash with one multiplication and make the comparison
 * one test; only longer keys look at their other bytes. */
struct slot {
    const char *key; /* NULL: empty */
    uint64_t prefix; /* the first 8 bytes of key, zero-padded */
    uint32_t len, hash;
    int value;
};

struct strmap {
    struct slot *slots;
    size_t cap, count; /* cap: 0 or a power of two */
    int owns_keys;
};


/* Fibonacci hashing of the prefix and length, FNV-1a steps for the rest. */
static uint32_t hash_key(const char *s, size_t len, uint64_t prefix)
{
    uint64_t h = (prefix ^ len) * 0x9E3779B97F4A7C15u;
    for (size_t i = 8; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001B3u;
    return (uint32_t)(h >> 32);
}

/* A NUL-terminated copy of s[0..len) (s may contain NUL bytes). */
static char *copy_bytes(const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

/* Keys are identifiers, a few bytes long: cheaper than a call to memcmp. */
static int same_bytes(const char *a, const char *b, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static struct slot *find_slot(const struct strmap *m, const char *key, size_t len, uint64_t prefix,
                              uint32_t hash)
{
    size_t mask = m->cap - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        struct slot *s = &m->slots[i];
        if (s->key == NULL)
            return s;
        if (s->prefix == prefix && s->len == len
            && (len <= 8 || same_bytes(s->key + 8, key + 8, len - 8)))
            return s;
    }
}

static int grow(struct strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    struct slot *old = m->slots, *slots = calloc(cap, sizeof *slots);
    if (slots == NULL)
        return -1;
    size_t old_cap = m->cap;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key != NULL)
            *find_slot(m, old[i].key, old[i].len, old[i].prefix, old[i].hash) = old[i];
    free(old);
    return 0;
}

/* The value of key, or NULL. */
static int *strmap_get(const struct strmap *m, const char *key, size_t len)
{
    if (m->cap == 0)
        return NULL;
    uint64_t prefix = sp_pack8(key, len);
    struct slot *s = find_slot(m, key, len, prefix, hash_key(key, len, prefix));
    return s->key ? &s->value : NULL;
}

/* The slot of key, added with `value` when absent; NULL when out of memory. */
static struct slot *strmap_intern(struct strmap *m, const char *key, size_t len, int value)
{
    if ((m->count + 1) * 2 > m->cap && grow(m) != 0)
        return NULL;
    uint64_t prefix = sp_pack8(key, len);
    uint32_t hash = hash_key(key, len, prefix);
    struct slot *s = find_slot(m, key, len, prefix, hash);
    if (s->key != NULL)
        return s;
    const char *stored = m->owns_keys ? copy_bytes(key, len) : key;
    if (stored == NULL)
        return NULL;
    *s = (struct slot){stored, prefix, (uint32_t)len, hash, value};
    m->count++;
    return s;
}

static void strmap_free(struct strmap *m)
{
    if (m->owns_keys)
        for (size_t i = 0; i < m->cap; i++)
            free((char *)m->slots[i].key);
    free(m->slots);
}

/* ---- the compiled policy ---------------------------------------------------- */

struct module {
    const char *name; /* the key in sp_pywalk_policy.modules */
    struct strmap attributes;
};

struct sp_pywalk_policy {
    struct strmap names;   /* name -> bit mask of enum sp_pywalk_set */
    struct strmap modules; /* module name -> index into mods */
    struct module *mods;
    size_t nmods;
    struct prefix {
        char *text;
        size_t len;
    } *prefixes;
    size_t nprefixes;
};

struct sp_pywalk_policy *sp_pywalk_policy_new(void)
{
    struct sp_pywalk_policy *p = calloc(1, sizeof *p);
    if (p != NULL)
        p->names.owns_keys = p->modules.owns_keys = 1;
    return p;
}

void sp_pywalk_policy_free(struct sp_pywalk_policy *p)
{
    if (p == NULL)
        return;
    strmap_free(&p->names);
    strmap_free(&p->modules);
    for (size_t i = 0; i < p->nmods; i++)
        strmap_free(&p->mods[i].attributes);
    free(p->mods);
    for (size_t i = 0; i < p->nprefixes; i++)
        free(p->prefixes[i].text);
    free(p->prefixes);
    free(p);
}

int sp_pywalk_policy_add(struct sp_pywalk_policy *p, enum sp_pywalk_set set, const char *name,
                         size_t len)
{
    struct slot *s = strmap_intern(&p->names, name, len, 0);
    if (s == NULL)
        return -1;
    s->value |= 1 << set;
    return 0;
}

int sp_pywalk_policy_add_prefix(struct sp_pywalk_policy *p, const char *prefix, size_t len)
{
    struct prefix *grown = realloc(p->prefixes, (p->nprefixes + 1) * sizeof *grown);
    if (grown == NULL)
        return -1;
    p->prefixes = grown;
    if ((grown[p->nprefixes].text = copy_bytes(prefix, len)) == NULL)
        return -1;
    grown[p->nprefixes++].len = len;
    return 0;
}

/* The index of module, declared when new; -1 when out of memory. */
static int declare_module(struct sp_pywalk_policy *p, const char *module, size_t len)
{
    struct slot *s = strmap_intern(&p->modules, module, len, -1); /* -1: no entry yet */
    if (s == NULL)
        return -1;
    if (s->value >= 0)
        return s->value;
    struct module *grown = realloc(p->mods, (p->nmods + 1) * sizeof *grown);
    if (grown == NULL)
        return -1;
    p->mods = grown;
    p->mods[p->nmods] = (struct module){s->key, {NULL, 0, 0, 1}};
    s->value = (int)p->nmods;
    return (int)p->nmods++;
}

int sp_pywalk_policy_add_module(struct sp_pywalk_policy *p, const char *module, size_t module_len,
                                const char *attr, size_t attr_len)
{
    int index = declare_module(p, module, module_len);
    if (index < 0)
        return -1;
    if (attr == NULL)
        return 0;
    return strmap_intern(&p->mods[index].attributes, attr, attr_len, 1) ? 0 : -1;
}

/* ---- lexing into a walk --------------------------------------------------------- */

/* A growable byte string. */
struct text {
    char *s;
    size_t len, cap;
};

/* Makes room for `need` bytes in total; -1 when out of memory. */
static int text_reserve(struct text *t, size_t need)
{
    if (need <= t->cap)
        return 0;
    size_t cap = need < 64 ? 64 : need * 2;
    char *grown = realloc(t->s, cap);
    if (grown == NULL)
        return -1;
    t->s = grown;
    t->cap = cap;
    return 0;
}

static int text_append(struct text *t, const char *s, size_t len)
{
    if (text_reserve(t, t->len + len) != 0)
        return -1;
    memcpy(t->s + t->len, s, len);
    t->len += len;
    return 0;
}

#define KIND_NONE 0xFF /* the sentinels before the first and after the last token */

/* 16 bytes: a megabyte of source makes about 300,000 tokens. Positions
 * are found again from the offset for the few tokens that get a finding. */
struct tok {
    uint32_t offset, length;
    int32_t name; /* NAME tokens: index into names; -1 otherwise */
    uint8_t kind, skip;
    char op; /* one-character OP tokens: that character, so that the walk
                need not read the source; otherwise 0 */
};

/* What the walk knows about one distinct name. */
struct name {
    uint32_t offset, length; /* its first occurrence */
    int alias;               /* module index when an import binds it, else -1 */
    unsigned words;          /* NAME_* flags of the words the walk looks for */
    unsigned flags;          /* words, bit mask of enum sp_pywalk_set, other NAME_* */
    uint32_t field_class;    /* the class header whose body binds it to a field(...) default */
    uint32_t field_statement; /* that statement */
    uint64_t fingerprint_code; /* its diversity code (sp_pywalk_lex_fingerprinted), else 0 */
};

/* Name flags derived from the text, above the policy's set bits. */
enum {
    NAME_UNDERSCORE = 1 << SP_PYWALK_SET_COUNT,
    NAME_DUNDER = NAME_UNDERSCORE << 1,
    NAME_FORBIDDEN_PREFIX = NAME_UNDERSCORE << 2,
    NAME_MATCH = NAME_UNDERSCORE << 3, /* the words the walk looks for */
    NAME_IMPORT = NAME_UNDERSCORE << 4,
    NAME_FROM = NAME_UNDERSCORE << 5,
    NAME_AS = NAME_UNDERSCORE << 6,
    NAME_DEF = NAME_UNDERSCORE << 7,
    NAME_DEFINED = NAME_UNDERSCORE << 8, /* a function defined with def */
    NAME_CLASS = NAME_UNDERSCORE << 9,
    NAME_FIELD = NAME_UNDERSCORE << 10, /* bound to a field(...) default in a class body */
};
#define SET_BIT(set) (1u << (set))

struct sp_pywalk {
    const char *src;
    struct tok *toks; /* toks[0] and toks[n + 1] are sentinels */
    size_t n, cap;
    uint32_t *marks; /* the `import`, `from` and `def` tokens, for the first pass */
    size_t nmarks, marks_cap;
    int checked;     /* sp_pywalk_check() ran: skip marks must be cleared */
    struct strmap index; /* name text -> index into names */
    struct name *names;
    size_t nnames, names_cap;
    struct blocks {      /* sp_pywalk_statement(): a pass over the tokens, up to `at` */
        size_t at;       /* the last token passed */
        uint32_t statement, line; /* the statement at `at`; the last line's first token */
        uint32_t *open;  /* the headers of the open blocks, innermost last */
        size_t depth, cap;
    } blocks;
    struct text message; /* the finding being reported */
    struct text module;  /* the dotted module name of an import statement */
    /* sp_pywalk_lex_fingerprinted(): the diversity fingerprint being built,
     * else NULL, and the codes of one-byte operators (by their byte) and of
     * the kinds whose code is their kind's (at 128 + kind), 0 while not
     * known. */
    struct sp_diversity_builder *fingerprint;
    uint64_t short_codes[128 + SP_PYSCAN_KIND_COUNT];
};

static unsigned word_flag(const char *s, size_t len)
{
    static const struct {
        const char *word;
        unsigned flag;
    } words[] = {{"match", NAME_MATCH}, {"import", NAME_IMPORT}, {"from", NAME_FROM},
                 {"as", NAME_AS},       {"def", NAME_DEF},   {"class", NAME_CLASS}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i].word) == len && memcmp(s, words[i].word, len) == 0)
            return words[i].flag;
    return 0;
}

static int intern_name(struct sp_pywalk *w, struct tok *t)
{
    struct slot *s = strmap_intern(&w->index, w->src + t->offset, t->length, (int)w->nnames);
    if (s == NULL)
        return -1;
    t->name = s->value;
    if ((size_t)s->value < w->nnames)
        return 0;
    if (w->nnames == w->names_cap) {
        size_t cap = w->names_cap ? w->names_cap * 2 : 256;
        struct name *grown = realloc(w->names, cap * sizeof *grown);
        if (grown == NULL)
            return -1; /* the walk is discarded: lexing stops */
        w->names = grown;
        w->names_cap = cap;
    }
    const char *text = w->src + t->offset;
    w->names[w->nnames++] = (struct name){t->offset, t->length, -1, word_flag(text, t->length), 0, 0, 0, 0};
    return 0;
}

static int add_mark(struct sp_pywalk *w, size_t i)
{
    if (w->nmarks == w->marks_cap) {
        size_t cap = w->marks_cap ? w->marks_cap * 2 : 256;
        uint32_t *grown = realloc(w->marks, cap * sizeof *grown);
        if (grown == NULL)
            return -1;
        w->marks = grown;
        w->marks_cap = cap;
    }
    w->marks[w->nmarks++] = (uint32_t)i;
    return 0;
}

/* NAME token i: interned, and marked for the first pass when it is a word it reads. */
static int keep_name(struct sp_pywalk *w, size_t i)
{
    if (intern_name(w, &w->toks[i]) != 0)
        return -1;
    if (w->names[w->toks[i].name].words & (NAME_IMPORT | NAME_FROM | NAME_DEF))
        return add_mark(w, i);
    return 0;
}

/* Keeps room for one more token and the end sentinel. */
static int reserve_token(struct sp_pywalk *w, size_t guess)
{
    if (w->n + 2 < w->cap)
        return 0;
    size_t cap = w->cap ? w->cap * 2 : guess;
    struct tok *grown = realloc(w->toks, cap * sizeof *grown);
    if (grown == NULL)
        return -1;
    w->toks = grown;
    w->cap = cap;
    return 0;
}

/* Kept token i's diversity code when the memo below does not have it: a
 * name seen for the first time, a one-byte operator or a kind met for the
 * first time (their codes are memoised: they depend on that alone,
 * include/sandprobe/diversity.h), or an operator of several bytes (coded
 * each time; few tokens are). */
/* Kept token i's diversity code, computed: a name seen for the first time,
 * a one-byte operator or a kind met for the first time (their codes are
 * memoised: they depend on that alone, include/sandprobe/diversity.h), or
 * an operator of several bytes (coded each time; few tokens are). Out of
 * line: keep_token runs it rarely. */
__attribute__((noinline)) static uint64_t code_not_memoised(struct sp_pywalk *w, size_t i)
{
    const struct tok *kept = &w->toks[i];
    struct sp_pyscan_token t = {(enum sp_pyscan_kind)kept->kind, kept->offset, kept->length, 0, 0};
    uint64_t code = sp_diversity_token_code(w->src, w->fingerprint->len, &t);
    if (kept->kind == SP_PYSCAN_NAME)
        w->names[kept->name].fingerprint_code = code;
    else if (kept->op != 0)
        w->short_codes[(unsigned char)kept->op & 127] = code;
    else if (kept->kind != SP_PYSCAN_OP)
        w->short_codes[128 + kept->kind] = code;
    return code;
}

/* Token i (just kept) to the fingerprint: its code from the memo (a name's
 * or a one-byte operator's or a kind's), read in a branch on the kind that
 * agrees with keep_token's own, so the branch predictor, which cannot guess
 * the kind of the next token, pays once. No code in the memo is 0; the end
 * marker's code is 0 and is not pushed. */
static void fingerprint_token(struct sp_pywalk *w, size_t i)
{
    const struct tok *kept = &w->toks[i];
    uint64_t code = kept->kind == SP_PYSCAN_NAME
                        ? w->names[kept->name].fingerprint_code
                        : w->short_codes[kept->op != 0 ? (unsigned char)kept->op & 127 : 128 + (unsigned)kept->kind];
    if (code == 0)
        code = code_not_memoised(w, i);
    if (code != 0)
        sp_diversity_push(w->fingerprint, code);
}

/* Keeps every token but comments and blank-line NLs (their fingerprint
 * code is 0 as well), interns names, and, when a fingerprint is built,
 * gives it each token's code. */
static int keep_token(const struct sp_pyscan_token *t, void *ctx)
{
    struct sp_pywalk *w = ctx;
    if (t->kind == SP_PYSCAN_COMMENT || t->kind == SP_PYSCAN_NL)
        return 0;
    if (reserve_token(w, 0) != 0)
        return -1;
    char op = t->kind == SP_PYSCAN_OP && t->length == 1 ? w->src[t->offset] : 0;
    w->toks[++w->n] =
        (struct tok){(uint32_t)t->offset, (uint32_t)t->length, -1, (uint8_t)t->kind, 0, op};
    if (t->kind == SP_PYSCAN_NAME && keep_name(w, w->n) != 0)
        return -1;
    if (w->fingerprint != NULL)
        fingerprint_token(w, w->n);
    return 0;
}

static struct sp_pyscan_limits walk_limits(const struct sp_pyscan_limits *given)
{
    struct sp_pyscan_limits lim = given ? *given : sp_pyscan_default_limits();
    if (lim.max_bytes > UINT32_MAX) /* token offsets are 32-bit */
        lim.max_bytes = UINT32_MAX;
    return lim;
}

struct sp_pywalk *sp_pywalk_lex(const char *src, size_t len, const struct sp_pyscan_limits *limits,
                                enum sp_pyscan_status *status, struct sp_pyscan_finding *finding)
{
    return sp_pywalk_lex_fingerprinted(src, len, limits, NULL, status, finding);
}

struct sp_pywalk *sp_pywalk_lex_fingerprinted(const char *src, size_t len,
                                              const struct sp_pyscan_limits *limits,
                                              struct sp_diversity_builder *fingerprint,
                                              enum sp_pyscan_status *status,
                                              struct sp_pyscan_finding *finding)
{
    struct sp_pyscan_limits lim = walk_limits(limits);
    /* Ordinary code has about one token per 3.5 bytes: one allocation, mostly. */
    size_t guess = (len < lim.max_bytes ? len : lim.max_bytes) / 3 + 64;
    struct sp_pywalk *w = calloc(1, sizeof *w);
    if (w == NULL || reserve_token(w, guess) != 0) {
        sp_pywalk_free(w);
        return NULL;
    }
    w->src = src;
    w->fingerprint = fingerprint;
    *status = sp_pyscan_tokenize_unlocated(src, len, &lim, keep_token, w, finding);
    if (*status == SP_PYSCAN_STOPPED) { /* keep_token ran out of memory */
        sp_pywalk_free(w);
        return NULL;
    }
    if (*status != SP_PYSCAN_OK)
        w->n = w->nmarks = 0;
    w->toks[0] = w->toks[w->n + 1] = (struct tok){0, 0, -1, KIND_NONE, 0, 0};
    return w;
}

void sp_pywalk_free(struct sp_pywalk *w)
{
    if (w == NULL)
        return;
    free(w->toks);
    strmap_free(&w->index);
    free(w->names);
    free(w->marks);
    free(w->blocks.open);
    free(w->message.s);
    free(w->module.s);
    free(w);
}

/* ---- statements and blocks --------------------------------------------------------- */

/* Advances the pass over the tokens to token i: a stack of the headers of
 * the open blocks, pushed at INDENT (the statement of the line before it)
 * and popped at DEDENT. Callers ask in token order, so the whole source is
 * passed once; asking for an earlier token starts again. Returns 0, or -1
 * when out of memory. */
static int pass_to(struct sp_pywalk *w, size_t i)
{
    struct blocks *b = &w->blocks;
    if (i < b->at)
        b->at = 0, b->depth = 0;
    for (size_t k = b->at + 1; k <= i; k++) {
        unsigned kind = w->toks[k].kind, before = w->toks[k - 1].kind;
        if (kind == SP_PYSCAN_INDENT) {
            if (b->depth == b->cap) {
                size_t cap = b->cap ? 2 * b->cap : 16;
                uint32_t *grown = realloc(b->open, cap * sizeof *grown);
                if (grown == NULL)
                    return -1;
                b->open = grown, b->cap = cap;
            }
            b->open[b->depth++] = b->line;
        } else if (kind == SP_PYSCAN_DEDENT && b->depth > 0) {
            b->depth--;
        }
        if (k == 1 || before == SP_PYSCAN_NEWLINE || before == SP_PYSCAN_INDENT
            || before == SP_PYSCAN_DEDENT || kind == SP_PYSCAN_INDENT || kind == SP_PYSCAN_DEDENT
            || w->toks[k - 1].op == ';')
            b->statement = (uint32_t)k;
        if (kind == SP_PYSCAN_NEWLINE)
            b->line = b->statement;
        b->at = k;
    }
    return 0;
}

int sp_pywalk_statement(struct sp_pywalk *w, size_t i, size_t *statement, size_t *header)
{
    if (i < 1 || i > w->n || pass_to(w, i) != 0)
        return -1;
    *statement = w->blocks.statement;
    *header = w->blocks.depth > 0 ? w->blocks.open[w->blocks.depth - 1] : 0;
    return 0;
}

/* The ')' closing the bracket opened at token open, on its logical line; 0 if none. */
static size_t closing(const struct sp_pywalk *w, size_t open)
{
    size_t depth = 0;
    for (size_t k = open; k <= w->n; k++) {
        unsigned kind = w->toks[k].kind;
        if (kind == SP_PYSCAN_NEWLINE || kind == SP_PYSCAN_ENDMARKER)
            return 0;
        char c = w->toks[k].op;
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if ((c == ')' || c == ']' || c == '}') && --depth == 0)
            return c == ')' ? k : 0;
    }
    return 0;
}

static int is_name(const struct sp_pywalk *w, size_t i);
static inline int is_op(const struct sp_pywalk *w, size_t i, const char *op);
static int at_statement_start(const struct sp_pywalk *w, size_t i);

/* Token i is the NAME word. */
static int word_is(const struct sp_pywalk *w, size_t i, const char *word)
{
    const struct tok *t = &w->toks[i];
    size_t n = strlen(word);
    return t->kind == SP_PYSCAN_NAME && t->length == n && memcmp(w->src + t->offset, word, n) == 0;
}

/* The first token from k on that is no NL or comment (inside brackets). */
static size_t skip_nl(const struct sp_pywalk *w, size_t k)
{
    while (k <= w->n && (w->toks[k].kind == SP_PYSCAN_NL || w->toks[k].kind == SP_PYSCAN_COMMENT))
        k++;
    return k;
}

/* The class statement whose `class` token is header is decorated @dataclass
 * or @dataclasses.dataclass (with or without arguments). In any other class
 * a field(...) default stays the class attribute (B.x): a Field the program
 * holds, which a dataclass subclass adopts and whose name it pastes. */
static int dataclass_decorated(const struct sp_pywalk *w, size_t header)
{
    size_t j = header - 1; /* the NEWLINE that ends the line above */
    while (j >= 1) {
        while (j >= 1 && (w->toks[j].kind == SP_PYSCAN_NL || w->toks[j].kind == SP_PYSCAN_COMMENT))
            j--;
        if (j < 1 || w->toks[j].kind != SP_PYSCAN_NEWLINE)
            return 0;
        size_t s = j - 1;
        while (s > 1 && !at_statement_start(w, s))
            s--;
        if (!is_op(w, s, "@"))
            return 0;
        size_t n = s + 1;
        if (word_is(w, n, "dataclasses") && is_op(w, n + 1, "."))
            n += 2;
        if (word_is(w, n, "dataclass") && (n + 1 == j || is_op(w, n + 1, "(")))
            return 1;
        j = s - 1;
    }
    return 0;
}

/* Every argument of the call from open to close is a keyword argument, and
 * init/repr/compare/hash/kw_only are a literal True, False or None:
 * dataclasses tests them with `if f.init:`, and a program object's __bool__
 * would run inside the generator, between the text it builds and the code
 * it compiles from it. */
static int literal_flags(const struct sp_pywalk *w, size_t open, size_t close)
{
    static const char *const flags[] = {"init", "repr", "compare", "hash", "kw_only"};
    size_t k = skip_nl(w, open + 1);
    while (k < close) {
        if (!is_name(w, k) || !is_op(w, k + 1, "="))
            return 0; /* positional, *args or **kwargs */
        size_t value = skip_nl(w, k + 2), end = value, depth = 0;
        for (; end < close && !(depth == 0 && is_op(w, end, ",")); end++) {
            char c = w->toks[end].op;
            depth += (c == '(' || c == '[' || c == '{');
            depth -= (depth > 0 && (c == ')' || c == ']' || c == '}'));
        }
        int flag = 0;
        for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++)
            flag |= word_is(w, k, flags[f]);
        if (flag && !(skip_nl(w, value + 1) == end
                      && (word_is(w, value, "True") || word_is(w, value, "False") || word_is(w, value, "None"))))
            return 0;
        k = skip_nl(w, end + 1);
    }
    return 1;
}

int sp_pywalk_field_default(struct sp_pywalk *w, size_t i)
{
    if (i < 1 || i > w->n)
        return 0;
    size_t first = i;
    while (first >= 3 && w->toks[first - 1].op == '.' && w->toks[first - 2].kind == SP_PYSCAN_NAME)
        first -= 2;
    if (first < 2 || w->toks[first - 1].op != '=' || w->toks[i + 1].op != '(')
        return 0;
    size_t close = closing(w, i + 1);
    if (close == 0 || w->toks[close + 1].kind != SP_PYSCAN_NEWLINE)
        return 0;
    size_t statement, header;
    if (sp_pywalk_statement(w, first, &statement, &header) != 0 || header == 0)
        return 0;
    const struct tok *h = &w->toks[header];
    return w->toks[statement].kind == SP_PYSCAN_NAME && w->toks[statement + 1].op == ':'
           && h->kind == SP_PYSCAN_NAME && h->length == 5 && memcmp(w->src + h->offset, "class", 5) == 0
           && dataclass_decorated(w, header) && literal_flags(w, i + 1, close);
}

/* ---- token access ----------------------------------------------------------------- */

size_t sp_pywalk_count(const struct sp_pywalk *w)
{
    return w->n;
}

static const struct tok *token(const struct sp_pywalk *w, size_t i)
{
    return i >= 1 && i <= w->n ? &w->toks[i] : NULL;
}

enum sp_pyscan_kind sp_pywalk_kind(const struct sp_pywalk *w, size_t i)
{
    const struct tok *t = token(w, i);
    return t ? (enum sp_pyscan_kind)t->kind : SP_PYSCAN_KIND_COUNT;
}

const char *sp_pywalk_text(const struct sp_pywalk *w, size_t i, size_t *len)
{
    const struct tok *t = token(w, i);
    if (t == NULL)
        return NULL;
    *len = t->length;
    return w->src + t->offset;
}

int sp_pywalk_locate(const struct sp_pywalk *w, size_t count, const size_t *tokens,
                     unsigned *lines, unsigned *cols)
{
    size_t pos = 0;
    unsigned line = 1, col = 1; /* counted as the lexer counts them */
    for (size_t k = 0; k < count; k++) {
        const struct tok *t = token(w, tokens[k]);
        if (t == NULL || t->offset < pos)
            return -1;
        for (; pos < t->offset; pos++) {
            unsigned char b = (unsigned char)w->src[pos];
            if (b == '\n') {
                line++;
                col = 1;
            } else if ((b & 0xC0) != 0x80) {
                col++;
            }
        }
        lines[k] = line;
        cols[k] = col;
    }
    return 0;
}

int sp_pywalk_defined(const struct sp_pywalk *w, const char *name, size_t len)
{
    int *id = strmap_get(&w->index, name, len);
    return id != NULL && (w->names[*id].flags & NAME_DEFINED);
}

/* ---- str.format strings -------------------------------------------------------------- */

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* A field name that reads no attribute: a word (or nothing), then item
 * indexes of word bytes only ("0", "name", "0[0]", "row[key][1]"). An item
 * is a __getitem__ call with that key, as the program could write; a '.'
 * would be an attribute read by name. */
static int is_item_field(const char *s, size_t from, size_t to)
{
    size_t k = from;
    while (k < to && is_word_byte((unsigned char)s[k]))
        k++;
    while (k < to) {
        if (s[k] != '[')
            return 0;
        size_t start = ++k;
        while (k < to && is_word_byte((unsigned char)s[k]))
            k++;
        if (k == start || k >= to || s[k] != ']')
            return 0;
        k++;
    }
    return 1;
}

int sp_pywalk_plain_format_fields(const char *s, size_t n)
{
    size_t depth = 0, name_start = 0;
    int in_name = 0; /* between a '{' and the next of "!:{}" */
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (depth == 0) {
            if (c != '{' && c != '}')
                continue;
            if (i + 1 < n && s[i + 1] == c) { /* "{{" or "}}": a literal brace */
                i++;
                continue;
            }
            if (c == '}')
                return 0;
            depth = 1, name_start = i + 1, in_name = 1;
            continue;
        }
        if (in_name && (c == '!' || c == ':' || c == '{' || c == '}')) {
            if (!is_item_field(s, name_start, i))
                return 0;
            in_name = 0;
        }
        if (c == '{')
            depth++, name_start = i + 1, in_name = 1;
        else if (c == '}')
            depth--;
    }
    return depth == 0;
}

/* ---- the check ---------------------------------------------------------------------- */

struct check {
    struct sp_pywalk *w;
    const struct sp_pywalk_policy *p;
    const struct sp_pywalk_hooks *hooks;
    void *ctx;
    int failed; /* out of memory */
};

static int has_prefix(const char *s, size_t len, const char *prefix, size_t n)
{
    return len >= n && memcmp(s, prefix, n) == 0;
}

/* The policy's flags of a name and those derived from its text, but words. */
static unsigned classify(const struct sp_pywalk_policy *p, const char *s, size_t len)
{
    int *bits = strmap_get(&p->names, s, len);
    unsigned flags = bits ? (unsigned)*bits : 0;
    if (s[0] == '_')
        flags |= NAME_UNDERSCORE;
    /* Like the Lua test t:sub(1, 2) == "__" and t:sub(-2) == "__": "__" counts. */
    if (has_prefix(s, len, "__", 2) && memcmp(s + len - 2, "__", 2) == 0)
        flags |= NAME_DUNDER;
    for (size_t i = 0; i < p->nprefixes; i++)
        if (has_prefix(s, len, p->prefixes[i].text, p->prefixes[i].len))
            flags |= NAME_FORBIDDEN_PREFIX;
    return flags;
}

static struct name *name_of(const struct check *c, size_t i)
{
    return &c->w->names[c->w->toks[i].name];
}

static int is_name(const struct sp_pywalk *w, size_t i)
{
    return w->toks[i].kind == SP_PYSCAN_NAME; /* i may be a sentinel */
}

/* Token i is a NAME with one of the flags. */
static int name_has(const struct check *c, size_t i, unsigned flags)
{
    return is_name(c->w, i) && (name_of(c, i)->flags & flags);
}

/* Token i is the operator op (i may be a sentinel). Inlined with a literal
 * one-character op, this is one compare: it runs for every token. */
static inline int is_op(const struct sp_pywalk *w, size_t i, const char *op)
{
    const struct tok *t = &w->toks[i];
    if (op[1] == '\0')
        return t->op == op[0]; /* 0 for every other kind */
    return t->kind == SP_PYSCAN_OP && t->length == strlen(op)
           && memcmp(w->src + t->offset, op, t->length) == 0;
}

static int at_statement_start(const struct sp_pywalk *w, size_t i)
{
    unsigned k = w->toks[i - 1].kind;
    return i == 1 || k == SP_PYSCAN_NEWLINE || k == SP_PYSCAN_INDENT || k == SP_PYSCAN_DEDENT
           || is_op(w, i - 1, ";");
}

/* Formats the message ("%.*s" arguments come from the source) and reports it. */
__attribute__((format(printf, 4, 5))) static void report(struct check *c, size_t i,
                                                         const char *rule, const char *fmt, ...)
{
    struct text *m = &c->w->message;
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(m->s, m->cap, fmt, ap);
    va_end(ap);
    if (need >= 0 && (size_t)need >= m->cap) {
        if (text_reserve(m, (size_t)need + 1) != 0) {
            c->failed = 1;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(m->s, m->cap, fmt, ap);
        va_end(ap);
    }
    if (need >= 0)
        c->hooks->report(c->ctx, i, rule, m->s);
}

#define NAME_ARG(nm) (int)(nm)->length, c->w->src + (nm)->offset
#define TEXT_ARG(t) (int)(t).len, (t).s

/* The rules of any name a program binds or reads. */
static void check_bound_name(struct check *c, size_t i, const struct name *nm)
{
    if (nm->flags & NAME_DUNDER) {
        if (!(nm->flags & SET_BIT(SP_PYWALK_DUNDER)))
            c->hooks->defer(c->ctx, SP_PYWALK_NAME_DUNDER, i);
    } else if (nm->flags & SET_BIT(SP_PYWALK_FORBIDDEN_BUILTIN)) {
        report(c, i, "policy.builtin", "builtin '%.*s' is not allowed", NAME_ARG(nm));
    } else if (nm->flags & SET_BIT(SP_PYWALK_FORBIDDEN_NAME)) {
        report(c, i, "policy.name", "name '%.*s' is not allowed", NAME_ARG(nm));
    }
}

/* ---- first pass: import statements, def ------------------------------------------------- */

static void skip(struct check *c, size_t i)
{
    c->w->toks[i].skip = 1;
}

/* Appends the text of token i (after a '.' unless it is the first part). */
static void append_part(struct check *c, size_t i)
{
    struct text *module = &c->w->module;
    const struct tok *t = &c->w->toks[i];
    if ((module->len > 0 && text_append(module, ".", 1) != 0)
        || text_append(module, c->w->src + t->offset, t->length) != 0)
        c->failed = 1;
}

/* The policy's index of the module just parsed, or -1. */
static int parsed_module(const struct check *c)
{
    const struct text *module = &c->w->module;
    int *index = strmap_get(&c->p->modules, module->s ? module->s : "", module->len);
    return index ? *index : -1;
}

/* `as NAME` at j: the bound name is checked here. Returns the index after
 * it; *alias is that name, or NULL when there is no `as`. */
static size_t parse_alias(struct check *c, size_t j, struct name **alias)
{
    *alias = NULL;
    if (!name_has(c, j, NAME_AS) || !is_name(c->w, j + 1))
        return j;
    skip(c, j + 1);
    *alias = name_of(c, j + 1);
    check_bound_name(c, j + 1, *alias);
    return j + 2;
}

/* One `a.b [as c]` of an import statement, from j; returns the index after it. */
static size_t parse_imported_module(struct check *c, size_t j)
{
    struct sp_pywalk *w = c->w;
    size_t first = j;
    w->module.len = 0;
    append_part(c, j);
    skip(c, j++);
    while (is_op(w, j, ".") && is_name(w, j + 1)) {
        append_part(c, j + 1);
        skip(c, j + 1);
        j += 2;
    }
    struct name *alias;
    j = parse_alias(c, j, &alias);
    int module = parsed_module(c);
    if (module < 0) {
        report(c, first, "policy.import", "module '%.*s' is not on the import allowlist",
               TEXT_ARG(w->module));
    } else if (alias != NULL || j == first + 1) { /* a dotted name binds no NAME token */
        (alias ? alias : name_of(c, first))->alias = module;
    }
    return j;
}

/* `import a.b [as c], d ...` at the `import` token i. */
static void parse_import(struct check *c, size_t i)
{
    size_t j = i + 1;
    int more;
    do {
        if (!is_name(c->w, j))
            return report(c, i, "policy.import", "malformed import statement");
        j = parse_imported_module(c, j);
        more = is_op(c->w, j, ",");
        j++;
    } while (more && !c->failed);
}

/* The names after `from M import`, from j; module is the policy's index of M or -1. */
static void parse_from_names(struct check *c, size_t j, int module)
{
    struct sp_pywalk *w = c->w;
    if (is_op(w, j, "("))
        j++;
    int more;
    do {
        if (is_op(w, j, "*"))
            return report(c, j, "policy.import-star", "'from ... import *' is not allowed");
        if (!is_name(w, j))
            return;
        const struct name *nm = name_of(c, j);
        skip(c, j);
        if (module >= 0
            && !strmap_get(&c->p->mods[module].attributes, w->src + nm->offset, nm->length))
            report(c, j, "policy.import-name", "'%.*s' may not be imported from '%.*s'",
                   NAME_ARG(nm), TEXT_ARG(w->module));
        struct name *alias;
        size_t at = j;
        j = parse_alias(c, j + 1, &alias);
        if (alias != NULL && nm->flags & SET_BIT(SP_PYWALK_CONTEXT_NAME))
            report(c, at, "policy.call", "'%.*s' may not be imported under another name",
                   NAME_ARG(nm));
        more = is_op(w, j, ",");
        j++;
    } while (more && !c->failed);
}

/* `from [.]M import ...` at the `from` token i; `yield from` and
 * `raise ... from` are recognised by the absence of `import`. */
static void parse_from(struct check *c, size_t i)
{
    struct sp_pywalk *w = c->w;
    size_t j = i + 1;
    int relative = 0;
    for (; is_op(w, j, ".") || is_op(w, j, "..."); j++)
        relative = 1;
    w->module.len = 0;
    while (is_name(w, j) && !name_has(c, j, NAME_IMPORT)) {
        append_part(c, j++);
        if (!is_op(w, j, "."))
            break;
        j++;
    }
    if (!name_has(c, j, NAME_IMPORT))
        return;
    for (size_t k = i + 1; k <= j; k++)
        skip(c, k);
    int module = parsed_module(c);
    if (relative)
        report(c, i, "policy.import-relative", "relative imports are not allowed");
    else if (module < 0)
        report(c, i, "policy.import", "module '%.*s' is not on the import allowlist",
               TEXT_ARG(w->module));
    parse_from_names(c, j + 1, module);
}

/* Imports bind module aliases and `def` defines decorators before any
 * other name is checked: both hold for the whole source. */
static void first_pass(struct check *c)
{
    struct sp_pywalk *w = c->w;
    for (size_t k = 0; k < w->nmarks && !c->failed; k++) {
        size_t i = w->marks[k];
        unsigned flags = name_of(c, i)->flags;
        if (flags & NAME_FROM)
            parse_from(c, i);
        else if (flags & NAME_IMPORT && !w->toks[i].skip)
            parse_import(c, i);
        else if (flags & NAME_DEF && is_name(w, i + 1))
            name_of(c, i + 1)->flags |= NAME_DEFINED;
    }
}

/* ---- second pass: every name, attribute and decorator --------------------------------- */

static void check_module_attribute(struct check *c, size_t i, int module)
{
    const struct name *attr = name_of(c, i);
    const struct module *m = &c->p->mods[module];
    if (!strmap_get(&m->attributes, c->w->src + attr->offset, attr->length))
        report(c, i, "policy.module-attribute", "'%s.%.*s' is not allowed", m->name,
               NAME_ARG(attr));
}

/* The NAME right before the '.' of attribute i, when it is not itself an attribute. */
static const struct name *receiver_of(const struct check *c, size_t i)
{
    size_t r = i - 2;
    if (i < 3 || !is_name(c->w, r) || is_op(c->w, r - 1, "."))
        return NULL;
    return name_of(c, r);
}

/* _name_ (one underscore each side): Enum's reserved names, its private
 * API among them (_convert_ reads any loaded module's dictionary by name,
 * _create_ builds classes from strings). A program defines _missing_ or
 * _generate_next_value_ in its class body; it never reads one. */
static int is_sunder(const struct name *nm, const char *src)
{
    const char *s = src + nm->offset;
    return nm->length >= 3 && s[0] == '_' && s[1] != '_' && s[nm->length - 1] == '_'
           && s[nm->length - 2] != '_';
}

/* An attribute starting with '_'. */
static void check_underscore_attribute(struct check *c, size_t i, const struct name *receiver)
{
    const struct name *attr = name_of(c, i);
    if (attr->flags & NAME_DUNDER) {
        if (!(attr->flags & SET_BIT(SP_PYWALK_DUNDER)))
            report(c, i, "policy.dunder", "dunder name '%.*s' is not allowed", NAME_ARG(attr));
    } else if (is_sunder(attr, c->w->src)) {
        report(c, i, "policy.private-attribute",
               "attribute '%.*s' is a library's reserved _name_ and may not be read", NAME_ARG(attr));
    } else if (!(receiver && receiver->flags & SET_BIT(SP_PYWALK_PRIVATE_RECEIVER))) {
        report(c, i, "policy.private-attribute",
               "private attribute '%.*s' may only be read through self or cls", NAME_ARG(attr));
    }
}

enum {
    ATTRIBUTE_RULES = NAME_UNDERSCORE | NAME_FORBIDDEN_PREFIX
                      | SET_BIT(SP_PYWALK_FORBIDDEN_ATTRIBUTE) | SET_BIT(SP_PYWALK_FORMAT_METHOD),
    NAME_RULES = NAME_UNDERSCORE | NAME_MATCH | NAME_FORBIDDEN_PREFIX | SET_BIT(SP_PYWALK_FORBIDDEN_ATTRIBUTE)
                 | SET_BIT(SP_PYWALK_FORBIDDEN_BUILTIN)
                 | SET_BIT(SP_PYWALK_FORBIDDEN_NAME) | SET_BIT(SP_PYWALK_FORBIDDEN_KEYWORD)
                 | SET_BIT(SP_PYWALK_CONTEXT_NAME) | NAME_CLASS | NAME_FIELD,
};

/* Token i is the last part of the name of a decorator of one or two parts
 * (@name, @module.name): the decorator hook, called for the '@' anyway,
 * checks its form, so it is not handed over a second time. */
static int names_decorator(const struct sp_pywalk *w, size_t i)
{
    size_t at = is_op(w, i - 1, ".") ? i - 3 : i - 1;
    return at >= 1 && at < i && is_op(w, at, "@") && at_statement_start(w, at);
}

/* A restricted name at i is handed to the caller, but where its form is
 * known here to hold: a decorator's name, or a field default in a
 * dataclass body (sp_pywalk_field_default). */
static void defer_restricted(struct check *c, size_t i, unsigned flags)
{
    if (names_decorator(c->w, i))
        return;
    if (flags & SET_BIT(SP_PYWALK_FIELD_DEFAULT) && sp_pywalk_field_default(c->w, i)) {
        size_t statement, header;
        if (sp_pywalk_statement(c->w, i, &statement, &header) == 0) {
            struct name *bound = name_of(c, statement);
            bound->flags |= NAME_FIELD;
            bound->field_class = (uint32_t)header;
            bound->field_statement = (uint32_t)statement;
        }
        return;
    }
    c->hooks->defer(c->ctx, SP_PYWALK_CONTEXT, i);
}

/* NAME token i right after a '.'. */
static void check_attribute(struct check *c, size_t i)
{
    const struct name *attr = name_of(c, i), *receiver = receiver_of(c, i);
    if (receiver && receiver->alias >= 0) {
        if (attr->flags & SET_BIT(SP_PYWALK_CONTEXT_NAME))
            defer_restricted(c, i, attr->flags);
        return check_module_attribute(c, i, receiver->alias);
    }
    if (!(attr->flags & ATTRIBUTE_RULES))
        return;
    if (attr->flags & NAME_UNDERSCORE) {
        if (attr->flags & SET_BIT(SP_PYWALK_PUBLIC_UNDERSCORE))
            return;
        return check_underscore_attribute(c, i, receiver);
    }
    if (attr->flags & (NAME_FORBIDDEN_PREFIX | SET_BIT(SP_PYWALK_FORBIDDEN_ATTRIBUTE)))
        return report(c, i, "policy.attribute", "attribute '%.*s' is not allowed", NAME_ARG(attr));
    c->hooks->defer(c->ctx, SP_PYWALK_FORMAT, i);
}

/* `class` at the start of statement i: no * or ** directly in its bases
 * (class A(**{'metaclass': M}) passes the refused keyword by string). */
static void check_class_header(struct check *c, size_t i)
{
    struct sp_pywalk *w = c->w;
    int depth = 0;
    for (size_t j = i + 1; j <= w->n; j++) {
        unsigned kind = w->toks[j].kind;
        if (kind == SP_PYSCAN_NEWLINE || kind == SP_PYSCAN_ENDMARKER)
            return;
        if (kind != SP_PYSCAN_OP)
            continue;
        if (is_op(w, j, "(") || is_op(w, j, "[") || is_op(w, j, "{"))
            depth++;
        else if (is_op(w, j, ")") || is_op(w, j, "]") || is_op(w, j, "}"))
            depth--;
        else if (depth == 0 && is_op(w, j, ":"))
            return;
        else if (depth == 1 && (is_op(w, j, "*") || is_op(w, j, "**"))
                 && (is_op(w, j - 1, "(") || is_op(w, j - 1, ",")))
            return report(c, j, "policy.call", "class bases may not be unpacked with * or **");
    }
}

/* A bare name bound to a field(...) default, read again in the same class
 * body (y = x): the Field object would outlive its class, and a Field
 * renamed after its class is made is pasted into a subclass's code. */
static void check_field_read(struct check *c, size_t i, const struct name *nm)
{
    size_t statement, header;
    if (sp_pywalk_statement(c->w, i, &statement, &header) != 0)
        return;
    if (header == nm->field_class && statement != nm->field_statement)
        report(c, i, "policy.call", "field default '%.*s' may not be used again in its class body",
               NAME_ARG(nm));
}

/* Token i is a name a class body binds, if its statement is in one: a field
 * (`x: T`), an assignment (`x = ...`) or a method (`def x`). */
static int binds_in_class_body(struct check *c, size_t i)
{
    const struct sp_pywalk *w = c->w;
    int binds = (at_statement_start(w, i) && (is_op(w, i + 1, ":") || is_op(w, i + 1, "=")))
                || (word_is(w, i - 1, "def") && at_statement_start(w, i - 1));
    size_t statement, header;
    return binds && sp_pywalk_statement(c->w, i, &statement, &header) == 0 && header > 0
           && word_is(w, header, "class");
}

/* A name a class body binds is an attribute name of the class and of its
 * instances: a dataclass's generated __init__, __repr__ and __eq__ and its
 * __match_args__ use it on whatever object they are handed (K.__repr__(obj)
 * reads obj.keywords; `case K(kw)` too). So the attribute rules hold for it
 * (dunders are checked as names already). */
static void check_class_body_name(struct check *c, size_t i, const struct name *nm)
{
    if (!(nm->flags & (NAME_FORBIDDEN_PREFIX | SET_BIT(SP_PYWALK_FORBIDDEN_ATTRIBUTE))))
        return;
    if (binds_in_class_body(c, i))
        report(c, i, "policy.attribute",
               "'%.*s' is not allowed as a class attribute (dataclass methods and match patterns read it "
               "from any object)",
               NAME_ARG(nm));
}

/* NAME token i, not an attribute. */
static void check_name(struct check *c, size_t i)
{
    const struct name *nm = name_of(c, i);
    if (!(nm->flags & NAME_RULES) && nm->alias < 0)
        return;
    check_class_body_name(c, i, nm);
    if (nm->flags & SET_BIT(SP_PYWALK_CONTEXT_NAME))
        defer_restricted(c, i, nm->flags);
    if (nm->flags & NAME_CLASS && at_statement_start(c->w, i))
        check_class_header(c, i);
    if (nm->flags & NAME_FIELD)
        check_field_read(c, i, nm);
    if (nm->flags & SET_BIT(SP_PYWALK_KEYWORD))
        return;
    if (nm->flags & SET_BIT(SP_PYWALK_FORBIDDEN_KEYWORD))
        return report(c, i, "policy.keyword", "'%.*s' is not allowed", NAME_ARG(nm));
    check_bound_name(c, i, nm);
    if (nm->alias >= 0 && !is_op(c->w, i + 1, "."))
        report(c, i, "policy.module-value", "module '%s' may only be used as %.*s.<name>",
               c->p->mods[nm->alias].name, NAME_ARG(nm));
    if (nm->flags & NAME_MATCH)
        c->hooks->defer(c->ctx, SP_PYWALK_MATCH, i);
}

static void check_token(struct check *c, size_t i)
{
    const struct tok *t = &c->w->toks[i];
    if (t->kind == SP_PYSCAN_NAME) {
        if (t->skip)
            return; /* bound by an import statement, checked there */
        if (is_op(c->w, i - 1, "."))
            check_attribute(c, i);
        else
            check_name(c, i);
    } else if (is_op(c->w, i, "@") && at_statement_start(c->w, i)) {
        c->hooks->defer(c->ctx, SP_PYWALK_DECORATOR, i);
    }
}

int sp_pywalk_check(struct sp_pywalk *w, const struct sp_pywalk_policy *p,
                    const struct sp_pywalk_hooks *hooks, void *ctx)
{
    for (size_t k = 0; k < w->nnames; k++) {
        struct name *nm = &w->names[k];
        nm->flags = nm->words | classify(p, w->src + nm->offset, nm->length);
        nm->alias = -1;
        nm->field_class = nm->field_statement = 0;
    }
    for (size_t i = 1; w->checked && i <= w->n; i++)
        w->toks[i].skip = 0;
    w->checked = 1;
    struct check c = {w, p, hooks, ctx, 0};
    first_pass(&c);
    for (size_t i = 1; i <= w->n && !c.failed; i++)
        check_token(&c, i);
    return c.failed ? -1 : 0;
}

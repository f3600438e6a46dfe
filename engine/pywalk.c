/* pywalk: the validator's token walk in C (see pywalk.h).
 *
 * Speed comes from doing per name, not per token, whatever does not depend
 * on the token's neighbours: lexing interns every NAME (a source has a few
 * thousand distinct names at most), and sp_pywalk_check() classifies each
 * distinct name once against the policy's sets. The walk over the tokens is
 * then a few flag tests per token; strings are formatted only for findings. */
#include "sandprobe/pywalk.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a string-keyed hash map (open addressing, FNV-1a) --------------------- */

struct slot {
    const char *key; /* NULL: empty */
    uint32_t len, hash;
    int value;
};

struct strmap {
    struct slot *slots;
    size_t cap, count; /* cap: 0 or a power of two */
    int owns_keys;
};

static uint32_t hash_bytes(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
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

static struct slot *find_slot(const struct strmap *m, const char *key, size_t len, uint32_t hash)
{
    size_t mask = m->cap - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        struct slot *s = &m->slots[i];
        if (s->key == NULL || (s->hash == hash && s->len == len && memcmp(s->key, key, len) == 0))
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
            *find_slot(m, old[i].key, old[i].len, old[i].hash) = old[i];
    free(old);
    return 0;
}

/* The value of key, or NULL. */
static int *strmap_get(const struct strmap *m, const char *key, size_t len)
{
    if (m->cap == 0)
        return NULL;
    struct slot *s = find_slot(m, key, len, hash_bytes(key, len));
    return s->key ? &s->value : NULL;
}

/* The slot of key, added with `value` when absent; NULL when out of memory. */
static struct slot *strmap_intern(struct strmap *m, const char *key, size_t len, int value)
{
    if ((m->count + 1) * 2 > m->cap && grow(m) != 0)
        return NULL;
    uint32_t hash = hash_bytes(key, len);
    struct slot *s = find_slot(m, key, len, hash);
    if (s->key != NULL)
        return s;
    const char *stored = m->owns_keys ? copy_bytes(key, len) : key;
    if (stored == NULL)
        return NULL;
    *s = (struct slot){stored, (uint32_t)len, hash, value};
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

#define KIND_NONE 0xFF /* the sentinels before the first and after the last token */

struct tok {
    uint32_t offset, length, line, col;
    int32_t name; /* NAME tokens: index into names; -1 otherwise */
    uint8_t kind, skip;
};

/* What the walk knows about one distinct name. */
struct name {
    uint32_t offset, length; /* its first occurrence */
    int alias;               /* module index when an import binds it, else -1 */
    unsigned flags;          /* bit mask of enum sp_pywalk_set and NAME_* */
};

/* Name flags derived from the text, above the policy's set bits. */
enum {
    NAME_UNDERSCORE = 1 << SP_PYWALK_SET_COUNT,
    NAME_DUNDER = NAME_UNDERSCORE << 1,
    NAME_FORBIDDEN_PREFIX = NAME_UNDERSCORE << 2,
    NAME_MATCH = NAME_UNDERSCORE << 3,
};
#define SET_BIT(set) (1u << (set))

struct sp_pywalk {
    const char *src;
    struct tok *toks; /* toks[0] and toks[n + 1] are sentinels */
    size_t n, cap;
    struct strmap index; /* name text -> index into names */
    struct name *names;
    size_t nnames, names_cap;
    char *message; /* the finding being reported */
    size_t message_cap;
};

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
    w->names[w->nnames++] = (struct name){t->offset, t->length, -1, 0};
    return 0;
}

/* Keeps room for one more token and the end sentinel. */
static int reserve_token(struct sp_pywalk *w)
{
    if (w->n + 2 < w->cap)
        return 0;
    size_t cap = w->cap ? w->cap * 2 : 1024;
    struct tok *grown = realloc(w->toks, cap * sizeof *grown);
    if (grown == NULL)
        return -1;
    w->toks = grown;
    w->cap = cap;
    return 0;
}

static int keep_token(const struct sp_pyscan_token *t, void *ctx)
{
    struct sp_pywalk *w = ctx;
    if (t->kind == SP_PYSCAN_COMMENT || t->kind == SP_PYSCAN_NL)
        return 0;
    if (reserve_token(w) != 0)
        return -1;
    struct tok *k = &w->toks[++w->n];
    *k = (struct tok){(uint32_t)t->offset, (uint32_t)t->length, t->line, t->col, -1,
                      (uint8_t)t->kind, 0};
    return t->kind == SP_PYSCAN_NAME ? intern_name(w, k) : 0;
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
    struct sp_pywalk *w = calloc(1, sizeof *w);
    if (w == NULL || reserve_token(w) != 0) {
        sp_pywalk_free(w);
        return NULL;
    }
    w->src = src;
    struct sp_pyscan_limits lim = walk_limits(limits);
    *status = sp_pyscan_tokenize(src, len, &lim, keep_token, w, finding);
    if (*status == SP_PYSCAN_STOPPED) { /* keep_token ran out of memory */
        sp_pywalk_free(w);
        return NULL;
    }
    if (*status != SP_PYSCAN_OK)
        w->n = 0;
    w->toks[0].kind = w->toks[w->n + 1].kind = KIND_NONE;
    return w;
}

void sp_pywalk_free(struct sp_pywalk *w)
{
    if (w == NULL)
        return;
    free(w->toks);
    strmap_free(&w->index);
    free(w->names);
    free(w->message);
    free(w);
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

int sp_pywalk_position(const struct sp_pywalk *w, size_t i, unsigned *line, unsigned *col)
{
    const struct tok *t = token(w, i);
    if (t == NULL)
        return 0;
    *line = t->line;
    *col = t->col;
    return 1;
}

int sp_pywalk_is_name(const struct sp_pywalk *w, size_t i, const char *text, size_t len)
{
    const struct tok *t = token(w, i);
    return t && t->kind == SP_PYSCAN_NAME && t->length == len
           && memcmp(w->src + t->offset, text, len) == 0;
}

void sp_pywalk_skip(struct sp_pywalk *w, size_t i)
{
    if (i >= 1 && i <= w->n)
        w->toks[i].skip = 1;
}

int sp_pywalk_alias(struct sp_pywalk *w, const struct sp_pywalk_policy *p, const char *name,
                    size_t name_len, const char *module, size_t module_len)
{
    int *index = strmap_get(&p->modules, module, module_len);
    if (index == NULL || *index < 0)
        return -1;
    int *id = strmap_get(&w->index, name, name_len);
    if (id != NULL) /* otherwise the name never occurs: nothing to check */
        w->names[*id].alias = *index;
    return 0;
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
    if (len == 5 && memcmp(s, "match", 5) == 0)
        flags |= NAME_MATCH;
    return flags;
}

static const struct name *name_of(const struct check *c, size_t i)
{
    return &c->w->names[c->w->toks[i].name];
}

static int is_op(const struct sp_pywalk *w, size_t i, char op)
{
    const struct tok *t = &w->toks[i]; /* i may be a sentinel */
    return t->kind == SP_PYSCAN_OP && t->length == 1 && w->src[t->offset] == op;
}

static int at_statement_start(const struct sp_pywalk *w, size_t i)
{
    unsigned k = w->toks[i - 1].kind;
    return i == 1 || k == SP_PYSCAN_NEWLINE || k == SP_PYSCAN_INDENT || k == SP_PYSCAN_DEDENT
           || is_op(w, i - 1, ';');
}

/* Formats the message ("%.*s" arguments come from the source) and reports it. */
__attribute__((format(printf, 4, 5))) static void report(struct check *c, size_t i,
                                                         const char *rule, const char *fmt, ...)
{
    struct sp_pywalk *w = c->w;
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(w->message, w->message_cap, fmt, ap);
    va_end(ap);
    if (need < 0)
        return;
    if ((size_t)need >= w->message_cap) {
        char *grown = realloc(w->message, (size_t)need + 1);
        if (grown == NULL) {
            c->failed = 1;
            return;
        }
        w->message = grown;
        w->message_cap = (size_t)need + 1;
        va_start(ap, fmt);
        vsnprintf(w->message, w->message_cap, fmt, ap);
        va_end(ap);
    }
    c->hooks->report(c->ctx, i, rule, w->message);
}

#define NAME_ARG(nm) (int)(nm)->length, c->w->src + (nm)->offset

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
    if (i < 3 || c->w->toks[r].kind != SP_PYSCAN_NAME || is_op(c->w, r - 1, '.'))
        return NULL;
    return name_of(c, r);
}

/* An attribute starting with '_'. */
static void check_underscore_attribute(struct check *c, size_t i, const struct name *receiver)
{
    const struct name *attr = name_of(c, i);
    if (attr->flags & NAME_DUNDER) {
        if (!(attr->flags & SET_BIT(SP_PYWALK_DUNDER)))
            report(c, i, "policy.dunder", "dunder name '%.*s' is not allowed", NAME_ARG(attr));
    } else if (!(receiver && receiver->flags & SET_BIT(SP_PYWALK_PRIVATE_RECEIVER))) {
        report(c, i, "policy.private-attribute",
               "private attribute '%.*s' may only be read through self or cls", NAME_ARG(attr));
    }
}

enum {
    ATTRIBUTE_RULES = NAME_UNDERSCORE | NAME_FORBIDDEN_PREFIX
                      | SET_BIT(SP_PYWALK_FORBIDDEN_ATTRIBUTE) | SET_BIT(SP_PYWALK_FORMAT_METHOD),
    NAME_RULES = NAME_UNDERSCORE | NAME_MATCH | SET_BIT(SP_PYWALK_FORBIDDEN_BUILTIN)
                 | SET_BIT(SP_PYWALK_FORBIDDEN_NAME) | SET_BIT(SP_PYWALK_FORBIDDEN_KEYWORD),
};

/* NAME token i right after a '.'. */
static void check_attribute(struct check *c, size_t i)
{
    const struct name *attr = name_of(c, i), *receiver = receiver_of(c, i);
    if (receiver && receiver->alias >= 0)
        return check_module_attribute(c, i, receiver->alias);
    if (!(attr->flags & ATTRIBUTE_RULES))
        return;
    if (attr->flags & NAME_UNDERSCORE)
        return check_underscore_attribute(c, i, receiver);
    if (attr->flags & (NAME_FORBIDDEN_PREFIX | SET_BIT(SP_PYWALK_FORBIDDEN_ATTRIBUTE)))
        return report(c, i, "policy.attribute", "attribute '%.*s' is not allowed", NAME_ARG(attr));
    c->hooks->defer(c->ctx, SP_PYWALK_FORMAT, i);
}

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

/* NAME token i, not an attribute. */
static void check_name(struct check *c, size_t i)
{
    const struct name *nm = name_of(c, i);
    if (!(nm->flags & NAME_RULES) && nm->alias < 0)
        return;
    if (nm->flags & SET_BIT(SP_PYWALK_KEYWORD))
        return;
    if (nm->flags & SET_BIT(SP_PYWALK_FORBIDDEN_KEYWORD))
        return report(c, i, "policy.keyword", "'%.*s' is not allowed", NAME_ARG(nm));
    check_bound_name(c, i, nm);
    if (nm->alias >= 0 && !is_op(c->w, i + 1, '.'))
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
        if (is_op(c->w, i - 1, '.'))
            check_attribute(c, i);
        else
            check_name(c, i);
    } else if (is_op(c->w, i, '@') && at_statement_start(c->w, i)) {
        c->hooks->defer(c->ctx, SP_PYWALK_DECORATOR, i);
    }
}

int sp_pywalk_check(struct sp_pywalk *w, const struct sp_pywalk_policy *p,
                    const struct sp_pywalk_hooks *hooks, void *ctx)
{
    for (size_t k = 0; k < w->nnames; k++)
        w->names[k].flags = classify(p, w->src + w->names[k].offset, w->names[k].length);
    struct check c = {w, p, hooks, ctx, 0};
    for (size_t i = 1; i <= w->n && !c.failed; i++)
        check_token(&c, i);
    return c.failed ? -1 : 0;
}

/* pywalk: the token walk of the Layer 1 validator, in C, for speed.
 *
 * The policy stays in Lua (lua/sandprobe/policy/default.lua is data, its
 * context rules are functions in lua/sandprobe/validator.lua). Its name
 * lists are compiled once into a struct sp_pywalk_policy; a walk keeps the
 * tokens of one source in C and checks here every rule that is a look-up of
 * a name in those lists: import statements (first pass: modules, imported
 * names, aliases) and then every name and attribute (builtins, keywords,
 * dunders, forbidden and private attributes, module attributes, modules used
 * as values). The few tokens whose rule needs more context are handed to the
 * caller's `defer` hook: decorators, str.format receivers,
 * `__name__`/`__slots__`, `match`.
 *
 * Tokens are numbered from 1 in source order, COMMENT and NL left out.
 * Pure C: no Lua, no globals. */
#ifndef SANDPROBE_PYWALK_H
#define SANDPROBE_PYWALK_H

#include "sandprobe/pyscan.h"

#include <stddef.h>

/* The name lists of a policy. */
enum sp_pywalk_set {
    SP_PYWALK_KEYWORD,             /* keywords that may be used */
    SP_PYWALK_FORBIDDEN_KEYWORD,   /* policy.keyword */
    SP_PYWALK_DUNDER,              /* dunders that may be used */
    SP_PYWALK_FORBIDDEN_BUILTIN,   /* policy.builtin */
    SP_PYWALK_FORBIDDEN_NAME,      /* policy.name */
    SP_PYWALK_FORBIDDEN_ATTRIBUTE, /* policy.attribute */
    SP_PYWALK_FORMAT_METHOD,       /* attributes deferred as SP_PYWALK_FORMAT */
    SP_PYWALK_PRIVATE_RECEIVER,    /* names through which `_x` attributes may be read */
    SP_PYWALK_PUBLIC_UNDERSCORE,   /* `_x` attributes that are public API (namedtuple's _asdict) */
    SP_PYWALK_CONTEXT_NAME,        /* names deferred as SP_PYWALK_CONTEXT wherever they occur */
    SP_PYWALK_FIELD_DEFAULT,       /* of those, names accepted without deferring as a class-body
                                      field default (sp_pywalk_field_default) */
    SP_PYWALK_SET_COUNT
};

struct sp_pywalk_policy;

/* NULL when out of memory. */
struct sp_pywalk_policy *sp_pywalk_policy_new(void);
void sp_pywalk_policy_free(struct sp_pywalk_policy *policy);

/* Each returns 0, or -1 when out of memory. Names are copied. */
int sp_pywalk_policy_add(struct sp_pywalk_policy *policy, enum sp_pywalk_set set,
                         const char *name, size_t len);
/* An attribute prefix refused like SP_PYWALK_FORBIDDEN_ATTRIBUTE ("gi_"). */
int sp_pywalk_policy_add_prefix(struct sp_pywalk_policy *policy, const char *prefix, size_t len);
/* Declares an importable module; attr (may be NULL) is one of its allowed attributes. */
int sp_pywalk_policy_add_module(struct sp_pywalk_policy *policy, const char *module,
                                size_t module_len, const char *attr, size_t attr_len);

struct sp_pywalk;
struct sp_diversity_builder; /* sandprobe/diversity.h */

/* Lexes src[0..len) with sp_pyscan_tokenize() and keeps its tokens. src
 * must outlive the walk. Returns NULL only when out of memory; otherwise
 * *status is SP_PYSCAN_OK or SP_PYSCAN_REJECTED (then *finding says why,
 * and the walk has no tokens). Sources above 4 GiB are refused (byte.size). */
struct sp_pywalk *sp_pywalk_lex(const char *src, size_t len, const struct sp_pyscan_limits *limits,
                                enum sp_pyscan_status *status, struct sp_pyscan_finding *finding);
/* The same, and the diversity fingerprint begun in *fingerprint
 * (sp_diversity_begin on the same src and len) is given every token's code,
 * so that the fingerprint needs no second lexer run; the caller ends it
 * (sp_diversity_end). fingerprint may be NULL. */
struct sp_pywalk *sp_pywalk_lex_fingerprinted(const char *src, size_t len,
                                              const struct sp_pyscan_limits *limits,
                                              struct sp_diversity_builder *fingerprint,
                                              enum sp_pyscan_status *status,
                                              struct sp_pyscan_finding *finding);
void sp_pywalk_free(struct sp_pywalk *walk);

/* Number of tokens (ENDMARKER is the last one). */
size_t sp_pywalk_count(const struct sp_pywalk *walk);
/* Kind of token i, or SP_PYSCAN_KIND_COUNT when i is not in 1..count. */
enum sp_pyscan_kind sp_pywalk_kind(const struct sp_pywalk *walk, size_t i);
/* Text of token i (not NUL-terminated); NULL when i is out of range. */
const char *sp_pywalk_text(const struct sp_pywalk *walk, size_t i, size_t *len);
/* Line and column (1-based, column in code points) of tokens[0..count), which
 * must be in ascending order, into lines[] and cols[]: one pass over the
 * source. Returns -1 when an index is out of range or out of order. */
int sp_pywalk_locate(const struct sp_pywalk *walk, size_t count, const size_t *tokens,
                     unsigned *lines, unsigned *cols);
/* For token i: *statement, the first token of the statement holding it, and
 * *header, the first token of the header of the block that statement is in
 * (`class` of `class A:` for a token of its body; 0 at top level). Asked
 * in token order, the calls together pass over the tokens once (asking for
 * an earlier token starts the pass again). Returns 0, or -1 when i is out of
 * range or out of memory. */
int sp_pywalk_statement(struct sp_pywalk *walk, size_t i, size_t *statement, size_t *header);
/* True when the call whose name ends at token i (`field`, `dataclasses.field`)
 * is the whole value of an annotated assignment directly in the body of a
 * class decorated @dataclass or @dataclasses.dataclass: `x: T = field(...)`
 * followed by the end of the line, its arguments keywords only, and
 * init/repr/compare/hash/kw_only a literal True/False/None. Uses
 * sp_pywalk_statement(): ask in token order. */
int sp_pywalk_field_default(struct sp_pywalk *walk, size_t i);
/* True when sp_pywalk_check() saw `def name` (allowed as a local decorator). */
int sp_pywalk_defined(const struct sp_pywalk *walk, const char *name, size_t len);

/* Tokens whose rule the walk leaves to the caller. */
enum sp_pywalk_event {
    SP_PYWALK_DECORATOR,  /* an '@' at the start of a statement */
    SP_PYWALK_FORMAT,     /* a format-method attribute (.format) */
    SP_PYWALK_NAME_DUNDER, /* a bare dunder name not in the dunder list (__name__, __slots__ ...) */
    SP_PYWALK_MATCH,      /* the bare name `match` */
    SP_PYWALK_CONTEXT,    /* a name of SP_PYWALK_CONTEXT_NAME, bare or as an attribute */
    SP_PYWALK_EVENT_COUNT
};

struct sp_pywalk_hooks {
    /* A finding on token i; message is NUL-terminated, valid during the call. */
    void (*report)(void *ctx, size_t i, const char *rule, const char *message);
    void (*defer)(void *ctx, enum sp_pywalk_event event, size_t i);
};

/* Checks every token in order against the policy, calling the hooks.
 * Returns 0, or -1 when out of memory (nothing reported past that point). */
int sp_pywalk_check(struct sp_pywalk *walk, const struct sp_pywalk_policy *policy,
                    const struct sp_pywalk_hooks *hooks, void *ctx);

/* True when every replacement field of the str.format string s[0..len)
 * (fields nested in format specs included) reads no attribute: a name or
 * number of letters, digits and '_', optionally followed by item indexes of
 * such characters ("{0[0]}", "{row[key]}"); no "." traversal
 * ("{0.__class__}", "{x[0].y}"), and the braces balance. "{{" and "}}"
 * outside fields are literal braces. */
int sp_pywalk_plain_format_fields(const char *s, size_t len);

#endif

/* pyscan: a strict lexer for Python 3 source, the first half of the Layer 1
 * static validator (the policy that reads its tokens is written in Lua).
 *
 * It is deliberately stricter than CPython: wherever CPython and a simple
 * lexer could read the same bytes differently, it refuses the source with a
 * finding instead of guessing. Byte rules come first (size cap, UTF-8,
 * control and invisible characters, PEP 263 coding declarations), then the
 * tokens. See docs/validator.md for every rule id.
 *
 * The lexer is pure (no globals, no allocation), reentrant, runs in time
 * linear in the input and never recurses on it: bracket and f-string nesting
 * lives in a fixed-size explicit stack whose depth is capped. */
#ifndef SANDPROBE_PYSCAN_H
#define SANDPROBE_PYSCAN_H

#include <stddef.h>

enum sp_pyscan_kind {
    SP_PYSCAN_NAME,           /* identifier or keyword (ASCII only) */
    SP_PYSCAN_NUMBER,         /* int, float or imaginary literal */
    SP_PYSCAN_STRING,         /* a whole non-f string literal, prefix and quotes included */
    SP_PYSCAN_FSTRING_START,  /* f-string prefix and opening quote(s) */
    SP_PYSCAN_FSTRING_MIDDLE, /* literal text of an f-string or of a format spec */
    SP_PYSCAN_FSTRING_END,    /* closing quote(s) of an f-string */
    SP_PYSCAN_OP,             /* operator or delimiter (inside f-strings: { } ! : too) */
    SP_PYSCAN_NEWLINE,        /* end of a logical line */
    SP_PYSCAN_NL,             /* a newline that ends no logical line (blank, comment, in brackets) */
    SP_PYSCAN_INDENT,
    SP_PYSCAN_DEDENT,
    SP_PYSCAN_COMMENT,
    SP_PYSCAN_ENDMARKER,
    SP_PYSCAN_KIND_COUNT
};

/* Upper-case name of a kind ("NAME", "FSTRING_START", ...). */
const char *sp_pyscan_kind_name(enum sp_pyscan_kind kind);

struct sp_pyscan_token {
    enum sp_pyscan_kind kind;
    size_t offset; /* byte offset of the first byte in the source */
    size_t length; /* bytes; 0 for INDENT, DEDENT, ENDMARKER */
    unsigned line; /* 1-based */
    unsigned col;  /* 1-based, in Unicode code points */
};

struct sp_pyscan_limits {
    size_t max_bytes;    /* larger sources are refused (byte.size) */
    unsigned max_depth;  /* brackets + f-strings + replacement fields open at once (lex.depth) */
    unsigned max_indent; /* indentation levels (lex.indent) */
};

#define SP_PYSCAN_DEFAULT_MAX_BYTES ((size_t)1024 * 1024)
#define SP_PYSCAN_DEFAULT_MAX_DEPTH 64u
#define SP_PYSCAN_DEFAULT_MAX_INDENT 100u
/* Hard ceiling for max_depth: the explicit stack is a fixed array. */
#define SP_PYSCAN_MAX_DEPTH_CEILING 256u
#define SP_PYSCAN_MAX_INDENT_CEILING 256u

/* The defaults above. */
struct sp_pyscan_limits sp_pyscan_default_limits(void);

/* Why a source was refused. `rule` is a static string such as "byte.utf8";
 * line and col (1-based, col in code points) point at the offending byte. */
struct sp_pyscan_finding {
    const char *rule;
    unsigned line;
    unsigned col;
    char message[200];
};

/* Called once per token, in source order. Return 0 to go on, anything else
 * to stop (sp_pyscan_tokenize then returns SP_PYSCAN_STOPPED). */
typedef int (*sp_pyscan_token_fn)(const struct sp_pyscan_token *token, void *ctx);

enum sp_pyscan_status {
    SP_PYSCAN_OK = 0,       /* every token was delivered, ENDMARKER last */
    SP_PYSCAN_REJECTED = 1, /* the source breaks a rule: *finding says which */
    SP_PYSCAN_STOPPED = 2,  /* the callback asked to stop */
};

/* Lexes src[0..len). `limits` may be NULL (defaults; values above the
 * ceilings are clamped, 0 means the default); `on_token` may be NULL (check
 * only). Stops at the first finding: after one, the lexer's idea of where
 * strings start and end can no longer be trusted, so nothing later is
 * reported. `finding` may be NULL. */
enum sp_pyscan_status sp_pyscan_tokenize(const char *src, size_t len,
                                         const struct sp_pyscan_limits *limits,
                                         sp_pyscan_token_fn on_token, void *ctx,
                                         struct sp_pyscan_finding *finding);

/* The same, except that tokens carry line 0 and col 0 (findings still have
 * their position): one pass less over the bytes, for callers that find
 * positions again from the offsets of the few tokens they report. */
enum sp_pyscan_status sp_pyscan_tokenize_unlocated(const char *src, size_t len,
                                                   const struct sp_pyscan_limits *limits,
                                                   sp_pyscan_token_fn on_token, void *ctx,
                                                   struct sp_pyscan_finding *finding);

#endif

/* diversity: has the strategy generator collapsed into writing the same
 * program over and over?
 *
 * Every program is fingerprinted from the strict lexer's tokens (pyscan.h)
 * with identifiers, numbers and strings normalised, so renaming a variable or
 * changing a constant does not make a new strategy. The normalised tokens of
 * each logical line make one line code; a fingerprint is a MinHash signature
 * of the program's shingles of two consecutive line codes plus one hash of
 * its whole normalised stream. A monitor keeps the last `window`
 * fingerprints and scores them: the mean pairwise Jaccard distance of their
 * shingle sets, estimated from the signatures, in [0, 1] (0: all the same
 * program). It counts programs and distinct programs, and raises a collapse
 * flag once the score has stayed under `threshold` for `collapse_after`
 * programs in a row. The maths and the cost per program are in
 * docs/diversity.md.
 *
 * Monitors are thread-safe (one mutex each). The process-wide default monitor
 * publishes its figures to the engine's metrics (sandprobe_diversity_*);
 * others publish nothing. */
#ifndef SANDPROBE_DIVERSITY_H
#define SANDPROBE_DIVERSITY_H

#include "sandprobe/pyscan.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SP_DIVERSITY_SLOTS 64u          /* MinHash signature length */
#define SP_DIVERSITY_SHINGLE 2u         /* logical lines per shingle */
#define SP_DIVERSITY_BATCH 64u          /* line codes hashed together (sp_diversity_builder) */
#define SP_DIVERSITY_MAX_WINDOW 4096u
#define SP_DIVERSITY_DEFAULT_WINDOW 20u
#define SP_DIVERSITY_DEFAULT_THRESHOLD 0.2
#define SP_DIVERSITY_DEFAULT_COLLAPSE_AFTER 10u

struct sp_diversity_fingerprint {
    uint64_t exact;                         /* hash of the whole normalised stream, never 0 */
    uint64_t minhash[SP_DIVERSITY_SLOTS];   /* per slot, the least shingle hash */
    size_t tokens;                          /* normalised tokens fingerprinted */
    size_t lines;                           /* their logical lines (shingles made) */
    const char *rejected_rule;              /* the lexer's rule when it refused the source
                                               (the tokens before it are fingerprinted), else NULL */
};

/* Fingerprints src[0..len). Never fails: a source the lexer refuses is
 * fingerprinted from the tokens before the refusal plus the rule's name. */
void sp_diversity_fingerprint(const char *src, size_t len, struct sp_diversity_fingerprint *out);

/* The same fingerprint built from a lexer run someone else makes, so that a
 * program the validator lexes is not lexed again (engine/pywalk.c):
 * sp_diversity_begin, then the code of every token in the order the lexer
 * delivers them (sp_diversity_push), then sp_diversity_end with the lexer's
 * rule when it refused the source (else NULL). For the tokens of
 * src[0..len) lexed with the default limits, *out then equals
 * sp_diversity_fingerprint(src, len) bit for bit.
 *
 * A token's code is sp_diversity_token_code(src, len, token), and
 * sp_diversity_on_token (an sp_pyscan_token_fn, always 0) codes and pushes
 * one token. A code depends on the token's kind alone, except for NAME and
 * OP tokens, whose text may count (keywords and operators are kept,
 * identifiers are not): a reader that sees many tokens can compute each
 * distinct name's and operator's code once. COMMENT, NL and ENDMARKER tokens
 * have code 0, and a code of 0 is never pushed. */
struct sp_diversity_builder {
    const char *src;
    size_t len;
    struct sp_diversity_fingerprint *fp;
    uint64_t newline_code; /* a NEWLINE token's code: it ends a line */
    uint64_t line;         /* the line being read, its codes folded so far (0: none yet) */
    size_t tokens;         /* codes pushed */
    size_t hashed;         /* line codes hashed */
    uint64_t previous;     /* the last line code hashed (0 before the first) */
    uint64_t lines[SP_DIVERSITY_BATCH]; /* line codes not hashed yet */
    unsigned nlines;
};

void sp_diversity_begin(struct sp_diversity_builder *b, const char *src, size_t len,
                        struct sp_diversity_fingerprint *out);
/* Valid once any sp_diversity_begin has run (it builds the keyword table). */
uint64_t sp_diversity_token_code(const char *src, size_t len, const struct sp_pyscan_token *token);
int sp_diversity_on_token(const struct sp_pyscan_token *token, void *builder);
void sp_diversity_end(struct sp_diversity_builder *b, const char *rejected_rule);

/* Hashes the line codes waiting in b (sp_diversity_push calls it when
 * SP_DIVERSITY_BATCH are waiting). */
void sp_diversity_hash_lines(struct sp_diversity_builder *b);

/* The multiplier that folds a token's code into its line's (odd: each step
 * is a bijection of the line so far). */
#define SP_DIVERSITY_LINE_MIX 0x9e3779b97f4a7c15ULL

/* Pushes one token's code, not 0. Inline, since it runs once per token,
 * and without a branch on the token (which comes next is what a branch
 * predictor cannot guess): the line so far is always stored where the next
 * line code goes, and counted only when this token is the NEWLINE that ends
 * it, which also starts the next line from 0. */
static inline void sp_diversity_push(struct sp_diversity_builder *b, uint64_t code)
{
    uint64_t line = (b->line ^ code) * SP_DIVERSITY_LINE_MIX;
    uint64_t ends = code == b->newline_code;
    b->lines[b->nlines] = line;
    b->nlines += (unsigned)ends;
    b->line = line & (ends - 1);
    b->tokens++;
    if (b->nlines == SP_DIVERSITY_BATCH)
        sp_diversity_hash_lines(b);
}

/* Estimated Jaccard similarity of two fingerprints' shingle sets, in [0, 1]. */
double sp_diversity_similarity(const struct sp_diversity_fingerprint *a,
                               const struct sp_diversity_fingerprint *b);

struct sp_diversity_config {
    unsigned window;         /* programs scored together, 2..SP_DIVERSITY_MAX_WINDOW */
    double threshold;        /* collapse when the score is under it, in [0, 1] */
    unsigned collapse_after; /* ... for this many programs in a row, >= 1 */
};

struct sp_diversity_config sp_diversity_default_config(void);

/* 0, or -1 with the reason in err. */
int sp_diversity_check_config(const struct sp_diversity_config *cfg, char *err, size_t errlen);

/* What a monitor publishes: its own figures after each program, or the
 * caller's after sp_diversity_record. */
struct sp_diversity_state {
    double score;             /* [0, 1]; 1 while the window holds fewer than 2 programs */
    uint64_t unique;          /* distinct normalised programs seen */
    uint64_t total;           /* programs seen */
    uint64_t window;          /* programs the score is over */
    bool collapsed;
    uint64_t collapse_events; /* times collapsed went from false to true */
};

/* The caller's own figures (the seed's record_diversity). */
struct sp_diversity_figures {
    double score;
    double unique;
    double total;
    double window;
    bool collapsed;
};

struct sp_diversity;

/* NULL with the reason in err for a bad config (NULL cfg: the defaults). */
struct sp_diversity *sp_diversity_new(const struct sp_diversity_config *cfg, char *err, size_t errlen);
void sp_diversity_free(struct sp_diversity *d);

/* Adds one program; *out (may be NULL) gets the new state. */
void sp_diversity_add(struct sp_diversity *d, const struct sp_diversity_fingerprint *fp,
                      struct sp_diversity_state *out);

/* Publishes the caller's figures as the state. Refuses (-1, reason in err,
 * state unchanged) a score outside [0, 1], a count that is negative, not an
 * integer or not finite, unique > total, window < 1. Nothing is clamped. */
int sp_diversity_record(struct sp_diversity *d, const struct sp_diversity_figures *f,
                        struct sp_diversity_state *out, char *err, size_t errlen);

void sp_diversity_state(struct sp_diversity *d, struct sp_diversity_state *out);
struct sp_diversity_config sp_diversity_config_of(struct sp_diversity *d);

/* The process-wide monitor that sandbox.run feeds; it publishes to the
 * sandprobe_diversity_* metric families. Created with the defaults on first
 * use. */
struct sp_diversity *sp_diversity_default(void);

/* Takes a new configuration (NULL: keep the current one) and forgets the
 * programs seen; collapse_events stays counted (its metric is a counter).
 * 0, or -1 with the reason in err and the monitor unchanged. */
int sp_diversity_reset(struct sp_diversity *d, const struct sp_diversity_config *cfg, char *err,
                       size_t errlen);

#endif

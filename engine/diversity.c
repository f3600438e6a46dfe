/* The diversity monitor (include/sandprobe/diversity.h, docs/diversity.md):
 * token fingerprints with MinHash signatures, a sliding window scored by the
 * mean pairwise Jaccard distance, distinct-program counting and the collapse
 * flag. */
#include "sandprobe/diversity.h"
#include "sandprobe/metrics_catalogue.h"
#include "sandprobe/pyscan.h"
#include "sandprobe/text.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first byte lowest, as sp_pack8 builds it. */
static uint64_t le64(uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap64(v);
#else
    return v;
#endif
}

/* ---- hashing ---------------------------------------------------------------- */

/* splitmix64's finaliser: a bijection that spreads every input bit. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* The low n bytes of a 64-bit value, n = 0 ... 8. */
static const uint64_t LOW_BYTES[9] = {
    0,
    0xffULL,
    0xffffULL,
    0xffffffULL,
    0xffffffffULL,
    0xffffffffffULL,
    0xffffffffffffULL,
    0xffffffffffffffULL,
    0xffffffffffffffffULL,
};

/* sp_pack8(src + offset, n) for a token of src[0..len): one 8-byte load, masked
 * by a table, wherever 8 bytes are left. Token lengths follow the token
 * kinds, which no branch predictor can guess: a byte loop, or a branch on
 * the length, costs more than the rest of the token's hashing. */
static uint64_t pack8_at(const char *src, size_t len, size_t offset, size_t n)
{
    if (offset + 8 > len) /* the last 7 bytes of the source only */
        return sp_pack8(src + offset, n);
    uint64_t v;
    memcpy(&v, src + offset, 8);
    return le64(v) & LOW_BYTES[n < 8 ? n : 8];
}

static uint64_t hash_bytes(uint64_t seed, const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ seed; /* FNV-1a, then mixed */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 0x100000001b3ULL;
    }
    return mix64(h);
}

static uint64_t rotl64(uint64_t x, unsigned r)
{
    return x << r | x >> (64 - r);
}

/* ---- normalisation ---------------------------------------------------------- */

/* Keywords are the program's structure and stay; every other name is the
 * author's choice and becomes one placeholder. Grouped by length (2 to 8
 * letters), as one string of fixed-width entries per length. */
static const char *const KEYWORDS_BY_LENGTH[9] = {
    [2] = "asifinisor",
    [3] = "anddefdelfornottry",
    [4] = "NoneTrueelifelsefrompasswith",
    [5] = "Falseasyncawaitbreakclassraisewhileyield",
    [6] = "assertexceptglobalimportlambdareturn",
    [7] = "finally",
    [8] = "continuenonlocal",
};

/* The keywords packed (sp_pack8) in a table without collisions: a name is a
 * keyword when the one entry its packed bytes select holds those bytes. A
 * lookup is a multiplication, a shift and one comparison, with no branch.
 * The multiplier is the first of a fixed sequence that places the 35
 * keywords in distinct entries; found once, by the first
 * sp_diversity_begin. */
#define KEYWORD_TABLE_BITS 7u
static uint64_t keyword_table[1u << KEYWORD_TABLE_BITS]; /* 0 = no keyword */
static uint64_t keyword_multiplier;
static pthread_once_t keywords_once = PTHREAD_ONCE_INIT;

static unsigned keyword_entry(uint64_t packed, uint64_t multiplier)
{
    return (unsigned)((packed * multiplier) >> (64 - KEYWORD_TABLE_BITS));
}

static bool place_keywords(uint64_t multiplier)
{
    memset(keyword_table, 0, sizeof keyword_table);
    for (size_t n = 2; n <= 8; n++)
        for (const char *k = KEYWORDS_BY_LENGTH[n]; *k != '\0'; k += n) {
            uint64_t packed = sp_pack8(k, n);
            unsigned e = keyword_entry(packed, multiplier);
            if (keyword_table[e] != 0)
                return false;
            keyword_table[e] = packed;
        }
    return true;
}

static void pack_keywords(void)
{
    /* About one multiplier in a hundred fits; the loop ends after a few hundred. */
    for (uint64_t i = 1;; i++) {
        uint64_t multiplier = mix64(i) | 1;
        if (place_keywords(multiplier)) {
            keyword_multiplier = multiplier;
            return;
        }
    }
}

/* A fixed base per token kind, 0 for a token that carries no structure
 * (comments, blank-line NLs, the end marker). The top bits of the eight
 * bytes spell kind + 1 (bit 7 of byte i is bit i of kind + 1); the other bits
 * are splitmix64's finaliser of kind + 1. Keyword and operator text is ASCII
 * (every byte's top bit clear), so base ^ text keeps its kind's top bits: two
 * tokens of different kinds never share a code, and two of one kind share one
 * only when their text is the same or normalised away. */
static const uint64_t KIND_BASE[SP_PYSCAN_KIND_COUNT] = {
    [SP_PYSCAN_NAME] = 0x5612161d100b05e5ULL,
    [SP_PYSCAN_NUMBER] = 0x5b5238173a2b940aULL,
    [SP_PYSCAN_STRING] = 0x1e535e6d6314a8f0ULL,
    [SP_PYSCAN_FSTRING_START] = 0x3724712c74d62914ULL,
    [SP_PYSCAN_FSTRING_MIDDLE] = 0x363f613d3ebb45dcULL,
    [SP_PYSCAN_FSTRING_END] = 0x5177071770f8b36cULL,
    [SP_PYSCAN_OP] = 0x122e30237b97df94ULL,
    [SP_PYSCAN_NEWLINE] = 0x556b1f3b9c6b2968ULL,
    [SP_PYSCAN_INDENT] = 0x075c0519a9328579ULL,
    [SP_PYSCAN_DEDENT] = 0x34625848f53abbedULL,
};

/* Spreads a code's bits over all 64 so that shingles can be combined by
 * rotation and exclusive or (an odd multiplier: a bijection, 0 stays 0). */
#define CODE_SPREAD 0x9e3779b97f4a7c15ULL

/* Keywords and operators (at most 8 bytes) keep their text, packed into the
 * code; any other token is its kind's base. Written without branches: which
 * kind comes next is what a branch predictor cannot know. */
uint64_t sp_diversity_token_code(const char *src, size_t len, const struct sp_pyscan_token *t)
{
    uint64_t packed = pack8_at(src, len, t->offset, t->length);
    bool keyword = (t->kind == SP_PYSCAN_NAME) & (t->length <= 8) &
                   (keyword_table[keyword_entry(packed, keyword_multiplier)] == packed);
    bool keeps_text = keyword | (t->kind == SP_PYSCAN_OP);
    uint64_t base = KIND_BASE[t->kind];
    return (base ^ (packed & -(uint64_t)keeps_text)) * CODE_SPREAD;
}

/* ---- fingerprints ----------------------------------------------------------- */

/* A shingle is two consecutive line codes, p then c; its hash is
 * (rotl(p, 32) ^ c) * SHINGLE_SPREAD: the earlier line rotated, so order
 * matters, then one multiplication so that the top bits (the MinHash slot)
 * depend on every bit of both. */
#define SHINGLE_SPREAD 0xd6e8feb86659fd93ULL

/* One-permutation MinHash: the top 6 bits of a shingle's hash pick its slot,
 * the slot keeps the least hash it was given. A branch, not a conditional
 * store: a slot's least hash is replaced about ln(n / 64) times in n
 * shingles, so the branch is nearly always not taken and nothing is
 * written. */
static void add_shingle(struct sp_diversity_fingerprint *fp, uint64_t shingle)
{
    unsigned slot = (unsigned)(shingle >> 58);
    if (__builtin_expect(shingle < fp->minhash[slot], 0))
        fp->minhash[slot] = shingle;
}

/* The line codes waiting are hashed in a loop whose running values stay in
 * registers. `previous` starts as 0, so the first line's shingle is padded
 * at the front (the program is read as if an empty line preceded it). The
 * exact hash is a sum of every shingle hash, each xored with a value of its
 * position, so that two programs with the same shingles in another order
 * still differ. */
void sp_diversity_hash_lines(struct sp_diversity_builder *b)
{
    _Static_assert(SP_DIVERSITY_SHINGLE == 2, "a shingle is two lines");
    struct sp_diversity_fingerprint *fp = b->fp;
    uint64_t previous = b->previous, exact = fp->exact;
    uint64_t position = (uint64_t)b->hashed * 0xc2b2ae3d27d4eb4fULL;
    for (unsigned k = 0; k < b->nlines; k++) {
        uint64_t line = b->lines[k];
        uint64_t shingle = (rotl64(previous, 32) ^ line) * SHINGLE_SPREAD;
        add_shingle(fp, shingle);
        position += 0xc2b2ae3d27d4eb4fULL;
        exact += shingle ^ position;
        previous = line;
    }
    b->previous = previous;
    fp->exact = exact;
    b->hashed += b->nlines;
    b->nlines = 0;
}

/* Ends the line being read as if a NEWLINE followed it: the tokens after
 * the last NEWLINE (the DEDENTs at the end of a file, the tokens before a
 * refusal) make a line of their own. */
static void end_open_line(struct sp_diversity_builder *b)
{
    if (b->line == 0)
        return;
    b->lines[b->nlines++] = b->line;
    b->line = 0;
    if (b->nlines == SP_DIVERSITY_BATCH)
        sp_diversity_hash_lines(b);
}

void sp_diversity_begin(struct sp_diversity_builder *b, const char *src, size_t len,
                        struct sp_diversity_fingerprint *out)
{
    pthread_once(&keywords_once, pack_keywords);
    memset(out, 0, sizeof *out);
    for (unsigned i = 0; i < SP_DIVERSITY_SLOTS; i++)
        out->minhash[i] = UINT64_MAX;
    out->exact = 0x5d1c0de5eedULL;
    *b = (struct sp_diversity_builder){.src = src, .len = len, .fp = out,
                                       .newline_code = KIND_BASE[SP_PYSCAN_NEWLINE] * CODE_SPREAD};
}

int sp_diversity_on_token(const struct sp_pyscan_token *t, void *builder)
{
    struct sp_diversity_builder *b = builder;
    uint64_t code = sp_diversity_token_code(b->src, b->len, t);
    if (code != 0)
        sp_diversity_push(b, code);
    return 0;
}

void sp_diversity_end(struct sp_diversity_builder *b, const char *rejected_rule)
{
    struct sp_diversity_fingerprint *out = b->fp;
    end_open_line(b);
    if (rejected_rule != NULL) { /* the rule's name as a line of its own */
        out->rejected_rule = rejected_rule;
        b->line = hash_bytes(0x7e1ec7, rejected_rule, strlen(rejected_rule)) | 1;
        end_open_line(b);
    }
    sp_diversity_hash_lines(b);
    /* No line at all: the empty program's one shingle is the padding. */
    if (b->hashed == 0)
        add_shingle(out, 0xa5a5a5a5a5a5a5a5ULL); /* the all-zero shingle, hashed, xor a constant */
    out->tokens = b->tokens;
    out->lines = b->hashed;
    out->exact = mix64(out->exact + b->hashed);
    if (out->exact == 0)
        out->exact = 1; /* 0 marks an empty slot of the distinct-program set */
}

void sp_diversity_fingerprint(const char *src, size_t len, struct sp_diversity_fingerprint *out)
{
    struct sp_diversity_builder b;
    sp_diversity_begin(&b, src, len, out);
    struct sp_pyscan_finding finding;
    bool refused = sp_pyscan_tokenize_unlocated(src, len, NULL, sp_diversity_on_token, &b, &finding) ==
                   SP_PYSCAN_REJECTED;
    sp_diversity_end(&b, refused ? finding.rule : NULL);
}

/* Slots that no shingle of either program reached say nothing and are left
 * out; two programs with no shingle in common but equal empty slots would
 * otherwise look alike. */
double sp_diversity_similarity(const struct sp_diversity_fingerprint *a,
                               const struct sp_diversity_fingerprint *b)
{
    unsigned same = 0, informative = 0;
    for (unsigned i = 0; i < SP_DIVERSITY_SLOTS; i++) {
        bool empty_a = a->minhash[i] == UINT64_MAX, empty_b = b->minhash[i] == UINT64_MAX;
        if (empty_a && empty_b)
            continue;
        informative++;
        same += a->minhash[i] == b->minhash[i];
    }
    return informative ? (double)same / informative : 1.0;
}

/* ---- configuration ---------------------------------------------------------- */

struct sp_diversity_config sp_diversity_default_config(void)
{
    return (struct sp_diversity_config){SP_DIVERSITY_DEFAULT_WINDOW, SP_DIVERSITY_DEFAULT_THRESHOLD,
                                        SP_DIVERSITY_DEFAULT_COLLAPSE_AFTER};
}

int sp_diversity_check_config(const struct sp_diversity_config *cfg, char *err, size_t errlen)
{
    if (cfg->window < 2 || cfg->window > SP_DIVERSITY_MAX_WINDOW) {
        snprintf(err, errlen, "window must be between 2 and %u programs, got %u",
                 SP_DIVERSITY_MAX_WINDOW, cfg->window);
        return -1;
    }
    if (!(cfg->threshold >= 0 && cfg->threshold <= 1)) {
        snprintf(err, errlen, "threshold must be in [0, 1], got %g", cfg->threshold);
        return -1;
    }
    if (cfg->collapse_after < 1) {
        snprintf(err, errlen, "collapse_after must be at least 1 program");
        return -1;
    }
    return 0;
}

/* ---- the monitor ------------------------------------------------------------ */

/* The set of distinct programs' exact hashes: open addressing, 0 = empty,
 * kept at most half full. */
struct hash_set {
    uint64_t *slots;
    size_t capacity; /* a power of two */
    size_t size;
};

struct sp_diversity {
    pthread_mutex_t lock;
    struct sp_diversity_config cfg;
    struct sp_diversity_fingerprint *ring; /* cfg.window entries */
    size_t head;                           /* the oldest entry */
    size_t in_window;
    /* Sum over all pairs in the window of their Jaccard distance, kept up
     * to date as programs come and go and recomputed from scratch each time
     * the ring wraps, so rounding cannot accumulate. */
    double distance_sum;
    unsigned below_run; /* programs in a row scored under the threshold */
    struct hash_set seen;
    struct sp_diversity_state state;
    bool publishes;
};

static void publish(const struct sp_diversity_state *s)
{
    sp_metric_gauge_set(sp_catalogue(SP_M_DIVERSITY_SCORE), NULL, s->score);
    sp_metric_gauge_set(sp_catalogue(SP_M_DIVERSITY_UNIQUE), NULL, (double)s->unique);
    sp_metric_gauge_set(sp_catalogue(SP_M_DIVERSITY_PROGRAMS), NULL, (double)s->total);
    sp_metric_gauge_set(sp_catalogue(SP_M_DIVERSITY_WINDOW), NULL, (double)s->window);
    sp_metric_gauge_set(sp_catalogue(SP_M_DIVERSITY_COLLAPSED), NULL, s->collapsed ? 1 : 0);
}

static void set_state(struct sp_diversity *d, const struct sp_diversity_state *next)
{
    bool became_collapsed = next->collapsed && !d->state.collapsed;
    uint64_t events = d->state.collapse_events + (became_collapsed ? 1 : 0);
    d->state = *next;
    d->state.collapse_events = events;
    if (d->publishes) {
        if (became_collapsed)
            sp_metric_counter_add(sp_catalogue(SP_M_DIVERSITY_COLLAPSE_EVENTS), NULL, 1);
        publish(&d->state);
    }
}

static void empty_state(struct sp_diversity_state *s)
{
    memset(s, 0, sizeof *s);
    s->score = 1;
}

static int init_fields(struct sp_diversity *d, const struct sp_diversity_config *cfg)
{
    struct sp_diversity_fingerprint *ring = calloc(cfg->window, sizeof *ring);
    uint64_t *slots = calloc(64, sizeof *slots);
    if (ring == NULL || slots == NULL) {
        free(ring);
        free(slots);
        return -1;
    }
    free(d->ring);
    free(d->seen.slots);
    d->cfg = *cfg;
    d->ring = ring;
    d->head = d->in_window = 0;
    d->distance_sum = 0;
    d->below_run = 0;
    d->seen = (struct hash_set){slots, 64, 0};
    return 0;
}

struct sp_diversity *sp_diversity_new(const struct sp_diversity_config *cfg, char *err, size_t errlen)
{
    struct sp_diversity_config c = cfg ? *cfg : sp_diversity_default_config();
    if (sp_diversity_check_config(&c, err, errlen) != 0)
        return NULL;
    struct sp_diversity *d = calloc(1, sizeof *d);
    if (d == NULL || init_fields(d, &c) != 0) {
        free(d);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&d->lock, NULL);
    empty_state(&d->state);
    return d;
}

void sp_diversity_free(struct sp_diversity *d)
{
    if (d == NULL)
        return;
    pthread_mutex_destroy(&d->lock);
    free(d->ring);
    free(d->seen.slots);
    free(d);
}

int sp_diversity_reset(struct sp_diversity *d, const struct sp_diversity_config *cfg, char *err,
                       size_t errlen)
{
    pthread_mutex_lock(&d->lock);
    struct sp_diversity_config c = cfg ? *cfg : d->cfg;
    int rc = sp_diversity_check_config(&c, err, errlen);
    if (rc == 0 && init_fields(d, &c) != 0) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    if (rc == 0) {
        struct sp_diversity_state next;
        empty_state(&next);
        next.collapse_events = d->state.collapse_events;
        d->state.collapsed = false; /* a reset is no collapse event */
        set_state(d, &next);
    }
    pthread_mutex_unlock(&d->lock);
    return rc;
}

/* Inserts h; true when it was not there. Doubling keeps the load under 1/2;
 * if the memory for that is missing, the set stays as it is and the program
 * is counted as new (the count errs towards diversity, never towards collapse). */
static bool set_insert(struct hash_set *s, uint64_t h)
{
    if ((s->size + 1) * 2 > s->capacity) {
        size_t cap = s->capacity * 2;
        uint64_t *slots = calloc(cap, sizeof *slots);
        if (slots == NULL)
            return true;
        for (size_t i = 0; i < s->capacity; i++) {
            if (s->slots[i] == 0)
                continue;
            size_t j = s->slots[i] & (cap - 1);
            while (slots[j] != 0)
                j = (j + 1) & (cap - 1);
            slots[j] = s->slots[i];
        }
        free(s->slots);
        s->slots = slots;
        s->capacity = cap;
    }
    size_t j = h & (s->capacity - 1);
    while (s->slots[j] != 0) {
        if (s->slots[j] == h)
            return false;
        j = (j + 1) & (s->capacity - 1);
    }
    s->slots[j] = h;
    s->size++;
    return true;
}

/* Sum of distances between fp and every window entry from position `from`
 * (0 = the oldest) on, except ring index `skip`. */
static double distance_to_window(const struct sp_diversity *d, const struct sp_diversity_fingerprint *fp,
                                 size_t from, size_t skip)
{
    double sum = 0;
    for (size_t k = from; k < d->in_window; k++) {
        size_t i = (d->head + k) % d->cfg.window;
        if (i != skip)
            sum += 1 - sp_diversity_similarity(fp, &d->ring[i]);
    }
    return sum;
}

static void slide_in(struct sp_diversity *d, const struct sp_diversity_fingerprint *fp)
{
    if (d->in_window == d->cfg.window) {
        d->distance_sum -= distance_to_window(d, &d->ring[d->head], 0, d->head);
        d->head = (d->head + 1) % d->cfg.window;
        d->in_window--;
    }
    d->distance_sum += distance_to_window(d, fp, 0, SIZE_MAX);
    d->ring[(d->head + d->in_window) % d->cfg.window] = *fp;
    d->in_window++;
    if (d->head == 0 && d->in_window == d->cfg.window) {
        double exact = 0;
        for (size_t k = 0; k + 1 < d->in_window; k++)
            exact += distance_to_window(d, &d->ring[k], k + 1, SIZE_MAX);
        d->distance_sum = exact;
    }
}

static double window_score(const struct sp_diversity *d)
{
    if (d->in_window < 2)
        return 1;
    double pairs = (double)d->in_window * (double)(d->in_window - 1) / 2;
    double score = d->distance_sum / pairs;
    /* Rounding between two recomputations may step a hair outside [0, 1]. */
    return score < 0 ? 0 : score > 1 ? 1 : score;
}

void sp_diversity_add(struct sp_diversity *d, const struct sp_diversity_fingerprint *fp,
                      struct sp_diversity_state *out)
{
    pthread_mutex_lock(&d->lock);
    slide_in(d, fp);
    bool is_new = set_insert(&d->seen, fp->exact);
    struct sp_diversity_state next = d->state;
    next.score = window_score(d);
    next.total = d->state.total + 1;
    next.unique = d->state.unique + (is_new ? 1 : 0);
    next.window = d->in_window;
    /* A window of one program has no score yet: it neither collapses nor recovers. */
    if (d->in_window >= 2)
        d->below_run = next.score < d->cfg.threshold ? d->below_run + 1 : 0;
    next.collapsed = d->below_run >= d->cfg.collapse_after;
    set_state(d, &next);
    if (out != NULL)
        *out = d->state;
    pthread_mutex_unlock(&d->lock);
}

static int check_count(const char *name, double v, char *err, size_t errlen)
{
    if (!isfinite(v) || v < 0 || v != floor(v) || v > 9007199254740992.0) {
        snprintf(err, errlen, "%s must be a non-negative integer, got %g", name, v);
        return -1;
    }
    return 0;
}

static int check_figures(const struct sp_diversity_figures *f, char *err, size_t errlen)
{
    if (!(f->score >= 0 && f->score <= 1)) {
        snprintf(err, errlen, "score must be in [0, 1], got %g", f->score);
        return -1;
    }
    if (check_count("unique", f->unique, err, errlen) != 0 ||
        check_count("total", f->total, err, errlen) != 0 ||
        check_count("window", f->window, err, errlen) != 0)
        return -1;
    if (f->unique > f->total) {
        snprintf(err, errlen, "unique (%g) cannot exceed total (%g)", f->unique, f->total);
        return -1;
    }
    if (f->window < 1) {
        snprintf(err, errlen, "window must be at least 1 program");
        return -1;
    }
    return 0;
}

int sp_diversity_record(struct sp_diversity *d, const struct sp_diversity_figures *f,
                        struct sp_diversity_state *out, char *err, size_t errlen)
{
    if (check_figures(f, err, errlen) != 0)
        return -1;
    pthread_mutex_lock(&d->lock);
    struct sp_diversity_state next = d->state;
    next.score = f->score;
    next.unique = (uint64_t)f->unique;
    next.total = (uint64_t)f->total;
    next.window = (uint64_t)f->window;
    next.collapsed = f->collapsed;
    set_state(d, &next);
    if (out != NULL)
        *out = d->state;
    pthread_mutex_unlock(&d->lock);
    return 0;
}

void sp_diversity_state(struct sp_diversity *d, struct sp_diversity_state *out)
{
    pthread_mutex_lock(&d->lock);
    *out = d->state;
    pthread_mutex_unlock(&d->lock);
}

struct sp_diversity_config sp_diversity_config_of(struct sp_diversity *d)
{
    pthread_mutex_lock(&d->lock);
    struct sp_diversity_config c = d->cfg;
    pthread_mutex_unlock(&d->lock);
    return c;
}

/* ---- the process-wide monitor ----------------------------------------------- */

static struct sp_diversity *default_monitor;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void create_default(void)
{
    char err[128];
    default_monitor = sp_diversity_new(NULL, err, sizeof err);
    if (default_monitor == NULL) {
        fprintf(stderr, "sandprobe: cannot create the diversity monitor: %s\n", err);
        abort();
    }
    default_monitor->publishes = true;
    publish(&default_monitor->state);
}

struct sp_diversity *sp_diversity_default(void)
{
    pthread_once(&default_once, create_default);
    return default_monitor;
}

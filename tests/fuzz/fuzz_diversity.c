/* libFuzzer target for the diversity fingerprint: whatever the bytes (the
 * lexer may refuse them), fingerprinting terminates, the fingerprint is
 * complete and identical for identical input, and a monitor fed the input
 * and its halves keeps its score in [0, 1] and its counts consistent. */
#include "sandprobe/diversity.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct sp_diversity *monitor;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[128];
    if (monitor == NULL) {
        struct sp_diversity_config cfg = {.window = 3, .threshold = 0.5, .collapse_after = 2};
        monitor = sp_diversity_new(&cfg, err, sizeof err);
        if (monitor == NULL)
            abort();
    }
    /* A private copy with no terminator, so reading past the end is caught. */
    char *src = malloc(size ? size : 1);
    if (src == NULL)
        return 0;
    memcpy(src, data, size);
    struct sp_diversity_fingerprint a, b, half;
    sp_diversity_fingerprint(src, size, &a);
    sp_diversity_fingerprint(src, size, &b);
    sp_diversity_fingerprint(src, size / 2, &half);
    if (a.exact == 0 || memcmp(&a, &b, sizeof a) != 0 || sp_diversity_similarity(&a, &b) != 1.0)
        abort();
    unsigned filled = 0;
    for (unsigned i = 0; i < SP_DIVERSITY_SLOTS; i++)
        filled += a.minhash[i] != UINT64_MAX;
    if (filled == 0 || filled > a.tokens + 1)
        abort(); /* at least one shingle, never more shingles than tokens */
    double sim = sp_diversity_similarity(&a, &half);
    if (!(sim >= 0 && sim <= 1))
        abort();
    struct sp_diversity_state s;
    sp_diversity_add(monitor, &a, &s);
    sp_diversity_add(monitor, &half, &s);
    if (!(s.score >= 0 && s.score <= 1) || s.unique > s.total || s.window > 3)
        abort();
    free(src);
    return 0;
}

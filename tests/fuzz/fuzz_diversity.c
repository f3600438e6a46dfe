/* libFuzzer target for the diversity fingerprint: whatever the bytes (the
 * lexer may refuse them), fingerprinting terminates, the fingerprint is
 * complete and identical for identical input and for the validator's
 * lexer run (pywalk), and a monitor fed the input
 * and its halves keeps its score in [0, 1] and its counts consistent. */
#include "sandprobe/diversity.h"
#include "sandprobe/pywalk.h"

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
    /* The validator's lexer run (sandbox.run's path) gives the same fingerprint. */
    struct sp_diversity_fingerprint walked;
    struct sp_diversity_builder builder;
    sp_diversity_begin(&builder, src, size, &walked);
    enum sp_pyscan_status status;
    struct sp_pyscan_finding finding;
    struct sp_pywalk *walk = sp_pywalk_lex_fingerprinted(src, size, NULL, &builder, &status, &finding);
    if (walk != NULL) { /* NULL: out of memory, nothing to compare */
        sp_diversity_end(&builder, status == SP_PYSCAN_OK ? NULL : finding.rule);
        if (memcmp(&a, &walked, sizeof a) != 0)
            abort();
        sp_pywalk_free(walk);
    }
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

/* libFuzzer target for the strict Python lexer: whatever the bytes, it must
 * return a valid status, report tokens inside the input in source order, and
 * fill a finding with a known rule when it refuses. ASan/UBSan catch reads
 * out of bounds; the linear-time property is checked by test_pyscan.c. */
#include "sandprobe/pyscan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct check {
    size_t len;
    size_t last_offset;
    unsigned last_line;
};

static int check_token(const struct sp_pyscan_token *t, void *ctx)
{
    struct check *c = ctx;
    if (t->offset > c->len || t->length > c->len - t->offset)
        abort(); /* token outside the input */
    if (t->offset < c->last_offset || t->line < c->last_line || t->line == 0 || t->col == 0)
        abort(); /* tokens out of order or bad position */
    if ((unsigned)t->kind >= SP_PYSCAN_KIND_COUNT)
        abort();
    c->last_offset = t->offset;
    c->last_line = t->line;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A private copy with no terminator, so reading past the end is caught. */
    char *src = malloc(size ? size : 1);
    if (src == NULL)
        return 0;
    memcpy(src, data, size);
    struct sp_pyscan_limits lim = sp_pyscan_default_limits();
    if (size > 0 && (data[0] & 1)) /* exercise small caps too */
        lim.max_depth = 1 + data[0] % 8;
    struct check c = {size, 0, 1};
    struct sp_pyscan_finding f;
    enum sp_pyscan_status s = sp_pyscan_tokenize(src, size, &lim, check_token, &c, &f);
    if (s == SP_PYSCAN_REJECTED && (f.rule == NULL || f.line == 0 || f.col == 0 ||
                                    strnlen(f.message, sizeof f.message) == sizeof f.message))
        abort();
    if (s != SP_PYSCAN_OK && s != SP_PYSCAN_REJECTED)
        abort();
    free(src);
    return 0;
}

/* libFuzzer target for the validator's C walk: whatever the bytes, lexing
 * into a walk, checking it against a small policy, and locating every
 * reported token must stay inside the input and never crash. ASan/UBSan
 * catch reads out of bounds (the walk looks at neighbours of tokens). */
#include "sandprobe/pywalk.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct reported {
    const struct sp_pywalk *walk;
    size_t tokens[64];
    size_t count;
};

static void note(struct reported *r, size_t i)
{
    if (i < 1 || i > sp_pywalk_count(r->walk))
        abort(); /* a finding on no token */
    if (r->count < 64 && (r->count == 0 || r->tokens[r->count - 1] < i))
        r->tokens[r->count++] = i;
}

static void on_report(void *ctx, size_t i, const char *rule, const char *message)
{
    if (rule == NULL || message == NULL)
        abort();
    note(ctx, i);
}

static void on_defer(void *ctx, enum sp_pywalk_event event, size_t i)
{
    if ((unsigned)event >= SP_PYWALK_EVENT_COUNT)
        abort();
    note(ctx, i);
}

static struct sp_pywalk_policy *fuzz_policy(void)
{
    static const char *const words[] = {"import", "from", "as", "def", "if", "for", "in"};
    struct sp_pywalk_policy *p = sp_pywalk_policy_new();
    if (p == NULL)
        abort();
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        sp_pywalk_policy_add(p, SP_PYWALK_KEYWORD, words[i], strlen(words[i]));
    sp_pywalk_policy_add(p, SP_PYWALK_FORBIDDEN_BUILTIN, "eval", 4);
    sp_pywalk_policy_add(p, SP_PYWALK_DUNDER, "__init__", 8);
    sp_pywalk_policy_add(p, SP_PYWALK_FORMAT_METHOD, "format", 6);
    sp_pywalk_policy_add(p, SP_PYWALK_PRIVATE_RECEIVER, "self", 4);
    sp_pywalk_policy_add(p, SP_PYWALK_PUBLIC_UNDERSCORE, "_asdict", 7);
    sp_pywalk_policy_add(p, SP_PYWALK_CONTEXT_NAME, "wraps", 5);
    sp_pywalk_policy_add(p, SP_PYWALK_KEYWORD, "class", 5);
    sp_pywalk_policy_add_prefix(p, "f_", 2);
    sp_pywalk_policy_add_module(p, "math", 4, "pi", 2);
    sp_pywalk_policy_add_module(p, "json", 4, NULL, 0);
    return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct sp_pywalk_policy *policy;
    if (policy == NULL)
        policy = fuzz_policy();
    /* A private copy with no terminator, so reading past the end is caught. */
    char *src = malloc(size ? size : 1);
    if (src == NULL)
        return 0;
    memcpy(src, data, size);
    enum sp_pyscan_status status;
    struct sp_pyscan_finding finding;
    struct sp_pywalk *walk = sp_pywalk_lex(src, size, NULL, &status, &finding);
    if (walk != NULL && status == SP_PYSCAN_OK) {
        static const struct sp_pywalk_hooks hooks = {on_report, on_defer};
        struct reported r = {.walk = walk};
        if (sp_pywalk_check(walk, policy, &hooks, &r) != 0)
            abort(); /* out of memory on a small input */
        unsigned lines[64], cols[64];
        if (sp_pywalk_locate(walk, r.count, r.tokens, lines, cols) != 0)
            abort();
        sp_pywalk_plain_format_fields(src, size);
    }
    sp_pywalk_free(walk);
    free(src);
    return 0;
}

/* Lexer throughput: `bench_pyscan FILE...` lexes the files repeated to about
 * 1 MB, many times, and prints CPU milliseconds per MB and MB/s. (The whole
 * validator, lexer + Lua policy, is measured by `sandprobe validate --bench`.) */
#include "sandprobe/pyscan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int count_token(const struct sp_pyscan_token *t, void *ctx)
{
    (void)t;
    ++*(size_t *)ctx;
    return 0;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (grown == NULL)
                free(buf);
            buf = grown;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_pyscan FILE...\n");
        return 2;
    }
    size_t target = 1000 * 1000, len = 0;
    char *source = malloc(target + 1);
    while (source != NULL && len < target) {
        size_t before = len;
        for (int i = 1; i < argc && len < target; i++) {
            size_t n;
            char *text = read_all(argv[i], &n);
            if (text == NULL) {
                perror(argv[i]);
                return 2;
            }
            if (len + n > target)
                n = 0;
            memcpy(source + len, text, n);
            len += n;
            free(text);
        }
        if (len == before)
            break; /* files larger than the target */
    }
    struct sp_pyscan_finding f;
    size_t tokens = 0;
    if (sp_pyscan_tokenize(source, len, NULL, count_token, &tokens, &f) != SP_PYSCAN_OK) {
        fprintf(stderr, "rejected: %s at %u:%u: %s\n", f.rule, f.line, f.col, f.message);
        return 1;
    }
    int runs = 50;
    clock_t start = clock();
    for (int i = 0; i < runs; i++)
        sp_pyscan_tokenize(source, len, NULL, count_token, &tokens, NULL);
    double per_run = (double)(clock() - start) / CLOCKS_PER_SEC / runs;
    double mb = (double)len / (1024 * 1024);
    printf("lexer: %zu bytes, %zu tokens: %.2f ms per MB, %.1f MB/s (CPU time)\n", len,
           tokens / (runs + 1), per_run * 1000 / mb, mb / per_run);
    free(source);
    return 0;
}

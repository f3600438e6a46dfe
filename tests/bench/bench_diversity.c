/* Fingerprint cost: `bench_diversity FILE...` repeats the files to about
 * 1 MB and prints, measured in the same run, CPU milliseconds per MB of the
 * lexer alone (sp_pyscan_tokenize_unlocated, no callback work) and of the
 * diversity fingerprint (the same lexer plus normalising, shingling and
 * MinHash), so the share of the hashing itself is visible. */
#include "sandprobe/diversity.h"
#include "sandprobe/pyscan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int ignore_token(const struct sp_pyscan_token *t, void *ctx)
{
    (void)t;
    (void)ctx;
    return 0;
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_repeated(int argc, char **argv, size_t target, size_t *len)
{
    char *source = malloc(target + 65536);
    *len = 0;
    while (source != NULL && *len < target) {
        size_t before = *len;
        for (int i = 1; i < argc && *len < target; i++) {
            FILE *f = fopen(argv[i], "rb");
            if (f == NULL)
                continue;
            *len += fread(source + *len, 1, target + 65536 - *len - 1, f);
            fclose(f);
        }
        if (*len == before)
            break;
    }
    return source;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_diversity FILE...\n");
        return 2;
    }
    size_t len;
    char *source = read_repeated(argc, argv, 1000 * 1000, &len);
    if (source == NULL || len == 0) {
        fprintf(stderr, "bench_diversity: nothing to read\n");
        return 1;
    }
    const int runs = 30;
    double mb = (double)len / (1024 * 1024);
    struct sp_diversity_fingerprint fp;
    double t0 = cpu_seconds();
    for (int i = 0; i < runs; i++)
        sp_pyscan_tokenize_unlocated(source, len, NULL, ignore_token, NULL, NULL);
    double lex = (cpu_seconds() - t0) / runs;
    t0 = cpu_seconds();
    for (int i = 0; i < runs; i++)
        sp_diversity_fingerprint(source, len, &fp);
    double full = (cpu_seconds() - t0) / runs;
    printf("source: %zu bytes, %zu normalised tokens%s\n", len, fp.tokens,
           fp.rejected_rule ? " (refused by the lexer: prefix only)" : "");
    printf("lexer alone:          %7.2f ms per MB\n", lex * 1000 / mb);
    printf("diversity fingerprint:%7.2f ms per MB (hashing %.2f ms per MB)\n", full * 1000 / mb,
           (full - lex) * 1000 / mb);
    free(source);
    return 0;
}

/* Small formatting helpers every primitive uses for its error messages and
 * fixed-size buffers. */
#ifndef SANDPROBE_TEXT_H
#define SANDPROBE_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Writes a message into err (when err is not NULL and errlen > 0) and
 * returns -1, so a failing path can `return sp_error(err, errlen, ...)`. */
int sp_error(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* snprintf that reports truncation: 0 when the whole text fit, -1 when it
 * did not (a truncated path or name must never be used). */
int sp_format(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The first min(n, 8) bytes of s packed into an integer, the first byte
 * lowest: an exact key for short text (keywords, operators, the prefix a
 * hash set compares first). Built in a register: a variable-length memcpy
 * into a local stalls the load after it, and both callers are hot loops. */
static inline uint64_t sp_pack8(const char *s, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n && i < 8; i++)
        v |= (uint64_t)(unsigned char)s[i] << (8 * i);
    return v;
}

#endif

#include "sandprobe/bytes.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sp_bytes_free(struct sp_bytes *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static int reserve(struct sp_bytes *b, size_t more)
{
    if (b->len + more + 1 <= b->cap)
        return 0;
    if (more > SIZE_MAX / 2 - b->len)
        return -1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *grown = realloc(b->data, cap);
    if (grown == NULL)
        return -1;
    b->data = grown;
    b->cap = cap;
    return 0;
}

static int append(struct sp_bytes *b, const void *p, size_t n)
{
    if (reserve(b, n) != 0)
        return -1;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

/* Appends code point cp (< 0x110000, not a surrogate) as UTF-8. */
static int append_code_point(struct sp_bytes *b, uint32_t cp)
{
    unsigned char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | (cp >> 6));
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (unsigned char)(0xF0 | (cp >> 18));
        u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return append(b, u, n);
}

#define REPLACEMENT 0xFFFDu

/* Decodes one well-formed UTF-8 sequence at s (len > 0) into *cp and returns
 * its length, or returns 0 and sets *bad to the length of the maximal
 * ill-formed subpart (at least 1) to replace. Ranges as Unicode's Table 3-7. */
static size_t decode(const unsigned char *s, size_t len, uint32_t *cp, size_t *bad)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        *cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        *cp = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        *cp = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        *bad = 1;
        return 0;
    }
    for (size_t i = 1; i <= need; i++) {
        unsigned char lower = i == 1 ? lo : 0x80, upper = i == 1 ? hi : 0xBF;
        if (i >= len || s[i] < lower || s[i] > upper) {
            *bad = i;
            return 0;
        }
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    return need + 1;
}

int sp_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t bad;
        size_t n = decode(p + i, len - i, &cp, &bad);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

/* Walks s as code points (ill-formed parts as U+FFFD) and appends what map
 * makes of each. */
static int transcode(struct sp_bytes *out, const char *s, size_t len,
                     int (*map)(struct sp_bytes *, uint32_t))
{
    const unsigned char *p = (const unsigned char *)s;
    if (reserve(out, len) != 0)
        return -1;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t bad = 0;
        size_t n = decode(p + i, len - i, &cp, &bad);
        if (n == 0) {
            cp = REPLACEMENT;
            n = bad;
        }
        if (map(out, cp) != 0)
            return -1;
        i += n;
    }
    if (out->data == NULL)
        return append(out, "", 0);
    return 0;
}

int sp_utf8_replace(struct sp_bytes *out, const char *s, size_t len)
{
    return transcode(out, s, len, append_code_point);
}

static int visible_code_point(struct sp_bytes *out, uint32_t cp)
{
    if (cp == '\n' || cp == '\t')
        return append_code_point(out, cp);
    if (cp < 0x20)
        return append_code_point(out, 0x2400 + cp); /* Control Pictures */
    if (cp == 0x7F)
        return append_code_point(out, 0x2421);
    if ((cp >= 0x80 && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF)
        return append_code_point(out, REPLACEMENT);
    return append_code_point(out, cp);
}

int sp_text_visible(struct sp_bytes *out, const char *s, size_t len)
{
    return transcode(out, s, len, visible_code_point);
}

static const char BASE64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sp_base64_encode(struct sp_bytes *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    if (reserve(out, (len + 2) / 3 * 4) != 0)
        return -1;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < len)
            v |= p[i + 2];
        char q[4] = {BASE64[(v >> 18) & 63], BASE64[(v >> 12) & 63],
                     i + 1 < len ? BASE64[(v >> 6) & 63] : '=', i + 2 < len ? BASE64[v & 63] : '='};
        append(out, q, 4);
    }
    return append(out, "", 0);
}

static int base64_value(char c)
{
    const char *at = c ? strchr(BASE64, c) : NULL;
    return at ? (int)(at - BASE64) : -1;
}

int sp_base64_decode(struct sp_bytes *out, const char *s, size_t len)
{
    if (len % 4 != 0)
        return -1;
    for (size_t i = 0; i < len; i += 4) {
        int last = i + 4 == len;
        int pad = (s[i + 3] == '=') + (s[i + 2] == '=' && s[i + 3] == '=');
        if (pad && !last)
            return -1;
        uint32_t v = 0;
        for (int k = 0; k < 4 - pad; k++) {
            int d = base64_value(s[i + k]);
            if (d < 0)
                return -1;
            v = (v << 6) | (uint32_t)d;
        }
        v <<= 6 * pad;
        unsigned char b[3] = {(unsigned char)(v >> 16), (unsigned char)(v >> 8), (unsigned char)v};
        if (append(out, b, (size_t)(3 - pad)) != 0)
            return -1;
    }
    return append(out, "", 0);
}

int sp_json_quote(struct sp_bytes *out, const char *s, size_t len)
{
    if (reserve(out, len + 2) != 0 || append(out, "\"", 1) != 0)
        return -1;
    size_t plain = 0; /* start of the run of bytes copied as they are */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (append(out, s + plain, i - plain) != 0)
            return -1;
        char esc[8];
        if (c == '"' || c == '\\')
            snprintf(esc, sizeof esc, "\\%c", c);
        else if (c == '\n')
            snprintf(esc, sizeof esc, "\\n");
        else if (c == '\t')
            snprintf(esc, sizeof esc, "\\t");
        else
            snprintf(esc, sizeof esc, "\\u%04x", c);
        if (append(out, esc, strlen(esc)) != 0)
            return -1;
        plain = i + 1;
    }
    if (append(out, s + plain, len - plain) != 0)
        return -1;
    return append(out, "\"", 1);
}

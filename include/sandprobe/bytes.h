/* Arbitrary bytes made safe for text formats without losing them: UTF-8
 * validation, U+FFFD replacement, visible control characters, base64, and
 * JSON string literals. Program output and scenario evidence are bytes (NUL,
 * invalid UTF-8, terminal escapes); reports are text that strict parsers and
 * terminals read. docs/report-schema.md, "Bytes in reports". */
#ifndef SANDPROBE_BYTES_H
#define SANDPROBE_BYTES_H

#include <stddef.h>

/* A growable output buffer; data is NUL-terminated (the NUL not counted). */
struct sp_bytes {
    char *data;
    size_t len;
    size_t cap;
};

void sp_bytes_free(struct sp_bytes *b);

/* 1 when s[0..len) is well-formed UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF), else 0. */
int sp_utf8_valid(const char *s, size_t len);

/* Appends s with every ill-formed UTF-8 sequence replaced by U+FFFD (one per
 * maximal ill-formed subpart, as Unicode recommends). 0, or -1 when out of
 * memory. */
int sp_utf8_replace(struct sp_bytes *out, const char *s, size_t len);

/* Appends s as text that shows every character and controls nothing: valid
 * UTF-8 (ill-formed sequences as U+FFFD), C0 controls other than line feed
 * and tab and DEL as their Unicode Control Pictures (NUL as U+2400 "␀", ESC
 * as U+241B "␛", DEL as U+2421 "␡"), C1 controls (U+0080-U+009F) and the
 * noncharacters U+FFFE/U+FFFF as U+FFFD. The result is also character data
 * XML 1.0 allows. 0, or -1 when out of memory. */
int sp_text_visible(struct sp_bytes *out, const char *s, size_t len);

/* Appends the RFC 4648 base64 of s (with padding). 0, or -1. */
int sp_base64_encode(struct sp_bytes *out, const char *s, size_t len);

/* Appends the bytes base64 text decodes to; -1 on malformed input or out of
 * memory (out then holds an unspecified prefix). */
int sp_base64_decode(struct sp_bytes *out, const char *s, size_t len);

/* Appends s, which must be valid UTF-8, as a JSON string literal with its
 * quotes: '"', '\\' and every control character (NUL too, as \u0000)
 * escaped, so a strict parser reads back exactly s. 0, or -1. */
int sp_json_quote(struct sp_bytes *out, const char *s, size_t len);

#endif

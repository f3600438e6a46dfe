/* Small formatting helpers every primitive uses for its error messages and
 * fixed-size buffers. */
#ifndef SANDPROBE_TEXT_H
#define SANDPROBE_TEXT_H

#include <stddef.h>

/* Writes a message into err (when err is not NULL and errlen > 0) and
 * returns -1, so a failing path can `return sp_error(err, errlen, ...)`. */
int sp_error(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* snprintf that reports truncation: 0 when the whole text fit, -1 when it
 * did not (a truncated path or name must never be used). */
int sp_format(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif

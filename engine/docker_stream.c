/* The demultiplexer for Docker's framed output stream (logs, attach, exec).
 * Incremental: bytes arrive as the network delivers them, so a frame header
 * or payload may be split across any number of feeds. Output beyond the cap
 * is counted but not kept, so a container printing without end costs a
 * bounded amount of memory. */
#include "sandprobe/docker.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_HEADER_LEN 8
#define STREAM_STDIN 0
#define STREAM_STDOUT 1
#define STREAM_STDERR 2
#define STREAM_SYSTEMERR 3

void sp_docker_demux_init(struct sp_docker_demux *d, size_t max_bytes, int raw)
{
    memset(d, 0, sizeof *d);
    d->max_bytes = max_bytes;
    d->raw = raw;
}

void sp_docker_demux_free(struct sp_docker_demux *d)
{
    for (int i = 0; i < 2; i++) {
        free(d->out[i].data);
        d->out[i].data = NULL;
        d->out[i].len = 0;
    }
}

/* Keeps what fits under the cap; the buffer grows geometrically up to it. */
static int capture(struct sp_docker_capture *c, size_t max_bytes, const char *data, size_t len)
{
    c->total += len;
    size_t room = c->len < max_bytes ? max_bytes - c->len : 0;
    size_t keep = len < room ? len : room;
    if (keep < len)
        c->truncated = 1;
    if (c->data == NULL) {
        c->data = calloc(1, 1); /* callers may rely on a string even when empty */
        if (c->data == NULL)
            return -1;
    }
    if (keep == 0)
        return 0;
    size_t want = c->len + keep + 1;
    size_t alloc = 64;
    while (alloc < want)
        alloc *= 2;
    if (alloc > max_bytes + 1)
        alloc = max_bytes + 1;
    char *grown = realloc(c->data, alloc);
    if (grown == NULL)
        return -1;
    c->data = grown;
    memcpy(c->data + c->len, data, keep);
    c->len += keep;
    c->data[c->len] = '\0';
    return 0;
}

/* Takes back the last n bytes counted (a stop marker): what is kept is
 * always the first max_bytes of what was counted. */
static void uncapture(struct sp_docker_capture *c, size_t max_bytes, size_t n)
{
    c->total -= n;
    if (c->len > c->total) {
        c->len = c->total;
        c->data[c->len] = '\0';
    }
    c->truncated = c->total > max_bytes;
}

/* Advances the marker match over p; returns how many bytes it looked at,
 * stopping right after a complete match. Restarting at 0 on a mismatch is
 * exact because the marker's first byte occurs nowhere else in it. */
static size_t scan_marker(const struct sp_docker_demux *d, struct sp_docker_capture *c,
                          const char *p, size_t len)
{
    size_t i = 0;
    while (i < len && c->marker_matched < d->marker_len) {
        if (c->marker_matched == 0) {
            const char *hit = memchr(p + i, d->marker[0], len - i);
            if (hit == NULL)
                return len;
            i = (size_t)(hit - p) + 1;
            c->marker_matched = 1;
        } else if (p[i] == d->marker[c->marker_matched]) {
            c->marker_matched++;
            i++;
        } else {
            c->marker_matched = 0; /* p[i] is looked at again: it may begin the marker */
        }
    }
    return i;
}

/* The rest of the marker's line; the stream is over at its end. */
static size_t take_trailer(struct sp_docker_capture *c, const char *p, size_t len)
{
    size_t i = 0;
    while (i < len && !c->stopped) {
        char ch = p[i++];
        if (ch != '\n')
            c->trailer[c->trailer_len++] = ch;
        c->stopped = ch == '\n' || c->trailer_len == sizeof c->trailer - 1;
    }
    c->trailer[c->trailer_len] = '\0';
    return i;
}

/* Captures a stream's bytes; with a stop marker, up to the marker only. */
static int feed_stream(struct sp_docker_demux *d, struct sp_docker_capture *c, const char *p,
                       size_t len)
{
    if (d->marker == NULL)
        return capture(c, d->max_bytes, p, len);
    while (len > 0 && !c->stopped) { /* after the marker's line: dropped */
        size_t n;
        if (c->in_trailer) {
            n = take_trailer(c, p, len);
        } else {
            n = scan_marker(d, c, p, len);
            if (capture(c, d->max_bytes, p, n) != 0)
                return -1;
            if (c->marker_matched == d->marker_len) {
                uncapture(c, d->max_bytes, d->marker_len);
                c->in_trailer = 1;
            }
        }
        p += n;
        len -= n;
    }
    c->after_stop += len; /* not kept, but counted: see sp_docker_capture */
    return 0;
}

int sp_docker_demux_stop_at(struct sp_docker_demux *d, const char *marker, size_t len)
{
    if (marker == NULL || len == 0 || len > 64 || memchr(marker + 1, marker[0], len - 1) != NULL)
        return -1;
    d->marker = marker;
    d->marker_len = len;
    return 0;
}

int sp_docker_demux_stopped(const struct sp_docker_demux *d)
{
    return d->marker != NULL && d->out[SP_DOCKER_STDOUT].stopped &&
           (d->raw || d->out[SP_DOCKER_STDERR].stopped);
}

static void keep_system_error(struct sp_docker_demux *d, const char *data, size_t len)
{
    size_t room = sizeof d->system_error - 1 - d->system_error_len;
    if (len > room)
        len = room;
    memcpy(d->system_error + d->system_error_len, data, len);
    d->system_error_len += len;
    d->system_error[d->system_error_len] = '\0';
}

static int start_frame(struct sp_docker_demux *d)
{
    const unsigned char *h = d->header;
    switch (h[0]) {
    case STREAM_STDIN: /* docker's own demultiplexer sends echoed stdin to stdout */
    case STREAM_STDOUT:
        d->frame_stream = SP_DOCKER_STDOUT;
        break;
    case STREAM_STDERR:
        d->frame_stream = SP_DOCKER_STDERR;
        break;
    case STREAM_SYSTEMERR:
        d->frame_stream = STREAM_SYSTEMERR;
        break;
    default:
        return -1;
    }
    d->frame_left = (size_t)((uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 | (uint32_t)h[6] << 8 |
                             (uint32_t)h[7]);
    d->header_len = 0;
    return 0;
}

static int feed_payload(struct sp_docker_demux *d, const char *data, size_t len)
{
    if (d->frame_stream == STREAM_SYSTEMERR) {
        keep_system_error(d, data, len);
        return 0;
    }
    return feed_stream(d, &d->out[d->frame_stream], data, len);
}

int sp_docker_demux_feed(struct sp_docker_demux *d, const void *data, size_t len)
{
    const char *p = data;
    if (d->raw)
        return feed_stream(d, &d->out[SP_DOCKER_STDOUT], p, len);
    while (len > 0) {
        if (d->frame_left == 0) {
            size_t need = FRAME_HEADER_LEN - d->header_len;
            size_t take = len < need ? len : need;
            memcpy(d->header + d->header_len, p, take);
            d->header_len += take;
            p += take;
            len -= take;
            if (d->header_len == FRAME_HEADER_LEN && start_frame(d) != 0)
                return -1;
            continue;
        }
        size_t take = len < d->frame_left ? len : d->frame_left;
        if (feed_payload(d, p, take) != 0)
            return -1;
        d->frame_left -= take;
        p += take;
        len -= take;
    }
    return 0;
}

int sp_docker_demux_incomplete(const struct sp_docker_demux *d)
{
    return !d->raw && (d->header_len > 0 || d->frame_left > 0);
}

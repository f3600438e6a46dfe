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
    return capture(&d->out[d->frame_stream], d->max_bytes, data, len);
}

int sp_docker_demux_feed(struct sp_docker_demux *d, const void *data, size_t len)
{
    const char *p = data;
    if (d->raw)
        return capture(&d->out[SP_DOCKER_STDOUT], d->max_bytes, p, len);
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

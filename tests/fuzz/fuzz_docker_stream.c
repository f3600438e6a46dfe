/* Fuzzes the multiplexed-stream demultiplexer. The first input byte picks
 * the cap and the chunk size, so splits of frames across feeds are explored
 * too; the invariants are checked on every input. */
#include "sandprobe/docker_stream.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t max_bytes = (size_t)(data[0] & 0x3f);
    size_t chunk = (size_t)(data[0] >> 6) * 3 + 1;
    int raw = size > 1 && data[1] == 0xff;
    data++;
    size--;
    struct sp_docker_demux d;
    sp_docker_demux_init(&d, max_bytes, raw);
    for (size_t at = 0; at < size; at += chunk) {
        size_t n = size - at < chunk ? size - at : chunk;
        if (sp_docker_demux_feed(&d, data + at, n) != 0)
            break;
    }
    for (int i = 0; i < 2; i++) {
        const struct sp_docker_capture *c = &d.out[i];
        if (c->len > max_bytes || c->len > c->total || (c->truncated != (c->total > c->len)))
            abort();
        if (c->data != NULL && c->data[c->len] != '\0')
            abort();
    }
    if (raw && d.out[0].total != size)
        abort();
    sp_docker_demux_free(&d);
    return 0;
}

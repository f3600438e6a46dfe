/* Docker's multiplexed output stream, demultiplexed incrementally into
 * capped stdout and stderr captures, with an optional stop marker. Pure: no
 * I/O (engine/docker_stream.c); the client feeds it what the daemon sends. */
#ifndef SANDPROBE_DOCKER_STREAM_H
#define SANDPROBE_DOCKER_STREAM_H

#include <stddef.h>

/* Docker frames a non-TTY container's output as [stream, 0, 0, 0, size(4, big
 * endian)] followed by size bytes; stream 0 or 1 is stdout, 2 stderr, 3 an
 * error from the daemon itself. A TTY container's output is raw. */
enum { SP_DOCKER_STDOUT = 0, SP_DOCKER_STDERR = 1 };

struct sp_docker_capture {
    char *data;        /* NUL-terminated, at most max_bytes kept */
    size_t len;        /* bytes kept */
    size_t total;      /* bytes seen, kept or not */
    int truncated;     /* total > max_bytes */
    /* With a stop marker (sp_docker_demux_stop_at): */
    size_t marker_matched; /* bytes of the marker matched so far */
    int stopped;           /* the marker and its trailer line were seen */
    int in_trailer;        /* the marker was seen; reading the rest of its line */
    char trailer[32];      /* that rest (without the newline), NUL-terminated */
    size_t trailer_len;
    size_t after_stop;     /* bytes that came after the trailer line, captured
                              like any other (then the marker was not the
                              stream's end: not an announcement) */
};

struct sp_docker_demux {
    struct sp_docker_capture out[2];
    size_t max_bytes;  /* cap per stream */
    int raw;           /* TTY: everything is stdout, no framing */
    unsigned char header[8];
    size_t header_len; /* bytes of a partial header */
    size_t frame_left; /* payload bytes left in the current frame */
    int frame_stream;  /* SP_DOCKER_STDOUT, SP_DOCKER_STDERR, or 3 (daemon error) */
    char system_error[256]; /* text of stream-3 frames: the daemon's error */
    size_t system_error_len;
    const char *marker; /* stop marker (not owned), NULL: none */
    size_t marker_len;
};

void sp_docker_demux_init(struct sp_docker_demux *d, size_t max_bytes, int raw);

/* Feeds the next bytes of the stream, split anywhere. 0, or -1 when a frame
 * names an unknown stream or memory runs out (the rest is then ignored). */
int sp_docker_demux_feed(struct sp_docker_demux *d, const void *data, size_t len);

/* Watches each stream for the len bytes of marker followed by a line:
 * "<marker><trailer>\n". The first such line on a stream is neither captured
 * nor counted; the trailer (up to 31 bytes: a longer line ends there) is kept
 * in out[i].trailer; bytes after it are captured and counted in after_stop. marker (NUL bytes allowed) must
 * outlive d, be 1 to 64 bytes long, and its first byte must not occur again
 * in it (so a partial match never hides the start of the real one). 0, or -1
 * for such a marker. */
int sp_docker_demux_stop_at(struct sp_docker_demux *d, const char *marker, size_t len);

/* 1 when a stop marker is set and every stream (stdout and stderr; stdout
 * alone for a raw stream) has ended with it. */
int sp_docker_demux_stopped(const struct sp_docker_demux *d);

/* 1 when the stream ended in the middle of a frame. */
int sp_docker_demux_incomplete(const struct sp_docker_demux *d);

void sp_docker_demux_free(struct sp_docker_demux *d);

#endif

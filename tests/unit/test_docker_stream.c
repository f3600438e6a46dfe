/* The multiplexed-stream demultiplexer: frames split anywhere, caps,
 * TTY (raw) streams, daemon error frames and malformed input. */
#include "sandprobe/docker_stream.h"
#include "unit.h"

/* Appends one frame (stream, payload) to buf; returns the new length. */
static size_t frame(unsigned char *buf, size_t at, int stream, const char *payload)
{
    size_t n = strlen(payload);
    unsigned char h[8] = {(unsigned char)stream, 0, 0, 0, (unsigned char)(n >> 24),
                          (unsigned char)(n >> 16), (unsigned char)(n >> 8), (unsigned char)n};
    memcpy(buf + at, h, 8);
    memcpy(buf + at + 8, payload, n);
    return at + 8 + n;
}

static void splits_stdout_and_stderr(void)
{
    unsigned char buf[256];
    size_t n = frame(buf, 0, 1, "out1 ");
    n = frame(buf, n, 2, "err1");
    n = frame(buf, n, 1, "out2");
    struct sp_docker_demux d;
    sp_docker_demux_init(&d, 1024, 0);
    CHECK_INT(sp_docker_demux_feed(&d, buf, n), 0);
    CHECK_STR(d.out[SP_DOCKER_STDOUT].data, "out1 out2");
    CHECK_STR(d.out[SP_DOCKER_STDERR].data, "err1");
    CHECK_INT(d.out[SP_DOCKER_STDOUT].truncated, 0);
    CHECK_INT(sp_docker_demux_incomplete(&d), 0);
    sp_docker_demux_free(&d);
}

/* Every way of cutting the same bytes gives the same result. */
static void byte_at_a_time_and_every_split(void)
{
    unsigned char buf[256];
    size_t n = frame(buf, 0, 1, "hello");
    n = frame(buf, n, 2, "");
    n = frame(buf, n, 2, "world");
    for (size_t cut = 0; cut <= n; cut++) {
        struct sp_docker_demux d;
        sp_docker_demux_init(&d, 1024, 0);
        CHECK_INT(sp_docker_demux_feed(&d, buf, cut), 0);
        CHECK_INT(sp_docker_demux_feed(&d, buf + cut, n - cut), 0);
        CHECK_STR(d.out[0].data, "hello");
        CHECK_STR(d.out[1].data, "world");
        sp_docker_demux_free(&d);
    }
    struct sp_docker_demux d;
    sp_docker_demux_init(&d, 1024, 0);
    for (size_t i = 0; i < n; i++)
        CHECK_INT(sp_docker_demux_feed(&d, buf + i, 1), 0);
    CHECK_STR(d.out[0].data, "hello");
    CHECK_STR(d.out[1].data, "world");
    sp_docker_demux_free(&d);
}

static void caps_each_stream_and_counts_the_rest(void)
{
    unsigned char buf[256];
    size_t n = frame(buf, 0, 1, "0123456789");
    n = frame(buf, n, 2, "ab");
    n = frame(buf, n, 1, "XYZ");
    struct sp_docker_demux d;
    sp_docker_demux_init(&d, 4, 0);
    CHECK_INT(sp_docker_demux_feed(&d, buf, n), 0);
    CHECK_STR(d.out[0].data, "0123");
    CHECK_INT(d.out[0].len, 4);
    CHECK_INT(d.out[0].total, 13);
    CHECK_INT(d.out[0].truncated, 1);
    CHECK_STR(d.out[1].data, "ab");
    CHECK_INT(d.out[1].truncated, 0);
    sp_docker_demux_free(&d);
}

static void zero_cap_keeps_nothing(void)
{
    unsigned char buf[64];
    size_t n = frame(buf, 0, 1, "x");
    struct sp_docker_demux d;
    sp_docker_demux_init(&d, 0, 0);
    CHECK_INT(sp_docker_demux_feed(&d, buf, n), 0);
    CHECK_INT(d.out[0].len, 0);
    CHECK_INT(d.out[0].truncated, 1);
    sp_docker_demux_free(&d);
}

static void raw_stream_is_all_stdout(void)
{
    struct sp_docker_demux d;
    sp_docker_demux_init(&d, 1024, 1);
    const char text[] = "\x01\x00\x00\x00 tty output";
    CHECK_INT(sp_docker_demux_feed(&d, text, sizeof text - 1), 0);
    CHECK_INT(d.out[0].len, sizeof text - 1);
    CHECK(memcmp(d.out[0].data, text, sizeof text - 1) == 0);
    CHECK(d.out[1].data == NULL);
    CHECK_INT(sp_docker_demux_incomplete(&d), 0);
    sp_docker_demux_free(&d);
}

static void stdin_frames_go_to_stdout(void)
{
    unsigned char buf[64];
    size_t n = frame(buf, 0, 0, "echo");
    struct sp_docker_demux d;
    sp_docker_demux_init(&d, 1024, 0);
    CHECK_INT(sp_docker_demux_feed(&d, buf, n), 0);
    CHECK_STR(d.out[0].data, "echo");
    sp_docker_demux_free(&d);
}

static void system_error_frames_are_kept_apart(void)
{
    unsigned char buf[128];
    size_t n = frame(buf, 0, 3, "exec failed");
    n = frame(buf, n, 1, "x");
    struct sp_docker_demux d;
    sp_docker_demux_init(&d, 1024, 0);
    CHECK_INT(sp_docker_demux_feed(&d, buf, n), 0);
    CHECK_STR(d.system_error, "exec failed");
    CHECK_STR(d.out[0].data, "x");
    sp_docker_demux_free(&d);
}

static void unknown_stream_is_malformed(void)
{
    unsigned char buf[64];
    size_t n = frame(buf, 0, 7, "x");
    struct sp_docker_demux d;
    sp_docker_demux_init(&d, 1024, 0);
    CHECK_INT(sp_docker_demux_feed(&d, buf, n), -1);
    sp_docker_demux_free(&d);
}

static void reports_a_stream_cut_mid_frame(void)
{
    unsigned char buf[64];
    size_t n = frame(buf, 0, 1, "abcdef");
    struct sp_docker_demux d;
    sp_docker_demux_init(&d, 1024, 0);
    CHECK_INT(sp_docker_demux_feed(&d, buf, n - 2), 0);
    CHECK_INT(sp_docker_demux_incomplete(&d), 1);
    CHECK_STR(d.out[0].data, "abcd");
    sp_docker_demux_free(&d);
    sp_docker_demux_init(&d, 1024, 0);
    CHECK_INT(sp_docker_demux_feed(&d, buf, 3), 0); /* inside the header */
    CHECK_INT(sp_docker_demux_incomplete(&d), 1);
    sp_docker_demux_free(&d);
}

/* A frame claiming 4 GiB costs nothing until the bytes arrive. */
static void huge_frame_header_allocates_nothing(void)
{
    const unsigned char h[8] = {1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff};
    struct sp_docker_demux d;
    sp_docker_demux_init(&d, 16, 0);
    CHECK_INT(sp_docker_demux_feed(&d, h, sizeof h), 0);
    CHECK_INT(sp_docker_demux_feed(&d, "0123456789abcdefXYZ", 19), 0);
    CHECK_INT(d.out[0].len, 16);
    CHECK_INT(d.out[0].truncated, 1);
    CHECK_INT(d.frame_left, 0xffffffffu - 19);
    sp_docker_demux_free(&d);
}

/* ---- the stop marker ---------------------------------------------------- */

static const char MARK[] = "\0end:n1:"; /* a NUL first, as the sandbox's */
#define MARK_LEN (sizeof MARK - 1)

/* A demultiplexer (cap, raw) watching for MARK: 0, or -1 if it refuses it. */
static int init_marked(struct sp_docker_demux *d, size_t cap, int raw)
{
    sp_docker_demux_init(d, cap, raw);
    return sp_docker_demux_stop_at(d, MARK, MARK_LEN);
}

/* Appends one frame of n bytes (NULs allowed). */
static size_t frame_n(unsigned char *buf, size_t at, int stream, const char *payload, size_t n)
{
    unsigned char h[8] = {(unsigned char)stream, 0, 0, 0, (unsigned char)(n >> 24),
                          (unsigned char)(n >> 16), (unsigned char)(n >> 8), (unsigned char)n};
    memcpy(buf + at, h, 8);
    memcpy(buf + at + 8, payload, n);
    return at + 8 + n;
}

/* "<text><MARK><trailer>\n<after>" as one stream's payload (text: n bytes). */
static size_t marked(char *out, const char *text, size_t n, const char *trailer, const char *after)
{
    memcpy(out, text, n);
    memcpy(out + n, MARK, MARK_LEN);
    n += MARK_LEN;
    n += (size_t)sprintf(out + n, "%s\n%s", trailer, after);
    return n;
}

static void marker_ends_each_stream_at_every_split(void)
{
    char out[64], err[64];
    size_t no = marked(out, "partial \0end:n2 kept", 20, "3", " after");
    size_t ne = marked(err, "trace\n", 6, "3", "");
    unsigned char buf[256];
    size_t n = frame_n(buf, 0, 1, out, no);
    n = frame_n(buf, n, 2, err, ne);
    for (size_t cut = 0; cut <= n; cut++) {
        struct sp_docker_demux d;
        REQUIRE(init_marked(&d, 1024, 0) == 0);
        CHECK_INT(sp_docker_demux_feed(&d, buf, cut), 0);
        CHECK_INT(sp_docker_demux_stopped(&d), cut == n);
        CHECK_INT(sp_docker_demux_feed(&d, buf + cut, n - cut), 0);
        CHECK_INT(sp_docker_demux_stopped(&d), 1);
        /* a wrong nonce is output, kept whole; so are bytes after the line */
        CHECK_INT(d.out[0].len, 26);
        CHECK(memcmp(d.out[0].data, "partial \0end:n2 kept after", 26) == 0);
        CHECK_INT(d.out[0].total, 26);
        CHECK_INT(d.out[0].after_stop, 6);
        CHECK_STR(d.out[0].trailer, "3");
        CHECK_STR(d.out[1].data, "trace\n");
        CHECK_STR(d.out[1].trailer, "3");
        sp_docker_demux_free(&d);
    }
}

static void marker_on_one_stream_is_not_the_end(void)
{
    char out[64];
    size_t no = marked(out, "x", 1, "0", "y");
    unsigned char buf[128];
    size_t n = frame_n(buf, 0, 1, out, no);
    n = frame(buf, n, 2, "no marker here");
    n = frame(buf, n, 1, "z"); /* later output of the stream that had the marker */
    struct sp_docker_demux d;
    REQUIRE(init_marked(&d, 1024, 0) == 0);
    CHECK_INT(sp_docker_demux_feed(&d, buf, n), 0);
    CHECK_INT(sp_docker_demux_stopped(&d), 0);
    CHECK_INT(d.out[0].stopped, 1);
    CHECK_STR(d.out[0].data, "xyz"); /* nothing after the marker's line is lost */
    CHECK_INT(d.out[0].after_stop, 2);
    CHECK_STR(d.out[1].data, "no marker here");
    sp_docker_demux_free(&d);
}

/* Output beyond the cap is counted; the marker after it is not. */
static void marker_after_truncated_output(void)
{
    char out[64];
    size_t no = marked(out, "0123456789", 10, "0", "");
    unsigned char buf[128];
    size_t n = frame_n(buf, 0, 1, out, no);
    struct sp_docker_demux d;
    REQUIRE(init_marked(&d, 4, 1) == 0); /* raw: stdout alone decides */
    CHECK_INT(sp_docker_demux_feed(&d, buf + 8, n - 8), 0);
    CHECK_INT(sp_docker_demux_stopped(&d), 1);
    CHECK_STR(d.out[0].data, "0123");
    CHECK_INT(d.out[0].total, 10);
    CHECK_INT(d.out[0].truncated, 1);
    sp_docker_demux_free(&d);
    /* A marker right at the cap: nothing was dropped, so not truncated. */
    no = marked(out, "0123", 4, "0", "");
    REQUIRE(init_marked(&d, 4, 1) == 0);
    CHECK_INT(sp_docker_demux_feed(&d, out, no), 0);
    CHECK_STR(d.out[0].data, "0123");
    CHECK_INT(d.out[0].truncated, 0);
    sp_docker_demux_free(&d);
}

static void marker_trailer_is_bounded_and_ends_the_stream(void)
{
    char out[128];
    size_t no = marked(out, "", 0, "0123456789012345678901234567890123456789", "");
    struct sp_docker_demux d;
    REQUIRE(init_marked(&d, 1024, 1) == 0);
    CHECK_INT(sp_docker_demux_feed(&d, out, no), 0);
    CHECK_INT(sp_docker_demux_stopped(&d), 1);
    CHECK_INT(d.out[0].trailer_len, 31);
    /* the rest of the over-long line is output (so not an announcement) */
    CHECK_STR(d.out[0].data, "123456789\n");
    CHECK_INT(d.out[0].after_stop, 10);
    sp_docker_demux_free(&d);
}

static void a_marker_prefix_at_the_end_stays_output(void)
{
    struct sp_docker_demux d;
    REQUIRE(init_marked(&d, 1024, 1) == 0);
    CHECK_INT(sp_docker_demux_feed(&d, "ab\0end:n", 8), 0);
    CHECK_INT(sp_docker_demux_stopped(&d), 0);
    CHECK_INT(d.out[0].len, 8);
    CHECK(memcmp(d.out[0].data, "ab\0end:n", 8) == 0);
    sp_docker_demux_free(&d);
}

static void bad_markers_are_refused(void)
{
    struct sp_docker_demux d;
    sp_docker_demux_init(&d, 1024, 0);
    CHECK_INT(sp_docker_demux_stop_at(&d, NULL, 0), -1);
    CHECK_INT(sp_docker_demux_stop_at(&d, "", 0), -1);
    CHECK_INT(sp_docker_demux_stop_at(&d, "abca", 4), -1); /* first byte repeated */
    char long_marker[65];
    memset(long_marker, 'x', sizeof long_marker);
    long_marker[0] = '\0';
    CHECK_INT(sp_docker_demux_stop_at(&d, long_marker, sizeof long_marker), -1);
    CHECK_INT(sp_docker_demux_stopped(&d), 0); /* no marker: never stopped */
    sp_docker_demux_free(&d);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(splits_stdout_and_stderr),
        UNIT_TEST(byte_at_a_time_and_every_split),
        UNIT_TEST(caps_each_stream_and_counts_the_rest),
        UNIT_TEST(zero_cap_keeps_nothing),
        UNIT_TEST(raw_stream_is_all_stdout),
        UNIT_TEST(stdin_frames_go_to_stdout),
        UNIT_TEST(system_error_frames_are_kept_apart),
        UNIT_TEST(unknown_stream_is_malformed),
        UNIT_TEST(reports_a_stream_cut_mid_frame),
        UNIT_TEST(huge_frame_header_allocates_nothing),
        UNIT_TEST(marker_ends_each_stream_at_every_split),
        UNIT_TEST(marker_on_one_stream_is_not_the_end),
        UNIT_TEST(marker_after_truncated_output),
        UNIT_TEST(marker_trailer_is_bounded_and_ends_the_stream),
        UNIT_TEST(a_marker_prefix_at_the_end_stays_output),
        UNIT_TEST(bad_markers_are_refused),
    };
    return UNIT_RUN(tests);
}

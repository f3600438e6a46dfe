/* The multiplexed-stream demultiplexer: frames split anywhere, caps,
 * TTY (raw) streams, daemon error frames and malformed input. */
#include "sandprobe/docker.h"
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
    };
    return UNIT_RUN(tests);
}

/* The deadline keeper's loop (engine/reaper.c) without a daemon: the
 * client's end of the stream is a socket pair held by the test, DOCKER_HOST
 * points at a socket nothing listens on (the kills and removals fail, as
 * for a container already gone). What is checked is when the keeper
 * returns: at once when nothing is watched, not before the deadline of what
 * is, and never waiting forever once the client is gone. */
#include "sandprobe/reaper.h"
#include "unit.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Feeds `lines` to a keeper, closes the client's end after `close_after`
 * seconds, and returns how long the keeper ran. */
static double serve_with(const char *lines, double close_after)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return -1;
    if (lines[0] != '\0' && write(sv[0], lines, strlen(lines)) < 0)
        return -1;
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        alarm(20); /* a keeper that never returns fails the test, not hangs it */
        _exit(sp_reaper_serve(sv[1], 0.2) == 0 ? 0 : 3);
    }
    close(sv[1]);
    double t0 = now();
    usleep((useconds_t)(close_after * 1e6));
    close(sv[0]);
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status))
        return -1;
    return now() - t0;
}

static void returns_at_once_when_nothing_is_watched(void)
{
    double took = serve_with("", 0.05);
    CHECK(took >= 0);
    CHECK(took < 2.0);
}

static void waits_for_the_deadline_of_what_is_watched(void)
{
    double took = serve_with("watch " ID " 0.6\n", 0.05);
    CHECK(took >= 0.55);
    CHECK(took < 3.0);
}

static void a_forgotten_container_is_not_waited_for(void)
{
    double took = serve_with("watch " ID " 30\nforget " ID "\n", 0.05);
    CHECK(took >= 0);
    CHECK(took < 2.0);
}

static void a_deadline_passed_while_the_client_lives_is_dealt_with_then_the_keeper_ends(void)
{
    /* killed at deadline + grace while the client lives, then nothing left */
    double took = serve_with("watch " ID " 0.1\n", 1.0);
    CHECK(took >= 0.95);
    CHECK(took < 3.0);
}

static void malformed_lines_are_ignored(void)
{
    char lines[6000];
    memset(lines, 'x', sizeof lines - 1);
    lines[sizeof lines - 1] = '\0';
    lines[100] = '\n';
    double took = serve_with("watch not-hex 30\nwatch " ID " nan-ish\ngarbage\nforget\n", 0.05);
    CHECK(took >= 0);
    CHECK(took < 2.0);
    took = serve_with(lines, 0.05);
    CHECK(took >= 0);
    CHECK(took < 2.0);
}

static void watch_refuses_bad_input_without_starting_a_keeper(void)
{
    char err[256];
    CHECK(sp_reaper_watch("not an id", 5, err, sizeof err) != 0);
    CHECK(strstr(err, "bad container id") != NULL);
    CHECK(sp_reaper_watch(ID, -1, err, sizeof err) != 0);
    sp_reaper_forget("not an id"); /* nothing to do, nothing to crash */
}

int main(void)
{
    setenv("DOCKER_HOST", "unix:///nonexistent/sandprobe-test.sock", 1);
    static const struct unit_test tests[] = {
        UNIT_TEST(returns_at_once_when_nothing_is_watched),
        UNIT_TEST(waits_for_the_deadline_of_what_is_watched),
        UNIT_TEST(a_forgotten_container_is_not_waited_for),
        UNIT_TEST(a_deadline_passed_while_the_client_lives_is_dealt_with_then_the_keeper_ends),
        UNIT_TEST(malformed_lines_are_ignored),
        UNIT_TEST(watch_refuses_bad_input_without_starting_a_keeper),
    };
    return UNIT_RUN(tests);
}

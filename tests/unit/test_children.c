/* Descendants are found through /proc, grandchildren included, and the
 * clean-up hook ends them all. */
#include "sandprobe/children.h"
#include "unit.h"

#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int gone_or_zombie(int pid)
{
    char path[64], line[256] = "";
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return 1;
    size_t n = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[n] = '\0';
    const char *close = strrchr(line, ')');
    return close != NULL && (close[2] == 'Z' || close[2] == 'X');
}

static void a_grandchild_is_listed_and_ended(void)
{
    int pipefd[2];
    REQUIRE(pipe(pipefd) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) {
            pause();
            _exit(0);
        }
        int g = (int)grandchild;
        if (write(pipefd[1], &g, sizeof g) != (ssize_t)sizeof g)
            _exit(1);
        pause();
        _exit(0);
    }
    int grandchild = 0;
    REQUIRE(read(pipefd[0], &grandchild, sizeof grandchild) == (ssize_t)sizeof grandchild);
    int pids[16];
    int n = sp_children_list(pids, 16);
    int saw_child = 0, saw_grandchild = 0;
    for (int i = 0; i < n; i++) {
        saw_child |= pids[i] == (int)child;
        saw_grandchild |= pids[i] == grandchild;
    }
    CHECK(saw_child);
    CHECK(saw_grandchild);
    sp_children_end_all(NULL);
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    int ended = 0;
    for (int i = 0; i < 100 && !ended; i++) {
        ended = gone_or_zombie(grandchild);
        struct timespec pause_ = {0, 10 * 1000 * 1000};
        nanosleep(&pause_, NULL);
    }
    CHECK(ended);
    close(pipefd[0]);
    close(pipefd[1]);
}

static void no_children_no_list(void)
{
    int pids[4];
    CHECK(sp_children_list(pids, 4) == 0);
}

int main(void)
{
    static const struct unit_test tests[] = {
        UNIT_TEST(no_children_no_list),
        UNIT_TEST(a_grandchild_is_listed_and_ended),
    };
    return UNIT_RUN(tests);
}

/* This process's descendants, found through /proc (include/sandprobe/children.h).
 * A child's own children are re-parented to init once it dies, so the whole
 * tree is listed first and only then killed. */
#include "sandprobe/children.h"

#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHILDREN_MAX 1024

/* The parent of pid from /proc/PID/stat, or -1. The command name is in
 * parentheses and may hold anything, so fields are read after the last ')'. */
static int parent_of(int pid)
{
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return -1;
    size_t n = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[n] = '\0';
    const char *close = strrchr(line, ')');
    char state;
    int ppid;
    if (close == NULL || sscanf(close + 1, " %c %d", &state, &ppid) != 2)
        return -1;
    return ppid;
}

static int contains(const int *pids, int n, int pid)
{
    for (int i = 0; i < n; i++)
        if (pids[i] == pid)
            return 1;
    return 0;
}

int sp_children_list(int *pids, int max)
{
    int all[CHILDREN_MAX], parents[CHILDREN_MAX], count = 0;
    DIR *proc = opendir("/proc");
    if (proc == NULL)
        return 0;
    struct dirent *e;
    while ((e = readdir(proc)) != NULL && count < CHILDREN_MAX) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        int pid = atoi(e->d_name);
        int ppid = parent_of(pid);
        if (ppid > 0) {
            all[count] = pid;
            parents[count++] = ppid;
        }
    }
    closedir(proc);
    /* Grow the set from this process down until a pass adds nobody. */
    int self = (int)getpid(), n = 0, added = 1;
    while (added && n < max) {
        added = 0;
        for (int i = 0; i < count && n < max; i++) {
            if ((parents[i] == self || contains(pids, n, parents[i])) && !contains(pids, n, all[i])) {
                pids[n++] = all[i];
                added = 1;
            }
        }
    }
    return n;
}

void sp_children_end_all(void *unused)
{
    (void)unused;
    int pids[CHILDREN_MAX];
    int n = sp_children_list(pids, CHILDREN_MAX);
    for (int i = 0; i < n; i++)
        kill((pid_t)pids[i], SIGKILL);
}

/* The processes this one started, and the ones they started in turn (the
 * bench's `sh -c docker run ...` and its docker CLI): a signal to sandprobe
 * must not leave them running. */
#ifndef SANDPROBE_CHILDREN_H
#define SANDPROBE_CHILDREN_H

/* The pids of this process's descendants (from /proc), up to max; the count. */
int sp_children_list(int *pids, int max);

/* A clean-up hook (sp_cleanup_fn): SIGKILLs every descendant. */
void sp_children_end_all(void *unused);

#endif

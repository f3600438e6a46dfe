/* The cgroup primitive: locating a container's cgroup and reading its
 * accounting files. See include/sandprobe/cgroup.h. */
#include "sandprobe/cgroup.h"
#include "sandprobe/text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CONTAINER_ID_LEN 64
#define SMALL_FILE_MAX 8192

static const char *root_or_default(const struct sp_cgroup_query *q)
{
    return q != NULL && q->root != NULL ? q->root : SP_CGROUP_DEFAULT_ROOT;
}

static const char *proc_or_default(const struct sp_cgroup_query *q)
{
    return q != NULL && q->proc_root != NULL ? q->proc_root : SP_CGROUP_DEFAULT_PROC;
}


static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static bool is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Reads a whole small file (cgroup files are a few lines) into buf,
 * NUL-terminated. -1 when missing, unreadable or too long. */
static int read_small_file(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return -1;
    size_t n = fread(buf, 1, size - 1, f);
    int failed = ferror(f) || !feof(f);
    if (!failed && n == size - 1) /* exactly full: make sure nothing is left */
        failed = fgetc(f) != EOF;
    fclose(f);
    if (failed)
        return -1;
    buf[n] = '\0';
    return 0;
}

static bool parse_u64(const char *text, uint64_t *out)
{
    while (*text == ' ' || *text == '\t')
        text++;
    if (*text < '0' || *text > '9')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0)
        return false;
    while (*end == ' ' || *end == '\t' || *end == '\n')
        end++;
    if (*end != '\0')
        return false;
    *out = (uint64_t)v;
    return true;
}

static struct sp_cgroup_value unlimited_value(void)
{
    return (struct sp_cgroup_value){.present = true, .unlimited = true, .value = UINT64_MAX};
}

/* A file holding one number, or "max" for no limit (v2 limits, pids.max). */
static struct sp_cgroup_value read_number_file(const char *dir, const char *name)
{
    struct sp_cgroup_value v = {0};
    char path[PATH_MAX], text[SMALL_FILE_MAX];
    if (sp_format(path, sizeof path, "%s/%s", dir, name) != 0 ||
        read_small_file(path, text, sizeof text) != 0)
        return v;
    if (strcmp(text, "max") == 0 || strcmp(text, "max\n") == 0)
        return unlimited_value();
    v.present = parse_u64(text, &v.value);
    return v;
}

/* A v1 limit: a number where the no-limit sentinel means unlimited. */
static struct sp_cgroup_value read_v1_limit(const char *dir, const char *name)
{
    struct sp_cgroup_value v = read_number_file(dir, name);
    if (v.present && v.value >= SP_CGROUP_V1_UNLIMITED_THRESHOLD)
        return unlimited_value();
    return v;
}

/* A flat keyed file ("key value" per line: memory.events, memory.oom_control,
 * cpu.stat): the value of `key`. */
static struct sp_cgroup_value read_keyed_file(const char *dir, const char *name, const char *key)
{
    struct sp_cgroup_value v = {0};
    char path[PATH_MAX], text[SMALL_FILE_MAX];
    if (sp_format(path, sizeof path, "%s/%s", dir, name) != 0 ||
        read_small_file(path, text, sizeof text) != 0)
        return v;
    size_t keylen = strlen(key);
    char *save = NULL; /* strtok_r: the monitor reads from its own thread */
    for (char *line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, key, keylen) == 0 && line[keylen] == ' ')
            v.present = parse_u64(line + keylen + 1, &v.value);
    }
    return v;
}

int sp_cgroup_version(const char *root)
{
    if (root == NULL)
        root = SP_CGROUP_DEFAULT_ROOT;
    char path[PATH_MAX];
    if (sp_format(path, sizeof path, "%s/cgroup.controllers", root) == 0 && exists(path))
        return 2;
    if (sp_format(path, sizeof path, "%s/memory", root) == 0 && is_directory(path))
        return 1;
    return -1;
}

const char *sp_cgroup_driver_name(enum sp_cgroup_driver driver)
{
    switch (driver) {
    case SP_CGROUP_DRIVER_CGROUPFS:
        return "cgroupfs";
    case SP_CGROUP_DRIVER_SYSTEMD:
        return "systemd";
    default:
        return "unknown";
    }
}

bool sp_cgroup_valid_id(const char *id)
{
    if (id == NULL || strlen(id) != CONTAINER_ID_LEN)
        return false;
    for (const char *p = id; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    }
    return true;
}

/* The driver that made a cgroup path, from its last component. */
static enum sp_cgroup_driver driver_of_path(const char *path, const char *id)
{
    const char *last = strrchr(path, '/');
    last = last ? last + 1 : path;
    char scope[CONTAINER_ID_LEN + 32];
    snprintf(scope, sizeof scope, "docker-%s.scope", id);
    if (strcmp(last, scope) == 0)
        return SP_CGROUP_DRIVER_SYSTEMD;
    if (strcmp(last, id) == 0)
        return SP_CGROUP_DRIVER_CGROUPFS;
    return SP_CGROUP_DRIVER_UNKNOWN;
}

/* Fills loc's directories for a cgroup path relative to each hierarchy
 * (v1: <root>/<controller><rel>; v2: <root><rel>). -1 if a path is too long. */
static int set_directories(struct sp_cgroup_location *loc, const char *root, const char *mem_rel,
                           const char *pids_rel, const char *cpu_rel)
{
    if (loc->version == 2)
        return sp_format(loc->memory, sizeof loc->memory, "%s%s", root, mem_rel) ||
               sp_format(loc->pids, sizeof loc->pids, "%s%s", root, pids_rel) ||
               sp_format(loc->cpu, sizeof loc->cpu, "%s%s", root, cpu_rel);
    return sp_format(loc->memory, sizeof loc->memory, "%s/memory%s", root, mem_rel) ||
           sp_format(loc->pids, sizeof loc->pids, "%s/pids%s", root, pids_rel) ||
           sp_format(loc->cpu, sizeof loc->cpu, "%s/cpuacct%s", root, cpu_rel);
}

/* True when the comma-separated controller list of a /proc/<pid>/cgroup line
 * ("cpu,cpuacct") names `controller`. */
static bool lists_controller(const char *list, size_t len, const char *controller)
{
    size_t clen = strlen(controller);
    const char *p = list, *end = list + len;
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        size_t n = comma ? (size_t)(comma - p) : (size_t)(end - p);
        if (n == clen && memcmp(p, controller, n) == 0)
            return true;
        p += n + 1;
    }
    return false;
}

/* The cgroup path of `controller` (v1) or of the unified hierarchy (v2,
 * controller NULL) in a /proc/<pid>/cgroup text; NULL if absent. */
static const char *proc_cgroup_path(char *text, const char *controller, char *out, size_t size)
{
    for (char *line = text; line && *line;) {
        char *next = strchr(line, '\n');
        size_t linelen = next ? (size_t)(next - line) : strlen(line);
        char *c1 = memchr(line, ':', linelen);
        char *c2 = c1 ? memchr(c1 + 1, ':', linelen - (size_t)(c1 + 1 - line)) : NULL;
        if (c2 != NULL) {
            size_t listlen = (size_t)(c2 - c1 - 1);
            bool match = controller == NULL ? listlen == 0 && strncmp(line, "0:", 2) == 0
                                            : lists_controller(c1 + 1, listlen, controller);
            size_t pathlen = linelen - (size_t)(c2 + 1 - line);
            if (match && pathlen < size) {
                memcpy(out, c2 + 1, pathlen);
                out[pathlen] = '\0';
                return out;
            }
        }
        line = next ? next + 1 : NULL;
    }
    return NULL;
}

/* Locates through /proc/<pid>/cgroup. 0 on success; -1 with a note in
 * `why` when the pid's cgroup is missing, not the container's, or gone. */
static int locate_by_pid(const char *id, const struct sp_cgroup_query *q,
                         struct sp_cgroup_location *loc, char *why, size_t whylen)
{
    char path[PATH_MAX], text[SMALL_FILE_MAX];
    if (sp_format(path, sizeof path, "%s/%ld/cgroup", proc_or_default(q), q->pid) != 0 ||
        read_small_file(path, text, sizeof text) != 0) {
        snprintf(why, whylen, "%s unreadable", path);
        return -1;
    }
    char mem[PATH_MAX], pids[PATH_MAX], cpu[PATH_MAX];
    bool v2 = loc->version == 2;
    if (!proc_cgroup_path(text, v2 ? NULL : "memory", mem, sizeof mem) ||
        !proc_cgroup_path(text, v2 ? NULL : "pids", pids, sizeof pids) ||
        !proc_cgroup_path(text, v2 ? NULL : "cpuacct", cpu, sizeof cpu)) {
        snprintf(why, whylen, "%s lacks a %s entry", path, v2 ? "unified" : "memory/pids/cpuacct");
        return -1;
    }
    /* A recycled pid would name some other process's cgroup: the container's
     * own cgroup path always carries its id. */
    if (strstr(mem, id) == NULL) {
        snprintf(why, whylen, "pid %ld is in %s, not in container %.12s", q->pid, mem, id);
        return -1;
    }
    if (set_directories(loc, root_or_default(q), mem, pids, cpu) != 0 || !is_directory(loc->memory)) {
        snprintf(why, whylen, "pid %ld: %s is not a directory", q->pid, loc->memory);
        return -1;
    }
    loc->driver = driver_of_path(mem, id);
    return 0;
}

/* Appends ", text" (or "text" first) to a bounded message; a note cut at
 * the end of the buffer is acceptable in an error message. */
static void append_note(char *buf, size_t size, const char *text)
{
    size_t used = strlen(buf);
    if (used + 1 < size)
        (void)sp_format(buf + used, size - used, "%s%s", used ? ", " : "", text);
}

int sp_cgroup_locate(const char *id, const struct sp_cgroup_query *q,
                     struct sp_cgroup_location *loc, char *err, size_t errlen)
{
    memset(loc, 0, sizeof *loc);
    if (!sp_cgroup_valid_id(id)) {
        snprintf(err, errlen, "not a full container id (64 hex digits): %s", id ? id : "(null)");
        return -1;
    }
    const char *root = root_or_default(q);
    loc->version = sp_cgroup_version(root);
    if (loc->version < 0) {
        snprintf(err, errlen, "no cgroup hierarchy at %s (neither cgroup.controllers nor memory/)",
                 root);
        return -1;
    }
    char tried[2048] = "";
    if (q != NULL && q->pid > 0) {
        char why[PATH_MAX + 64];
        if (locate_by_pid(id, q, loc, why, sizeof why) == 0)
            return 0;
        append_note(tried, sizeof tried, why);
    }
    static const struct {
        enum sp_cgroup_driver driver;
        const char *fmt;
    } known[] = {
        {SP_CGROUP_DRIVER_CGROUPFS, "/docker/%s"},
        {SP_CGROUP_DRIVER_SYSTEMD, "/system.slice/docker-%s.scope"},
        /* Podman with the cgroupfs manager (its Docker-compatible API too). */
        {SP_CGROUP_DRIVER_CGROUPFS, "/libpod_parent/libpod-%s"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, known[i].fmt, id);
        if (set_directories(loc, root, rel, rel, rel) == 0 && is_directory(loc->memory)) {
            loc->driver = known[i].driver;
            return 0;
        }
        append_note(tried, sizeof tried, loc->memory);
    }
    snprintf(err, errlen, "cgroup of container %.12s not found (cgroup v%d; tried: %s)", id,
             loc->version, tried);
    return -1;
}

/* Swap on v1 is what memsw allows beyond memory. */
static struct sp_cgroup_value v1_swap_limit(const char *memdir, struct sp_cgroup_value memory)
{
    struct sp_cgroup_value memsw = read_v1_limit(memdir, "memory.memsw.limit_in_bytes");
    if (!memsw.present || memsw.unlimited)
        return memsw;
    if (!memory.present || memory.unlimited)
        return (struct sp_cgroup_value){0};
    memsw.value = memsw.value > memory.value ? memsw.value - memory.value : 0;
    return memsw;
}

static void read_v1(const struct sp_cgroup_location *loc, struct sp_cgroup_stats *s)
{
    s->memory_limit_bytes = read_v1_limit(loc->memory, "memory.limit_in_bytes");
    s->swap_limit_bytes = v1_swap_limit(loc->memory, s->memory_limit_bytes);
    s->memory_usage_bytes = read_number_file(loc->memory, "memory.usage_in_bytes");
    s->memory_peak_bytes = read_number_file(loc->memory, "memory.max_usage_in_bytes");
    s->memory_failcnt = read_number_file(loc->memory, "memory.failcnt");
    s->oom_kills = read_keyed_file(loc->memory, "memory.oom_control", "oom_kill");
    s->cpu_usage_ns = read_number_file(loc->cpu, "cpuacct.usage");
}

static void read_v2(const struct sp_cgroup_location *loc, struct sp_cgroup_stats *s)
{
    s->memory_limit_bytes = read_number_file(loc->memory, "memory.max");
    s->swap_limit_bytes = read_number_file(loc->memory, "memory.swap.max");
    s->memory_usage_bytes = read_number_file(loc->memory, "memory.current");
    s->memory_peak_bytes = read_number_file(loc->memory, "memory.peak");
    s->memory_failcnt = read_keyed_file(loc->memory, "memory.events", "max");
    s->oom_kills = read_keyed_file(loc->memory, "memory.events", "oom_kill");
    s->cpu_usage_ns = read_keyed_file(loc->cpu, "cpu.stat", "usage_usec");
    if (s->cpu_usage_ns.present)
        s->cpu_usage_ns.value *= 1000;
}

int sp_cgroup_read_location(const struct sp_cgroup_location *loc, struct sp_cgroup_stats *stats,
                            char *err, size_t errlen)
{
    memset(stats, 0, sizeof *stats);
    stats->location = *loc;
    if (!is_directory(loc->memory)) {
        snprintf(err, errlen, "cgroup %s is gone", loc->memory);
        return -1;
    }
    if (loc->version == 2)
        read_v2(loc, stats);
    else
        read_v1(loc, stats);
    stats->pids_max = read_number_file(loc->pids, "pids.max");
    stats->pids_current = read_number_file(loc->pids, "pids.current");
    return 0;
}

int sp_cgroup_read(const char *id, const struct sp_cgroup_query *q, struct sp_cgroup_stats *stats,
                   char *err, size_t errlen)
{
    struct sp_cgroup_location loc;
    if (sp_cgroup_locate(id, q, &loc, err, errlen) != 0) {
        memset(stats, 0, sizeof *stats);
        return -1;
    }
    return sp_cgroup_read_location(&loc, stats, err, errlen);
}

/* Process-wide key/value settings. A small fixed table under a mutex: there are
 * a handful of keys, set at start-up, read from any thread. */
#include "sandprobe/settings.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SP_SETTINGS_MAX 64
#define SP_SETTINGS_KEY_MAX 64

struct setting {
    char key[SP_SETTINGS_KEY_MAX];
    const char *value; /* never freed: readers may hold the pointer */
};

/* Values replaced by a later set stay allocated (a reader may still hold
 * them) and stay reachable from this list, so leak checkers see no leak. */
struct retired_value {
    const char *value;
    struct retired_value *next;
};

static struct setting settings[SP_SETTINGS_MAX];
static struct retired_value *retired_values;
static size_t settings_count;
static pthread_mutex_t settings_lock = PTHREAD_MUTEX_INITIALIZER;

static struct setting *find_locked(const char *key)
{
    for (size_t i = 0; i < settings_count; i++)
        if (strcmp(settings[i].key, key) == 0)
            return &settings[i];
    return NULL;
}

int sp_settings_set(const char *key, const char *value)
{
    if (strlen(key) >= SP_SETTINGS_KEY_MAX)
        return -1;
    char *copy = strdup(value);
    if (copy == NULL)
        return -1;
    pthread_mutex_lock(&settings_lock);
    struct setting *s = find_locked(key);
    if (s == NULL && settings_count < SP_SETTINGS_MAX) {
        s = &settings[settings_count++];
        strcpy(s->key, key);
    }
    struct retired_value *retired = s && s->value ? malloc(sizeof *retired) : NULL;
    if (retired != NULL) {
        *retired = (struct retired_value){s->value, retired_values};
        retired_values = retired;
    }
    if (s != NULL)
        s->value = copy;
    pthread_mutex_unlock(&settings_lock);
    if (s == NULL) {
        free(copy);
        return -1;
    }
    return 0;
}

const char *sp_settings_get(const char *key)
{
    pthread_mutex_lock(&settings_lock);
    struct setting *s = find_locked(key);
    const char *value = s ? s->value : NULL;
    pthread_mutex_unlock(&settings_lock);
    return value;
}

const char *sp_settings_get_or(const char *key, const char *fallback)
{
    const char *value = sp_settings_get(key);
    return value ? value : fallback;
}

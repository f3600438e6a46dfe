/* Process-wide settings (the Docker endpoint, the run id, ...), set by the
 * command line before any worker starts and read by every primitive.
 * Values are copied and never freed, so a returned pointer stays valid for the
 * life of the process even if the key is set again. */
#ifndef SANDPROBE_SETTINGS_H
#define SANDPROBE_SETTINGS_H

/* Returns 0, or -1 when out of memory or the key is too long. */
int sp_settings_set(const char *key, const char *value);

/* The value, or NULL when the key was never set. */
const char *sp_settings_get(const char *key);

/* The value, or `fallback` when the key was never set. */
const char *sp_settings_get_or(const char *key, const char *fallback);

#endif

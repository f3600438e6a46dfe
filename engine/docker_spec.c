/* The create spec's normalisation (see include/sandprobe/docker_spec.h).
 * Extending it: a new Engine API key goes into config_keys or
 * host_config_keys; a new lower-case shorthand into aliases; a new byte size
 * that takes "512m" into size_keys. Nothing else needs to change. */
#include "sandprobe/docker_spec.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Engine API names accepted at the top level (the container Config). */
static const char *const config_keys[] = {
    "Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr",
    "ExposedPorts", "Tty", "OpenStdin", "StdinOnce", "Env", "Cmd", "Healthcheck",
    "ArgsEscaped", "Image", "Volumes", "WorkingDir", "Entrypoint", "NetworkDisabled",
    "MacAddress", "OnBuild", "Labels", "StopSignal", "StopTimeout", "Shell", "HostConfig",
    "NetworkingConfig", NULL};

/* Engine API names accepted in HostConfig. */
static const char *const host_config_keys[] = {
    "CpuShares", "Memory", "CgroupParent", "BlkioWeight", "BlkioWeightDevice",
    "BlkioDeviceReadBps", "BlkioDeviceWriteBps", "BlkioDeviceReadIOps", "BlkioDeviceWriteIOps",
    "CpuPeriod", "CpuQuota", "CpuRealtimePeriod", "CpuRealtimeRuntime", "CpusetCpus",
    "CpusetMems", "Devices", "DeviceCgroupRules", "DeviceRequests", "KernelMemory",
    "KernelMemoryTCP", "MemoryReservation", "MemorySwap", "MemorySwappiness", "NanoCpus",
    "OomKillDisable", "Init", "PidsLimit", "Ulimits", "CpuCount", "CpuPercent",
    "IOMaximumIOps", "IOMaximumBandwidth", "Binds", "ContainerIDFile", "LogConfig",
    "NetworkMode", "PortBindings", "RestartPolicy", "AutoRemove", "VolumeDriver", "VolumesFrom",
    "Mounts", "CapAdd", "CapDrop", "CgroupnsMode", "Dns", "DnsOptions", "DnsSearch",
    "ExtraHosts", "GroupAdd", "IpcMode", "Cgroup", "Links", "OomScoreAdj", "PidMode",
    "Privileged", "PublishAllPorts", "ReadonlyRootfs", "SecurityOpt", "StorageOpt", "Tmpfs",
    "UTSMode", "UsernsMode", "ShmSize", "Sysctls", "Runtime", "ConsoleSize", "Isolation",
    "MaskedPaths", "ReadonlyPaths", NULL};

/* Lower-case shorthands for the most used top-level keys. */
static const char *const aliases[][2] = {
    {"image", "Image"}, {"cmd", "Cmd"}, {"entrypoint", "Entrypoint"}, {"env", "Env"},
    {"labels", "Labels"}, {"user", "User"}, {"working_dir", "WorkingDir"},
    {"host_config", "HostConfig"}, {"tty", "Tty"}, {"stop_timeout", "StopTimeout"},
};

/* HostConfig byte sizes that also take the docker CLI's "512m" form. */
static const char *const size_keys[] = {"Memory", "MemorySwap", "MemoryReservation",
                                        "KernelMemory", "KernelMemoryTCP", "ShmSize", NULL};

/* What `stdin = true` sets (unless given), as `docker run -i`. */
static const char *const stdin_keys[] = {"OpenStdin", "StdinOnce", "AttachStdin",
                                         "AttachStdout", "AttachStderr", NULL};

static int in_list(const char *const *list, const char *key)
{
    for (size_t i = 0; list[i] != NULL; i++)
        if (strcmp(list[i], key) == 0)
            return 1;
    return 0;
}

int sp_docker_spec_parse_size(const char *text, double *out)
{
    char *end;
    errno = 0;
    double n = strtod(text, &end);
    if (end == text || errno != 0 || n < -1)
        return -1;
    double unit = 1;
    switch (tolower((unsigned char)*end)) {
    case '\0': case 'b': unit = 1; break;
    case 'k': unit = 1024.0; break;
    case 'm': unit = 1024.0 * 1024; break;
    case 'g': unit = 1024.0 * 1024 * 1024; break;
    default: return -1;
    }
    if (*end != '\0' && end[1] != '\0' && !(tolower((unsigned char)end[1]) == 'b' && end[2] == '\0'))
        return -1;
    *out = n * unit;
    return 0;
}

void sp_docker_spec_env_to_list(cJSON *obj)
{
    cJSON *env = cJSON_GetObjectItemCaseSensitive(obj, "Env");
    if (!cJSON_IsObject(env))
        return;
    cJSON *list = cJSON_CreateArray();
    const cJSON *item;
    cJSON_ArrayForEach(item, env)
    {
        char *value = cJSON_IsString(item) ? item->valuestring : cJSON_PrintUnformatted(item);
        size_t len = strlen(item->string) + strlen(value ? value : "") + 2;
        char *pair = malloc(len);
        if (pair != NULL) {
            snprintf(pair, len, "%s=%s", item->string, value ? value : "");
            cJSON_AddItemToArray(list, cJSON_CreateString(pair));
        }
        free(pair);
        if (!cJSON_IsString(item))
            free(value);
    }
    cJSON_ReplaceItemInObjectCaseSensitive(obj, "Env", list);
}

static const char *normalise_host_config(cJSON *hc, char *msg, size_t len)
{
    cJSON *item;
    cJSON_ArrayForEach(item, hc)
    {
        if (!in_list(host_config_keys, item->string)) {
            snprintf(msg, len, "unknown HostConfig setting '%s'", item->string);
            return msg;
        }
        if (in_list(size_keys, item->string) && cJSON_IsString(item)) {
            double bytes;
            if (sp_docker_spec_parse_size(item->valuestring, &bytes) != 0) {
                snprintf(msg, len, "bad size '%s' for %s (use bytes or 512k, 64m, 1g)",
                         item->valuestring, item->string);
                return msg;
            }
            cJSON_free(item->valuestring);
            item->valuestring = NULL;
            item->type = cJSON_Number;
            cJSON_SetNumberValue(item, bytes);
        }
    }
    return NULL;
}

static const char *rename_aliases(cJSON *spec, char *msg, size_t len)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        cJSON *value = cJSON_DetachItemFromObjectCaseSensitive(spec, aliases[i][0]);
        if (value == NULL)
            continue;
        if (cJSON_HasObjectItem(spec, aliases[i][1])) {
            cJSON_Delete(value);
            snprintf(msg, len, "both '%s' and '%s' given", aliases[i][0], aliases[i][1]);
            return msg;
        }
        cJSON_AddItemToObject(spec, aliases[i][1], value);
    }
    return NULL;
}

static void expand_stdin(cJSON *spec)
{
    cJSON *flag = cJSON_DetachItemFromObjectCaseSensitive(spec, "stdin");
    if (cJSON_IsTrue(flag))
        for (size_t i = 0; stdin_keys[i] != NULL; i++)
            if (!cJSON_HasObjectItem(spec, stdin_keys[i]))
                cJSON_AddTrueToObject(spec, stdin_keys[i]);
    cJSON_Delete(flag);
}

const char *sp_docker_spec_normalise(cJSON *spec, char *msg, size_t len)
{
    if (!cJSON_IsObject(spec))
        return "a table of container settings expected";
    cJSON_Delete(cJSON_DetachItemFromObjectCaseSensitive(spec, "name"));
    expand_stdin(spec);
    const char *err = rename_aliases(spec, msg, len);
    if (err != NULL)
        return err;
    const cJSON *item;
    cJSON_ArrayForEach(item, spec)
    {
        if (!in_list(config_keys, item->string)) {
            snprintf(msg, len, "unknown container setting '%s'", item->string);
            return msg;
        }
    }
    if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(spec, "Image")))
        return "image (a string) is required";
    sp_docker_spec_env_to_list(spec);
    cJSON *hc = cJSON_GetObjectItemCaseSensitive(spec, "HostConfig");
    if (hc != NULL && !cJSON_IsObject(hc))
        return "host_config must be a table";
    return hc ? normalise_host_config(hc, msg, len) : NULL;
}

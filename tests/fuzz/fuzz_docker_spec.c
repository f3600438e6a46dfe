/* Fuzzes the create spec's normalisation with arbitrary JSON: it must never
 * crash, and an accepted spec must hold only Engine names, a string Image,
 * an Env that is not a map, and numeric sizes. */
#include "sandprobe/docker_spec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *spec = cJSON_ParseWithLength((const char *)data, size);
    if (spec == NULL)
        return 0;
    char msg[256];
    const char *err = sp_docker_spec_normalise(spec, msg, sizeof msg);
    if (err == NULL) {
        if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(spec, "Image")))
            abort();
        if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(spec, "Env")))
            abort();
        if (cJSON_GetObjectItemCaseSensitive(spec, "image") != NULL ||
            cJSON_GetObjectItemCaseSensitive(spec, "stdin") != NULL)
            abort();
        const cJSON *memory = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(spec, "HostConfig"), "Memory");
        if (cJSON_IsString(memory))
            abort();
    } else if (err[0] == '\0') {
        abort(); /* a refusal always says why */
    }
    cJSON_Delete(spec);
    return 0;
}

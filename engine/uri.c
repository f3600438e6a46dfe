#include "sandprobe/uri.h"

#include <curl/curl.h>

char *sp_uri_from_path(const char *path)
{
    int absolute = path[0] == '/';
    CURLU *u = curl_url();
    char *out = NULL;
    if (u == NULL)
        return NULL;
    /* For a relative path only the encoded path part is taken: the file
     * scheme is set so that curl accepts the part at all. */
    if (curl_url_set(u, CURLUPART_SCHEME, "file", 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_PATH, path, CURLU_URLENCODE) == CURLUE_OK)
        curl_url_get(u, absolute ? CURLUPART_URL : CURLUPART_PATH, &out, 0);
    curl_url_cleanup(u);
    return out;
}

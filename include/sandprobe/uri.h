/* File paths as URIs (RFC 3986), percent-encoded by libcurl's URL API
 * (curl_url), for SARIF artifact locations. */
#ifndef SANDPROBE_URI_H
#define SANDPROBE_URI_H

/* The file:// URI of an absolute path ("/a b/x.py" -> "file:///a%20b/x.py"),
 * or, for a relative path, the relative reference ("a b/x.py" ->
 * "a%20b/x.py"). Every byte outside RFC 3986's unreserved set and '/' is
 * percent-encoded. A string the caller frees with curl_free, or NULL (a path
 * with a NUL cannot be given; out of memory). */
char *sp_uri_from_path(const char *path);

#endif

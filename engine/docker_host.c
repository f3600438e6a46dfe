/* Where the Docker daemon is: the --host setting or the docker CLI's
 * environment, resolved without any I/O so it can be tested on its own. */
#include "sandprobe/docker.h"
#include "sandprobe/text.h"
#include "sandprobe/settings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#define UNIX_PREFIX "unix://"
#define TCP_PREFIX "tcp://"
#define DEFAULT_SOCKET "/var/run/docker.sock"
#define DEFAULT_TCP_HOST "127.0.0.1" /* as the docker CLI reads "tcp://:2375" */
#define PORT_PLAIN 2375
#define PORT_TLS 2376


static int is_set(const char *s)
{
    return s != NULL && s[0] != '\0';
}


static int parse_unix(const char *path, struct sp_docker_endpoint *out, char *err, size_t errlen)
{
    if (path[0] == '\0')
        path = DEFAULT_SOCKET;
    /* The socket path must fit a sockaddr_un, not just our buffer. */
    if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path) ||
        sp_format(out->socket_path, sizeof out->socket_path, "%s", path) != 0)
        return sp_error(err, errlen, "Docker socket path too long: %s", path);
    out->transport = SP_DOCKER_UNIX;
    return sp_format(out->url, sizeof out->url, UNIX_PREFIX "%s", path);
}

static int parse_port(const char *text, int *port)
{
    char *end;
    long n = strtol(text, &end, 10);
    if (text[0] == '\0' || *end != '\0' || n < 1 || n > 65535)
        return -1;
    *port = (int)n;
    return 0;
}

/* HOST[:PORT][/], HOST a name, an IPv4 address or [IPv6]. */
static int parse_tcp(const char *rest, int tls, struct sp_docker_endpoint *out, char *err,
                     size_t errlen)
{
    char buf[512];
    if (sp_format(buf, sizeof buf, "%s", rest) != 0)
        return sp_error(err, errlen, "Docker host too long: tcp://%s", rest);
    size_t len = strlen(buf);
    if (len > 0 && buf[len - 1] == '/')
        buf[--len] = '\0';
    if (strchr(buf, '/') != NULL)
        return sp_error(err, errlen, "a path in the Docker host is not supported: tcp://%s", rest);
    char *host = buf, *port = NULL;
    if (buf[0] == '[') {
        char *close = strchr(buf, ']');
        if (close == NULL)
            return sp_error(err, errlen, "unclosed [ in the Docker host: tcp://%s", rest);
        *close = '\0';
        host = buf + 1;
        if (close[1] == ':')
            port = close + 2;
        else if (close[1] != '\0')
            return sp_error(err, errlen, "bad Docker host: tcp://%s", rest);
    } else {
        char *colon = strchr(buf, ':');
        if (colon != NULL) {
            if (strchr(colon + 1, ':') != NULL)
                return sp_error(err, errlen, "put an IPv6 address in brackets: tcp://[%s]", rest);
            *colon = '\0';
            port = colon + 1;
        }
    }
    out->port = tls ? PORT_TLS : PORT_PLAIN;
    if (port != NULL && parse_port(port, &out->port) != 0)
        return sp_error(err, errlen, "bad port '%s' in the Docker host tcp://%s", port, rest);
    if (sp_format(out->host, sizeof out->host, "%s", host[0] ? host : DEFAULT_TCP_HOST) != 0)
        return sp_error(err, errlen, "Docker host name too long");
    out->transport = SP_DOCKER_TCP;
    const char *open = strchr(out->host, ':') ? "[" : "", *shut = open[0] ? "]" : "";
    return sp_format(out->url, sizeof out->url, TCP_PREFIX "%s%s%s:%d", open, out->host, shut,
                  out->port);
}

static int set_tls_files(const struct sp_docker_env *env, struct sp_docker_endpoint *out,
                         char *err, size_t errlen)
{
    char dir[400];
    int bad = is_set(env->cert_path) ? sp_format(dir, sizeof dir, "%s", env->cert_path)
                                     : sp_format(dir, sizeof dir, "%s/.docker",
                                              is_set(env->home) ? env->home : ".");
    bad = bad || sp_format(out->ca_file, sizeof out->ca_file, "%s/ca.pem", dir) ||
          sp_format(out->cert_file, sizeof out->cert_file, "%s/cert.pem", dir) ||
          sp_format(out->key_file, sizeof out->key_file, "%s/key.pem", dir);
    return bad ? sp_error(err, errlen, "DOCKER_CERT_PATH too long") : 0;
}

int sp_docker_resolve_endpoint(const struct sp_docker_env *env, struct sp_docker_endpoint *out,
                               char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *host = is_set(env->host_setting) ? env->host_setting
                       : is_set(env->docker_host) ? env->docker_host
                                                  : SP_DOCKER_DEFAULT_HOST;
    if (strncmp(host, UNIX_PREFIX, strlen(UNIX_PREFIX)) == 0) {
        return parse_unix(host + strlen(UNIX_PREFIX), out, err, errlen);
    }
    if (strncmp(host, TCP_PREFIX, strlen(TCP_PREFIX)) == 0) {
        out->tls_verify = is_set(env->tls_verify);
        out->tls = out->tls_verify || is_set(env->tls);
        if (parse_tcp(host + strlen(TCP_PREFIX), out->tls, out, err, errlen) != 0)
            return -1;
        return out->tls ? set_tls_files(env, out, err, errlen) : 0;
    }
    return sp_error(err, errlen,
                "unsupported Docker host '%s': use unix:///path/to/docker.sock or tcp://HOST:PORT",
                host);
}

int sp_docker_endpoint_from_environment(struct sp_docker_endpoint *out, char *err, size_t errlen)
{
    struct sp_docker_env env = {
        .host_setting = sp_settings_get("docker.host"),
        .docker_host = getenv("DOCKER_HOST"),
        .tls_verify = getenv("DOCKER_TLS_VERIFY"),
        .tls = getenv("DOCKER_TLS"),
        .cert_path = getenv("DOCKER_CERT_PATH"),
        .home = getenv("HOME"),
    };
    return sp_docker_resolve_endpoint(&env, out, err, errlen);
}

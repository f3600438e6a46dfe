/* Where the Docker daemon is: the "docker.host" setting (--host), else
 * $DOCKER_HOST, else unix:///var/run/docker.sock. tcp://HOST[:PORT] speaks
 * HTTP, or HTTPS when $DOCKER_TLS_VERIFY (verify the daemon) or $DOCKER_TLS is
 * non-empty, with ca.pem, cert.pem and key.pem from $DOCKER_CERT_PATH (default
 * ~/.docker), as the docker CLI reads them. Pure: resolving does no I/O
 * (engine/docker_host.c). */
#ifndef SANDPROBE_DOCKER_ENDPOINT_H
#define SANDPROBE_DOCKER_ENDPOINT_H

#include <stddef.h>

#define SP_DOCKER_DEFAULT_HOST "unix:///var/run/docker.sock"

enum sp_docker_transport { SP_DOCKER_UNIX, SP_DOCKER_TCP };

struct sp_docker_endpoint {
    enum sp_docker_transport transport;
    char url[512];        /* as the user wrote it (normalised), for messages */
    char socket_path[256]; /* SP_DOCKER_UNIX */
    char host[256];        /* SP_DOCKER_TCP: name or address, IPv6 without brackets */
    int port;              /* SP_DOCKER_TCP */
    int tls;               /* SP_DOCKER_TCP: speak HTTPS */
    int tls_verify;        /* verify the daemon's certificate against ca.pem */
    char ca_file[512], cert_file[512], key_file[512]; /* when tls */
};

/* What the endpoint is resolved from: the --host setting and the docker CLI's
 * environment variables. Any may be NULL (unset). */
struct sp_docker_env {
    const char *host_setting; /* --host / "docker.host" */
    const char *docker_host;  /* $DOCKER_HOST */
    const char *tls_verify;   /* $DOCKER_TLS_VERIFY */
    const char *tls;          /* $DOCKER_TLS */
    const char *cert_path;    /* $DOCKER_CERT_PATH */
    const char *home;         /* $HOME, for the default ~/.docker */
};

/* Resolves the endpoint. 0, or -1 with a one-line reason in err (unknown
 * scheme, missing host, bad port, path too long). */
int sp_docker_resolve_endpoint(const struct sp_docker_env *env, struct sp_docker_endpoint *out,
                               char *err, size_t errlen);

/* The same from the real settings and environment. */
int sp_docker_endpoint_from_environment(struct sp_docker_endpoint *out, char *err, size_t errlen);

#endif

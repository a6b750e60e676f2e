/*
 * static: serves the built web front-end (web/dist) for paths outside the API.
 * The path is already percent-decoded and free of NUL; here any ".." or "."
 * segment or backslash is refused, the file is opened relative to the root with
 * O_NOFOLLOW on every step (openat per segment), and only a regular file of at
 * most STATIC_MAX bytes is read into the reply. A path whose last segment has no
 * dot is a client-side route of the single-page app and gets index.html.
 */
#include "http/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/reply.h"

#define STATIC_MAX (16u << 20)

static const struct { const char *ext, *type; } types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".json", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *content_type_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcasecmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

/* 1 when every segment of rel is a plain name. */
static int safe_relative(const char *rel)
{
    if (strchr(rel, '\\'))
        return 0;
    const char *s = rel;
    while (*s) {
        size_t n = strcspn(s, "/");
        if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return 0;
        if (n > 255)
            return 0;
        s += n;
        while (*s == '/')
            s++;
    }
    return 1;
}

/* Opens rel under dirfd segment by segment without following symlinks.
 * Returns a descriptor of a regular file, or -1. */
static int open_under(int dirfd, const char *rel)
{
    char seg[256];
    int fd = dup(dirfd);
    const char *s = rel;
    while (fd >= 0) {
        while (*s == '/')
            s++;
        size_t n = strcspn(s, "/");
        if (n == 0 || n >= sizeof seg)
            goto fail;
        memcpy(seg, s, n);
        seg[n] = '\0';
        s += n;
        while (*s == '/')
            s++;
        int last = *s == '\0';
        int next = openat(fd, seg, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? 0 : O_DIRECTORY));
        close(fd);
        fd = next;
        if (last)
            break;
    }
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > STATIC_MAX)
        goto fail;
    return fd;
fail:
    if (fd >= 0)
        close(fd);
    return -1;
}

static int read_all(int fd, buf *out)
{
    char chunk[16384];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        if (buf_append(out, chunk, (size_t)n) < 0)
            return -1;
    }
}

void http_static_serve(const char *root, struct http_req *req, int *cache_immutable)
{
    *cache_immutable = 0;
    int rootfd = -1, fd = -1;
    const char *rel = req->path;
    while (*rel == '/')
        rel++;
    if (!safe_relative(rel)) {
        api_problem(req, "not_found", NULL);
        return;
    }
    rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) {
        api_problem(req, "not_found", NULL);
        return;
    }
    const char *served = rel;
    if (*rel)
        fd = open_under(rootfd, rel);
    if (fd < 0) {
        const char *last = strrchr(req->path, '/');
        if (last && strchr(last, '.')) {
            api_problem(req, "not_found", NULL);
            goto out;
        }
        served = "index.html";
        fd = open_under(rootfd, served);
        if (fd < 0) {
            api_problem(req, "not_found", NULL);
            goto out;
        }
    }
    buf_reset(&req->out);
    if (read_all(fd, &req->out) < 0) {
        api_problem(req, "internal", NULL);
        goto out;
    }
    req->status = 200;
    req->content_type = content_type_of(served);
    *cache_immutable = strncmp(req->path, "/assets/", 8) == 0;
out:
    if (fd >= 0)
        close(fd);
    close(rootfd);
}

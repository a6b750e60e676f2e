/*
 * harness: process control with fork/exec and a log file polled every 20 ms; HTTP
 * with libcurl's easy interface, collecting headers and body into growable buffers
 * (and, for harness_call, parsed with jansson); databases through db.h, so the
 * same code serves both engines.
 *
 * Templates are named by the binary's identity (device, inode, size, mtime) and, on
 * PostgreSQL, the server's URL, so a rebuilt binary (new migrations) gets a new one.
 * Building one is serialized: flock on <build>/test-templates/lock for SQLite, a
 * session advisory lock on the server for PostgreSQL; it is built under a
 * temporary name and renamed when complete, so a crash never leaves a half-made
 * template that others would copy.
 */
#include "harness.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"

#define LOG_MAX (1 << 20)

static const char *bin_path(void)
{
    const char *b = getenv("PRAKERJA_BIN");
    return b && *b ? b : NULL;
}

/* Runs argv with stdout/stderr appended to logpath; returns the child pid or -1. */
static pid_t spawn(char *const argv[], const char *logpath)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        close(fd);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execv(argv[0], argv);
    _exit(127);
}

/* The port from the first "http.listening" line in the log, or 0. */
static int find_port(const char *logpath)
{
    FILE *f = fopen(logpath, "r");
    if (!f)
        return 0;
    char line[4096];
    int port = 0;
    while (!port && fgets(line, sizeof line, f)) {
        if (!strstr(line, "\"http.listening\""))
            continue;
        const char *p = strstr(line, "\"port\":\"");
        if (p)
            port = atoi(p + 8);
    }
    fclose(f);
    return port > 0 && port < 65536 ? port : 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static const char *pg_base(void)
{
    const char *b = getenv("PRAKERJA_TEST_PG");
    return b && *b ? b : NULL;
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;

    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* A name for the template of this binary (and server): 16 hex digits, the first 8
 * from the binary's path (so earlier builds of it can be found and removed), the
 * last 8 from its identity and the server. */
static int template_key(const char *bin, char out[17])
{
    struct stat st;
    uint64_t h = 1469598103934665603ULL, path;

    if (stat(bin, &st) != 0) {
        fprintf(stderr, "harness: %s: %s\n", bin, strerror(errno));
        return -1;
    }
    path = fnv1a(h, bin, strlen(bin));
    h = fnv1a(path, &st.st_dev, sizeof st.st_dev);
    h = fnv1a(h, &st.st_ino, sizeof st.st_ino);
    h = fnv1a(h, &st.st_size, sizeof st.st_size);
    h = fnv1a(h, &st.st_mtim, sizeof st.st_mtim);
    if (pg_base())
        h = fnv1a(h, pg_base(), strlen(pg_base()));
    snprintf(out, 17, "%08x%08x", (unsigned)(path >> 32), (unsigned)(h >> 32));
    return 0;
}

/* <folder of the binary>/test-templates, created if needed. */
static int template_dir(const char *bin, char *out, size_t outlen)
{
    char copy[1024];

    snprintf(copy, sizeof copy, "%s", bin);
    snprintf(out, outlen, "%s/test-templates", dirname(copy));
    if (mkdir(out, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "harness: mkdir %s: %s\n", out, strerror(errno));
        return -1;
    }
    return 0;
}

/* Copies a file (mode 0600); a missing source is fine when optional. */
static int copy_file(const char *from, const char *to, int optional)
{
    char buf[65536];
    ssize_t n;
    int in = open(from, O_RDONLY), out, rc = 0;

    if (in < 0)
        return optional && errno == ENOENT ? 0 : -1;
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0) {
        close(in);
        return -1;
    }
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n) {
            rc = -1;
            break;
        }
    if (n < 0)
        rc = -1;
    close(in);
    if (close(out) != 0)
        rc = -1;
    return rc;
}

/* Copies the end of the server log to stderr, so a failure shows its cause even
 * after the folder is gone. */
static void dump_log(const struct harness *h)
{
    char buf[4096];
    FILE *f = fopen(h->log, "r");
    size_t n;

    if (!f)
        return;
    if (fseek(f, -(long)(sizeof buf - 1), SEEK_END) != 0)
        rewind(f);
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    fprintf(stderr, "harness: end of %s:\n%s\n", h->log, buf);
}

/* Runs `bin db init --db addr [--key key]` with output in the log; 0 when it exits 0. */
static int run_init(struct harness *h, const char *bin, const char *addr, const char *key)
{
    char *init[] = {(char *)bin, "db", "init", "--db", (char *)addr, NULL, NULL, NULL};
    int st = 0;

    if (key) {
        init[5] = "--key";
        init[6] = (char *)key;
    }
    pid_t p = spawn(init, h->log);
    if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "harness: `%s db init --db %s` failed (see %s)\n", bin, addr, h->log);
        dump_log(h);
        return -1;
    }
    return 0;
}

/* Removes files in dir whose names start with prefix, except keep, and (when
 * max_age_s > 0) only those not modified for max_age_s seconds. */
static void remove_stale(const char *dir, const char *prefix, const char *keep, long max_age_s)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    struct stat st;
    char p[2048];

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 ||
            strncmp(e->d_name, keep, strlen(keep)) == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (max_age_s > 0 && (stat(p, &st) != 0 || time(NULL) - st.st_mtime < max_age_s))
            continue;
        unlink(p);
    }
    closedir(d);
}

/* SQLite: h->db (and its key file) become copies of the template file. */
static int sqlite_database(struct harness *h, const char *bin)
{
    char key[17], tdir[1100], lock[1200], tmpl[1200], wip[1300], a[1400], b[1400];
    struct stat st;
    int fd, rc = -1;

    snprintf(h->db, sizeof h->db, "%s/test.db", h->dir);
    snprintf(h->key, sizeof h->key, "%s.key", h->db);
    if (template_key(bin, key) < 0 || template_dir(bin, tdir, sizeof tdir) < 0)
        return -1;
    snprintf(lock, sizeof lock, "%s/lock", tdir);
    snprintf(tmpl, sizeof tmpl, "%s/sqlite-%s.db", tdir, key);     /* key names the binary */
    fd = open(lock, O_RDWR | O_CREAT, 0600);
    if (fd < 0 || flock(fd, LOCK_EX) != 0) {
        fprintf(stderr, "harness: lock %s: %s\n", lock, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (stat(tmpl, &st) != 0) {
        snprintf(b, sizeof b, "sqlite-%s", key);
        snprintf(a, sizeof a, "sqlite-%.8s", key);
        remove_stale(tdir, a, b, 0);   /* earlier builds of this binary */
        snprintf(wip, sizeof wip, "%s/wip-%ld.db", tdir, (long)getpid());
        if (run_init(h, bin, wip, NULL) < 0)
            goto out;
        /* the key first: the database file appearing is what says "complete" */
        snprintf(a, sizeof a, "%s.key", wip);
        snprintf(b, sizeof b, "%s.key", tmpl);
        if (access(a, F_OK) == 0 && rename(a, b) != 0)
            goto out;
        snprintf(a, sizeof a, "%s-wal", wip);
        snprintf(b, sizeof b, "%s-wal", tmpl);
        if (access(a, F_OK) == 0 && rename(a, b) != 0)
            goto out;
        /* a binary whose db init writes nothing (http_test_server): an empty file */
        if (access(wip, F_OK) != 0 && (rc = open(wip, O_WRONLY | O_CREAT, 0600)) >= 0)
            close(rc);
        rc = -1;
        if (rename(wip, tmpl) != 0)
            goto out;
    }
    snprintf(a, sizeof a, "%s-wal", tmpl);
    snprintf(b, sizeof b, "%s-wal", h->db);
    snprintf(wip, sizeof wip, "%s.key", tmpl);
    if (copy_file(tmpl, h->db, 0) == 0 && copy_file(a, b, 1) == 0 &&
        copy_file(wip, h->key, 1) == 0)
        rc = 0;
    else
        fprintf(stderr, "harness: copying the template %s: %s\n", tmpl, strerror(errno));
out:
    flock(fd, LOCK_UN);
    close(fd);
    return rc;
}

static db *pg_admin(void)
{
    char addr[600], err[256];
    db *d = NULL;

    snprintf(addr, sizeof addr, "%s/postgres", pg_base());
    if (db_open(addr, &d, err, sizeof err) != DB_OK) {
        fprintf(stderr, "harness: %s\n", err);
        return NULL;
    }
    return d;
}

static int pg_sql(db *a, const char *sql)
{
    if (db_exec(a, sql) == DB_OK)
        return 0;
    fprintf(stderr, "harness: %s: %s\n", sql, db_errmsg(a));
    return -1;
}

/* PostgreSQL: a database t_<pid>_<n> made from the template database. */
static int pg_database(struct harness *h, const char *bin)
{
    static int serial;
    char key[17], tdir[1100], tkey[1200], sql[256], addr[700];
    int64_t n = 0, lockid;
    db *a;
    int rc = -1;

    if (template_key(bin, key) < 0 || template_dir(bin, tdir, sizeof tdir) < 0)
        return -1;
    lockid = (int64_t)strtoull(key, NULL, 16);
    snprintf(tkey, sizeof tkey, "%s/pg-%s.key", tdir, key);
    snprintf(h->key, sizeof h->key, "%s/test.key", h->dir);
    if (!(a = pg_admin()))
        return -1;
    db_val p[1] = {DB_INT(lockid)};
    if (db_one_int(a, "SELECT pg_advisory_lock($1)::text = ''", p, 1, &n) != DB_OK) {
        fprintf(stderr, "harness: advisory lock: %s\n", db_errmsg(a));
        goto out;
    }
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM pg_database WHERE datname = 'tmpl_%s'", key);
    if (db_one_int(a, sql, NULL, 0, &n) != DB_OK) {
        fprintf(stderr, "harness: %s\n", db_errmsg(a));
        goto unlock;
    }
    /* The key file sits beside the build, the template on the server: without its
     * key (removed by hand, or a server of the same URL made anew) it is rebuilt. */
    if (n > 0 && access(tkey, F_OK) != 0) {
        snprintf(sql, sizeof sql, "DROP DATABASE tmpl_%s WITH (FORCE)", key);
        if (pg_sql(a, sql) < 0)
            goto unlock;
        n = 0;
    }
    if (n == 0) {
        /* keys of templates on servers that are long gone */
        snprintf(addr, sizeof addr, "pg-%.8s", key);
        remove_stale(tdir, addr, "pg-none", 86400);
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS tmpl_%s_wip WITH (FORCE)", key);
        if (pg_sql(a, sql) < 0)
            goto unlock;
        snprintf(sql, sizeof sql, "CREATE DATABASE tmpl_%s_wip TEMPLATE template0", key);
        if (pg_sql(a, sql) < 0)
            goto unlock;
        snprintf(addr, sizeof addr, "%s/tmpl_%s_wip", pg_base(), key);
        unlink(tkey);
        if (run_init(h, bin, addr, tkey) < 0)
            goto unlock;
        /* a binary whose db init makes no key (http_test_server): an empty file */
        if (access(tkey, F_OK) != 0) {
            int fd = open(tkey, O_WRONLY | O_CREAT, 0600);
            if (fd < 0) {
                fprintf(stderr, "harness: %s: %s\n", tkey, strerror(errno));
                goto unlock;
            }
            close(fd);
        }
        snprintf(sql, sizeof sql, "ALTER DATABASE tmpl_%s_wip RENAME TO tmpl_%s", key, key);
        if (pg_sql(a, sql) < 0)
            goto unlock;
    }
    snprintf(h->pgname, sizeof h->pgname, "t_%ld_%d", (long)getpid(), ++serial);
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", h->pgname);
    if (pg_sql(a, sql) < 0)
        goto unlock;
    snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE tmpl_%s", h->pgname, key);
    if (pg_sql(a, sql) < 0) {
        h->pgname[0] = '\0';
        goto unlock;
    }
    snprintf(h->db, sizeof h->db, "%s/%s", pg_base(), h->pgname);
    if (copy_file(tkey, h->key, 1) < 0) {
        fprintf(stderr, "harness: copying %s: %s\n", tkey, strerror(errno));
        goto unlock;
    }
    rc = 0;
unlock:
    db_one_int(a, "SELECT pg_advisory_unlock($1)::int", p, 1, &n);
out:
    db_close(a);
    return rc;
}

static void pg_drop(struct harness *h)
{
    char sql[160];
    db *a;

    if (!h->pgname[0] || !(a = pg_admin()))
        return;
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", h->pgname);
    pg_sql(a, sql);
    db_close(a);
    h->pgname[0] = '\0';
}

int harness_start(struct harness *h, const char *const *extra_args)
{
    memset(h, 0, sizeof *h);
    h->pid = -1;
    const char *bin = bin_path();
    if (!bin) {
        fprintf(stderr, "harness: PRAKERJA_BIN is not set\n");
        return -1;
    }
    snprintf(h->dir, sizeof h->dir, "/tmp/pk-api-XXXXXX");
    if (!mkdtemp(h->dir)) {
        perror("harness: mkdtemp");
        return -1;
    }
    snprintf(h->log, sizeof h->log, "%s/server.log", h->dir);
    if ((pg_base() ? pg_database(h, bin) : sqlite_database(h, bin)) < 0)
        return -1;

    char *argv[64] = {(char *)bin, "serve", "--db", h->db, "--port", "0", "--bind", "127.0.0.1"};
    int argc = 8, st = 0;
    struct stat kst;
    if (pg_base() && stat(h->key, &kst) == 0 && kst.st_size > 0) {
        argv[argc++] = "--key";
        argv[argc++] = h->key;
    }
    for (int i = 0; extra_args && extra_args[i] && argc < 63; i++)
        argv[argc++] = (char *)extra_args[i];
    argv[argc] = NULL;
    h->pid = spawn(argv, h->log);
    if (h->pid < 0) {
        perror("harness: fork");
        return -1;
    }
    for (int waited = 0; waited < 10000; waited += 20) {
        if ((h->port = find_port(h->log)) > 0)
            return 0;
        if (waitpid(h->pid, &st, WNOHANG) == h->pid) {
            h->pid = -1;
            fprintf(stderr, "harness: server exited before listening (see %s)\n", h->log);
            dump_log(h);
            return -1;
        }
        sleep_ms(20);
    }
    fprintf(stderr, "harness: no http.listening line within 10 s (see %s)\n", h->log);
    dump_log(h);
    return -1;
}

/* Opens the server's database and runs sql: 1 with *r on the first row, 0 when there
 * is none, -1 on an error (reported). Release with sql_done. */
static int sql_one(struct harness *h, const char *sql, const char *const *params, int n,
                   db **d, db_rows **r)
{
    char err[256];
    db_val p[16];
    int rc;

    *r = NULL;
    *d = NULL;
    if (n > 16 || db_open(h->db, d, err, sizeof err) != DB_OK) {
        fprintf(stderr, "harness: open %s: %s\n", h->db, n > 16 ? "too many parameters" : err);
        return -1;
    }
    for (int i = 0; i < n; i++)
        p[i] = DB_TEXT(params[i]);
    rc = db_query(*d, sql, p, n, r);
    if (rc == DB_OK && ((rc = db_step(*r)) == DB_ROW || rc == DB_DONE))
        return rc == DB_ROW ? 1 : 0;
    fprintf(stderr, "harness: %s: %s\n", sql, db_errmsg(*d));
    return -1;
}

static void sql_done(db *d, db_rows *r)
{
    db_rows_free(r);
    db_close(d);
}

int harness_sql_int(struct harness *h, const char *sql, const char *const *params, int n,
                    int64_t *out)
{
    db_rows *r;
    db *d;
    int got = sql_one(h, sql, params, n, &d, &r);

    *out = -1;
    if (got > 0)
        *out = db_int(r, 0);
    sql_done(d, r);
    return got < 0 ? -1 : 0;
}

int harness_sql_text(struct harness *h, const char *sql, const char *const *params, int n,
                     char *out, size_t outlen)
{
    db_rows *r;
    db *d;
    int got = sql_one(h, sql, params, n, &d, &r);

    if (outlen)
        out[0] = '\0';
    if (got > 0 && outlen)
        snprintf(out, outlen, "%.*s", (int)db_len(r, 0), db_text(r, 0));
    sql_done(d, r);
    return got < 0 ? -1 : 0;
}

int64_t harness_sql_value(struct harness *h, const char *sql, const char *param)
{
    const char *p[1] = {param};
    int64_t v = -1;

    cr_assert_eq(harness_sql_int(h, sql, param ? p : NULL, param ? 1 : 0, &v), 0, "%s", sql);
    return v;
}

int harness_stop(struct harness *h)
{
    int rc = 0;
    if (h->pid > 0) {
        kill(h->pid, SIGTERM);
        int st = 0, waited = 0;
        while (waitpid(h->pid, &st, WNOHANG) == 0) {
            if (waited >= 10000) {
                kill(h->pid, SIGKILL);
                waitpid(h->pid, &st, 0);
                break;
            }
            sleep_ms(10);
            waited += 10;
        }
        h->exit_status = st;
        rc = WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
        h->pid = -1;
    }
    if (!getenv("HARNESS_KEEP"))
        pg_drop(h);
    if (h->dir[0] && !getenv("HARNESS_KEEP"))
        nftw(h->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    h->dir[0] = '\0';
    return rc;
}

struct sink {
    char *data;
    size_t len, cap;
};

static size_t sink_write(char *p, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t add = size * n;
    if (s->len + add + 1 > LOG_MAX * 16)
        return 0;
    if (s->len + add + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 1024;
        while (cap < s->len + add + 1)
            cap *= 2;
        char *d = realloc(s->data, cap);
        if (!d)
            return 0;
        s->data = d;
        s->cap = cap;
    }
    memcpy(s->data + s->len, p, add);
    s->len += add;
    s->data[s->len] = '\0';
    return add;
}

int harness_request(struct harness *h, const char *method, const char *path,
                    const char *content_type, const char *body, size_t body_len,
                    const char *const *headers, struct harness_reply *out)
{
    memset(out, 0, sizeof *out);
    CURL *c = curl_easy_init();
    if (!c)
        return -1;
    char url[2048], ct[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", h->port, path);
    struct curl_slist *hl = curl_slist_append(NULL, "Expect:");
    if (content_type) {
        snprintf(ct, sizeof ct, "Content-Type: %s", content_type);
        hl = curl_slist_append(hl, ct);
    } else {
        hl = curl_slist_append(hl, "Content-Type:");
    }
    for (int i = 0; headers && headers[i]; i++)
        hl = curl_slist_append(hl, headers[i]);
    struct sink hs = {0}, bs = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, sink_write);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &bs);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    else
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    else
        fprintf(stderr, "harness: %s %s: %s\n", method, path, curl_easy_strerror(rc));
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    out->headers = hs.data ? hs.data : calloc(1, 1);
    out->body = bs.data ? bs.data : calloc(1, 1);
    out->body_len = bs.len;
    return rc == CURLE_OK ? 0 : -1;
}

const char *harness_header(const struct harness_reply *r, const char *name, char *out,
                           size_t outlen)
{
    size_t nlen = strlen(name);
    const char *line = r->headers;
    while (line && *line) {
        const char *end = strstr(line, "\r\n");
        size_t llen = end ? (size_t)(end - line) : strlen(line);
        if (llen > nlen && line[nlen] == ':' && strncasecmp(line, name, nlen) == 0) {
            const char *v = line + nlen + 1;
            while (*v == ' ')
                v++;
            size_t vlen = (size_t)(line + llen - v);
            if (vlen >= outlen)
                vlen = outlen - 1;
            memcpy(out, v, vlen);
            out[vlen] = '\0';
            return out;
        }
        line = end ? end + 2 : NULL;
    }
    return NULL;
}

void harness_reply_free(struct harness_reply *r)
{
    free(r->headers);
    free(r->body);
    memset(r, 0, sizeof *r);
}

struct harness_json harness_call(struct harness *h, const char *method, const char *path,
                                 const char *token, const char *lang, const char *ctype,
                                 const char *body)
{
    char auth[128], al[64];
    const char *hs[3];
    int nh = 0;
    struct harness_reply r;
    struct harness_json out;

    memset(&out, 0, sizeof out);
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        hs[nh++] = auth;
    }
    if (lang) {
        snprintf(al, sizeof al, "Accept-Language: %s", lang);
        hs[nh++] = al;
    }
    hs[nh] = NULL;
    if (body && !ctype)
        ctype = "application/json";
    cr_assert_eq(harness_request(h, method, path, body ? ctype : NULL, body,
                                 body ? strlen(body) : 0, hs, &r), 0);
    out.status = r.status;
    out.len = r.body_len;
    out.raw = malloc(r.body_len + 1);
    cr_assert_not_null(out.raw);
    memcpy(out.raw, r.body, r.body_len);
    out.raw[r.body_len] = '\0';
    out.json = json_loadb(r.body, r.body_len, 0, NULL);
    if (!harness_header(&r, "Content-Type", out.ctype, sizeof out.ctype))
        out.ctype[0] = '\0';
    if (!harness_header(&r, "Content-Disposition", out.disp, sizeof out.disp))
        out.disp[0] = '\0';
    if (!harness_header(&r, "Location", out.location, sizeof out.location))
        out.location[0] = '\0';
    harness_reply_free(&r);
    return out;
}

void harness_json_free(struct harness_json *r)
{
    json_decref(r->json);
    free(r->raw);
    memset(r, 0, sizeof *r);
}

const char *harness_str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

const char *harness_code(const struct harness_json *r)
{
    const char *c = json_string_value(json_object_get(r->json, "code"));
    return c ? c : "(none)";
}

int harness_has_error(const struct harness_json *r, const char *field, const char *code)
{
    size_t i;
    json_t *e;

    json_array_foreach(json_object_get(r->json, "errors"), i, e) {
        if (strcmp(harness_str(e, "field"), field) == 0 &&
            strcmp(harness_str(e, "code"), code) == 0)
            return 1;
    }
    return 0;
}

/*
 * harness: API tests talk to a real server. harness_start() makes a temporary
 * folder and a fresh database that `$PRAKERJA_BIN db init` has filled, then starts
 * `$PRAKERJA_BIN serve --db <database> --port 0 --bind 127.0.0.1 [extra...]` as a
 * child with stderr in <folder>/server.log, and waits for its "http.listening" log
 * line to learn the port. harness_stop() sends SIGTERM, waits for the child and
 * removes the folder and the database. The child also dies with the test process
 * (PR_SET_PDEATHSIG), so a failed assertion leaves no server behind.
 *
 * The engine comes from the environment, as in tests/store/tmpdb.h: PRAKERJA_TEST_PG
 * unset means SQLite, <folder>/test.db; set to a PostgreSQL base URL it means a
 * database t_<pid>_<n> on that server, with the PII key in <folder>/test.key.
 * `db init` (migrations, key file, 90k regions) runs once per binary and engine:
 * into a template (a file in <build>/test-templates/, or a database tmpl_<hash>
 * made under an advisory lock), which each test then copies (a file copy, or
 * CREATE DATABASE ... TEMPLATE).
 *
 * harness_request() is a blocking libcurl request; the reply's headers and body
 * are malloc'd and released by harness_reply_free().
 */
#ifndef PK_TEST_HARNESS_H
#define PK_TEST_HARNESS_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct harness {
    pid_t pid;
    int port;
    int exit_status;              /* set by harness_stop: the child's wait status */
    char dir[256];
    char db[320];                 /* the server's database: a file path or a URL */
    char key[340];                /* its PII key file */
    char pgname[64];              /* the test database on PostgreSQL, else "" */
    char log[320];
};

struct harness_reply {
    long status;
    char *headers;                /* raw header block, NUL-terminated */
    char *body;                   /* NUL-terminated; body_len excludes the NUL */
    size_t body_len;
};

/* 0 when the server is listening; -1 (message on stderr) otherwise. */
int harness_start(struct harness *h, const char *const *extra_args);
/* Stops the server (SIGTERM, then SIGKILL after 10 s); 0 when it exited with 0. */
int harness_stop(struct harness *h);

/* method "GET", "POST", ...; content_type and body may be NULL; headers is a NULL-ended
 * list of "Name: value" lines or NULL. Returns 0 or -1 on a transport error. */
int harness_request(struct harness *h, const char *method, const char *path,
                    const char *content_type, const char *body, size_t body_len,
                    const char *const *headers, struct harness_reply *out);
/* Value of the first header called name (case-insensitive) copied into out;
 * NULL when absent. */
const char *harness_header(const struct harness_reply *r, const char *name, char *out,
                           size_t outlen);
void harness_reply_free(struct harness_reply *r);

/* Reads the server's database directly (either engine; $1.. parameters as text), as
 * a mail gateway or an operator would: the first column of the first row as an
 * integer (-1 when there is no row) or as text ("" when none). 0, or -1 with a
 * message on stderr. */
int harness_sql_int(struct harness *h, const char *sql, const char *const *params, int n,
                    int64_t *out);
int harness_sql_text(struct harness *h, const char *sql, const char *const *params, int n,
                     char *out, size_t outlen);

#endif

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
 * are malloc'd and released by harness_reply_free(). harness_call() is the same
 * for tests of the JSON API: a bearer token and a language in, the body parsed as
 * JSON out, with small readers of problem replies.
 */
#ifndef PK_TEST_HARNESS_H
#define PK_TEST_HARNESS_H
#include <jansson.h>
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
/* harness_sql_int with $1 = param (NULL: no parameter), asserting (Criterion) that
 * the query ran; the value, or -1 when there is no row. */
int64_t harness_sql_value(struct harness *h, const char *sql, const char *param);

/* A reply of the JSON API, read whole; released by harness_json_free. */
struct harness_json {
    long status;
    json_t *json;                 /* the body parsed; NULL when it is not JSON */
    char *raw;                    /* the body, NUL-terminated; len excludes the NUL */
    size_t len;
    char ctype[128], disp[128], location[128];  /* those headers; "" when absent */
};

/* method path with "Authorization: Bearer token" and "Accept-Language: lang" when
 * they are not NULL, and body (NULL: none) as ctype (NULL: application/json).
 * Asserts (Criterion) that the request went through. */
struct harness_json harness_call(struct harness *h, const char *method, const char *path,
                                 const char *token, const char *lang, const char *ctype,
                                 const char *body);
void harness_json_free(struct harness_json *r);
/* The string member key of o; "" when there is none. */
const char *harness_str(json_t *o, const char *key);
/* The problem code of a reply; "(none)" when there is none. */
const char *harness_code(const struct harness_json *r);
/* 1 when the reply's "errors" list has an entry for field with code, else 0. */
int harness_has_error(const struct harness_json *r, const char *field, const char *code);

#endif

/*
 * common: what every command needs: the database and key file locations (option,
 * then environment, then default), opening the database with a schema check, and
 * small parsing helpers. Errors are printed here so commands just return.
 *
 * The PII key file defaults to the SQLite database path + ".key"; a PostgreSQL
 * database has no folder of its own to put it beside, so there the key must be
 * named (--key or PRAKERJA_KEY). A database address is printed only through
 * db_addr_redact, since a postgres:// URL may carry a password.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *cli_db_path(const char *opt)
{
    const char *env;
    if (opt && *opt)
        return opt;
    env = getenv("PRAKERJA_DB");
    if (env && *env)
        return env;
    return CLI_DEFAULT_DB;
}

static int is_pg(const char *addr)
{
    return strncmp(addr, "postgres://", 11) == 0 || strncmp(addr, "postgresql://", 13) == 0;
}

int cli_key_path(const char *db_path, const char *opt, char *out, size_t outlen)
{
    const char *env = getenv("PRAKERJA_KEY");
    int n;

    if (!(opt && *opt) && !(env && *env) && is_pg(db_path)) {
        fprintf(stderr, "prakerja: a PostgreSQL database needs the PII key file named: "
                        "give it with --key FILE or PRAKERJA_KEY\n");
        return -1;
    }
    if (opt && *opt)
        n = snprintf(out, outlen, "%s", opt);
    else if (env && *env)
        n = snprintf(out, outlen, "%s", env);
    else
        n = snprintf(out, outlen, "%s.key", db_path);
    if (n < 0 || (size_t)n >= outlen) {
        fprintf(stderr, "prakerja: the PII key file path is too long\n");
        return -1;
    }
    return 0;
}

int cli_open(const char *path, int need_current, db **out)
{
    char err[512], shown[1024];
    int v = 0, latest;
    db *d = NULL;

    *out = NULL;
    db_addr_redact(path, shown, sizeof shown);
    if (db_open(path, &d, err, sizeof err) != DB_OK) {
        fprintf(stderr, "prakerja: cannot open database %s: %s\n", shown, err);
        return -1;
    }
    if (need_current) {
        latest = db_latest_version();
        if (db_schema_version(d, &v) != DB_OK || v < latest) {
            fprintf(stderr,
                    "prakerja: the database %s is at schema version %d, this binary needs %d:\n"
                    "run `prakerja db migrate --db %s` (or `prakerja db init`) first\n",
                    shown, v, latest, shown);
            db_close(d);
            return -1;
        }
        if (v > latest) {
            fprintf(stderr, "prakerja: the database %s has schema version %d, newer than this "
                            "binary knows (%d); use a newer prakerja\n", shown, v, latest);
            db_close(d);
            return -1;
        }
    }
    *out = d;
    return 0;
}

int cli_usage_error(const char *cmd, const char *msg, const char *arg)
{
    if (arg)
        fprintf(stderr, "prakerja %s: %s: %s\n", cmd, msg, arg);
    else
        fprintf(stderr, "prakerja %s: %s\n", cmd, msg);
    fprintf(stderr, "Try `prakerja %s --help`.\n", cmd);
    return CLI_EXIT_USAGE;
}

int cli_parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v;
    if (!s || !*s)
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int64_t cli_now(void)
{
    return (int64_t)time(NULL);
}

int cli_parse(const char *cmd, int argc, char **argv, const struct cli_opt *opts, char **pos,
              int maxpos, int *npos, int *help)
{
    *npos = 0;
    *help = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const struct cli_opt *o;
        size_t nl;
        const char *eq;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            *help = 1;
            return 0;
        }
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++) {
                if (*npos >= maxpos)
                    return cli_usage_error(cmd, "unexpected argument", argv[i]);
                pos[(*npos)++] = argv[i];
            }
            break;
        }
        if (a[0] != '-' || a[1] == '\0') {
            if (*npos >= maxpos)
                return cli_usage_error(cmd, "unexpected argument", a);
            pos[(*npos)++] = argv[i];
            continue;
        }
        if (a[1] != '-')
            return cli_usage_error(cmd, "unknown option", a);
        eq = strchr(a, '=');
        nl = eq ? (size_t)(eq - a) : strlen(a);
        for (o = opts; o->name; o++)
            if (strlen(o->name) == nl - 2 && strncmp(a + 2, o->name, nl - 2) == 0)
                break;
        if (!o->name)
            return cli_usage_error(cmd, "unknown option", a);
        if (o->val) {
            if (eq) {
                *o->val = eq + 1;
            } else {
                if (i + 1 >= argc)
                    return cli_usage_error(cmd, "option needs a value", a);
                *o->val = argv[++i];
            }
        } else {
            if (eq)
                return cli_usage_error(cmd, "option takes no value", a);
            if (o->flag)
                *o->flag = 1;
        }
    }
    return 0;
}

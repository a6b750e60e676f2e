/*
 * common: what every command needs: the database and key file locations (option,
 * then environment, then default), opening the database with a schema check, and
 * small parsing helpers. Errors are printed here so commands just return.
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

int cli_key_path(const char *db_path, const char *opt, char *out, size_t outlen)
{
    int n;
    if (opt && *opt)
        n = snprintf(out, outlen, "%s", opt);
    else
        n = snprintf(out, outlen, "%s.key", db_path);
    return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

int cli_open(const char *path, int need_current, db **out)
{
    char err[512];
    int v = 0, latest;
    db *d = NULL;

    *out = NULL;
    if (db_open(path, &d, err, sizeof err) != DB_OK) {
        fprintf(stderr, "prakerja: cannot open database %s: %s\n", path, err);
        return -1;
    }
    if (need_current) {
        latest = db_latest_version();
        if (db_schema_version(d, &v) != DB_OK || v < latest) {
            fprintf(stderr,
                    "prakerja: the database %s is at schema version %d, this binary needs %d:\n"
                    "run `prakerja db migrate --db %s` (or `prakerja db init`) first\n",
                    path, v, latest, path);
            db_close(d);
            return -1;
        }
        if (v > latest) {
            fprintf(stderr, "prakerja: the database %s has schema version %d, newer than this "
                            "binary knows (%d); use a newer prakerja\n", path, v, latest);
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

/*
 * db: `prakerja db init` and `prakerja db migrate`.
 *
 * init makes everything a fresh checkout needs: the database folder, the schema
 * (every migration), the PII key file beside the database (mode 0600, only when
 * absent: an existing key is never replaced, since it decrypts every NIK), and
 * the region reference data from idn-area-data's CSV files with a progress bar.
 * On PostgreSQL the key file is wherever --key or PRAKERJA_KEY says (common.c).
 * Each step checks first and says what it did, so a second run changes nothing
 * and says so. Regions are imported when the table is empty (or --reimport).
 */
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "config.h"
#include "store/regions.h"
#include "util/progress.h"

struct prog_ctx {
    struct progress p;
    char what[64];
    int on;
};

static void on_progress(void *vctx, const char *what, long done, long total)
{
    struct prog_ctx *c = vctx;
    if (!c->on || strncmp(c->what, what, sizeof c->what - 1) != 0) {
        if (c->on)
            progress_finish(&c->p);
        snprintf(c->what, sizeof c->what, "%s", what);
        progress_start(&c->p, c->what, total);
        c->on = 1;
    }
    progress_update(&c->p, done);
    if (total > 0 && done >= total) {
        progress_finish(&c->p);
        c->on = 0;
        c->what[0] = '\0';
    }
}

/* mkdir -p of the folder holding path (nothing for a bare file name or a URL). */
static int make_parent(const char *path)
{
    char dir[4096];
    char *slash;
    if (strncmp(path, "postgres", 8) == 0 || snprintf(dir, sizeof dir, "%s", path) >=
                                                 (int)sizeof dir)
        return 0;
    slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

static int migrate(db *d, int *changed)
{
    int applied = 0, v = 0;
    if (db_migrate(d, 0, &applied) != DB_OK) {
        fprintf(stderr, "prakerja db: migration failed: %s\n", db_errmsg(d));
        return -1;
    }
    db_schema_version(d, &v);
    if (applied > 0) {
        printf("schema: applied %d migration%s, now at version %d\n", applied,
               applied == 1 ? "" : "s", v);
        *changed = 1;
    } else {
        printf("schema: already at version %d, nothing to do\n", v);
    }
    return 0;
}

static void init_usage(FILE *f)
{
    fprintf(f,
            "Usage: prakerja db init [--db PATH] [--key FILE] [--regions DIR] [--reimport]\n\n"
            "Creates the database (and its folder), applies every migration, creates the PII\n"
            "key file with mode 0600 when it does not exist, and imports the regions from\n"
            "idn-area-data's CSV files. Running it again changes nothing.\n\n"
            "  --db PATH      database: a file or a postgres:// URL (default $PRAKERJA_DB\n"
            "                 or %s)\n"
            "  --key FILE     PII key file (default $PRAKERJA_KEY, else the database path\n"
            "                 + .key; PostgreSQL needs one of the two)\n"
            "  --regions DIR  folder of provinces.csv ... villages.csv (default\n"
            "                 $PRAKERJA_REGIONS_DIR or node_modules/idn-area-data/data in the\n"
            "                 source tree)\n"
            "  --reimport     import the regions even when they are already there\n",
            CLI_DEFAULT_DB);
}

static void migrate_usage(FILE *f)
{
    fprintf(f, "Usage: prakerja db migrate [--db PATH]\n\n"
               "Applies the migrations this binary knows that the database lacks.\n\n"
               "  --db PATH   database: a file or a postgres:// URL (default $PRAKERJA_DB\n"
               "              or %s)\n",
               CLI_DEFAULT_DB);
}

static int db_usage(FILE *f)
{
    fprintf(f, "Usage: prakerja db init|migrate [OPTIONS]\n\n"
               "  init      create the database, key file and regions (idempotent)\n"
               "  migrate   bring the schema up to date\n\n"
               "See `prakerja db init --help`.\n");
    return 0;
}

static int cmd_migrate(int argc, char **argv)
{
    const char *db_opt = NULL;
    const struct cli_opt opts[] = {{"db", &db_opt, NULL}, {NULL, NULL, NULL}};
    char *pos[1], shown[1024];
    int npos, help, rc, changed = 0;
    const char *path;
    db *d = NULL;

    if ((rc = cli_parse("db migrate", argc, argv, opts, pos, 0, &npos, &help)) != 0)
        return rc;
    if (help) {
        migrate_usage(stdout);
        return 0;
    }
    path = cli_db_path(db_opt);
    if (make_parent(path) < 0) {
        fprintf(stderr, "prakerja db migrate: cannot create the folder of %s: %s\n",
                db_addr_redact(path, shown, sizeof shown), strerror(errno));
        return 1;
    }
    if (cli_open(path, 0, &d) < 0)
        return 1;
    rc = migrate(d, &changed) < 0 ? 1 : 0;
    db_close(d);
    return rc;
}

static int cmd_init(int argc, char **argv)
{
    const char *db_opt = NULL, *key_opt = NULL, *regions_opt = NULL, *dir;
    int reimport = 0;
    const struct cli_opt opts[] = {
        {"db", &db_opt, NULL},
        {"key", &key_opt, NULL},
        {"regions", &regions_opt, NULL},
        {"reimport", NULL, &reimport},
        {NULL, NULL, NULL},
    };
    char *pos[1], keyp[4096], regdir[4096], err[512], shown[1024];
    int npos, help, rc, changed = 0;
    const char *path;
    struct pii_keys keys;
    struct prog_ctx pc = {0};
    long counts[4] = {0};
    int64_t nreg = 0;
    db *d = NULL;

    if ((rc = cli_parse("db init", argc, argv, opts, pos, 0, &npos, &help)) != 0)
        return rc;
    if (help) {
        init_usage(stdout);
        return 0;
    }
    rc = 1;
    path = cli_db_path(db_opt);
    if (cli_key_path(path, key_opt, keyp, sizeof keyp) < 0)
        return CLI_EXIT_USAGE;
    db_addr_redact(path, shown, sizeof shown);
    if (regions_opt)
        dir = regions_opt;
    else if (getenv("PRAKERJA_REGIONS_DIR") && *getenv("PRAKERJA_REGIONS_DIR"))
        dir = getenv("PRAKERJA_REGIONS_DIR");
    else {
        snprintf(regdir, sizeof regdir, "%s/node_modules/idn-area-data/data",
                 PRAKERJA_SOURCE_ROOT);
        dir = regdir;
    }

    if (make_parent(path) < 0 || make_parent(keyp) < 0) {
        fprintf(stderr, "prakerja db init: cannot create the folder of %s: %s\n", shown,
                strerror(errno));
        return 1;
    }
    if (cli_open(path, 0, &d) < 0)
        return 1;
    printf("database: %s\n", shown);
    if (migrate(d, &changed) < 0)
        goto out;

    if (access(keyp, F_OK) == 0) {
        printf("key file: %s exists, kept\n", keyp);
    } else {
        if (pii_key_create(keyp) < 0) {
            fprintf(stderr, "prakerja db init: cannot create key file %s: %s\n", keyp,
                    strerror(errno));
            goto out;
        }
        printf("key file: created %s (mode 0600); back it up: without it NIK and KK "
               "cannot be read\n", keyp);
        changed = 1;
    }
    if (pii_key_load(keyp, &keys, err, sizeof err) < 0) {
        fprintf(stderr, "prakerja db init: key file %s: %s\n", keyp, err);
        goto out;
    }
    sodium_memzero(&keys, sizeof keys);

    if (db_one_int(d, "SELECT COUNT(*) FROM regions", NULL, 0, &nreg) != DB_OK) {
        fprintf(stderr, "prakerja db init: cannot read regions: %s\n", db_errmsg(d));
        goto out;
    }
    if (nreg > 0 && !reimport) {
        printf("regions: %lld already imported, kept (--reimport to import again)\n",
               (long long)nreg);
    } else {
        if (regions_import(d, dir, on_progress, &pc, counts, err, sizeof err) != 0) {
            if (pc.on)
                progress_finish(&pc.p);
            fprintf(stderr, "prakerja db init: importing regions from %s failed: %s\n", dir,
                    err);
            goto out;
        }
        if (pc.on)
            progress_finish(&pc.p);
        printf("regions: imported %ld provinces, %ld regencies, %ld districts, %ld villages "
               "from %s\n", counts[0], counts[1], counts[2], counts[3], dir);
        changed = 1;
    }
    printf(changed ? "done\n" : "nothing changed: the database was already initialised\n");
    rc = 0;
out:
    db_close(d);
    return rc;
}

int cli_db(int argc, char **argv)
{
    if (argc < 2) {
        db_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0)
        return db_usage(stdout);
    if (strcmp(argv[1], "init") == 0)
        return cmd_init(argc - 1, argv + 1);
    if (strcmp(argv[1], "migrate") == 0)
        return cmd_migrate(argc - 1, argv + 1);
    return cli_usage_error("db", "unknown subcommand", argv[1]);
}

/*
 * exclusion: `prakerja exclusion import CODE FILE.csv [--name NAME] [--aid]` and
 * `prakerja exclusion list`, the NIK exclusion lists that eligibility checks
 * (store/exclusions.h). An import reads a CSV file with a header row holding a
 * `nik` column, reports each line whose NIK is not 16 digits on stderr as
 * `line N: why` and skips it, and makes list CODE hold exactly the other NIKs
 * (stored as blind indexes), replacing the list in one transaction when the code
 * exists. A progress bar follows the reading and the writing of big files.
 * `--aid` marks a list of other-aid recipients: schemes with exclude_aid bar them;
 * a list without it bars its NIKs from every scheme.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/exclusions.h"
#include "util/progress.h"
#include "util/utc.h"

struct prog_ctx {
    struct progress p;
    char what[64];
    char finished[64];                  /* the phase whose bar has ended */
    int on;
};

#define EXCLUSION_BAR_MIN 10000       /* lines: smaller files get no bar */

static void on_progress(void *vctx, const char *phase, long done, long total)
{
    struct prog_ctx *c = vctx;
    char what[64];

    if (total < EXCLUSION_BAR_MIN)
        return;
    snprintf(what, sizeof what, "exclusion %s", phase);
    if (strcmp(c->finished, what) == 0)
        return;                         /* a last report of a phase already drawn */
    if (!c->on || strcmp(c->what, what) != 0) {
        if (c->on)
            progress_finish(&c->p);
        snprintf(c->what, sizeof c->what, "%s", what);
        progress_start(&c->p, c->what, total);
        c->on = 1;
    }
    if (total > 0 && done >= total) {
        c->p.done = done;
        progress_finish(&c->p);
        c->on = 0;
        snprintf(c->finished, sizeof c->finished, "%s", c->what);
        c->what[0] = '\0';
        return;
    }
    progress_update(&c->p, done);
}

static void on_reject(void *vctx, long line, const char *why)
{
    struct prog_ctx *c = vctx;

    if (c->on && c->p.tty)
        fputs("\r\033[K", stderr);     /* clear the bar's line; it redraws */
    fprintf(stderr, "line %ld: %s\n", line, why);
}

static void usage_import(FILE *f)
{
    fprintf(f, "Usage: prakerja exclusion import CODE FILE.csv [--name NAME] [--aid]\n"
               "                                  [--db PATH] [--key FILE]\n\n"
               "Makes the exclusion list CODE hold the NIKs of FILE.csv, a CSV file whose\n"
               "header row has a column nik (other columns are ignored). A NIK that is not\n"
               "16 digits is reported on stderr as `line N: why` and skipped; a NIK given\n"
               "twice is kept once. NIKs are stored as blind indexes only. Importing a CODE\n"
               "that exists replaces its entries, name and aid flag in one transaction: if\n"
               "anything fails, the old list stays as it was.\n\n"
               "  CODE         2..40 characters a-z, 0-9, - and _ (e.g. dtks-2022)\n"
               "  --name NAME  a name for people (default the code)\n"
               "  --aid        a list of other-aid recipients (DTKS, BSU, BPUM): only schemes\n"
               "               with exclude_aid bar them; without --aid the list bars its\n"
               "               NIKs from every scheme\n"
               "  --db PATH    database (default $PRAKERJA_DB or %s)\n"
               "  --key FILE   PII key file (default the database path + .key)\n\n"
               "Exit status: 0 every line taken, 1 some lines rejected (the rest is stored)\n"
               "or a database error, 2 usage or file error (nothing changed).\n",
               CLI_DEFAULT_DB);
}

static void usage_list(FILE *f)
{
    fprintf(f, "Usage: prakerja exclusion list [--db PATH]\n\n"
               "Prints every exclusion list: code, aid or other, entries, when it was\n"
               "imported (UTC) and its name, one per line, tab-separated.\n\n"
               "  --db PATH    database (default $PRAKERJA_DB or %s)\n",
               CLI_DEFAULT_DB);
}

static int cmd_import(int argc, char **argv)
{
    const char *db_opt = NULL, *key_opt = NULL, *name = NULL, *dbp;
    int aid = 0;
    const struct cli_opt opts[] = {
        {"db", &db_opt, NULL},   {"key", &key_opt, NULL}, {"name", &name, NULL},
        {"aid", NULL, &aid},     {NULL, NULL, NULL},
    };
    struct exclusions_import_opts o;
    struct exclusions_import_stats st;
    struct prog_ctx pc;
    struct pii_keys keys;
    char *pos[2], keyp[4096], err[512];
    int npos, help, rc;
    db *d = NULL;

    if ((rc = cli_parse("exclusion import", argc, argv, opts, pos, 2, &npos, &help)) != 0)
        return rc;
    if (help) {
        usage_import(stdout);
        return 0;
    }
    if (npos < 2)
        return cli_usage_error("exclusion import", "give CODE and FILE.csv", NULL);
    if (!exclusions_code_valid(pos[0]))
        return cli_usage_error("exclusion import",
                               "CODE must be 2..40 characters a-z, 0-9, - and _, starting "
                               "with a letter or digit", pos[0]);
    if (name && !exclusions_name_valid(name))
        return cli_usage_error("exclusion import",
                               "--name must be 1..120 bytes of text without control characters",
                               NULL);
    dbp = cli_db_path(db_opt);
    if (cli_key_path(dbp, key_opt, keyp, sizeof keyp) < 0)
        return CLI_EXIT_USAGE;
    {
        FILE *f = fopen(pos[1], "rb");
        if (!f) {
            fprintf(stderr, "prakerja exclusion import: cannot open %s\n", pos[1]);
            return CLI_EXIT_USAGE;
        }
        fclose(f);
    }
    memset(&keys, 0, sizeof keys);
    memset(&pc, 0, sizeof pc);
    rc = 1;
    if (cli_open(dbp, 1, &d) < 0)
        goto out;
    if (pii_key_load(keyp, &keys, err, sizeof err) < 0) {
        fprintf(stderr, "prakerja exclusion import: key file %s: %s\n", keyp, err);
        goto out;
    }
    o = (struct exclusions_import_opts){.code = pos[0], .name = name, .aid = aid,
                                        .now = cli_now(), .reject = on_reject,
                                        .progress = on_progress, .ctx = &pc};
    rc = exclusions_import(d, &keys, pos[1], &o, &st, err, sizeof err);
    if (pc.on)
        progress_finish(&pc.p);
    if (rc != DB_OK && st.file_error) {
        fprintf(stderr, "prakerja exclusion import: %s: %s\n", pos[1], err);
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    if (rc != DB_OK) {
        fprintf(stderr, "prakerja exclusion import: %s\n", err);
        rc = 1;
        goto out;
    }
    printf("exclusion list %s %s: taken %ld, rejected %ld, duplicates %ld\n", pos[0],
           st.replaced ? "replaced" : "created", st.taken, st.rejected, st.duplicates);
    rc = st.rejected ? 1 : 0;
out:
    sodium_memzero(&keys, sizeof keys);
    db_close(d);
    return rc;
}

static int cmd_list(int argc, char **argv)
{
    const char *db_opt = NULL;
    const struct cli_opt opts[] = {{"db", &db_opt, NULL}, {NULL, NULL, NULL}};
    struct exclusion_list *v = NULL;
    char *pos[1];
    int npos, help, rc, n = 0;
    db *d = NULL;

    if ((rc = cli_parse("exclusion list", argc, argv, opts, pos, 0, &npos, &help)) != 0)
        return rc;
    if (help) {
        usage_list(stdout);
        return 0;
    }
    if (cli_open(cli_db_path(db_opt), 1, &d) < 0)
        return 1;
    rc = exclusions_list(d, &v, &n);
    if (rc != DB_OK) {
        fprintf(stderr, "prakerja exclusion list: %s\n", db_errmsg(d));
        db_close(d);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        char when[32];
        utc_format(v[i].imported_at, when, sizeof when);
        printf("%s\t%s\t%lld\t%s\t%s\n", v[i].code, v[i].aid ? "aid" : "other",
               (long long)v[i].entries, when, v[i].name);
    }
    if (n == 0)
        fprintf(stderr, "no exclusion lists\n");
    free(v);
    db_close(d);
    return 0;
}

int cli_exclusion(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "import") == 0)
        return cmd_import(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("Usage: prakerja exclusion import CODE FILE.csv [--name NAME] [--aid]\n"
               "       prakerja exclusion list\n\n"
               "NIK exclusion lists: see `prakerja exclusion import --help`.\n");
        return 0;
    }
    return cli_usage_error("exclusion", argc >= 2 ? "unknown subcommand" : "missing subcommand",
                           argc >= 2 ? argv[1] : NULL);
}

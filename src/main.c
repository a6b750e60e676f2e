/*
 * main: the prakerja binary. argv[1] names a command; the rest of argv goes to
 * that command in src/cli/, which parses its own options. Exit status: 0 done,
 * 1 failed, 2 usage error.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/draw.h"
#include "config.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
    {"serve", cli_serve, "run the HTTP API and web app"},
    {"db", cli_db, "create or migrate the database (db init | db migrate)"},
    {"admin", cli_admin, "manage staff accounts (admin create)"},
    {"outbox", cli_outbox, "print pending email/SMS messages"},
    {"import", cli_import, "bulk import (import accounts FILE.csv)"},
    {"demo", cli_demo, "fill the database with synthetic demo participants"},
    {"scheme", cli_scheme, "schemes of the program (scheme list | show CODE | create)"},
    {"exclusion", cli_exclusion, "NIK exclusion lists (exclusion import CODE FILE.csv | list)"},
    {"wave", cli_wave, "waves (wave create | list | show | open | close | draw | audit)"},
    {"revoke-expired", cli_revoke_expired, "revoke beneficiaries past the first-purchase deadline"},
    {"partner", cli_partner, "partners and API keys (partner create | list | key | revoke-key | suspend)"},
    {"course", cli_course, "course curation (course list | approve ID | reject ID --reason R)"},
    {"ledger", cli_ledger, "the money ledger (ledger check | balance ACCOUNT | accounts)"},
    {"draw", cli_draw, "verify or simulate a selection draw (draw verify FILE --seed HEX)"},
    {"version", cmd_version, "print the version"},
    {"help", cmd_help, "this help"},
    {NULL, NULL, NULL},
};

static void usage(FILE *f)
{
    fprintf(f, "Usage: prakerja COMMAND [OPTIONS]\n\n"
               "The Kartu Prakerja program platform.\n\nCommands:\n");
    for (const struct command *c = commands; c->name; c++)
        fprintf(f, "  %-14s %s\n", c->name, c->summary);
    fprintf(f, "\nEvery command takes --help. The database defaults to %s (or $PRAKERJA_DB).\n",
            CLI_DEFAULT_DB);
}

static int cmd_version(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("Usage: prakerja version\n\nPrints the version.\n");
        return 0;
    }
    if (argc > 1)
        return cli_usage_error("version", "unexpected argument", argv[1]);
    printf("prakerja %s\n", PRAKERJA_VERSION);
    return 0;
}

static int cmd_help(int argc, char **argv)
{
    usage(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cmd_help(argc - 1, argv + 1);
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(1, argv + 1);
    if (sodium_init() < 0) {
        fprintf(stderr, "prakerja: libsodium failed to start\n");
        return 1;
    }
    for (const struct command *c = commands; c->name; c++)
        if (strcmp(argv[1], c->name) == 0)
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "prakerja: unknown command: %s\n", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}

/*
 * revoke: `prakerja revoke-expired`, the daily revocation of beneficiaries who
 * bought no training before their first-purchase deadline
 * (beneficiaries_revoke_expired: status revoked, the balance back to the
 * program, the person barred, the seat left for a later refill wave). The
 * server runs the same every day (serve.c); this command is for operators and
 * cron. Prints how many were revoked and the rupiah returned.
 */
#include <string.h>

#include "cli/cli.h"
#include "store/beneficiaries.h"

/* 1234567 -> "1.234.567" (rupiah are grouped with dots in Indonesia). */
static void rupiah(int64_t v, char out[32])
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v)), o = 0;
    if (v < 0)
        out[o++] = '-';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = '.';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

int cli_revoke_expired(int argc, char **argv)
{
    const char *db_opt = NULL;
    const struct cli_opt opts[] = {{"db", &db_opt, NULL}, {NULL, NULL, NULL}};
    char *pos[1], amount[32];
    int npos, help, rc;
    int64_t count = 0, returned = 0, pending = 0;
    db *d = NULL;

    if ((rc = cli_parse("revoke-expired", argc, argv, opts, pos, 0, &npos, &help)) != 0)
        return rc;
    if (help) {
        printf("Usage: prakerja revoke-expired [--db PATH]\n\n"
               "Revokes every active beneficiary whose first-purchase deadline has passed\n"
               "without a purchase: the training balance returns to the program, the person\n"
               "cannot join again, and the seat waits for a wave created with --refill.\n"
               "Prints how many were revoked and the rupiah returned. The server does the\n"
               "same once a day.\n\n"
               "  --db PATH   database (default $PRAKERJA_DB or %s)\n", CLI_DEFAULT_DB);
        return 0;
    }
    if (cli_open(cli_db_path(db_opt), 1, &d) < 0)
        return 1;
    rc = beneficiaries_revoke_expired(d, cli_now(), "cli", &count, &returned);
    if (rc == DB_OK)
        rc = beneficiaries_refill_pending(d, &pending);
    if (rc != DB_OK) {
        fprintf(stderr, "prakerja revoke-expired: %s\n", db_errmsg(d));
        db_close(d);
        return 1;
    }
    rupiah(returned, amount);
    printf("revoked %lld beneficiaries, Rp%s returned to the program; %lld revoked seats "
           "wait for a refill wave\n", (long long)count, amount, (long long)pending);
    db_close(d);
    return 0;
}

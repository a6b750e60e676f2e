/*
 * ledger: `prakerja ledger check | balance ACCOUNT | accounts`, the auditor's view
 * of the program's double-entry ledger (store/ledger.h, docs/ledger.md).
 *
 * `check` runs ledger_check (every entry sums to zero, every stored balance equals
 * its lines, no balance below zero but the funding source's, every card's
 * beneficiary balance equals its ledger account) and prints
 * "ledger: N entries, M accounts, all balanced" (exit 0), or the first difference
 * (exit 1). `balance` prints one account's balance; `accounts` lists the accounts
 * in creation order with their balances, the card accounts folded into one line
 * (count and sum) unless --cards, and the sum of every balance, which is zero
 * when the books balance. Rupiah are written the Indonesian way (Rp3.500.000).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/ledger.h"
#include "store/ledger.h"

/* -1234567 -> "-Rp1.234.567". */
static void rupiah(int64_t v, char out[40])
{
    char digits[24];
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int n = snprintf(digits, sizeof digits, "%" PRIu64, mag), o = 0;

    if (v < 0)
        out[o++] = '-';
    out[o++] = 'R';
    out[o++] = 'p';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = '.';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

static void usage(FILE *f)
{
    fprintf(f, "Usage: prakerja ledger check [--db PATH]\n"
               "       prakerja ledger balance ACCOUNT [--db PATH]\n"
               "       prakerja ledger accounts [--cards] [--db PATH]\n\n"
               "The program's money as a double-entry journal (docs/ledger.md).\n\n"
               "  check      proves the books: every entry sums to zero, every stored balance\n"
               "             equals the sum of its lines, no balance below zero but\n"
               "             state:funding's, every beneficiary's balance equals its card\n"
               "             account; exit 0, or exit 1 with the first difference\n"
               "  balance    one account's balance (0 for an account never used); ACCOUNT is\n"
               "             state:funding, program:budget, card:<16 digits>,\n"
               "             platform:<public id>, incentive:payable, incentive:paid or\n"
               "             state:returned\n"
               "  accounts   every account and its balance in creation order; card accounts\n"
               "             folded into one line unless --cards\n\n"
               "  --db PATH  database (default $PRAKERJA_DB or %s)\n", CLI_DEFAULT_DB);
}

static int fail_db(const char *cmd, db *d)
{
    fprintf(stderr, "prakerja ledger %s: %s\n", cmd, db_errmsg(d));
    db_close(d);
    return 1;
}

static int cmd_check(db *d)
{
    char why[512];
    int ok = 0;
    int64_t entries = 0, accounts = 0;
    int rc = ledger_check(d, &ok, why, sizeof why);

    if (rc != DB_OK)
        return fail_db("check", d);
    if (!ok) {
        printf("ledger: NOT balanced: %s\n", why);
        db_close(d);
        return 1;
    }
    if (ledger_stats(d, &entries, NULL, &accounts) != DB_OK)
        return fail_db("check", d);
    printf("ledger: %" PRId64 " entries, %" PRId64 " accounts, all balanced\n", entries,
           accounts);
    db_close(d);
    return 0;
}

static int cmd_balance(db *d, const char *code)
{
    int64_t balance = 0;
    char amount[40];

    if (ledger_balance(d, code, &balance) != DB_OK)
        return fail_db("balance", d);
    rupiah(balance, amount);
    printf("%s %s\n", code, amount);
    db_close(d);
    return 0;
}

struct list_ctx {
    int64_t sum;
};

static int print_account(const struct ledger_account *a, void *vctx)
{
    struct list_ctx *c = vctx;
    char amount[40];

    rupiah(a->balance, amount);
    printf("%-40s %-18s %20s\n", a->code, a->kind, amount);
    c->sum += a->balance;
    return 0;
}

static int cmd_accounts(db *d, int cards)
{
    struct list_ctx c = {0};
    int64_t ncards = 0, cards_total = 0;
    char amount[40], label[48];

    printf("%-40s %-18s %20s\n", "ACCOUNT", "KIND", "BALANCE");
    if (ledger_each_account(d, cards, print_account, &c) != DB_OK)
        return fail_db("accounts", d);
    if (!cards) {
        if (ledger_card_totals(d, &ncards, &cards_total) != DB_OK)
            return fail_db("accounts", d);
        if (ncards > 0) {
            rupiah(cards_total, amount);
            snprintf(label, sizeof label, "card:* (%" PRId64 " accounts)", ncards);
            printf("%-40s %-18s %20s\n", label, "card", amount);
            c.sum += cards_total;
        }
    }
    rupiah(c.sum, amount);
    printf("%-40s %-18s %20s\n", "total (0 when balanced)", "", amount);
    db_close(d);
    return 0;
}

int cli_ledger(int argc, char **argv)
{
    const char *db_opt = NULL;
    int cards = 0;
    const struct cli_opt opts[] = {{"db", &db_opt, NULL}, {"cards", NULL, &cards},
                                   {NULL, NULL, NULL}};
    char *pos[2];
    int npos, help, rc;
    db *d = NULL;

    if ((rc = cli_parse("ledger", argc, argv, opts, pos, 2, &npos, &help)) != 0)
        return rc;
    if (help) {
        usage(stdout);
        return 0;
    }
    if (npos == 0)
        return cli_usage_error("ledger", "give a subcommand: check, balance or accounts", NULL);
    if (strcmp(pos[0], "check") == 0 || strcmp(pos[0], "accounts") == 0) {
        if (npos != 1)
            return cli_usage_error("ledger", "unexpected argument", pos[1]);
        if (cards && strcmp(pos[0], "accounts") != 0)
            return cli_usage_error("ledger", "--cards goes with accounts", NULL);
    } else if (strcmp(pos[0], "balance") == 0) {
        if (npos != 2)
            return cli_usage_error("ledger", "give the account code", NULL);
        if (!ledger_code_valid(pos[1]))
            return cli_usage_error("ledger", "not an account code (state:funding, "
                                   "program:budget, card:<16 digits>, platform:<id>, ...)", pos[1]);
        if (cards)
            return cli_usage_error("ledger", "--cards goes with accounts", NULL);
    } else {
        return cli_usage_error("ledger", "unknown subcommand", pos[0]);
    }
    if (cli_open(cli_db_path(db_opt), 1, &d) < 0)
        return 1;
    if (strcmp(pos[0], "check") == 0)
        return cmd_check(d);
    if (strcmp(pos[0], "balance") == 0)
        return cmd_balance(d, pos[1]);
    return cmd_accounts(d, cards);
}

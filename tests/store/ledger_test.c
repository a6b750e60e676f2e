/*
 * Tests of the ledger in the store (src/store/ledger.c) on the engine under test
 * (tmpdb.h):
 *   - a post moves balances, creates accounts on first use and writes one entry
 *     with its lines; a never-used account reads 0;
 *   - a post that would take an account below zero is refused with nothing
 *     written, alone or inside a larger transaction that goes on and commits;
 *     malformed entries are refused the same way;
 *   - 8 threads posting against one account (ledger_post on the budget, and
 *     ledger_card_debit on one card) never overdraw it: exactly as many succeed
 *     as the balance pays for;
 *   - card movements keep beneficiaries.balance equal to the card account;
 *   - ledger_check passes on clean books and names the first difference when
 *     rows are corrupted by SQL: an unbalanced entry, a stored balance that
 *     differs from its lines, a negative account, a beneficiary whose balance
 *     differs from its card account;
 *   - a draw credits every new card (one fund entry, one credit per card) and a
 *     revocation returns the balances to the state, each leaving the ledger
 *     checking clean with every card account equal to its beneficiary balance.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "../support.h"
#include "tmpdb.h"
#include "core/ledger.h"
#include "store/beneficiaries.h"
#include "store/db.h"
#include "store/drawkey.h"
#include "store/ledger.h"
#include "store/waves.h"

TestSuite(ledger, .init = tmpdb_setup, .fini = tmpdb_teardown, .timeout = 170);

/* 1 Dec 2026 00:00 UTC and a day. */
#define T0 1796083200LL
#define DAY 86400LL
#define PLATFORM "platform:01hx3k9q7r2m5n8p4t6v0w1y2z"

static const unsigned char SEED[32] = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6,
                                       7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2};

static db *open_migrated(void)
{
    db *d = tmpdb_open("l.db");
    cr_assert_eq(db_migrate(d, 0, NULL), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(db_exec(d, "INSERT INTO regions (code, level, parent_code, name, digits) VALUES "
                            "('35', 1, NULL, 'JAWA TIMUR', 35),"
                            "('35.09', 2, '35', 'KABUPATEN JEMBER', 3509),"
                            "('35.10', 2, '35', 'KABUPATEN BANYUWANGI', 3510)"),
                 DB_OK, "%s", db_errmsg(d));
    return d;
}

static int64_t sql_int(db *d, const char *sql)
{
    int64_t v = -1;
    int rc = db_one_int(d, sql, NULL, 0, &v);
    cr_assert(rc == DB_OK || rc == DB_ENOTFOUND, "%s: %s", sql, db_errmsg(d));
    return v;
}

static int64_t balance(db *d, const char *code)
{
    int64_t b = -1;
    cr_assert_eq(ledger_balance(d, code, &b), DB_OK, "%s", db_errmsg(d));
    return b;
}

static void transfer(db *d, const char *kind, const char *from, const char *to, int64_t amount,
                     int want)
{
    struct ledger_entry e;
    cr_assert_eq(ledger_transfer(&e, kind, from, to, amount), LEDGER_OK);
    int rc = ledger_post(d, &e, "test", T0, NULL);
    cr_assert_eq(rc, want, "%s %s -> %s %lld: %d %s", kind, from, to, (long long)amount, rc,
                 db_errmsg(d));
}

static void assert_clean(db *d)
{
    char why[512];
    int ok = -1;
    cr_assert_eq(ledger_check(d, &ok, why, sizeof why), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(ok, 1, "the ledger does not check: %s", why);
    cr_assert_str_eq(why, "");
}

/* ledger_check fails and its message holds want. */
static void assert_caught(db *d, const char *want)
{
    char why[512];
    int ok = -1;
    cr_assert_eq(ledger_check(d, &ok, why, sizeof why), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(ok, 0, "the check missed: %s", want);
    cr_assert(strstr(why, want), "\"%s\" does not say \"%s\"", why, want);
}

/* A wave (proportional, no quotas) for beneficiaries made by hand. */
static int64_t make_wave(db *d, int number)
{
    struct wave_new in;
    struct wave w;
    memset(&in, 0, sizeof in);
    in.number = number;
    in.scheme = "normal-2023";
    in.opens_at = T0;
    in.closes_at = T0 + DAY;
    in.total_quota = 100;
    in.quota_mode = "proportional";
    in.spill_rule = "regency_province_nation";
    drawkey_commitment(SEED, sizeof SEED, in.seed_commitment);
    in.actor = "test";
    cr_assert_eq(waves_create(d, &in, T0 - DAY, &w), DB_OK, "%s", db_errmsg(d));
    return w.id;
}

struct bene_ctx {
    int64_t wave_id;
    const char *card;
    int64_t amount;
    int i;
};

static int bene_txn(db *d, void *vctx)
{
    struct bene_ctx *c = vctx;
    char pid[32];
    int64_t acc = 0, app = 0, n = 0;
    int rc;

    snprintf(pid, sizeof pid, "acc%d", c->i);
    db_val a[] = {DB_TEXT(pid), DB_INT(T0)};
    rc = db_one_int(d, "INSERT INTO accounts (public_id, full_name, regency_code, created_at) "
                       "VALUES ($1, 'X', '35.09', $2) RETURNING id", a, 2, &acc);
    if (rc != DB_OK)
        return rc;
    snprintf(pid, sizeof pid, "app%d", c->i);
    db_val p[] = {DB_TEXT(pid), DB_INT(c->wave_id), DB_INT(acc), DB_INT(T0)};
    rc = db_one_int(d, "INSERT INTO applications (public_id, wave_id, account_id, regency_code, "
                       "status, is_open, created_at) VALUES ($1, $2, $3, '35.09', 'selected', 0, "
                       "$4) RETURNING id", p, 4, &app);
    if (rc != DB_OK)
        return rc;
    db_val b[] = {DB_TEXT(c->card), DB_INT(acc), DB_INT(app), DB_INT(c->wave_id),
                  DB_INT(c->amount), DB_INT(T0 + 15 * DAY), DB_INT(T0)};
    rc = db_run(d, "INSERT INTO beneficiaries (card_number, account_id, application_id, wave_id, "
                   "scheme_id, regency_code, balance, purchase_deadline, status, created_at) "
                   "VALUES ($1, $2, $3, $4, (SELECT id FROM schemes WHERE code = 'normal-2023'), "
                   "'35.09', $5, $6, 'active', $7)", b, 7, NULL);
    if (rc == DB_OK)
        rc = ledger_stage_begin(d);
    if (rc == DB_OK) {
        db_val s[] = {DB_TEXT(c->card), DB_INT(c->amount)};
        rc = db_run(d, "INSERT INTO ledger_stage (card_number, amount) VALUES ($1, $2)", s, 2,
                    NULL);
    }
    if (rc == DB_OK)
        rc = ledger_stage_credit(d, "test", T0, &n, NULL);
    if (rc == DB_OK && n != 1)
        rc = DB_ERR;
    return rc;
}

/* A beneficiary holding card with amount, credited through the ledger. */
static void make_beneficiary(db *d, int64_t wave_id, int i, const char *card, int64_t amount)
{
    struct bene_ctx c = {wave_id, card, amount, i};
    cr_assert_eq(db_txn(d, bene_txn, &c), DB_OK, "%s", db_errmsg(d));
}

Test(ledger, a_post_moves_balances_and_creates_accounts)
{
    db *d = open_migrated();
    struct ledger_entry e;
    int64_t id1 = 0, id2 = 0;

    cr_assert_eq(balance(d, LEDGER_BUDGET), 0, "an account never used reads 0");
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_accounts"), 0, "reading creates nothing");
    cr_assert_eq(ledger_transfer(&e, "fund", LEDGER_FUNDING, LEDGER_BUDGET, 10000000), LEDGER_OK);
    cr_assert_eq(ledger_post(d, &e, "wave:1", T0, &id1), DB_OK, "%s", db_errmsg(d));
    cr_assert_gt(id1, 0);
    cr_assert_eq(balance(d, LEDGER_FUNDING), -10000000, "the funding source goes below zero");
    cr_assert_eq(balance(d, LEDGER_BUDGET), 10000000);
    cr_assert_eq(ledger_transfer(&e, "incentive", LEDGER_BUDGET, LEDGER_INCENTIVE_PAYABLE, 600000),
                 LEDGER_OK);
    cr_assert_eq(ledger_post(d, &e, "incentive:x", T0 + 1, &id2), DB_OK, "%s", db_errmsg(d));
    cr_assert_gt(id2, id1);
    cr_assert_eq(balance(d, LEDGER_BUDGET), 9400000);
    cr_assert_eq(balance(d, LEDGER_INCENTIVE_PAYABLE), 600000);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_accounts"), 3);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_entries"), 2);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_lines"), 4);
    char kind[32] = "";
    cr_assert_eq(db_one_text(d, "SELECT kind FROM ledger_accounts WHERE code = 'program:budget'",
                             NULL, 0, kind, sizeof kind), DB_OK);
    cr_assert_str_eq(kind, "budget");
    cr_assert_eq(db_one_text(d, "SELECT ref FROM ledger_entries ORDER BY id LIMIT 1", NULL, 0,
                             kind, sizeof kind), DB_OK);
    cr_assert_str_eq(kind, "wave:1");
    /* a three-line entry */
    memset(&e, 0, sizeof e);
    e.kind = "incentive";
    strcpy(e.line[0].account, LEDGER_INCENTIVE_PAYABLE);
    e.line[0].amount = -600000;
    strcpy(e.line[1].account, LEDGER_INCENTIVE_PAID);
    e.line[1].amount = 500000;
    strcpy(e.line[2].account, LEDGER_BUDGET);
    e.line[2].amount = 100000;
    e.nlines = 3;
    cr_assert_eq(ledger_post(d, &e, "incentive:x", T0 + 2, NULL), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(balance(d, LEDGER_INCENTIVE_PAYABLE), 0);
    cr_assert_eq(balance(d, LEDGER_INCENTIVE_PAID), 500000);
    cr_assert_eq(balance(d, LEDGER_BUDGET), 9500000);
    int64_t entries = 0, lines = 0, accounts = 0;
    cr_assert_eq(ledger_stats(d, &entries, &lines, &accounts), DB_OK);
    cr_assert_eq(entries, 3);
    cr_assert_eq(lines, 7);
    cr_assert_eq(accounts, 4);
    assert_clean(d);
    int64_t bad = 0;
    cr_assert_eq(ledger_balance(d, "nowhere", &bad), LEDGER_ECODE);
    db_close(d);
}

struct outer_ctx {
    int inner;                           /* what the refused post returned */
};

static int outer_txn(db *d, void *vctx)
{
    struct outer_ctx *c = vctx;
    struct ledger_entry e;
    int rc;

    /* 1: goes through; 2: refused (the budget holds 1,000,000); 3: goes through */
    ledger_transfer(&e, "fund", LEDGER_FUNDING, LEDGER_BUDGET, 1000000);
    if ((rc = ledger_post(d, &e, "a", T0, NULL)) != DB_OK)
        return rc;
    ledger_transfer(&e, "purchase", LEDGER_BUDGET, "platform:new", 2000000);
    c->inner = ledger_post(d, &e, "b", T0, NULL);
    ledger_transfer(&e, "purchase", LEDGER_BUDGET, PLATFORM, 1000);
    return ledger_post(d, &e, "c", T0, NULL);
}

Test(ledger, below_zero_is_refused_with_nothing_written)
{
    db *d = open_migrated();
    struct ledger_entry e;

    transfer(d, "fund", LEDGER_FUNDING, LEDGER_BUDGET, 1000000, DB_OK);
    int64_t entries = sql_int(d, "SELECT COUNT(*) FROM ledger_entries");
    int64_t lines = sql_int(d, "SELECT COUNT(*) FROM ledger_lines");
    transfer(d, "purchase", LEDGER_BUDGET, PLATFORM, 1000001, LEDGER_ENEGATIVE);
    cr_assert(strstr(db_errmsg(d), "program:budget"), "the message names the account: %s",
              db_errmsg(d));
    cr_assert_eq(balance(d, LEDGER_BUDGET), 1000000);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_accounts WHERE code = '" PLATFORM "'"), 0,
                 "no account was created for the refused post");
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_entries"), entries);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_lines"), lines);
    /* an account never funded cannot pay */
    transfer(d, "purchase", "card:9360123456789012", PLATFORM, 1, LEDGER_ENEGATIVE);
    transfer(d, "refund", LEDGER_RETURNED, LEDGER_BUDGET, 1, LEDGER_ENEGATIVE);
    /* exactly all of it is fine */
    transfer(d, "purchase", LEDGER_BUDGET, PLATFORM, 1000000, DB_OK);
    cr_assert_eq(balance(d, LEDGER_BUDGET), 0);
    cr_assert_eq(balance(d, PLATFORM), 1000000);

    /* malformed entries: refused before anything is read or written */
    memset(&e, 0, sizeof e);
    e.kind = "purchase";
    strcpy(e.line[0].account, PLATFORM);
    e.line[0].amount = -5;
    strcpy(e.line[1].account, LEDGER_BUDGET);
    e.line[1].amount = 4;
    e.nlines = 2;
    cr_assert_eq(ledger_post(d, &e, "x", T0, NULL), LEDGER_EUNBALANCED);
    e.line[1].amount = 5;
    e.nlines = 1;
    cr_assert_eq(ledger_post(d, &e, "x", T0, NULL), LEDGER_EEMPTY);
    e.nlines = 2;
    strcpy(e.line[1].account, "budget");
    cr_assert_eq(ledger_post(d, &e, "x", T0, NULL), LEDGER_ECODE);
    strcpy(e.line[1].account, PLATFORM);
    cr_assert_eq(ledger_post(d, &e, "x", T0, NULL), LEDGER_EDUP);
    strcpy(e.line[1].account, LEDGER_BUDGET);
    e.line[0].amount = -((int64_t)1 << 62) - 1;
    e.line[1].amount = ((int64_t)1 << 62) + 1;
    cr_assert_eq(ledger_post(d, &e, "x", T0, NULL), LEDGER_EOVERFLOW);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_entries"), entries + 1);

    /* inside a larger transaction: the refused post leaves nothing, the rest commits */
    struct outer_ctx c = {0};
    cr_assert_eq(db_txn(d, outer_txn, &c), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(c.inner, LEDGER_ENEGATIVE);
    cr_assert_eq(balance(d, LEDGER_BUDGET), 999000);
    cr_assert_eq(balance(d, PLATFORM), 1001000);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_accounts WHERE code = 'platform:new'"), 0);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_entries WHERE ref = 'b'"), 0);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_entries WHERE ref IN ('a', 'c')"), 2);
    assert_clean(d);
    db_close(d);
}

/* ---- concurrency ---- */

struct worker {
    char addr[640];
    int card;                            /* 0: budget -> platform posts, 1: card debits */
    int index, attempts;
    int ok, refused, failed;
    char err[256];
};

#define CARD1 "9360123456789012"

static void *work(void *arg)
{
    struct worker *w = arg;
    char err[256] = "", platform[LEDGER_CODE_MAX + 1], id[16];
    db *d = NULL;

    if (db_open(w->addr, &d, err, sizeof err) != DB_OK) {
        snprintf(w->err, sizeof w->err, "%s", err);
        w->failed = w->attempts;
        return NULL;
    }
    snprintf(id, sizeof id, "p%d", w->index);
    ledger_platform_account(id, platform);
    for (int i = 0; i < w->attempts; i++) {
        int rc, tries = 0;
        do {
            if (w->card) {
                rc = ledger_card_debit(d, CARD1, platform, 50000, "purchase", "purchase:t", T0,
                                       NULL);
            } else {
                struct ledger_entry e;
                ledger_transfer(&e, "purchase", LEDGER_BUDGET, platform, 1000);
                rc = ledger_post(d, &e, "purchase:t", T0, NULL);
            }
        } while (rc == DB_EBUSY && ++tries < 1000);
        if (rc == DB_OK) {
            w->ok++;
        } else if (rc == LEDGER_ENEGATIVE) {
            w->refused++;
        } else {
            w->failed++;
            snprintf(w->err, sizeof w->err, "%d %s", rc, db_errmsg(d));
        }
    }
    db_close(d);
    return NULL;
}

/* 8 threads, attempts each; returns the successes. */
static int hammer(const char *addr, int card, int attempts)
{
    enum { THREADS = 8 };
    pthread_t t[THREADS];
    struct worker w[THREADS];
    int ok = 0;

    for (int i = 0; i < THREADS; i++) {
        memset(&w[i], 0, sizeof w[i]);
        snprintf(w[i].addr, sizeof w[i].addr, "%s", addr);
        w[i].card = card;
        w[i].index = i;
        w[i].attempts = attempts;
        cr_assert_eq(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        cr_assert_eq(w[i].failed, 0, "thread %d: %s", i, w[i].err);
        cr_assert_eq(w[i].ok + w[i].refused, attempts);
        ok += w[i].ok;
    }
    return ok;
}

Test(ledger, eight_threads_on_one_account_never_overdraw_it)
{
    db *d = open_migrated();
    char addr[640];

    snprintf(addr, sizeof addr, "%s", tmpdb_addr("l.db"));
    transfer(d, "fund", LEDGER_FUNDING, LEDGER_BUDGET, 100 * 1000, DB_OK);
    /* 200 posts of 1,000 against a budget of 100,000 */
    cr_assert_eq(hammer(addr, 0, 25), 100, "exactly what the budget pays for");
    cr_assert_eq(balance(d, LEDGER_BUDGET), 0);
    cr_assert_eq(sql_int(d, "SELECT COALESCE(SUM(balance), 0) FROM ledger_accounts WHERE "
                            "kind = 'platform'"), 100 * 1000);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'purchase'"), 100);
    assert_clean(d);
    db_close(d);
}

Test(ledger, eight_threads_on_one_card_never_overdraw_it)
{
    db *d = open_migrated();
    char addr[640];

    snprintf(addr, sizeof addr, "%s", tmpdb_addr("l.db"));
    make_beneficiary(d, make_wave(d, 1), 1, CARD1, 30 * 50000);
    /* 80 debits of 50,000 against a card holding 1,500,000 */
    cr_assert_eq(hammer(addr, 1, 10), 30, "exactly what the card pays for");
    cr_assert_eq(balance(d, "card:" CARD1), 0);
    cr_assert_eq(sql_int(d, "SELECT balance FROM beneficiaries WHERE card_number = '" CARD1 "'"),
                 0);
    assert_clean(d);
    db_close(d);
}

/* ---- cards ---- */

Test(ledger, card_movements_keep_the_beneficiary_balance_equal)
{
    db *d = open_migrated();
    int64_t wave = make_wave(d, 1), entry = 0;

    make_beneficiary(d, wave, 1, CARD1, 3500000);
    cr_assert_eq(balance(d, "card:" CARD1), 3500000);
    cr_assert_eq(balance(d, LEDGER_FUNDING), -3500000);
    cr_assert_eq(balance(d, LEDGER_BUDGET), 0);
    assert_clean(d);
    cr_assert_eq(ledger_card_debit(d, CARD1, PLATFORM, 1200000, "purchase", "purchase:a", T0 + 1,
                                   &entry), DB_OK, "%s", db_errmsg(d));
    cr_assert_gt(entry, 0);
    cr_assert_eq(balance(d, "card:" CARD1), 2300000);
    cr_assert_eq(sql_int(d, "SELECT balance FROM beneficiaries WHERE card_number = '" CARD1 "'"),
                 2300000);
    cr_assert_eq(balance(d, PLATFORM), 1200000);
    /* more than the card holds: refused, nothing written */
    int64_t entries = sql_int(d, "SELECT COUNT(*) FROM ledger_entries");
    cr_assert_eq(ledger_card_debit(d, CARD1, PLATFORM, 2300001, "purchase", "purchase:b", T0 + 2,
                                   &entry), LEDGER_ENEGATIVE);
    cr_assert_eq(entry, 0);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_entries"), entries);
    cr_assert_eq(sql_int(d, "SELECT balance FROM beneficiaries WHERE card_number = '" CARD1 "'"),
                 2300000);
    /* the refund comes back from the platform */
    cr_assert_eq(ledger_card_credit(d, CARD1, PLATFORM, 1200000, "refund", "purchase:a", T0 + 3,
                                    NULL), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(balance(d, "card:" CARD1), 3500000);
    cr_assert_eq(balance(d, PLATFORM), 0);
    cr_assert_eq(sql_int(d, "SELECT balance FROM beneficiaries WHERE card_number = '" CARD1 "'"),
                 3500000);
    /* a refund the platform cannot pay */
    cr_assert_eq(ledger_card_credit(d, CARD1, PLATFORM, 1, "refund", "purchase:a", T0 + 4, NULL),
                 LEDGER_ENEGATIVE);
    /* unknown and malformed cards, bad kinds and amounts */
    cr_assert_eq(ledger_card_debit(d, "9360000000000018", PLATFORM, 1, "purchase", "x", T0, NULL),
                 DB_ENOTFOUND);
    cr_assert_eq(ledger_card_debit(d, "12", PLATFORM, 1, "purchase", "x", T0, NULL), DB_ENOTFOUND);
    cr_assert_eq(ledger_card_debit(d, CARD1, PLATFORM, 0, "purchase", "x", T0, NULL),
                 LEDGER_EEMPTY);
    cr_assert_eq(ledger_card_debit(d, CARD1, "platform:", 1, "purchase", "x", T0, NULL),
                 LEDGER_ECODE);
    cr_assert_eq(ledger_card_debit(d, CARD1, PLATFORM, 1, "Purchase!", "x", T0, NULL),
                 LEDGER_ECODE);
    assert_clean(d);
    db_close(d);
}

/* ---- the check ---- */

static void exec_ok(db *d, const char *sql)
{
    cr_assert_eq(db_exec(d, sql), DB_OK, "%s: %s", sql, db_errmsg(d));
}

Test(ledger, check_names_the_first_difference)
{
    db *d = open_migrated();
    int64_t wave = make_wave(d, 1), purchase = 0;
    char sql[512], want[256];

    make_beneficiary(d, wave, 1, CARD1, 3500000);
    make_beneficiary(d, wave, 2, "9360000000000018", 3500000);
    cr_assert_eq(ledger_card_debit(d, CARD1, PLATFORM, 1000000, "purchase", "purchase:p1", T0,
                                   &purchase), DB_OK, "%s", db_errmsg(d));
    assert_clean(d);

    /* an entry whose lines do not sum to zero */
    snprintf(sql, sizeof sql, "UPDATE ledger_lines SET amount = amount + 7 WHERE entry_id = %lld "
             "AND amount > 0", (long long)purchase);
    exec_ok(d, sql);
    snprintf(want, sizeof want, "entry %lld (purchase purchase:p1) sums to 7, not 0",
             (long long)purchase);
    assert_caught(d, want);
    snprintf(sql, sizeof sql, "UPDATE ledger_lines SET amount = amount - 7 WHERE entry_id = %lld "
             "AND amount > 0", (long long)purchase);
    exec_ok(d, sql);
    assert_clean(d);

    /* an entry without lines */
    exec_ok(d, "INSERT INTO ledger_entries (kind, ref, at) VALUES ('fund', 'empty', 0)");
    assert_caught(d, "(fund empty) has 0 line(s), not at least 2");
    exec_ok(d, "DELETE FROM ledger_entries WHERE ref = 'empty'");
    assert_clean(d);

    /* a stored balance that is not the sum of its lines */
    exec_ok(d, "UPDATE ledger_accounts SET balance = balance + 5 WHERE code = '" PLATFORM "'");
    assert_caught(d, "account " PLATFORM ": stored balance 1000005 differs from the sum of its "
                     "lines 1000000");
    exec_ok(d, "UPDATE ledger_accounts SET balance = balance - 5 WHERE code = '" PLATFORM "'");
    assert_clean(d);

    /* a negative account whose lines agree (an entry written around ledger_post) */
    int64_t eid = 0;
    cr_assert_eq(db_one_int(d, "INSERT INTO ledger_entries (kind, ref, at) VALUES ('purchase', "
                               "'forged', 0) RETURNING id", NULL, 0, &eid), DB_OK);
    snprintf(sql, sizeof sql,
             "INSERT INTO ledger_lines (entry_id, account_id, amount) SELECT %lld, id, "
             "CASE WHEN code = '" PLATFORM "' THEN -1000010 ELSE 1000010 END FROM "
             "ledger_accounts WHERE code IN ('" PLATFORM "', 'state:returned')",
             (long long)eid);
    exec_ok(d, "INSERT INTO ledger_accounts (code, kind, balance, created_at) VALUES "
               "('state:returned', 'returned', 0, 0)");
    exec_ok(d, sql);
    exec_ok(d, "UPDATE ledger_accounts SET balance = balance - 1000010 WHERE code = '" PLATFORM
               "'");
    exec_ok(d, "UPDATE ledger_accounts SET balance = balance + 1000010 WHERE code = "
               "'state:returned'");
    assert_caught(d, "account " PLATFORM ": balance -10 is below zero");
    snprintf(sql, sizeof sql, "DELETE FROM ledger_lines WHERE entry_id = %lld", (long long)eid);
    exec_ok(d, sql);
    exec_ok(d, "DELETE FROM ledger_entries WHERE ref = 'forged'");
    exec_ok(d, "UPDATE ledger_accounts SET balance = 0 WHERE code = 'state:returned'");
    exec_ok(d, "UPDATE ledger_accounts SET balance = 1000000 WHERE code = '" PLATFORM "'");
    assert_clean(d);

    /* a beneficiary whose balance is not its card account's */
    exec_ok(d, "UPDATE beneficiaries SET balance = balance - 1 WHERE card_number = "
               "'9360000000000018'");
    assert_caught(d, "(card 9360000000000018): balance 3499999 differs from its ledger account "
                     "card:9360000000000018 3500000");
    exec_ok(d, "UPDATE beneficiaries SET balance = balance + 1 WHERE card_number = "
               "'9360000000000018'");
    assert_clean(d);

    /* a card the ledger does not know, and a card account no beneficiary holds */
    exec_ok(d, "UPDATE ledger_accounts SET code = 'card:9360000000000026' WHERE code = "
               "'card:9360000000000018'");
    assert_caught(d, "(card 9360000000000018): balance 3500000 but the ledger has no account "
                     "card:9360000000000018");
    exec_ok(d, "UPDATE beneficiaries SET balance = 0 WHERE card_number = '9360000000000018'");
    assert_caught(d, "account card:9360000000000026: balance 3500000 but no beneficiary holds "
                     "the card");
    exec_ok(d, "UPDATE ledger_accounts SET code = 'card:9360000000000018' WHERE code = "
               "'card:9360000000000026'");
    exec_ok(d, "UPDATE beneficiaries SET balance = 3500000 WHERE card_number = "
               "'9360000000000018'");
    assert_clean(d);
    db_close(d);
}

/* ---- the draw and revocation ---- */

/* n accounts and their eligible applications to wave_id, numbered from first. */
static void applicants(db *d, int64_t wave_id, int first, int n)
{
    static const char *const cols[] = {"public_id", "full_name", "regency_code", "created_at"};
    db_copy *cp = NULL;

    cr_assert_eq(db_copy_begin(d, "accounts", cols, 4, &cp), DB_OK, "%s", db_errmsg(d));
    for (int i = first; i < first + n; i++) {
        char pid[16];
        snprintf(pid, sizeof pid, "b%07d", i);
        db_val v[] = {DB_TEXT(pid), DB_TEXT("X"), DB_TEXT(i % 3 ? "35.09" : "35.10"), DB_INT(i)};
        cr_assert_eq(db_copy_row(cp, v), DB_OK);
    }
    cr_assert_eq(db_copy_end(cp, 1, NULL), DB_OK, "%s", db_errmsg(d));
    db_val p[] = {DB_INT(wave_id), DB_INT(first), DB_INT(first + n)};
    cr_assert_eq(db_run(d, "INSERT INTO applications (public_id, wave_id, account_id, "
                           "regency_code, tier, status, is_open, created_at) SELECT "
                           "'x' || public_id, $1, id, regency_code, 0, 'eligible', 1, 0 "
                           "FROM accounts WHERE created_at >= $2 AND created_at < $3", p, 3, NULL),
                 DB_OK, "%s", db_errmsg(d));
    db_val w = DB_INT(wave_id);
    cr_assert_eq(db_run(d, "UPDATE waves SET status = 'closed', closed_at = closes_at WHERE "
                           "id = $1", &w, 1, NULL), DB_OK);
}

/* Every card account equals its beneficiary's balance (and the check agrees). */
static void cards_agree(db *d)
{
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM beneficiaries b LEFT JOIN ledger_accounts a "
                            "ON a.code = 'card:' || b.card_number WHERE "
                            "COALESCE(a.balance, -1) <> b.balance"), 0);
    assert_clean(d);
}

Test(ledger, a_draw_credits_cards_and_revocation_returns_them)
{
    db *d = open_migrated();
    struct waves_draw_stats st;
    struct wave w;
    int64_t wave1 = make_wave(d, 1), count = 0, returned = 0;
    const int64_t bal = 3500000;

    applicants(d, wave1, 0, 1000);
    cr_assert_eq(waves_draw(d, NULL, 1, SEED, 32, T0 + DAY, "test", NULL, NULL, &st, &w), DB_OK,
                 "%s", db_errmsg(d));
    cr_assert_eq(st.selected, 100);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM beneficiaries"), 100);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'fund' AND "
                            "ref = 'wave:1'"), 1, "the wave's total funded once");
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'credit'"), 100);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_entries e JOIN beneficiaries b ON "
                            "e.ref = 'beneficiary:' || b.card_number WHERE e.kind = 'credit'"),
                 100, "one credit per card, named by it");
    cr_assert_eq(balance(d, LEDGER_FUNDING), -100 * bal);
    cr_assert_eq(balance(d, LEDGER_BUDGET), 0);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_accounts WHERE kind = 'card'"), 100);
    cards_agree(d);

    /* ten of them buy, the rest let the deadline pass */
    db_rows *r = NULL;
    char cards[10][CARD_LEN + 1];
    int n = 0;
    cr_assert_eq(db_query(d, "SELECT card_number FROM beneficiaries ORDER BY id LIMIT 10", NULL,
                          0, &r), DB_OK);
    while (db_step(r) == DB_ROW)
        snprintf(cards[n++], sizeof cards[0], "%s", db_text(r, 0));
    db_rows_free(r);
    cr_assert_eq(n, 10);
    for (int i = 0; i < n; i++) {
        cr_assert_eq(ledger_card_debit(d, cards[i], PLATFORM, 1000000, "purchase", "purchase:x",
                                       T0 + 2 * DAY, NULL), DB_OK, "%s", db_errmsg(d));
        db_val p = DB_TEXT(cards[i]);
        cr_assert_eq(db_run(d, "UPDATE beneficiaries SET first_purchase_at = 1 WHERE "
                               "card_number = $1", &p, 1, NULL), DB_OK);
    }
    cards_agree(d);

    /* a second wave funds and credits its own cards */
    int64_t wave2 = make_wave(d, 2);
    applicants(d, wave2, 1000, 500);
    cr_assert_eq(waves_draw(d, NULL, 2, SEED, 32, T0 + DAY, "test", NULL, NULL, &st, &w), DB_OK,
                 "%s", db_errmsg(d));
    cr_assert_eq(st.selected, 100);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'fund'"), 2);
    cr_assert_eq(balance(d, LEDGER_FUNDING), -200 * bal);
    cards_agree(d);

    /* revocation: the 190 who bought nothing return their balance */
    cr_assert_eq(beneficiaries_revoke_expired(d, T0 + 17 * DAY, "test", &count, &returned),
                 DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(count, 190);
    cr_assert_eq(returned, 190 * bal);
    cr_assert_eq(balance(d, LEDGER_RETURNED), 190 * bal);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'revocation'"), 190);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_accounts WHERE kind = 'card' AND "
                            "balance = 0"), 190);
    cr_assert_eq(sql_int(d, "SELECT COALESCE(SUM(balance), 0) FROM ledger_accounts WHERE "
                            "kind = 'card'"), 10 * (bal - 1000000));
    cr_assert_eq(sql_int(d, "SELECT SUM(balance) FROM ledger_accounts"), 0,
                 "every rupiah is somewhere");
    cards_agree(d);
    /* again: nothing is due, nothing is written */
    int64_t entries = sql_int(d, "SELECT COUNT(*) FROM ledger_entries");
    cr_assert_eq(beneficiaries_revoke_expired(d, T0 + 18 * DAY, "test", &count, &returned),
                 DB_OK);
    cr_assert_eq(count, 0);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_entries"), entries);
    cards_agree(d);
    db_close(d);
}

/* The stage refuses what it cannot post and leaves nothing behind. */
static int bad_stage_txn(db *d, void *vctx)
{
    int *step = vctx;
    int rc = ledger_stage_begin(d);
    if (rc != DB_OK)
        return rc;
    if (*step == 0)
        rc = db_run(d, "INSERT INTO ledger_stage (card_number, amount) VALUES "
                       "('9360123456789012', 5), ('9360000000000018', 0)", NULL, 0, NULL);
    else if (*step == 1)
        rc = db_run(d, "INSERT INTO ledger_stage (card_number, amount) VALUES ('93601', 5)",
                    NULL, 0, NULL);
    else
        rc = db_run(d, "INSERT INTO ledger_stage (card_number, amount) VALUES "
                       "('9360123456789012', 5)", NULL, 0, NULL);
    if (rc != DB_OK)
        return rc;
    return *step < 2 ? ledger_stage_credit(d, "bad", T0, NULL, NULL)
                     : ledger_stage_return(d, "revocation", T0, NULL, NULL);
}

Test(ledger, the_stage_refuses_bad_rows)
{
    db *d = open_migrated();
    int step = 0;

    cr_assert_eq(db_txn(d, bad_stage_txn, &step), DB_ERR, "a zero amount");
    step = 1;
    cr_assert_eq(db_txn(d, bad_stage_txn, &step), DB_ERR, "a short card number");
    step = 2;
    cr_assert_eq(db_txn(d, bad_stage_txn, &step), LEDGER_ENEGATIVE, "a card with nothing on it");
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_entries"), 0);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_accounts"), 0);
    db_close(d);
}

struct bulk_ctx {
    int n, back;
    int64_t count, total;
};

static int bulk_txn(db *d, void *vctx)
{
    static const char *const cols[] = {"card_number", "amount"};
    struct bulk_ctx *c = vctx;
    db_copy *cp = NULL;
    int rc = ledger_stage_begin(d);

    if (rc == DB_OK)
        rc = db_copy_begin(d, "ledger_stage", cols, 2, &cp);
    for (int i = 0; rc == DB_OK && i < c->n; i++) {
        char card[CARD_LEN + 1];
        snprintf(card, sizeof card, "9360%012d", i);
        db_val v[] = {DB_TEXT(card), DB_INT(c->back ? 3500000 - i % 7 : 3500000)};
        rc = db_copy_row(cp, v);
    }
    if (cp) {
        int erc = db_copy_end(cp, rc == DB_OK, NULL);
        if (rc == DB_OK)
            rc = erc;
    }
    if (rc != DB_OK)
        return rc;
    return c->back ? ledger_stage_return(d, "expiry", T0 + DAY, &c->count, &c->total)
                   : ledger_stage_credit(d, "wave:9", T0, &c->count, &c->total);
}

Test(ledger, fifty_thousand_cards_in_seconds)
{
    enum { N = 50000 };
    db *d = open_migrated();
    struct bulk_ctx c = {N, 0, 0, 0};

    double t0 = test_now();
    cr_assert_eq(db_txn(d, bulk_txn, &c), DB_OK, "%s", db_errmsg(d));
    double t1 = test_now();
    cr_assert_eq(c.count, N);
    cr_assert_eq(c.total, (int64_t)N * 3500000);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_entries"), N + 1);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_lines"), 2 * (N + 1));
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_accounts"), N + 2);
    cr_assert_eq(balance(d, "card:9360000000012345"), 3500000);
    cr_assert_eq(balance(d, LEDGER_BUDGET), 0);
    cr_assert_eq(sql_int(d, "SELECT COUNT(*) FROM ledger_stage"), 0, "the stage is left empty");
    /* the same cards expire, each with a slightly different balance left: the
       rest stays on the cards */
    c = (struct bulk_ctx){N, 1, 0, 0};
    cr_assert_eq(db_txn(d, bulk_txn, &c), DB_OK, "%s", db_errmsg(d));
    double t2 = test_now();
    cr_assert_eq(c.count, N);
    cr_assert_eq(balance(d, LEDGER_RETURNED), c.total);
    cr_assert_eq(balance(d, "card:9360000000000006"), 6);
    cr_assert_eq(sql_int(d, "SELECT SUM(balance) FROM ledger_accounts WHERE kind = 'card'"),
                 (int64_t)N * 3500000 - c.total);
    /* a card account with money and no beneficiary is reported; empty them first */
    exec_ok(d, "UPDATE ledger_accounts SET balance = 0 WHERE kind = 'card'");
    char why[512];
    int ok = -1;
    cr_assert_eq(ledger_check(d, &ok, why, sizeof why), DB_OK);
    cr_assert_eq(ok, 0);
    cr_assert(strstr(why, "stored balance 0 differs from the sum of its lines"), "%s", why);
    double t3 = test_now();
    fprintf(stderr, "%d cards: credits %.2f s, returns %.2f s, check %.2f s\n", N, t1 - t0,
            t2 - t1, t3 - t2);
    cr_assert_lt(t1 - t0, 60.0, "the credits took %.1f s", t1 - t0);
    cr_assert_lt(t2 - t1, 60.0, "the returns took %.1f s", t2 - t1);
    cr_assert_lt(t3 - t2, 60.0, "the check took %.1f s", t3 - t2);
    db_close(d);
}

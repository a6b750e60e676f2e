/*
 * ledger (store): the journal of core/ledger.h in ledger_accounts,
 * ledger_entries and ledger_lines (migration 0006).
 *
 * A single post (ledger_post) checks before it writes: the entry is validated by
 * core, then every line's account is read (an account never used reads as 0) and
 * the post is refused with LEDGER_ENEGATIVE, nothing written, when any account
 * but the funding source would go below zero. Only then are missing accounts
 * created (INSERT ... ON CONFLICT DO NOTHING), the entry and its lines inserted
 * and each balance moved by a conditional UPDATE (balance + amount >= 0). The
 * check and the writes run in one db_txn, and concurrent posts on one account
 * are serialised by the engine: SQLite's single writer (BEGIN IMMEDIATE), and on
 * PostgreSQL SERIALIZABLE, where the second of two transactions updating the
 * same account row fails with 40001 and db_txn runs it again on fresh balances.
 * The conditional UPDATE is the last guard: should it ever find the balance
 * short after the check passed, the lines already applied are undone and the
 * entry deleted, so the post still leaves nothing behind.
 *
 * Bulk movements (the draw's credits, revocation) go through a temporary stage
 * table and a few set-based statements: the card accounts created or moved by
 * one upsert (INSERT ... SELECT ... ON CONFLICT DO UPDATE), the entries by one
 * INSERT ... SELECT with ref "beneficiary:<card>", the card lines by one INSERT
 * joining each staged card to its new entry (the entries above the last id seen
 * before, matched by ref) and its account, the other side's lines by one INSERT
 * from those, and the other account's balance by one UPDATE.
 *
 * ledger_check proves the books with four set-based queries in one read
 * snapshot (a GROUP BY over ledger_lines by entry, one by account joined to the
 * stored balances, the negative balances, the beneficiaries joined to their card
 * accounts) and reports the first difference in words.
 */
#include "store/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/card.h"
#include "store/db_driver.h"

#define AMOUNT_MAX ((int64_t)1 << 62)

/* ---- accounts ---- */

/* The id and balance of account code; *id = 0 and *balance = 0 when it does not
 * exist yet. */
static int account_read(db *d, const char *code, int64_t *id, int64_t *balance)
{
    db_val p = DB_TEXT(code);
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT id, balance FROM ledger_accounts WHERE code = $1", &p, 1, &r);

    *id = 0;
    *balance = 0;
    if (rc == DB_OK) {
        rc = db_step(r);
        if (rc == DB_ROW) {
            *id = db_int(r, 0);
            *balance = db_int(r, 1);
            rc = DB_OK;
        } else if (rc == DB_DONE) {
            rc = DB_OK;
        }
    }
    db_rows_free(r);
    return rc;
}

/* Creates account code (balance 0) unless it exists; *id gets its id. */
static int account_ensure(db *d, const char *code, int64_t at, int64_t *id)
{
    int64_t balance;
    int rc = account_read(d, code, id, &balance);

    if (rc != DB_OK || *id != 0)
        return rc;
    db_val p[] = {DB_TEXT(code), DB_TEXT(ledger_account_kind(code)), DB_INT(at)};
    rc = db_run(d, "INSERT INTO ledger_accounts (code, kind, balance, created_at) "
                   "VALUES ($1, $2, 0, $3) ON CONFLICT (code) DO NOTHING", p, 3, NULL);
    if (rc == DB_OK)
        rc = account_read(d, code, id, &balance);
    if (rc == DB_OK && *id == 0)
        rc = db_fail(d, DB_ERR, "ledger: account %s could not be created", code);
    return rc;
}

int ledger_balance(db *d, const char *code, int64_t *balance)
{
    int64_t id;

    if (!ledger_code_valid(code))
        return LEDGER_ECODE;
    return account_read(d, code, &id, balance);
}

/* ---- a single post ---- */

struct post_ctx {
    const struct ledger_entry *e;
    const char *ref;
    int64_t at;
    int64_t entry_id;
};

/* Takes back the balance moves of lines [0, n), deletes entry id with its lines
 * and the accounts this post created: the post leaves nothing behind. */
static void undo_post(db *d, const struct ledger_entry *e, const int64_t *ids,
                      const int *created, int n, int64_t entry_id)
{
    for (int i = 0; i < n; i++) {
        db_val p[] = {DB_INT(-e->line[i].amount), DB_INT(ids[i])};
        db_run(d, "UPDATE ledger_accounts SET balance = balance + $1 WHERE id = $2", p, 2, NULL);
    }
    db_val q = DB_INT(entry_id);
    db_run(d, "DELETE FROM ledger_lines WHERE entry_id = $1", &q, 1, NULL);
    db_run(d, "DELETE FROM ledger_entries WHERE id = $1", &q, 1, NULL);
    for (int i = 0; i < e->nlines; i++)
        if (created[i]) {
            db_val a = DB_INT(ids[i]);
            db_run(d, "DELETE FROM ledger_accounts WHERE id = $1", &a, 1, NULL);
        }
}

static int post_txn(db *d, void *vctx)
{
    struct post_ctx *c = vctx;
    const struct ledger_entry *e = c->e;
    int64_t ids[LEDGER_MAX_LINES], bal, sum;
    int created[LEDGER_MAX_LINES] = {0};
    int rc = ledger_validate(e);

    if (rc != LEDGER_OK)
        return rc;
    /* Check every line before writing anything. */
    for (int i = 0; i < e->nlines; i++) {
        const struct ledger_line *l = &e->line[i];
        if ((rc = account_read(d, l->account, &ids[i], &bal)) != DB_OK)
            return rc;
        if (__builtin_add_overflow(bal, l->amount, &sum) || sum > AMOUNT_MAX ||
            sum < -AMOUNT_MAX)
            return db_fail(d, LEDGER_EOVERFLOW, "ledger: the balance of %s would overflow",
                           l->account);
        if (sum < 0 && !ledger_may_go_negative(l->account))
            return db_fail(d, LEDGER_ENEGATIVE,
                           "ledger: %s would go below zero (balance %" PRId64
                           ", moving %" PRId64 ")", l->account, bal, l->amount);
    }
    for (int i = 0; i < e->nlines; i++)
        if (ids[i] == 0) {
            if ((rc = account_ensure(d, e->line[i].account, c->at, &ids[i])) != DB_OK)
                return rc;
            created[i] = 1;
        }
    {
        db_val p[] = {DB_TEXT(e->kind), DB_TEXT(c->ref ? c->ref : ""), DB_INT(c->at)};
        rc = db_one_int(d, "INSERT INTO ledger_entries (kind, ref, at) VALUES ($1, $2, $3) "
                           "RETURNING id", p, 3, &c->entry_id);
        if (rc != DB_OK)
            return rc;
    }
    for (int i = 0; i < e->nlines; i++) {
        db_val p[] = {DB_INT(c->entry_id), DB_INT(ids[i]), DB_INT(e->line[i].amount)};
        rc = db_run(d, "INSERT INTO ledger_lines (entry_id, account_id, amount) "
                       "VALUES ($1, $2, $3)", p, 3, NULL);
        if (rc != DB_OK)
            return rc;
    }
    for (int i = 0; i < e->nlines; i++) {
        int64_t changes = 0;
        db_val p[] = {DB_INT(e->line[i].amount), DB_INT(ids[i])};
        if (ledger_may_go_negative(e->line[i].account))
            rc = db_run(d, "UPDATE ledger_accounts SET balance = balance + $1 WHERE id = $2",
                        p, 2, &changes);
        else
            rc = db_run(d, "UPDATE ledger_accounts SET balance = balance + $1 "
                           "WHERE id = $2 AND balance + $1 >= 0", p, 2, &changes);
        if (rc != DB_OK)
            return rc;
        if (changes != 1) {
            undo_post(d, e, ids, created, i, c->entry_id);
            return db_fail(d, LEDGER_ENEGATIVE, "ledger: %s would go below zero",
                           e->line[i].account);
        }
    }
    return DB_OK;
}

int ledger_post(db *d, const struct ledger_entry *e, const char *ref, int64_t at,
                int64_t *entry_id)
{
    struct post_ctx c = {e, ref, at, 0};
    int rc = db_txn(d, post_txn, &c);

    if (entry_id)
        *entry_id = rc == DB_OK ? c.entry_id : 0;
    return rc;
}

/* ---- cards ---- */

struct card_ctx {
    const char *card, *other, *kind, *ref;
    int64_t amount, at;
    int debit;                           /* 1: card -> other, 0: other -> card */
    int64_t entry_id;
};

static int card_txn(db *d, void *vctx)
{
    struct card_ctx *c = vctx;
    char acc[LEDGER_CODE_MAX + 1];
    struct ledger_entry e;
    int64_t balance = 0, changes = 0;
    int rc;

    if (!c->card || strlen(c->card) != CARD_LEN)
        return DB_ENOTFOUND;
    ledger_card_account(c->card, acc);
    rc = c->debit ? ledger_transfer(&e, c->kind, acc, c->other, c->amount)
                  : ledger_transfer(&e, c->kind, c->other, acc, c->amount);
    if (rc != LEDGER_OK)
        return rc;
    {
        db_val p = DB_TEXT(c->card);
        rc = db_one_int(d, "SELECT balance FROM beneficiaries WHERE card_number = $1", &p, 1,
                        &balance);
        if (rc != DB_OK)
            return rc;
    }
    if (c->debit && balance < c->amount)
        return db_fail(d, LEDGER_ENEGATIVE, "ledger: card %s holds %" PRId64 ", less than %"
                       PRId64, c->card, balance, c->amount);
    if ((rc = ledger_post(d, &e, c->ref, c->at, &c->entry_id)) != DB_OK)
        return rc;
    db_val p[] = {DB_INT(c->debit ? -c->amount : c->amount), DB_TEXT(c->card)};
    rc = db_run(d, "UPDATE beneficiaries SET balance = balance + $1 WHERE card_number = $2 "
                   "AND balance + $1 >= 0", p, 2, &changes);
    if (rc == DB_OK && changes != 1)
        rc = db_fail(d, DB_ERR, "ledger: the balance of card %s changed under the post",
                     c->card);
    return rc;
}

static int card_move(db *d, const char *card, const char *other, int64_t amount,
                     const char *kind, const char *ref, int64_t at, int debit,
                     int64_t *entry_id)
{
    struct card_ctx c = {card, other, kind, ref, amount, at, debit, 0};
    int rc = db_txn(d, card_txn, &c);

    if (entry_id)
        *entry_id = rc == DB_OK ? c.entry_id : 0;
    return rc;
}

int ledger_card_debit(db *d, const char *card_number, const char *to, int64_t amount,
                      const char *kind, const char *ref, int64_t at, int64_t *entry_id)
{
    return card_move(d, card_number, to, amount, kind, ref, at, 1, entry_id);
}

int ledger_card_credit(db *d, const char *card_number, const char *from, int64_t amount,
                       const char *kind, const char *ref, int64_t at, int64_t *entry_id)
{
    return card_move(d, card_number, from, amount, kind, ref, at, 0, entry_id);
}

/* ---- bulk movements ---- */

int ledger_stage_begin(db *d)
{
    int rc = db_exec(d, "CREATE TEMP TABLE IF NOT EXISTS ledger_stage (card_number TEXT "
                        "PRIMARY KEY, amount BIGINT NOT NULL)");
    if (rc == DB_OK)
        rc = db_run(d, "DELETE FROM ledger_stage", NULL, 0, NULL);
    return rc;
}

/* How many cards are staged and their total; DB_ERR when an amount is not
 * positive or a card number has the wrong length, LEDGER_EOVERFLOW past 2^62. */
static int stage_totals(db *d, int64_t *count, int64_t *total)
{
    db_val p = DB_INT(CARD_LEN);
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT COUNT(*), COALESCE(SUM(amount), 0), "
                         "COALESCE(SUM(CASE WHEN amount <= 0 OR LENGTH(card_number) <> $1 "
                         "THEN 1 ELSE 0 END), 0) FROM ledger_stage", &p, 1, &r);
    if (rc != DB_OK)
        goto out;
    if ((rc = db_step(r)) != DB_ROW) {
        rc = rc == DB_DONE ? db_fail(d, DB_ERR, "ledger: no stage totals") : rc;
        goto out;
    }
    *count = db_int(r, 0);
    *total = db_int(r, 1);
    rc = DB_OK;
    if (db_int(r, 2) != 0)
        rc = db_fail(d, DB_ERR, "ledger: a staged amount is not positive or a staged card "
                     "number is malformed");
    else if (*total > AMOUNT_MAX)
        rc = db_fail(d, LEDGER_EOVERFLOW, "ledger: the staged total is beyond 2^62");
out:
    db_rows_free(r);
    return rc;
}

/* One entry of kind per staged card between card:X and account other: to the
 * cards (sign 1) or from them (sign -1). */
static int stage_post(db *d, const char *kind, const char *other, int sign, int64_t at,
                      int64_t *count_out, int64_t *total_out)
{
    db_rows *r = NULL;
    int64_t count = 0, total = 0, other_id = 0, other_bal = 0, last = 0, lines = 0;
    int rc;

    if (count_out)
        *count_out = 0;
    if (total_out)
        *total_out = 0;
    if (!ledger_kind_valid(kind) || !ledger_code_valid(other))
        return LEDGER_ECODE;
    if ((rc = stage_totals(d, &count, &total)) != DB_OK || count == 0)
        return rc;
    if ((rc = account_read(d, other, &other_id, &other_bal)) != DB_OK)
        goto out;
    if (sign > 0 && other_bal < total && !ledger_may_go_negative(other)) {
        rc = db_fail(d, LEDGER_ENEGATIVE, "ledger: %s holds %" PRId64 ", less than the %" PRId64
                     " to credit", other, other_bal, total);
        goto out;
    }
    if (sign < 0) {
        rc = db_query(d, "SELECT s.card_number, COALESCE(a.balance, 0), s.amount "
                         "FROM ledger_stage s LEFT JOIN ledger_accounts a ON "
                         "a.code = 'card:' || s.card_number "
                         "WHERE COALESCE(a.balance, 0) < s.amount LIMIT 1", NULL, 0, &r);
        if (rc != DB_OK)
            goto out;
        rc = db_step(r);
        if (rc == DB_ROW) {
            rc = db_fail(d, LEDGER_ENEGATIVE, "ledger: card:%s holds %" PRId64 ", less than "
                         "the %" PRId64 " to move", db_text(r, 0), db_int(r, 1), db_int(r, 2));
            goto out;
        }
        if (rc != DB_DONE)
            goto out;
        db_rows_free(r);
        r = NULL;
        rc = DB_OK;
    }
    if (other_id == 0 && (rc = account_ensure(d, other, at, &other_id)) != DB_OK)
        goto out;
    /* The card accounts: created with their new balance, or moved by it (a
       returned card's account exists and holds at least its amount, checked
       above). */
    {
        db_val p[] = {DB_INT(sign), DB_INT(at)};
        rc = db_run(d, "INSERT INTO ledger_accounts (code, kind, balance, created_at) "
                       "SELECT 'card:' || card_number, 'card', $1 * amount, $2 FROM ledger_stage "
                       "WHERE true ON CONFLICT (code) DO UPDATE SET "
                       "balance = ledger_accounts.balance + excluded.balance", p, 2, NULL);
    }
    /* Entries above `last` are this transaction's: under SQLite's write lock or a
       PostgreSQL snapshot, every entry visible here was written before it. */
    if (rc == DB_OK)
        rc = db_one_int(d, "SELECT COALESCE(MAX(id), 0) FROM ledger_entries", NULL, 0, &last);
    if (rc == DB_OK) {
        db_val p[] = {DB_TEXT(kind), DB_INT(at)};
        rc = db_run(d, "INSERT INTO ledger_entries (kind, ref, at) SELECT $1, 'beneficiary:' || "
                       "card_number, $2 FROM ledger_stage", p, 2, NULL);
    }
    /* the card's line of each new entry, then the other side's from it */
    if (rc == DB_OK) {
        db_val p[] = {DB_INT(sign), DB_TEXT(kind), DB_INT(last)};
        rc = db_run(d, "INSERT INTO ledger_lines (entry_id, account_id, amount) "
                       "SELECT e.id, a.id, $1 * s.amount FROM ledger_stage s "
                       "JOIN ledger_entries e ON e.ref = 'beneficiary:' || s.card_number "
                       "AND e.kind = $2 AND e.id > $3 "
                       "JOIN ledger_accounts a ON a.code = 'card:' || s.card_number", p, 3,
                    &lines);
    }
    if (rc == DB_OK && lines != count)
        rc = db_fail(d, DB_ERR, "ledger: %" PRId64 " card lines for %" PRId64 " staged cards",
                     lines, count);
    if (rc == DB_OK) {
        db_val p[] = {DB_INT(other_id), DB_INT(last)};
        rc = db_run(d, "INSERT INTO ledger_lines (entry_id, account_id, amount) "
                       "SELECT entry_id, $1, -amount FROM ledger_lines WHERE entry_id > $2",
                    p, 2, &lines);
    }
    if (rc == DB_OK && lines != count)
        rc = db_fail(d, DB_ERR, "ledger: %" PRId64 " %s lines for %" PRId64 " staged cards",
                     lines, other, count);
    if (rc == DB_OK) {
        int64_t changes = 0;
        db_val p[] = {DB_INT(-sign * total), DB_INT(other_id)};
        if (ledger_may_go_negative(other))
            rc = db_run(d, "UPDATE ledger_accounts SET balance = balance + $1 WHERE id = $2",
                        p, 2, &changes);
        else
            rc = db_run(d, "UPDATE ledger_accounts SET balance = balance + $1 WHERE id = $2 "
                           "AND balance + $1 >= 0", p, 2, &changes);
        if (rc == DB_OK && changes != 1)
            rc = db_fail(d, DB_ERR, "ledger: %s changed under the bulk post", other);
    }
    if (rc == DB_OK)
        rc = db_run(d, "DELETE FROM ledger_stage", NULL, 0, NULL);
    if (rc == DB_OK) {
        if (count_out)
            *count_out = count;
        if (total_out)
            *total_out = total;
    }
out:
    db_rows_free(r);
    return rc;
}

int ledger_stage_credit(db *d, const char *fund_ref, int64_t at, int64_t *count,
                        int64_t *total)
{
    int64_t n = 0, sum = 0;
    int rc;

    if (count)
        *count = 0;
    if (total)
        *total = 0;
    if ((rc = stage_totals(d, &n, &sum)) != DB_OK)
        return rc;
    if (sum > 0) {
        struct ledger_entry e;
        if ((rc = ledger_transfer(&e, "fund", LEDGER_FUNDING, LEDGER_BUDGET, sum)) != LEDGER_OK)
            return rc;
        if ((rc = ledger_post(d, &e, fund_ref, at, NULL)) != DB_OK)
            return rc;
    }
    return stage_post(d, "credit", LEDGER_BUDGET, 1, at, count, total);
}

int ledger_stage_return(db *d, const char *kind, int64_t at, int64_t *count, int64_t *total)
{
    return stage_post(d, kind, LEDGER_RETURNED, -1, at, count, total);
}

/* ---- reading ---- */

int ledger_stats(db *d, int64_t *entries, int64_t *lines, int64_t *accounts)
{
    int64_t v;
    int rc = DB_OK;

    if (entries && (rc = db_one_int(d, "SELECT COUNT(*) FROM ledger_entries", NULL, 0, &v)) ==
                       DB_OK)
        *entries = v;
    if (rc == DB_OK && lines &&
        (rc = db_one_int(d, "SELECT COUNT(*) FROM ledger_lines", NULL, 0, &v)) == DB_OK)
        *lines = v;
    if (rc == DB_OK && accounts &&
        (rc = db_one_int(d, "SELECT COUNT(*) FROM ledger_accounts", NULL, 0, &v)) == DB_OK)
        *accounts = v;
    return rc;
}

int ledger_each_account(db *d, int with_cards,
                        int (*fn)(const struct ledger_account *a, void *ctx), void *ctx)
{
    db_val p = DB_INT(with_cards ? 1 : 0);
    db_rows *r = NULL;
    struct ledger_account a;
    int rc = db_query(d, "SELECT id, code, kind, balance, created_at FROM ledger_accounts "
                         "WHERE $1 = 1 OR kind <> 'card' ORDER BY id", &p, 1, &r);
    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW) {
        memset(&a, 0, sizeof a);
        a.id = db_int(r, 0);
        snprintf(a.code, sizeof a.code, "%s", db_text(r, 1));
        snprintf(a.kind, sizeof a.kind, "%s", db_text(r, 2));
        a.balance = db_int(r, 3);
        a.created_at = db_int(r, 4);
        if ((rc = fn(&a, ctx)) != 0)
            goto out;
    }
    rc = rc == DB_DONE ? DB_OK : rc;
out:
    db_rows_free(r);
    return rc;
}

int ledger_card_totals(db *d, int64_t *count, int64_t *total)
{
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT COUNT(*), COALESCE(SUM(balance), 0) FROM ledger_accounts "
                         "WHERE kind = 'card'", NULL, 0, &r);
    if (rc == DB_OK) {
        rc = db_step(r);
        if (rc == DB_ROW) {
            *count = db_int(r, 0);
            *total = db_int(r, 1);
            rc = DB_OK;
        } else if (rc == DB_DONE) {
            rc = DB_ERR;
        }
    }
    db_rows_free(r);
    return rc;
}

/* ---- the proof ---- */

struct check_ctx {
    int ok;
    char *why;
    size_t whylen;
};

/* Runs sql; when it returns a row, describes it with describe and sets c->ok = 0.
 * Returns DB_OK (row or not) or a DB_E*. */
static int first_row(db *d, struct check_ctx *c, const char *sql,
                     void (*describe)(db_rows *r, char *why, size_t whylen))
{
    db_rows *r = NULL;
    int rc = db_query(d, sql, NULL, 0, &r);

    if (rc == DB_OK) {
        rc = db_step(r);
        if (rc == DB_ROW) {
            describe(r, c->why, c->whylen);
            c->ok = 0;
            rc = DB_OK;
        } else if (rc == DB_DONE) {
            rc = DB_OK;
        }
    }
    db_rows_free(r);
    return rc;
}

static void why_unbalanced(db_rows *r, char *why, size_t n)
{
    if (db_int(r, 3) < 2)
        snprintf(why, n, "entry %" PRId64 " (%s %s) has %" PRId64 " line(s), not at least 2",
                 db_int(r, 0), db_text(r, 1), db_text(r, 2), db_int(r, 3));
    else
        snprintf(why, n, "entry %" PRId64 " (%s %s) sums to %" PRId64 ", not 0", db_int(r, 0),
                 db_text(r, 1), db_text(r, 2), db_int(r, 4));
}

static void why_stored(db_rows *r, char *why, size_t n)
{
    snprintf(why, n, "account %s: stored balance %" PRId64 " differs from the sum of its "
             "lines %" PRId64, db_text(r, 0), db_int(r, 1), db_int(r, 2));
}

static void why_negative(db_rows *r, char *why, size_t n)
{
    snprintf(why, n, "account %s: balance %" PRId64 " is below zero", db_text(r, 0),
             db_int(r, 1));
}

static void why_card(db_rows *r, char *why, size_t n)
{
    if (db_isnull(r, 2))
        snprintf(why, n, "beneficiary %" PRId64 " (card %s): balance %" PRId64
                 " but the ledger has no account card:%s", db_int(r, 0), db_text(r, 1),
                 db_int(r, 3), db_text(r, 1));
    else
        snprintf(why, n, "beneficiary %" PRId64 " (card %s): balance %" PRId64 " differs from "
                 "its ledger account card:%s %" PRId64, db_int(r, 0), db_text(r, 1),
                 db_int(r, 3), db_text(r, 1), db_int(r, 2));
}

static void why_orphan(db_rows *r, char *why, size_t n)
{
    snprintf(why, n, "account %s: balance %" PRId64 " but no beneficiary holds the card",
             db_text(r, 0), db_int(r, 1));
}

static int check_read(db *d, void *vctx)
{
    struct check_ctx *c = vctx;
    int rc;

    c->ok = 1;
    c->why[0] = '\0';
    /* every entry: at least two lines summing to zero (an entry without lines
       shows up with a count of 0) */
    rc = first_row(d, c,
        "SELECT e.id, e.kind, e.ref, COALESCE(s.n, 0), COALESCE(s.total, 0) "
        "FROM ledger_entries e LEFT JOIN (SELECT entry_id, COUNT(*) AS n, SUM(amount) AS total "
        "FROM ledger_lines GROUP BY entry_id) s ON s.entry_id = e.id "
        "WHERE s.entry_id IS NULL OR s.n < 2 OR s.total <> 0 ORDER BY e.id LIMIT 1",
        why_unbalanced);
    if (rc == DB_OK && c->ok)
        rc = first_row(d, c,
            "SELECT a.code, a.balance, COALESCE(s.total, 0) FROM ledger_accounts a "
            "LEFT JOIN (SELECT account_id, SUM(amount) AS total FROM ledger_lines "
            "GROUP BY account_id) s ON s.account_id = a.id "
            "WHERE a.balance <> COALESCE(s.total, 0) ORDER BY a.id LIMIT 1", why_stored);
    if (rc == DB_OK && c->ok)
        rc = first_row(d, c,
            "SELECT code, balance FROM ledger_accounts WHERE balance < 0 AND "
            "code <> '" LEDGER_FUNDING "' ORDER BY id LIMIT 1", why_negative);
    if (rc == DB_OK && c->ok)
        rc = first_row(d, c,
            "SELECT b.id, b.card_number, a.balance, b.balance FROM beneficiaries b "
            "LEFT JOIN ledger_accounts a ON a.code = 'card:' || b.card_number "
            "WHERE b.balance <> COALESCE(a.balance, 0) "
            "ORDER BY b.id LIMIT 1", why_card);
    if (rc == DB_OK && c->ok)
        rc = first_row(d, c,
            "SELECT a.code, a.balance FROM ledger_accounts a WHERE a.kind = 'card' AND "
            "a.balance <> 0 AND NOT EXISTS (SELECT 1 FROM beneficiaries b WHERE "
            "b.card_number = SUBSTR(a.code, 6)) ORDER BY a.id LIMIT 1", why_orphan);
    return rc;
}

int ledger_check(db *d, int *ok, char *why, size_t whylen)
{
    char local[8];
    struct check_ctx c = {1, why && whylen ? why : local, why && whylen ? whylen : sizeof local};
    int rc = db_read(d, check_read, &c);

    *ok = rc == DB_OK ? c.ok : 0;
    if (rc != DB_OK)
        c.why[0] = '\0';
    return rc;
}

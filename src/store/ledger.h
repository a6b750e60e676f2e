/*
 * ledger (store): the journal of core/ledger.h in the tables ledger_accounts,
 * ledger_entries and ledger_lines (migration 0006). An entry is posted inside
 * the caller's db_txn, in the same transaction as the change it pays for, so
 * money and state never disagree. Accounts are created on first use. Each
 * account row carries its running balance, updated by the post with a
 * conditional UPDATE (balance + amount >= 0 unless ledger_may_go_negative), so
 * concurrent posts can never overdraw an account on either engine.
 *
 * Returns DB_OK or a negative DB_E*; LEDGER_* (core/ledger.h, also negative)
 * for an invalid entry; LEDGER_ENEGATIVE when an account would go below zero
 * (nothing of the entry is then written: the caller's transaction should roll
 * back or go on without it).
 */
#ifndef PK_STORE_LEDGER_H
#define PK_STORE_LEDGER_H
#include <stdint.h>
#include <stdio.h>

#include "core/ledger.h"
#include "store/db.h"

/* Validates and writes e with the reference ref ("purchase:<public id>") at time
 * at; *entry_id (may be NULL) gets the new entry's id. Called outside a db_txn it
 * runs in one of its own. */
int ledger_post(db *d, const struct ledger_entry *e, const char *ref, int64_t at,
                int64_t *entry_id);

/* The balance of account code (0 for an account never used; LEDGER_ECODE for a
 * malformed code). */
int ledger_balance(db *d, const char *code, int64_t *balance);

/* Proves the books: every entry sums to zero; every account's stored balance
 * equals the sum of its lines; no balance below zero but the funding source's;
 * every beneficiary's balance equals its card account's (and no card account
 * holds money without its beneficiary); every entry has at least two lines. Runs
 * in one read snapshot, set-based (GROUP BY over ledger_lines). Writes the first
 * difference found to *why (a static-sized message, "" when none) and returns
 * DB_OK with *ok = 1 when all hold, *ok = 0 otherwise. */
int ledger_check(db *d, int *ok, char *why, size_t whylen);

/*
 * Cards. beneficiaries.balance always equals the card account's balance: whoever
 * changes one changes the other in the same transaction. Single movements of a
 * card (purchase, refund) go through these two, which do both: the entry
 * (ledger_post) and beneficiaries.balance -/+ amount, in one db_txn (the
 * caller's, when it has one). Callers do not post card entries with ledger_post
 * themselves. Nothing else of the beneficiary (status, first_purchase_at) is
 * touched: that is the caller's business.
 *
 * ledger_card_debit moves amount (> 0) from card:<card_number> to account `to`
 * (purchase: the platform's account); ledger_card_credit moves it from `from`
 * to the card (refund). Return DB_OK, DB_ENOTFOUND when no beneficiary holds the
 * card, LEDGER_ENEGATIVE when the card (or `from`) is short (nothing written),
 * another LEDGER_* for a malformed entry, or a DB_E*. *entry_id may be NULL.
 */
int ledger_card_debit(db *d, const char *card_number, const char *to, int64_t amount,
                      const char *kind, const char *ref, int64_t at, int64_t *entry_id);
int ledger_card_credit(db *d, const char *card_number, const char *from, int64_t amount,
                       const char *kind, const char *ref, int64_t at, int64_t *entry_id);

/*
 * Bulk movements of many cards (the draw's credits, revocation), set-based so
 * that 10^5 cards cost a handful of statements. Inside the caller's db_txn:
 * ledger_stage_begin makes (or empties) the connection's temporary table
 *     ledger_stage (card_number TEXT PRIMARY KEY, amount BIGINT NOT NULL)
 * which the caller fills (card_number, amount > 0) with INSERT ... SELECT or
 * db_copy; then one of:
 *   ledger_stage_credit: one "fund" entry state:funding -> program:budget of the
 *     staged total (ref fund_ref, e.g. "wave:3"), then one "credit" entry
 *     program:budget -> card:X per staged card (ref "beneficiary:<card>"); card
 *     accounts are created as needed.
 *   ledger_stage_return: one entry of kind (revocation | expiry) card:X ->
 *     state:returned per staged card (ref "beneficiary:<card>"); LEDGER_ENEGATIVE,
 *     with nothing written, when a card's account holds less than its amount.
 * Both update the account balances with one statement per side, leave the stage
 * empty, and report how many cards and how much (each may be NULL). They do not
 * touch beneficiaries.balance: the caller changes it in the same transaction. A
 * staged amount <= 0 or a malformed card number is DB_ERR with nothing written.
 */
int ledger_stage_begin(db *d);
int ledger_stage_credit(db *d, const char *fund_ref, int64_t at, int64_t *count,
                        int64_t *total);
int ledger_stage_return(db *d, const char *kind, int64_t at, int64_t *count, int64_t *total);

/* How many entries, lines and accounts the ledger holds (each may be NULL). */
int ledger_stats(db *d, int64_t *entries, int64_t *lines, int64_t *accounts);

struct ledger_account {
    int64_t id;
    char code[LEDGER_CODE_MAX + 1];
    char kind[24];                       /* ledger_account_kind() */
    int64_t balance;
    int64_t created_at;
};
/* Calls fn for every account in creation order, card accounts only when
 * with_cards; stops at (and returns) fn's first non-zero return. */
int ledger_each_account(db *d, int with_cards,
                        int (*fn)(const struct ledger_account *a, void *ctx), void *ctx);
/* The number of card accounts and the sum of their balances. */
int ledger_card_totals(db *d, int64_t *count, int64_t *total);

#endif

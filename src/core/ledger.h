/*
 * ledger: the double-entry journal of the program's money, in pure C (libc
 * only). Money is int64_t rupiah. Accounts hold value; an entry moves value
 * between accounts in lines whose amounts sum to exactly zero (a negative line
 * takes value out of an account, a positive one puts it in). Only the funding
 * source (LEDGER_FUNDING, "state:funding") may go below zero: every other
 * account's balance, after every entry, is >= 0.
 *
 * Account codes (stored in ledger_accounts.code):
 *   state:funding          where the program's money comes from (may be < 0)
 *   program:budget         money appropriated to the program, not yet on a card
 *   card:<card number>     a beneficiary's training balance
 *   platform:<public id>   what the program owes a digital platform for sales
 *   incentive:payable      incentives scheduled, not yet paid
 *   incentive:paid         incentives paid out
 *   state:returned         money given back to the state (revocation, expiry)
 *
 * Movements (kind, stored in ledger_entries.kind) and their lines:
 *   fund        state:funding -> program:budget
 *   credit      program:budget -> card:X              (selection)
 *   purchase    card:X -> platform:P
 *   refund      platform:P -> card:X                  (cancel before redemption)
 *   revocation  card:X -> state:returned              (revoke-expired)
 *   expiry      card:X -> state:returned              (balance left at the end)
 */
#ifndef PK_CORE_LEDGER_H
#define PK_CORE_LEDGER_H
#include <stddef.h>
#include <stdint.h>

#define LEDGER_CODE_MAX 64
#define LEDGER_MAX_LINES 8
#define LEDGER_FUNDING "state:funding"
#define LEDGER_BUDGET "program:budget"
#define LEDGER_RETURNED "state:returned"
#define LEDGER_INCENTIVE_PAYABLE "incentive:payable"
#define LEDGER_INCENTIVE_PAID "incentive:paid"

enum ledger_status {
    LEDGER_OK = 0,
    LEDGER_EUNBALANCED = -1,   /* lines do not sum to zero */
    LEDGER_EEMPTY = -2,        /* fewer than 2 lines, a zero amount, or too many lines */
    LEDGER_ECODE = -3,         /* an account code that is not one of the forms above */
    LEDGER_EDUP = -4,          /* the same account twice in one entry */
    LEDGER_EOVERFLOW = -5,     /* amounts beyond +-2^62 */
    LEDGER_ENEGATIVE = -6,     /* an account other than the funding source would go below 0 */
};

struct ledger_line {
    char account[LEDGER_CODE_MAX + 1];
    int64_t amount;
};

struct ledger_entry {
    const char *kind;          /* "purchase" ... */
    int nlines;
    struct ledger_line line[LEDGER_MAX_LINES];
};

/* Fills e with the two lines of a transfer of amount (> 0) from account `from`
 * to account `to`. Returns LEDGER_OK, or LEDGER_ECODE (a malformed code or kind)
 * / LEDGER_EEMPTY (amount <= 0), LEDGER_EOVERFLOW (amount > 2^62), LEDGER_EDUP
 * (from == to). e->kind points at kind: it must outlive e. */
int ledger_transfer(struct ledger_entry *e, const char *kind, const char *from, const char *to,
                    int64_t amount);

/* Checks an entry before it is written: 2..LEDGER_MAX_LINES lines, no zero amount,
 * no account twice, every code and the kind well formed, no overflow (every line
 * and the sums of the positive and of the negative lines within 2^62), sum
 * exactly zero. */
int ledger_validate(const struct ledger_entry *e);

/* 1 when code is a well-formed account code, else 0: one of the fixed names above,
 * "card:" + CARD_LEN digits, or "platform:" + 1..55 of [A-Za-z0-9_-]. */
int ledger_code_valid(const char *code);
/* 1 when kind is 1..32 of [a-z_] ("purchase"), else 0. */
int ledger_kind_valid(const char *kind);
/* What ledger_accounts.kind holds for an account: "funding", "budget", "card",
 * "platform", "incentive_payable", "incentive_paid", "returned"; NULL for a
 * malformed code. A static string. */
const char *ledger_account_kind(const char *code);
/* 1 when an account may hold a negative balance (only LEDGER_FUNDING). */
int ledger_may_go_negative(const char *code);
/* "card:<card>" into out (LEDGER_CODE_MAX + 1 bytes). */
void ledger_card_account(const char *card_number, char out[LEDGER_CODE_MAX + 1]);
/* "platform:<public id>" into out. */
void ledger_platform_account(const char *platform_public_id, char out[LEDGER_CODE_MAX + 1]);

/* Text of a status for messages. */
const char *ledger_strerror(int status);

#endif

/*
 * ledger: the rules of a journal entry (core/ledger.h), in pure C. An entry is
 * checked whole before anything is written: its kind and every account code are
 * well formed, it has 2..LEDGER_MAX_LINES lines with no zero amount and no
 * account twice, and its lines sum to exactly zero. Sums are taken separately
 * over the positive and the negative lines, each bounded by LEDGER_AMOUNT_MAX
 * (2^62) at every step, so no arithmetic here can overflow an int64_t.
 *
 * Account codes are a fixed name (state:funding, program:budget,
 * incentive:payable, incentive:paid, state:returned) or a prefix and an id:
 * "card:" and exactly CARD_LEN digits (the Luhn digit is the card module's
 * business, not checked here), "platform:" and 1..LEDGER_CODE_MAX-9 characters of
 * [A-Za-z0-9_-] (a partner's public id).
 */
#include "core/ledger.h"

#include <stdio.h>
#include <string.h>

#include "core/card.h"

#define LEDGER_AMOUNT_MAX ((int64_t)1 << 62)
#define KIND_MAX 32

static const char *const fixed[] = {LEDGER_FUNDING, LEDGER_BUDGET, LEDGER_RETURNED,
                                    LEDGER_INCENTIVE_PAYABLE, LEDGER_INCENTIVE_PAID};

static int starts(const char *s, const char *prefix, size_t *plen)
{
    *plen = strlen(prefix);
    return strncmp(s, prefix, *plen) == 0;
}

int ledger_code_valid(const char *code)
{
    size_t n, p;

    if (!code)
        return 0;
    n = strnlen(code, LEDGER_CODE_MAX + 1);
    if (n == 0 || n > LEDGER_CODE_MAX)
        return 0;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (strcmp(code, fixed[i]) == 0)
            return 1;
    if (starts(code, "card:", &p)) {
        if (n - p != CARD_LEN)
            return 0;
        for (size_t i = p; i < n; i++)
            if (code[i] < '0' || code[i] > '9')
                return 0;
        return 1;
    }
    if (starts(code, "platform:", &p)) {
        if (n == p)
            return 0;
        for (size_t i = p; i < n; i++) {
            char c = code[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-'))
                return 0;
        }
        return 1;
    }
    return 0;
}

int ledger_may_go_negative(const char *code)
{
    return code && strcmp(code, LEDGER_FUNDING) == 0;
}

const char *ledger_account_kind(const char *code)
{
    if (!ledger_code_valid(code))
        return NULL;
    if (strcmp(code, LEDGER_FUNDING) == 0)
        return "funding";
    if (strcmp(code, LEDGER_BUDGET) == 0)
        return "budget";
    if (strcmp(code, LEDGER_RETURNED) == 0)
        return "returned";
    if (strcmp(code, LEDGER_INCENTIVE_PAYABLE) == 0)
        return "incentive_payable";
    if (strcmp(code, LEDGER_INCENTIVE_PAID) == 0)
        return "incentive_paid";
    if (strncmp(code, "card:", 5) == 0)
        return "card";
    return "platform";
}

int ledger_kind_valid(const char *kind)
{
    size_t n;

    if (!kind)
        return 0;
    n = strnlen(kind, KIND_MAX + 1);
    if (n == 0 || n > KIND_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((kind[i] >= 'a' && kind[i] <= 'z') || kind[i] == '_'))
            return 0;
    return 1;
}

void ledger_card_account(const char *card_number, char out[LEDGER_CODE_MAX + 1])
{
    snprintf(out, LEDGER_CODE_MAX + 1, "card:%s", card_number ? card_number : "");
}

void ledger_platform_account(const char *platform_public_id, char out[LEDGER_CODE_MAX + 1])
{
    snprintf(out, LEDGER_CODE_MAX + 1, "platform:%s",
             platform_public_id ? platform_public_id : "");
}

/* Copies a code into a line; -1 when it does not fit. */
static int set_code(char dst[LEDGER_CODE_MAX + 1], const char *code)
{
    size_t n = strnlen(code, LEDGER_CODE_MAX + 1);
    if (n > LEDGER_CODE_MAX)
        return -1;
    memcpy(dst, code, n);
    dst[n] = '\0';
    return 0;
}

int ledger_transfer(struct ledger_entry *e, const char *kind, const char *from, const char *to,
                    int64_t amount)
{
    memset(e, 0, sizeof *e);
    e->kind = kind;
    if (!ledger_kind_valid(kind) || !ledger_code_valid(from) || !ledger_code_valid(to))
        return LEDGER_ECODE;
    if (amount <= 0)
        return LEDGER_EEMPTY;
    if (amount > LEDGER_AMOUNT_MAX)
        return LEDGER_EOVERFLOW;
    if (strcmp(from, to) == 0)
        return LEDGER_EDUP;
    if (set_code(e->line[0].account, from) < 0 || set_code(e->line[1].account, to) < 0)
        return LEDGER_ECODE;
    e->line[0].amount = -amount;
    e->line[1].amount = amount;
    e->nlines = 2;
    return LEDGER_OK;
}

int ledger_validate(const struct ledger_entry *e)
{
    int64_t in = 0, out = 0;

    if (!e || e->nlines < 2 || e->nlines > LEDGER_MAX_LINES)
        return LEDGER_EEMPTY;
    if (!ledger_kind_valid(e->kind))
        return LEDGER_ECODE;
    for (int i = 0; i < e->nlines; i++) {
        const struct ledger_line *l = &e->line[i];
        if (strnlen(l->account, sizeof l->account) == sizeof l->account ||
            !ledger_code_valid(l->account))
            return LEDGER_ECODE;
        if (l->amount == 0)
            return LEDGER_EEMPTY;
        if (l->amount > LEDGER_AMOUNT_MAX || l->amount < -LEDGER_AMOUNT_MAX)
            return LEDGER_EOVERFLOW;
        for (int j = 0; j < i; j++)
            if (strcmp(e->line[j].account, l->account) == 0)
                return LEDGER_EDUP;
        if (l->amount > 0) {
            if (l->amount > LEDGER_AMOUNT_MAX - in)
                return LEDGER_EOVERFLOW;
            in += l->amount;
        } else {
            if (-l->amount > LEDGER_AMOUNT_MAX - out)
                return LEDGER_EOVERFLOW;
            out += -l->amount;
        }
    }
    return in == out ? LEDGER_OK : LEDGER_EUNBALANCED;
}

const char *ledger_strerror(int status)
{
    switch (status) {
    case LEDGER_OK: return "ok";
    case LEDGER_EUNBALANCED: return "the lines of the entry do not sum to zero";
    case LEDGER_EEMPTY: return "an entry needs from 2 lines up to the maximum, none of them zero";
    case LEDGER_ECODE: return "an account code or the kind is not well formed";
    case LEDGER_EDUP: return "the same account appears twice in one entry";
    case LEDGER_EOVERFLOW: return "an amount is beyond 2^62 rupiah";
    case LEDGER_ENEGATIVE: return "an account would go below zero";
    default: return "unknown ledger status";
    }
}

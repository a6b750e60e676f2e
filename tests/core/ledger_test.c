/*
 * ledger_test: the rules of a journal entry (src/core/ledger.c): account codes
 * and kinds accepted and refused, transfers built right and refused with the
 * right status, every status of ledger_validate (unbalanced, too few / too many /
 * zero lines, malformed codes, an account twice, overflow), the account kinds,
 * which account may go negative, and a text for every status.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "core/ledger.h"

#define CARD "card:9360123456789012"
#define PLATFORM "platform:01hx3k9q7r2m5n8p4t6v0w1y2z"

static void line(struct ledger_entry *e, int i, const char *code, int64_t amount)
{
    strcpy(e->line[i].account, code);
    e->line[i].amount = amount;
}

Test(ledger, account_codes)
{
    const char *good[] = {LEDGER_FUNDING, LEDGER_BUDGET, LEDGER_RETURNED, LEDGER_INCENTIVE_PAYABLE,
                          LEDGER_INCENTIVE_PAID, CARD, PLATFORM, "platform:a", "platform:A-b_9"};
    const char *bad[] = {"", "state", "state:", "state:other", "program:budget ", "card:",
                         "card:936012345678901", "card:93601234567890123", "card:936012345678901x",
                         "platform:", "platform:a b", "platform:a:b", "platform:é", "Card:9360123456789012",
                         "incentive:", "bank:123",
                         "platform:01234567890123456789012345678901234567890123456789012345"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        cr_assert(ledger_code_valid(good[i]), "%s refused", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_not(ledger_code_valid(bad[i]), "%s accepted", bad[i]);
    cr_assert_not(ledger_code_valid(NULL));
    /* the longest platform id that fits: 64 bytes in all */
    char longest[LEDGER_CODE_MAX + 1];
    memset(longest, 'a', LEDGER_CODE_MAX);
    memcpy(longest, "platform:", 9);
    longest[LEDGER_CODE_MAX] = '\0';
    cr_assert(ledger_code_valid(longest));
}

Test(ledger, kinds_of_accounts_and_entries)
{
    cr_assert_str_eq(ledger_account_kind(LEDGER_FUNDING), "funding");
    cr_assert_str_eq(ledger_account_kind(LEDGER_BUDGET), "budget");
    cr_assert_str_eq(ledger_account_kind(LEDGER_RETURNED), "returned");
    cr_assert_str_eq(ledger_account_kind(LEDGER_INCENTIVE_PAYABLE), "incentive_payable");
    cr_assert_str_eq(ledger_account_kind(LEDGER_INCENTIVE_PAID), "incentive_paid");
    cr_assert_str_eq(ledger_account_kind(CARD), "card");
    cr_assert_str_eq(ledger_account_kind(PLATFORM), "platform");
    cr_assert_null(ledger_account_kind("card:12"));
    cr_assert(ledger_kind_valid("purchase"));
    cr_assert(ledger_kind_valid("incentive_paid"));
    cr_assert_not(ledger_kind_valid(""));
    cr_assert_not(ledger_kind_valid(NULL));
    cr_assert_not(ledger_kind_valid("Purchase"));
    cr_assert_not(ledger_kind_valid("a-b"));
    cr_assert_not(ledger_kind_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "33 characters");
}

Test(ledger, only_the_funding_source_may_go_negative)
{
    cr_assert(ledger_may_go_negative(LEDGER_FUNDING));
    cr_assert_not(ledger_may_go_negative(LEDGER_BUDGET));
    cr_assert_not(ledger_may_go_negative(LEDGER_RETURNED));
    cr_assert_not(ledger_may_go_negative(CARD));
    cr_assert_not(ledger_may_go_negative(PLATFORM));
    cr_assert_not(ledger_may_go_negative(NULL));
}

Test(ledger, card_and_platform_accounts)
{
    char out[LEDGER_CODE_MAX + 1];
    ledger_card_account("9360123456789012", out);
    cr_assert_str_eq(out, CARD);
    ledger_platform_account("01hx3k9q7r2m5n8p4t6v0w1y2z", out);
    cr_assert_str_eq(out, PLATFORM);
}

Test(ledger, a_transfer_is_two_balanced_lines)
{
    struct ledger_entry e;
    cr_assert_eq(ledger_transfer(&e, "purchase", CARD, PLATFORM, 750000), LEDGER_OK);
    cr_assert_str_eq(e.kind, "purchase");
    cr_assert_eq(e.nlines, 2);
    cr_assert_str_eq(e.line[0].account, CARD);
    cr_assert_eq(e.line[0].amount, -750000);
    cr_assert_str_eq(e.line[1].account, PLATFORM);
    cr_assert_eq(e.line[1].amount, 750000);
    cr_assert_eq(ledger_validate(&e), LEDGER_OK);
}

Test(ledger, transfers_refused)
{
    struct ledger_entry e;
    cr_assert_eq(ledger_transfer(&e, "purchase", CARD, PLATFORM, 0), LEDGER_EEMPTY);
    cr_assert_eq(ledger_transfer(&e, "purchase", CARD, PLATFORM, -5), LEDGER_EEMPTY);
    cr_assert_eq(ledger_transfer(&e, "purchase", "card:1", PLATFORM, 5), LEDGER_ECODE);
    cr_assert_eq(ledger_transfer(&e, "purchase", CARD, "nowhere", 5), LEDGER_ECODE);
    cr_assert_eq(ledger_transfer(&e, "Bad Kind", CARD, PLATFORM, 5), LEDGER_ECODE);
    cr_assert_eq(ledger_transfer(&e, "purchase", CARD, CARD, 5), LEDGER_EDUP);
    cr_assert_eq(ledger_transfer(&e, "fund", LEDGER_FUNDING, LEDGER_BUDGET, INT64_MAX),
                 LEDGER_EOVERFLOW);
    cr_assert_eq(ledger_transfer(&e, "fund", LEDGER_FUNDING, LEDGER_BUDGET, (int64_t)1 << 62),
                 LEDGER_OK, "2^62 itself is allowed");
}

Test(ledger, every_status_of_validate)
{
    struct ledger_entry e;

    memset(&e, 0, sizeof e);
    e.kind = "purchase";
    cr_assert_eq(ledger_validate(NULL), LEDGER_EEMPTY);
    cr_assert_eq(ledger_validate(&e), LEDGER_EEMPTY, "no lines");
    line(&e, 0, CARD, -5);
    e.nlines = 1;
    cr_assert_eq(ledger_validate(&e), LEDGER_EEMPTY, "one line");
    line(&e, 1, PLATFORM, 5);
    e.nlines = 2;
    cr_assert_eq(ledger_validate(&e), LEDGER_OK);
    e.nlines = LEDGER_MAX_LINES + 1;
    cr_assert_eq(ledger_validate(&e), LEDGER_EEMPTY, "too many lines");
    e.nlines = 2;

    e.line[1].amount = 4;
    cr_assert_eq(ledger_validate(&e), LEDGER_EUNBALANCED);
    e.line[1].amount = 5;

    line(&e, 2, LEDGER_BUDGET, 0);
    e.nlines = 3;
    cr_assert_eq(ledger_validate(&e), LEDGER_EEMPTY, "a zero line");
    e.nlines = 2;

    strcpy(e.line[1].account, "platform:");
    cr_assert_eq(ledger_validate(&e), LEDGER_ECODE);
    memset(e.line[1].account, 'x', sizeof e.line[1].account);   /* not NUL-terminated */
    cr_assert_eq(ledger_validate(&e), LEDGER_ECODE);
    strcpy(e.line[1].account, PLATFORM);
    e.kind = NULL;
    cr_assert_eq(ledger_validate(&e), LEDGER_ECODE, "no kind");
    e.kind = "purchase";

    strcpy(e.line[1].account, CARD);
    cr_assert_eq(ledger_validate(&e), LEDGER_EDUP);
    strcpy(e.line[1].account, PLATFORM);

    e.line[0].amount = INT64_MIN;
    e.line[1].amount = INT64_MAX;
    cr_assert_eq(ledger_validate(&e), LEDGER_EOVERFLOW);
    /* each line within 2^62 but their sum beyond it: refused, not wrapped */
    int64_t big = (int64_t)1 << 61;
    line(&e, 0, LEDGER_FUNDING, -big);
    line(&e, 1, LEDGER_BUDGET, big);
    line(&e, 2, CARD, big);
    line(&e, 3, PLATFORM, big);
    line(&e, 4, LEDGER_RETURNED, -big);
    line(&e, 5, LEDGER_INCENTIVE_PAID, -big);
    e.nlines = 6;
    cr_assert_eq(ledger_validate(&e), LEDGER_EOVERFLOW);
    e.nlines = 4;
    e.line[2].amount = 1;
    e.line[3].amount = -1;
    cr_assert_eq(ledger_validate(&e), LEDGER_OK, "big amounts within the bound balance");
    e.line[3].amount = -2;
    cr_assert_eq(ledger_validate(&e), LEDGER_EUNBALANCED);
}

Test(ledger, a_many_line_entry_balances)
{
    struct ledger_entry e;
    memset(&e, 0, sizeof e);
    e.kind = "purchase";
    /* a purchase split between a platform and the incentive pool, paid by a card */
    line(&e, 0, CARD, -1000000);
    line(&e, 1, PLATFORM, 900000);
    line(&e, 2, LEDGER_INCENTIVE_PAYABLE, 100000);
    e.nlines = 3;
    cr_assert_eq(ledger_validate(&e), LEDGER_OK);
    const char *codes[] = {LEDGER_FUNDING, LEDGER_BUDGET, LEDGER_RETURNED, LEDGER_INCENTIVE_PAID,
                           "platform:b"};
    const int64_t amounts[] = {7, -7, 7, -14, 7};
    for (int i = 0; i < 5; i++)
        line(&e, 3 + i, codes[i], amounts[i]);
    e.nlines = 8;
    cr_assert_eq(LEDGER_MAX_LINES, 8);
    cr_assert_eq(ledger_validate(&e), LEDGER_OK, "8 lines summing to zero");
}

Test(ledger, every_status_has_a_text)
{
    int st[] = {LEDGER_OK, LEDGER_EUNBALANCED, LEDGER_EEMPTY, LEDGER_ECODE, LEDGER_EDUP,
                LEDGER_EOVERFLOW, LEDGER_ENEGATIVE};
    for (size_t i = 0; i < sizeof st / sizeof *st; i++) {
        cr_assert_not_null(ledger_strerror(st[i]));
        for (size_t j = 0; j < i; j++)
            cr_assert_str_neq(ledger_strerror(st[i]), ledger_strerror(st[j]));
    }
    cr_assert_str_eq(ledger_strerror(-99), "unknown ledger status");
}

/*
 * card_test: card numbers (src/core/card.c): the Luhn check digit matches known
 * numbers, card_make appends it, card_valid accepts what card_make makes and
 * rejects every single-digit change and every swap of two different neighbours,
 * and malformed bodies are refused.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/card.h"

Test(card, check_digit_of_known_numbers)
{
    cr_assert_eq(card_check_digit("453201511283036"), '6');
    cr_assert_eq(card_check_digit("936000000000000"), '5');
    char out[CARD_LEN + 1];
    cr_assert_eq(card_make("936012345678901", out), 0);
    cr_assert_eq(strlen(out), 16);
    cr_assert_eq(strncmp(out, "936012345678901", 15), 0);
    cr_assert(card_valid(out));
    cr_assert(card_valid("4532015112830366"));
    cr_assert_not(card_valid("4532015112830367"));
}

Test(card, every_single_digit_error_and_neighbour_swap_is_caught)
{
    char good[CARD_LEN + 1], bad[CARD_LEN + 1];
    cr_assert_eq(card_make("936070172930458", good), 0);
    for (int i = 0; i < CARD_LEN; i++)
        for (char c = '0'; c <= '9'; c++) {
            if (c == good[i])
                continue;
            memcpy(bad, good, sizeof bad);
            bad[i] = c;
            cr_assert_not(card_valid(bad), "%s passes", bad);
        }
    for (int i = 0; i + 1 < CARD_LEN; i++) {
        memcpy(bad, good, sizeof bad);
        if (bad[i] == bad[i + 1] || (bad[i] == '0' && bad[i + 1] == '9') ||
            (bad[i] == '9' && bad[i + 1] == '0'))
            continue;  /* Luhn cannot see 09 <-> 90, a known blind spot */
        bad[i] = good[i + 1];
        bad[i + 1] = good[i];
        cr_assert_not(card_valid(bad), "%s passes", bad);
    }
}

Test(card, malformed_input_is_refused)
{
    char out[CARD_LEN + 1] = "x";
    cr_assert_eq(card_make("93601234567890", out), -1);    /* 14 digits */
    cr_assert_str_eq(out, "");
    cr_assert_eq(card_make("9360123456789012", out), -1);  /* 16 */
    cr_assert_eq(card_make("93601234567890a", out), -1);
    cr_assert_eq(card_make(NULL, out), -1);
    cr_assert_eq(card_check_digit("93601234567890 "), -1);
    cr_assert_not(card_valid(NULL));
    cr_assert_not(card_valid(""));
    cr_assert_not(card_valid("936012345678901"));
    cr_assert_not(card_valid("93601234567890125"));
    cr_assert_not(card_valid("936012345678901-"));
}

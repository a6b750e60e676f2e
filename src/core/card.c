/*
 * card: see card.h. Luhn: from the rightmost digit of the body leftwards, every
 * other digit (starting with the rightmost) is doubled and 9 subtracted when
 * the double exceeds 9; the check digit brings the sum to a multiple of 10.
 */
#include "core/card.h"

#include <string.h>

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int card_check_digit(const char *body)
{
    int sum = 0;

    if (!body || strlen(body) != CARD_LEN - 1 || !all_digits(body, CARD_LEN - 1))
        return -1;
    for (int i = CARD_LEN - 2, dbl = 1; i >= 0; i--, dbl = !dbl) {
        int d = body[i] - '0';
        if (dbl && (d *= 2) > 9)
            d -= 9;
        sum += d;
    }
    return '0' + (10 - sum % 10) % 10;
}

int card_make(const char *body, char out[CARD_LEN + 1])
{
    int c = card_check_digit(body);

    out[0] = '\0';
    if (c < 0)
        return -1;
    memcpy(out, body, CARD_LEN - 1);
    out[CARD_LEN - 1] = (char)c;
    out[CARD_LEN] = '\0';
    return 0;
}

int card_valid(const char *s)
{
    char body[CARD_LEN];

    if (!s || strlen(s) != CARD_LEN || !all_digits(s, CARD_LEN))
        return 0;
    memcpy(body, s, CARD_LEN - 1);
    body[CARD_LEN - 1] = '\0';
    return card_check_digit(body) == s[CARD_LEN - 1];
}

/*
 * voucher: the codes a participant carries from a digital platform to a training
 * provider: the voucher code of a purchase and the redeem code of each session
 * (issue 5). Pure C, libc only; the caller passes the random bytes.
 *
 * Shape: 16 characters in four groups, "K7QM-3XPA-9RTD-HW4C", over a 31-letter
 * alphabet without the look-alikes 0/O and 1/I (and without L):
 *   23456789ABCDEFGHJKMNPQRSTUVWXYZ
 * The first 14 characters are random (31^14 > 2^69 codes, so a code cannot be
 * guessed); the last two are check characters. Read as digits v[0..15] of GF(31)
 * at positions x = 1..16, a code is valid when
 *   kind * 17   + sum x   * v[x-1] == 0  (mod 31)
 *   kind * 17^2 + sum x^2 * v[x-1] == 0  (mod 31)
 * where kind tells voucher codes from redeem codes. Two independent checks of
 * this Vandermonde form catch every error in one character and every error in
 * two characters, so every swap of two characters, neighbours or not, and a
 * voucher code given where a redeem code is wanted (a change of kind alone).
 *
 * Input is normalised before it is checked: case folded, spaces and hyphens
 * dropped, then regrouped; the stored form is always the grouped upper-case one.
 */
#ifndef PK_CORE_VOUCHER_H
#define PK_CORE_VOUCHER_H
#include <stddef.h>

#define VOUCHER_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#define VOUCHER_CHARS 16              /* characters of a code, hyphens excluded */
#define VOUCHER_RANDOM_CHARS 14
#define VOUCHER_LEN 19                /* grouped: 4 groups of 4 and 3 hyphens */
#define VOUCHER_RANDOM_BYTES 32       /* what voucher_make wants from the caller */
#define VOUCHER_INPUT_MAX 64          /* longer input is refused unread */

enum voucher_kind {
    VOUCHER_KIND_VOUCHER = 1,         /* a purchase's voucher code */
    VOUCHER_KIND_REDEEM = 2,          /* a session's redeem code */
};

enum voucher_status {
    VOUCHER_OK = 0,
    VOUCHER_EFORMAT = -1,             /* wrong length or a character outside the alphabet */
    VOUCHER_ECHECK = -2,              /* well formed, but the check characters disagree */
    VOUCHER_ERANDOM = -3,             /* voucher_make: the random bytes ran out (draw again) */
    VOUCHER_EKIND = -4,               /* kind is not one of enum voucher_kind */
};

/* Makes a code of kind from random (VOUCHER_RANDOM_BYTES bytes from a CSPRNG):
 * each byte below 248 gives one character (byte % 31, so every character is
 * equally likely); the others are skipped. Writes the grouped code and its NUL to
 * out. VOUCHER_ERANDOM in the (about 1 in 10^20) case that fewer than 14 bytes
 * were usable: call again with fresh bytes. */
int voucher_make(int kind, const unsigned char random[VOUCHER_RANDOM_BYTES],
                 char out[VOUCHER_LEN + 1]);

/* Normalises in (any case, any spaces and hyphens) into the grouped upper-case
 * form. VOUCHER_EFORMAT for anything that is not 16 characters of the alphabet
 * (NULL, too long, other characters). Does not look at the check characters. */
int voucher_normalise(const char *in, char out[VOUCHER_LEN + 1]);

/* Normalises in and checks it as a code of kind: VOUCHER_OK with the grouped form
 * in out (may be NULL), VOUCHER_EFORMAT, VOUCHER_ECHECK or VOUCHER_EKIND. */
int voucher_check(int kind, const char *in, char out[VOUCHER_LEN + 1]);

#endif

/*
 * card: Kartu Prakerja card numbers, in pure C. A card number is 16 decimal
 * digits: 15 chosen by the caller (a fixed program prefix and random digits; the
 * randomness comes from the caller so that this stays pure) and a Luhn check
 * digit (ISO/IEC 7812-1), so that a mistyped digit or two swapped neighbours
 * are caught before any lookup.
 */
#ifndef PK_CORE_CARD_H
#define PK_CORE_CARD_H

#define CARD_LEN 16

/* The Luhn check digit ('0'..'9') for the 15 digits body; -1 when body is not
 * exactly 15 digits. */
int card_check_digit(const char *body);

/* Writes body + its check digit and a NUL into out. 0, or -1 when body is not
 * exactly 15 digits (out is then ""). */
int card_make(const char *body, char out[CARD_LEN + 1]);

/* 1 when s is 16 digits whose last is the Luhn check digit of the others. */
int card_valid(const char *s);

#endif

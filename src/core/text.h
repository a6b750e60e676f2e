/*
 * text: small UTF-8 and display helpers for the domain: strict UTF-8 validation,
 * counting code points, and the title case used to show official region names
 * ("KABUPATEN JEMBER" -> "Kabupaten Jember"). No locale, no allocation.
 */
#ifndef PK_CORE_TEXT_H
#define PK_CORE_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* 1 if the n bytes at s are well-formed UTF-8 (RFC 3629: no overlong forms, no UTF-16
   surrogates, nothing above U+10FFFF), else 0. A NUL byte is valid UTF-8 (U+0000);
   callers that forbid it check for it themselves. */
int text_utf8_valid(const char *s, size_t n);

/* Decodes one code point from the n bytes at s into *cp. Returns the number of bytes it
   used (1..4), or 0 if they do not start a well-formed sequence (or n is 0). */
int text_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Number of code points in the NUL-terminated UTF-8 string s (bytes that are not
   continuation bytes; a stray continuation byte is not counted). */
size_t text_utf8_count(const char *s);

/* Title case for region display names: the first letter of each word upper case, the
   rest lower case, where words begin at the start and after ' ', '-', '(', '/' and '.'.
   Kept as written: the acronyms DKI and DI, Roman numerals (II, IV, XX), and the
   conjunction "dan" is lower case when it is not the first word. Only ASCII letters
   change; other bytes are copied as they are. out always ends in NUL when outlen > 0;
   a longer result is cut at outlen - 1 bytes, never inside a UTF-8 sequence. */
void text_title_case(const char *in, char *out, size_t outlen);

#endif

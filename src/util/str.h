/*
 * str: copying text into the fixed-size char arrays of the store's row structs
 * (a column read from the database into `char code[41]`, and the like). The copy
 * is cut to fit and always NUL-terminated; a cut may fall inside a UTF-8
 * sequence, so callers size their arrays for the longest value they accept.
 */
#ifndef PK_UTIL_STR_H
#define PK_UTIL_STR_H
#include <stddef.h>

/* Copies the NUL-terminated s into dst (cap > 0 bytes), cut to cap - 1 bytes, and
 * NUL-terminates it. Returns the number of bytes copied. */
size_t str_copy(char *dst, size_t cap, const char *s);

/* The same for the len bytes at s (which need not be NUL-terminated). */
size_t str_copyn(char *dst, size_t cap, const char *s, size_t len);

#endif

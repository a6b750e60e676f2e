/*
 * terms: the words of the course catalog's text index. A text (a title, a
 * description, a search query) is folded and cut into words the same way on the
 * way in (store/courses.c fills course_terms) and on the way out (the words of
 * ?q=), so a word typed in any case, with or without accents, finds the courses
 * that contain it.
 *
 * Folding: ASCII letters are lower-cased; the Latin letters of Latin-1 and
 * Latin Extended-A (U+00C0..U+017F) become their ASCII base letters ("é" -> "e",
 * "Ł" -> "l", "ß" -> "ss", "Æ" -> "ae", "Œ" -> "oe", "Þ" -> "th"); combining marks
 * (U+0300..U+036F) are dropped inside a word, so a decomposed "e" + U+0301 folds
 * like "é". Every other byte or code point (punctuation, spaces, other scripts,
 * malformed UTF-8) separates words. A word is what remains: only [0-9a-z], kept
 * when it has at least TERMS_WORD_MIN bytes, and cut to its first TERMS_WORD_MAX
 * bytes when longer (the query word is cut the same way, so prefix search still
 * finds it). Each word is listed once, in the order it first appears.
 *
 * Pure C: no locale, no allocation, no I/O.
 */
#ifndef PK_CORE_TERMS_H
#define PK_CORE_TERMS_H
#include <stddef.h>

#define TERMS_WORD_MIN 2
#define TERMS_WORD_MAX 32

typedef char terms_word[TERMS_WORD_MAX + 1];

/* Adds the distinct words of the n bytes at s to words[0..count), which already
 * holds count distinct words, without going past max. Returns the new count;
 * words past max are dropped, and *full (may be NULL) is set to 1 when any was. */
int terms_add(const char *s, size_t n, terms_word *words, int count, int max, int *full);

/* terms_add into an empty list. */
int terms_split(const char *s, size_t n, terms_word *words, int max, int *full);

/* The exclusive upper bound of the words that start with prefix (a word as
 * terms_split makes them): every word w with that prefix has prefix <= w < end,
 * every other word falls outside. end is the prefix cut after its last character
 * that is not 'z', that character advanced by one in the order 0-9a-z ("abz" ->
 * "ac", "k9" -> "ka"); a prefix of only 'z's gives TERMS_WORD_MAX + 1 'z's, past
 * every word. Since the bound never leaves [0-9a-z], the range means the same
 * under a byte-order collation and under PostgreSQL's language collations (which
 * order digits before letters but may ignore punctuation). out needs
 * TERMS_WORD_MAX + 2 bytes. Returns 0, or -1 (out "") when prefix is empty,
 * longer than TERMS_WORD_MAX or holds a byte outside [0-9a-z]. */
int terms_prefix_end(const char *prefix, char out[TERMS_WORD_MAX + 2]);

#endif

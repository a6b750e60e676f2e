/*
 * terms: folding and splitting text into the catalog's index words (terms.h).
 *
 * One pass over the UTF-8 input decodes each code point (core/text.h's strict
 * decoder; a malformed byte is a separator) and maps it to zero, one or two
 * ASCII characters through two small tables, one for U+00C0..U+00FF and one
 * for U+0100..U+017F, written as strings with a character per code point: a
 * lower-case letter is the base letter, an upper-case one stands for a
 * two-letter expansion and a space for a separator (the multiplication and
 * division signs). The current word grows in a buffer of TERMS_WORD_MAX bytes
 * (the rest of a longer word is skipped) and is looked up among the words
 * already found before it is added: a description of a few thousand bytes has
 * at most a few hundred distinct words, so a linear search costs less than a
 * hash table would to set up.
 */
#include "core/terms.h"

#include <string.h>

#include "core/text.h"

/* U+00C0..U+00FF. 'A' ae, 'T' th, 'S' ss, ' ' separator. */
static const char latin1[] = "aaaaaaAceeeeiiiidnooooo ouuuuyTS"
                             "aaaaaaAceeeeiiiidnooooo ouuuuyTy";
/* U+0100..U+017F. 'I' ij, 'O' oe. */
static const char latin_ext_a[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiIIjjkkk"
                                  "llllllllllnnnnnnnnnooooooOOrrrrrrsssssssstttttt"
                                  "uuuuuuuuuuuuwwyyyzzzzzzs";

/* The two letters a table's upper-case marker stands for; NULL for a letter. */
static const char *expand(char c)
{
    switch (c) {
    case 'I': return "ij";
    case 'O': return "oe";
    case 'A': return "ae";
    case 'T': return "th";
    case 'S': return "ss";
    default: return NULL;
    }
}

struct splitter {
    terms_word *words;
    int count, max, full;
    char cur[TERMS_WORD_MAX];
    size_t len;
};

static void end_word(struct splitter *sp)
{
    size_t len = sp->len;

    sp->len = 0;
    if (len < TERMS_WORD_MIN)
        return;
    for (int i = 0; i < sp->count; i++)
        if (strlen(sp->words[i]) == len && memcmp(sp->words[i], sp->cur, len) == 0)
            return;
    if (sp->count >= sp->max) {
        sp->full = 1;
        return;
    }
    memcpy(sp->words[sp->count], sp->cur, len);
    sp->words[sp->count][len] = '\0';
    sp->count++;
}

static void put(struct splitter *sp, char c)
{
    if (sp->len < TERMS_WORD_MAX)
        sp->cur[sp->len++] = c;
}

int terms_add(const char *s, size_t n, terms_word *words, int count, int max, int *full)
{
    struct splitter sp = {.words = words, .count = count, .max = max};
    size_t i = 0;

    while (s && i < n) {
        uint32_t cp;
        int used = text_utf8_decode(s + i, n - i, &cp);
        char c = ' ';

        if (used == 0) {
            used = 1;                                   /* malformed: a separator */
        } else if (cp < 0x80) {
            if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
                c = (char)cp;
            else if (cp >= 'A' && cp <= 'Z')
                c = (char)(cp - 'A' + 'a');
        } else if (cp >= 0xC0 && cp <= 0xFF) {
            c = latin1[cp - 0xC0];
        } else if (cp >= 0x100 && cp <= 0x17F) {
            c = latin_ext_a[cp - 0x100];
        } else if (cp >= 0x300 && cp <= 0x36F) {
            i += (size_t)used;                          /* combining mark: ignored */
            continue;
        }
        i += (size_t)used;
        if (c == ' ') {
            end_word(&sp);
            continue;
        }
        const char *two = expand(c);
        if (two) {
            put(&sp, two[0]);
            put(&sp, two[1]);
        } else {
            put(&sp, c);
        }
    }
    end_word(&sp);
    if (full)
        *full = sp.full;
    return sp.count;
}

int terms_split(const char *s, size_t n, terms_word *words, int max, int *full)
{
    return terms_add(s, n, words, 0, max, full);
}

int terms_prefix_end(const char *prefix, char out[TERMS_WORD_MAX + 2])
{
    size_t n = prefix ? strlen(prefix) : 0;
    size_t i;

    out[0] = '\0';
    if (n == 0 || n > TERMS_WORD_MAX)
        return -1;
    for (i = 0; i < n; i++)
        if (!((prefix[i] >= 'a' && prefix[i] <= 'z') || (prefix[i] >= '0' && prefix[i] <= '9')))
            return -1;
    for (i = n; i > 0 && prefix[i - 1] == 'z'; i--)
        ;
    if (i == 0) {
        memset(out, 'z', TERMS_WORD_MAX + 1);
        out[TERMS_WORD_MAX + 1] = '\0';
        return 0;
    }
    memcpy(out, prefix, i);
    out[i - 1] = prefix[i - 1] == '9' ? 'a' : (char)(prefix[i - 1] + 1);
    out[i] = '\0';
    return 0;
}

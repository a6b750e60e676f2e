/*
 * Tests for src/core/terms.c: the words of the catalog's text index (case and
 * accents folded, split on everything else, 2..32 bytes, each once) and the
 * upper bound of a prefix range.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/terms.h"

static terms_word w[64];

static int split(const char *s)
{
    return terms_split(s, strlen(s), w, 64, NULL);
}

/* The words joined with spaces. */
static const char *joined(int n)
{
    static char out[2048];
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", i ? " " : "", w[i]);
    return out;
}

Test(terms, lower_case_and_split_on_punctuation)
{
    cr_assert_str_eq(joined(split("Digital Marketing: Instagram & TikTok 101!")),
                     "digital marketing instagram tiktok 101");
    cr_assert_str_eq(joined(split("e-commerce/UMKM_naik-kelas")), "commerce umkm naik kelas");
    cr_assert_str_eq(joined(split("   ")), "");
    cr_assert_eq(split(""), 0);
    cr_assert_eq(terms_split(NULL, 0, w, 64, NULL), 0);
}

Test(terms, accents_fold_to_ascii)
{
    /* Latin-1: café, crème, Pâtisserie, Ñ, Æ, ß, Þ; the × sign separates. */
    cr_assert_str_eq(joined(split("Caf\xc3\xa9 Cr\xc3\xa8me P\xc3\xa2tisserie")),
                     "cafe creme patisserie");
    cr_assert_str_eq(joined(split("Espa\xc3\xb1ol \xc3\x86sop Stra\xc3\x9f" "e \xc3\x9eor")),
                     "espanol aesop strasse thor");
    cr_assert_str_eq(joined(split("3\xc3\x97" "4 ab\xc3\xb7" "cd")), "ab cd",
                     "single characters dropped, x and / signs separate");
    /* Latin Extended-A: Łódź, Œuvre, İstanbul, ĳ. */
    cr_assert_str_eq(joined(split("\xc5\x81\xc3\xb3" "d\xc5\xba \xc5\x92uvre \xc4\xb0stanbul")),
                     "lodz oeuvre istanbul");
    /* A decomposed e + U+0301 folds like the composed é. */
    cr_assert_str_eq(joined(split("cafe\xcc\x81")), "cafe");
    /* Other scripts and symbols separate words. */
    cr_assert_str_eq(joined(split("kopi\xe2\x98\x95teh \xd0\xba\xd0\xbe\xd1\x84\xd0\xb5 susu")),
                     "kopi teh susu");
}

Test(terms, malformed_utf8_separates)
{
    const char s[] = "ab\xff" "cd\xc3" "ef";
    cr_assert_str_eq(joined(terms_split(s, sizeof s - 1, w, 64, NULL)), "ab cd ef");
}

Test(terms, length_bounds_and_dedupe)
{
    char longw[80];
    memset(longw, 'k', 40);
    strcpy(longw + 40, " ok x KOPI kopi Kopi kopi2");
    int n = split(longw);
    cr_assert_eq(n, 4);
    cr_assert_eq(strlen(w[0]), TERMS_WORD_MAX, "a long word is cut to 32 bytes");
    cr_assert_str_eq(w[1], "ok");
    cr_assert_str_eq(w[2], "kopi", "single letters dropped, repeats listed once");
    cr_assert_str_eq(w[3], "kopi2");
    /* Two words that differ only after byte 32 are the same word. */
    char two[100];
    memset(two, 'a', 33);
    two[33] = ' ';
    memset(two + 34, 'a', 32);
    strcpy(two + 66, "b");
    cr_assert_eq(split(two), 1);
}

Test(terms, add_keeps_words_distinct_and_bounded)
{
    int full = 0;
    int n = terms_split("kopi susu", 9, w, 64, &full);
    cr_assert_eq(full, 0);
    n = terms_add("Susu gula aren", 14, w, n, 64, &full);
    cr_assert_str_eq(joined(n), "kopi susu gula aren");
    n = terms_split("satu dua tiga empat", 19, w, 2, &full);
    cr_assert_eq(n, 2);
    cr_assert_eq(full, 1);
    cr_assert_str_eq(joined(n), "satu dua");
}

Test(terms, prefix_end)
{
    char end[TERMS_WORD_MAX + 2];
    cr_assert_eq(terms_prefix_end("kop", end), 0);
    cr_assert_str_eq(end, "koq");
    cr_assert_eq(terms_prefix_end("abz", end), 0);
    cr_assert_str_eq(end, "ac");
    cr_assert_eq(terms_prefix_end("k9", end), 0);
    cr_assert_str_eq(end, "ka", "9 is followed by a in 0-9a-z");
    cr_assert_eq(terms_prefix_end("a9z", end), 0);
    cr_assert_str_eq(end, "aa");
    cr_assert_eq(terms_prefix_end("zz", end), 0);
    cr_assert_eq(strlen(end), TERMS_WORD_MAX + 1);
    cr_assert_eq(strspn(end, "z"), TERMS_WORD_MAX + 1);
    cr_assert_eq(terms_prefix_end("", end), -1);
    cr_assert_eq(terms_prefix_end("Kop", end), -1);
    cr_assert_eq(terms_prefix_end("ko p", end), -1);
    cr_assert_str_eq(end, "");
    char longp[40];
    memset(longp, 'a', 33);
    longp[33] = '\0';
    cr_assert_eq(terms_prefix_end(longp, end), -1);
}

/* Every word with the prefix lies in [prefix, end) and no other word does,
   checked for all words of up to three characters of a small alphabet. */
Test(terms, prefix_range_is_exact)
{
    static const char alpha[] = "09az";
    static const char *const prefixes[] = {"0", "9", "a", "z", "a9", "az", "zz", "9z", "z9"};
    char end[TERMS_WORD_MAX + 2], word[4];
    for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++) {
        const char *pre = prefixes[p];
        cr_assert_eq(terms_prefix_end(pre, end), 0);
        for (int len = 1; len <= 3; len++) {
            int total = 1;
            for (int i = 0; i < len; i++)
                total *= 4;
            for (int k = 0; k < total; k++) {
                int v = k;
                for (int i = 0; i < len; i++, v /= 4)
                    word[i] = alpha[v % 4];
                word[len] = '\0';
                int has = strncmp(word, pre, strlen(pre)) == 0;
                int in = strcmp(word, pre) >= 0 && strcmp(word, end) < 0;
                cr_assert_eq(has, in, "prefix %s word %s end %s", pre, word, end);
            }
        }
    }
}

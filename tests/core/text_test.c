/*
 * Tests for src/core/text.c: strict UTF-8 validation (overlongs, surrogates, range),
 * code point counting, and the title case of official region names.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/text.h"

static int valid(const char *s) { return text_utf8_valid(s, strlen(s)); }

Test(text, utf8_accepts_well_formed)
{
    cr_assert(valid(""));
    cr_assert(valid("Kabupaten Jember"));
    cr_assert(valid("Nur\xe2\x80\x99" "aini"));          /* U+2019 */
    cr_assert(valid("\xc3\xa9"));                        /* U+00E9 */
    cr_assert(valid("\xe2\x82\xac"));                    /* U+20AC */
    cr_assert(valid("\xed\x9f\xbf"));                    /* U+D7FF, last before surrogates */
    cr_assert(valid("\xee\x80\x80"));                    /* U+E000 */
    cr_assert(valid("\xf0\x9f\x98\x80"));                /* U+1F600 */
    cr_assert(valid("\xf4\x8f\xbf\xbf"));                /* U+10FFFF */
    cr_assert(text_utf8_valid("a\0b", 3), "NUL is valid UTF-8");
    cr_assert(text_utf8_valid(NULL, 0));
}

Test(text, utf8_rejects_ill_formed)
{
    const char *bad[] = {
        "\xc0\xaf", "\xc1\xbf",                   /* overlong 2-byte */
        "\xe0\x80\xaf", "\xe0\x9f\xbf",           /* overlong 3-byte */
        "\xf0\x80\x80\xaf", "\xf0\x8f\xbf\xbf",   /* overlong 4-byte */
        "\xed\xa0\x80", "\xed\xbf\xbf",           /* surrogates */
        "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",   /* above U+10FFFF */
        "\xff", "\xfe", "\x80", "a\xbf",          /* never valid / stray continuation */
        "\xe2\x82", "\xf0\x9f\x98",               /* truncated */
        "\xe2\x28\xa1", "\xc3\x28",               /* bad continuation */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_not(valid(bad[i]), "case %zu", i);
    cr_assert_not(text_utf8_valid("\xc3\xa9", 1), "n bounds the read");
}

Test(text, decode_gives_code_points)
{
    uint32_t cp = 0;
    cr_assert_eq(text_utf8_decode("\xe2\x82\xac", 3, &cp), 3);
    cr_assert_eq(cp, 0x20AC);
    cr_assert_eq(text_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
    cr_assert_eq(cp, 0x10FFFF);
    cr_assert_eq(text_utf8_decode("A", 1, &cp), 1);
    cr_assert_eq(cp, 'A');
    cr_assert_eq(text_utf8_decode("\xed\xa0\x80", 3, &cp), 0);
    cr_assert_eq(text_utf8_decode("", 0, &cp), 0);
}

Test(text, count_code_points)
{
    cr_assert_eq(text_utf8_count(""), 0);
    cr_assert_eq(text_utf8_count("Siti"), 4);
    cr_assert_eq(text_utf8_count("\xc3\xa9t\xc3\xa9"), 3);
    cr_assert_eq(text_utf8_count("\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e"), 3);
    cr_assert_eq(text_utf8_count("\xf0\x9f\x98\x80" "a"), 2);
    cr_assert_eq(text_utf8_count(NULL), 0);
}

static void tc(const char *in, const char *want)
{
    char out[128];
    text_title_case(in, out, sizeof out);
    cr_assert_str_eq(out, want, "title case of \"%s\"", in);
}

Test(text, title_case_region_names)
{
    tc("KABUPATEN JEMBER", "Kabupaten Jember");
    tc("JAWA TIMUR", "Jawa Timur");
    tc("DKI JAKARTA", "DKI Jakarta");
    tc("DI YOGYAKARTA", "DI Yogyakarta");
    tc("DAERAH ISTIMEWA YOGYAKARTA", "Daerah Istimewa Yogyakarta");
    tc("KOTA ADM. JAKARTA PUSAT", "Kota Adm. Jakarta Pusat");
    tc("KOTA ADMINISTRASI JAKARTA PUSAT", "Kota Administrasi Jakarta Pusat");
    tc("KEPULAUAN BANGKA BELITUNG", "Kepulauan Bangka Belitung");
    tc("KABUPATEN PANGKAJENE DAN KEPULAUAN", "Kabupaten Pangkajene dan Kepulauan");
    tc("KABUPATEN TOLI-TOLI", "Kabupaten Toli-Toli");
    tc("KOTA BARU (LAMA)", "Kota Baru (Lama)");
    tc("ROKAN IV KOTO", "Rokan IV Koto");
    tc("BATHIN III ULU", "Bathin III Ulu");
    tc("koto xi tarusan", "Koto XI Tarusan");
    tc("SUNGAI LIMAU", "Sungai Limau");
    tc("", "");
}

Test(text, title_case_keeps_other_bytes)
{
    tc("NUR'AINI", "Nur'aini");
    tc("\xc3\x89" "COLE", "\xc3\x89" "cole");
    tc("KAMPUNG  2", "Kampung  2");
    tc("MIX VIV", "Mix Viv");
}

Test(text, title_case_bounded_output)
{
    char out[5];
    text_title_case("JAWA TIMUR", out, sizeof out);
    cr_assert_str_eq(out, "Jawa");
    char one[1] = {'x'};
    text_title_case("JAWA", one, 1);
    cr_assert_eq(one[0], '\0');
    char four[4];
    text_title_case("\xc3\x89\xc3\x89", four, sizeof four);
    cr_assert_str_eq(four, "\xc3\x89", "never cut inside a UTF-8 sequence");
    char n[8] = "junk";
    text_title_case(NULL, n, sizeof n);
    cr_assert_str_eq(n, "");
}

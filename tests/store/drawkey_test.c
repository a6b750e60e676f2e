/*
 * Tests for the seed and commitment text of src/store/drawkey.c, which the API
 * (POST /waves, /waves/N/draw) and the CLI (wave create, wave draw) both read:
 * hex of either case, a seed of 16..64 bytes in an even number of digits, and a
 * wave's commitment made from a 32-byte seed or taken, lower-cased, as given.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "store/drawkey.h"

#define SEED64 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

Test(drawkey, hex_ok_wants_exactly_n_digits)
{
    cr_assert(drawkey_hex_ok("09afAF", 6));
    cr_assert_not(drawkey_hex_ok("09afAF", 5));
    cr_assert_not(drawkey_hex_ok("09afAF", 7));
    cr_assert_not(drawkey_hex_ok("09agAF", 6));
    cr_assert_not(drawkey_hex_ok("09 fAF", 6));
    cr_assert_not(drawkey_hex_ok(NULL, 0));
    cr_assert(drawkey_hex_ok("", 0));
}

Test(drawkey, seed_parse)
{
    unsigned char seed[DRAWKEY_SEED_MAX];
    char hex[2 * DRAWKEY_SEED_MAX + 4];
    size_t len = 99;

    cr_assert_eq(drawkey_seed_parse(SEED64, seed, &len), 0);
    cr_assert_eq(len, 32);
    for (int i = 0; i < 32; i++)
        cr_assert_eq(seed[i], i);
    cr_assert_eq(drawkey_seed_parse("A0B1C2D3E4F5A6B7C8D9E0F1A2B3C4D5", seed, &len), 0);
    cr_assert_eq(len, DRAWKEY_SEED_MIN);
    cr_assert_eq(seed[0], 0xa0);
    memset(hex, 'f', 2 * DRAWKEY_SEED_MAX);
    hex[2 * DRAWKEY_SEED_MAX] = '\0';
    cr_assert_eq(drawkey_seed_parse(hex, seed, &len), 0);
    cr_assert_eq(len, DRAWKEY_SEED_MAX);
    strcat(hex, "ff");
    cr_assert_eq(drawkey_seed_parse(hex, seed, &len), -1, "longer than 64 bytes");
    cr_assert_eq(drawkey_seed_parse("a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4", seed, &len), -1,
                 "shorter than 16 bytes");
    cr_assert_eq(drawkey_seed_parse(SEED64 "0", seed, &len), -1, "an odd number of digits");
    cr_assert_eq(drawkey_seed_parse("x00102030405060708090a0b0c0d0e0f", seed, &len), -1);
    cr_assert_eq(drawkey_seed_parse(NULL, seed, &len), -1);
}

Test(drawkey, commitment_from_seed_or_given)
{
    unsigned char raw[32];
    char want[65], out[65];

    for (int i = 0; i < 32; i++)
        raw[i] = (unsigned char)i;
    drawkey_commitment(raw, sizeof raw, want);
    cr_assert_eq(drawkey_commitment_hex(SEED64, NULL, out), 0);
    cr_assert_str_eq(out, want, "the SHA-256 of the seed's bytes");
    cr_assert_eq(drawkey_commitment_hex(SEED64, "ffff", out), 0, "the seed wins");
    cr_assert_str_eq(out, want);
    cr_assert_eq(drawkey_commitment_hex(NULL, "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"
                                              "ABCDEF0123456789", out), 0);
    cr_assert_str_eq(out, "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
    cr_assert_eq(drawkey_commitment_hex(NULL, "abc", out), -1);
    cr_assert_str_eq(out, "");
    cr_assert_eq(drawkey_commitment_hex("0011", NULL, out), -1, "a seed is 64 digits here");
    cr_assert_eq(drawkey_commitment_hex(NULL, NULL, out), -1);
}

/*
 * drawkey: see drawkey.h. Thin wrappers over libsodium's crypto_generichash
 * (BLAKE2b), crypto_hash_sha256 and its hex decoder, so the draw's definition
 * lives in one place. Seed bytes on the stack are wiped before returning.
 */
#include "store/drawkey.h"

#include <sodium.h>
#include <string.h>

void drawkey_compute(const unsigned char *seed, size_t seedlen, const char *public_id,
                     unsigned char out[32])
{
    if (seedlen < DRAWKEY_SEED_MIN || seedlen > DRAWKEY_SEED_MAX ||
        crypto_generichash(out, 32, (const unsigned char *)public_id, strlen(public_id), seed,
                           seedlen) != 0)
        memset(out, 0, 32);
}

void drawkey_commitment(const unsigned char *seed, size_t seedlen, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, seed, seedlen);
    sodium_bin2hex(out, 65, h, sizeof h);
}

int drawkey_hex_ok(const char *s, size_t n)
{
    if (!s || strlen(s) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
              (s[i] >= 'A' && s[i] <= 'F')))
            return 0;
    return 1;
}

int drawkey_seed_parse(const char *hex, unsigned char seed[DRAWKEY_SEED_MAX], size_t *len)
{
    size_t hl = hex ? strlen(hex) : 0;

    *len = 0;
    if (!hex || hl % 2 || hl < 2 * DRAWKEY_SEED_MIN || !drawkey_hex_ok(hex, hl) ||
        sodium_hex2bin(seed, DRAWKEY_SEED_MAX, hex, hl, NULL, len, NULL) != 0 || *len * 2 != hl)
        return -1;
    return 0;
}

int drawkey_commitment_hex(const char *seed_hex, const char *commitment_hex, char out[65])
{
    const char *used = seed_hex ? seed_hex : commitment_hex;

    out[0] = '\0';
    if (!drawkey_hex_ok(used, 64))
        return -1;
    if (seed_hex) {
        unsigned char raw[32];
        size_t len = 0;
        sodium_hex2bin(raw, sizeof raw, seed_hex, 64, NULL, &len, NULL);
        drawkey_commitment(raw, len, out);
        sodium_memzero(raw, sizeof raw);
    } else {
        for (int i = 0; i < 64; i++)
            out[i] = (char)(commitment_hex[i] >= 'A' && commitment_hex[i] <= 'F'
                                ? commitment_hex[i] - 'A' + 'a'
                                : commitment_hex[i]);
        out[64] = '\0';
    }
    return 0;
}

/*
 * drawkey: see drawkey.h. Thin wrappers over libsodium's crypto_generichash
 * (BLAKE2b) and crypto_hash_sha256, so the draw's definition lives in one place.
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

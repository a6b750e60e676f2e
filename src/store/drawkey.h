/*
 * drawkey: the cryptography of the selection draw (libsodium). An application's
 * draw key is keyed BLAKE2b-256 of its public id (the bytes of the string, no
 * terminator) with the wave's seed as the key; the seed's public commitment,
 * published before the draw, is the lower-case hex SHA-256 of the seed bytes.
 */
#ifndef PK_STORE_DRAWKEY_H
#define PK_STORE_DRAWKEY_H
#include <stddef.h>

#define DRAWKEY_SEED_MIN 16         /* crypto_generichash_KEYBYTES_MIN */
#define DRAWKEY_SEED_MAX 64         /* crypto_generichash_KEYBYTES_MAX */

/* out = BLAKE2b-256(public_id, key = seed). seedlen must be 16..64 (the seed is 32
   random bytes); out is all zero if it is not. */
void drawkey_compute(const unsigned char *seed, size_t seedlen, const char *public_id,
                     unsigned char out[32]);

/* Writes the 64 hex digits of SHA-256(seed) and a NUL into out. */
void drawkey_commitment(const unsigned char *seed, size_t seedlen, char out[65]);

#endif

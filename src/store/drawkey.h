/*
 * drawkey: the cryptography of the selection draw (libsodium). An application's
 * draw key is keyed BLAKE2b-256 of its public id (the bytes of the string, no
 * terminator) with the wave's seed as the key; the seed's public commitment,
 * published before the draw, is the lower-case hex SHA-256 of the seed bytes.
 * Seeds and commitments come in from the API and the CLI as hex; reading them is
 * here too, so both accept the same text.
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

/* 1 when s is exactly n hex digits (either case), else 0 (also for NULL). */
int drawkey_hex_ok(const char *s, size_t n);

/* Reads a draw's seed given as hex: an even number, 2 * DRAWKEY_SEED_MIN to
 * 2 * DRAWKEY_SEED_MAX, of hex digits. 0 with the bytes in seed and their count in
 * *len, or -1 (also for NULL). */
int drawkey_seed_parse(const char *hex, unsigned char seed[DRAWKEY_SEED_MAX], size_t *len);

/* The commitment a new wave stores, 64 lower-case hex digits and a NUL into out:
 * drawkey_commitment of the 32 bytes of seed_hex when it is not NULL, else
 * commitment_hex lower-cased. The one used must be 64 hex digits (drawkey_hex_ok);
 * else -1 and out "". */
int drawkey_commitment_hex(const char *seed_hex, const char *commitment_hex, char out[65]);

#endif

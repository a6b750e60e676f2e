/*
 * pii: NIK and KK at rest. Values are encrypted with libsodium secretbox under a
 * key from the key file (random nonce per value, stored as base64 text), and found
 * through a blind index: keyed BLAKE2b of the value under a second key, as hex.
 * The key file holds 32 random bytes as 64 hex digits, mode 0600; both keys are
 * derived from it with crypto_kdf. Nothing here logs a value.
 */
#ifndef PK_PII_H
#define PK_PII_H
#include <stddef.h>

struct pii_keys {
    unsigned char enc[32];
    unsigned char idx[32];
};

#define PII_BIDX_LEN 32            /* hex chars of a blind index (16 bytes), + NUL */
#define PII_CT_MAX 128             /* base64 of nonce+mac+16 digits, + NUL */

/* Creates the key file with mode 0600 if it does not exist. 0 or -1 (errno). */
int pii_key_create(const char *path);
/* Reads and derives the keys; -1 if missing, unreadable, malformed, or readable by others. */
int pii_key_load(const char *path, struct pii_keys *k, char *err, size_t errlen);
/* ct: out buffer of PII_CT_MAX. 0 or -1. */
int pii_encrypt(const struct pii_keys *k, const char *plain, char ct[PII_CT_MAX]);
/* plain: out buffer; -1 if forged or not ours. */
int pii_decrypt(const struct pii_keys *k, const char *ct, char *plain, size_t plainlen);
/* domain separates kinds ("nik", "kk"); out gets PII_BIDX_LEN hex chars + NUL. */
void pii_blind_index(const struct pii_keys *k, const char *domain, const char *value,
                     char out[PII_BIDX_LEN + 1]);

#endif

/*
 * sessions (store): bearer tokens. A token is 32 random bytes given to the client
 * as 64 hex digits; only its BLAKE2b hash is stored, so a copy of the database
 * yields no usable token. A session is valid until expires_at (Unix seconds).
 * Functions return DB_OK or a negative DB_E* (db.h).
 */
#ifndef PK_STORE_SESSIONS_H
#define PK_STORE_SESSIONS_H
#include <stdint.h>

#include "store/db.h"

#define SESSIONS_TOKEN_HEX 64

/* Makes a session for account_id lasting ttl seconds from now; token receives the
 * client's copy (65 bytes with the NUL). */
int sessions_create(db *d, int64_t account_id, int64_t now, int64_t ttl,
                    char token[SESSIONS_TOKEN_HEX + 1], int64_t *expires_at);
/* The account of a token that exists and has not expired at now: DB_ENOTFOUND
 * otherwise (also for a malformed token). */
int sessions_find(db *d, const char *token, int64_t now, int64_t *account_id,
                  int64_t *expires_at);
/* Deletes the session of token (DB_OK also when there was none). */
int sessions_delete(db *d, const char *token);
/* Deletes the expired sessions; removed (may be NULL) gets how many. */
int sessions_purge(db *d, int64_t now, int64_t *removed);

#endif

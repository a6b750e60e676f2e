/*
 * audit (store): an append-only log of changes made by people and partners,
 * chained by hash so that editing or deleting a row shows. Each entry's hash is
 * BLAKE2b-256 (hex) over "prev_hash|at|actor|action|subject|detail", where
 * prev_hash is the previous entry's hash (64 zeros for the first). Never put a
 * NIK, KK, password, token or code in any field.
 */
#ifndef PK_STORE_AUDIT_H
#define PK_STORE_AUDIT_H
#include <stdint.h>

#include "store/db.h"

#define AUDIT_HASH_HEX 64

/* Appends one entry; call it inside the caller's db_txn so the chain cannot fork.
 * subject and detail may be NULL (hashed as ""). */
int audit_append(db *d, int64_t at, const char *actor, const char *action,
                 const char *subject, const char *detail);

/* Recomputes the chain. Returns DB_OK with *bad_id 0 when it is intact, 1 with
 * *bad_id the first entry whose link or hash is wrong, or a negative DB_E*. */
int audit_verify(db *d, int64_t *bad_id);

#endif

/*
 * schemes (store): the schemes table (migration 0003). Rows are read whole into
 * struct scheme (core/scheme.h). Returns DB_OK or a negative DB_E*; lookups
 * answer DB_ENOTFOUND when there is no row, inserts DB_ECONSTRAINT on a taken code.
 */
#ifndef PK_STORE_SCHEMES_H
#define PK_STORE_SCHEMES_H
#include <stdint.h>

#include "core/scheme.h"
#include "store/db.h"

int schemes_by_id(db *d, int64_t id, struct scheme *out);
int schemes_by_code(db *d, const char *code, struct scheme *out);
/* Inserts s (already validated) and sets s->id. */
int schemes_insert(db *d, struct scheme *s);
/* Calls fn for each scheme in id order; a non-zero return from fn stops and is
 * returned. */
int schemes_each(db *d, int (*fn)(const struct scheme *s, void *ctx), void *ctx);

/* Added for the basic test: the scheme a participant is tested under when they
 * name none: that of the open wave (status open, or scheduled with opens_at <= now,
 * and closes_at > now) with the lowest number, else the newest scheme (by
 * created_at, then id). DB_ENOTFOUND when there is no scheme at all. */
int schemes_default(db *d, int64_t now, struct scheme *out);

#endif

/*
 * outbox (store): messages waiting to go out by email or SMS. Handlers enqueue
 * inside their own transaction, so a message exists exactly when the change that
 * caused it was committed; a gateway adapter (or `prakerja outbox`) reads the
 * pending ones and marks them sent. Functions return DB_OK or a negative DB_E*.
 */
#ifndef PK_STORE_OUTBOX_H
#define PK_STORE_OUTBOX_H
#include <stdint.h>

#include "store/db.h"

struct outbox_msg {
    int64_t id;
    const char *channel;           /* "email" or "sms" */
    const char *recipient;
    const char *subject;           /* "" for sms */
    const char *body;
    int64_t created_at;
};

/* channel "email" or "sms" (anything else: DB_ERR); subject may be NULL. */
int outbox_enqueue(db *d, const char *channel, const char *recipient, const char *subject,
                   const char *body, int64_t now, int64_t *id_out);

/* Calls fn for each unsent message, oldest first, at most limit (0 = all). The
 * strings in m are valid only during the call. A non-zero return from fn stops
 * the walk and is returned. */
typedef int (*outbox_fn)(void *ctx, const struct outbox_msg *m);
int outbox_pending(db *d, int limit, outbox_fn fn, void *ctx);

int outbox_mark_sent(db *d, int64_t id, int64_t at);

#endif

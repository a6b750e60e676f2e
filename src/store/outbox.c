/*
 * outbox (store): the outbox table. Enqueueing is one INSERT in the caller's
 * transaction; listing walks unsent rows in id order and hands each to a
 * callback so bodies of any length need no copy.
 */
#include "store/outbox.h"

#include <string.h>

int outbox_enqueue(db *d, const char *channel, const char *recipient, const char *subject,
                   const char *body, int64_t now, int64_t *id_out)
{
    int64_t id = 0;
    int rc;

    if (!channel || (strcmp(channel, "email") != 0 && strcmp(channel, "sms") != 0) ||
        !recipient || !body)
        return DB_ERR;
    db_val p[] = {DB_TEXT(channel), DB_TEXT(recipient), DB_TEXT(subject ? subject : ""),
                  DB_TEXT(body), DB_INT(now)};
    rc = db_one_int(d, "INSERT INTO outbox (channel, recipient, subject, body, created_at) "
                       "VALUES ($1, $2, $3, $4, $5) RETURNING id", p, 5, &id);
    if (rc == DB_OK && id_out)
        *id_out = id;
    return rc;
}

int outbox_pending(db *d, int limit, outbox_fn fn, void *ctx)
{
    db_rows *r = NULL;
    db_val p = DB_INT(limit > 0 ? limit : INT64_MAX);     /* PostgreSQL refuses LIMIT -1 */
    int rc = db_query(d, "SELECT id, channel, recipient, subject, body, created_at FROM outbox "
                         "WHERE sent_at IS NULL ORDER BY id LIMIT $1", &p, 1, &r);
    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW) {
        struct outbox_msg m = {
            .id = db_int(r, 0), .channel = db_text(r, 1), .recipient = db_text(r, 2),
            .subject = db_text(r, 3), .body = db_text(r, 4), .created_at = db_int(r, 5),
        };
        rc = fn(ctx, &m);
        if (rc != 0)
            goto out;
    }
    if (rc == DB_DONE)
        rc = DB_OK;
out:
    db_rows_free(r);
    return rc;
}

int outbox_mark_sent(db *d, int64_t id, int64_t at)
{
    db_val p[] = {DB_INT(at), DB_INT(id)};
    return db_run(d, "UPDATE outbox SET sent_at = $1 WHERE id = $2", p, 2, NULL);
}

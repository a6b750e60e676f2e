/*
 * courses (store): SQL for the course catalog of migration 0006 (courses,
 * course_sessions, course_terms); courses.h says what each function promises.
 *
 * Writers that change what a course says (insert, update) rebuild its rows in
 * course_terms in the same transaction: the words of the title and the
 * description (core/terms.h), deduplicated, loaded with db_copy (one COPY on
 * PostgreSQL, one cached INSERT per row on SQLite) after deleting the old ones.
 * State changes are conditional UPDATEs read back in the same transaction, so
 * two admins deciding on one course at once cannot both win.
 *
 * The search statement is assembled from constant fragments according to which
 * filters are present (never from input; every value is a parameter), so each
 * combination is its own cached prepared statement and each can use the index
 * that fits it: the status+filter index for the filters and the keyset range,
 * and course_terms' primary key for each query word ("c.id IN (SELECT course_id
 * FROM course_terms WHERE term >= $a AND term < $b)"). Cursors carry the
 * course's public id, resolved here to its row id, so row ids never leave the
 * store.
 */
#include "store/courses.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "store/accounts.h"
#include "store/audit.h"
#include "util/str.h"

#define COURSE_COLS "c.id, c.public_id, c.provider_id, p.public_id, c.title, c.category, " \
                    "c.level, c.purpose, c.mode, c.hours, c.price, c.regency_code, c.status, " \
                    "p.name, c.rating_sum, c.rating_count, c.created_at, c.updated_at, "      \
                    "c.reviewed_at"
#define COURSE_FROM " FROM courses c JOIN partners p ON p.id = c.provider_id "
#define SESSION_COLS "id, public_id, course_id, starts_at, capacity, seats_taken"
/* Words one course may hold in course_terms: more than a 5,000-byte text has. */
#define TERMS_PER_COURSE 2600

const char *courses_code(int outcome)
{
    switch (outcome) {
    case DB_ENOTFOUND: return "course.not_found";
    case COURSES_NOT_EDITABLE: return "course.not_editable";
    case COURSES_BAD_STATE: return "course.bad_state";
    case COURSES_NO_SESSIONS: return "course.no_sessions";
    case COURSES_ONE_SESSION: return "session.self_paced_single";
    case COURSES_TOO_MANY_SESSIONS: return "session.too_many";
    default: return NULL;
    }
}

/* ---- reading rows ---- */

static void read_course(db_rows *r, struct course *c)
{
    memset(c, 0, sizeof *c);
    c->id = db_int(r, 0);
    str_copy(c->public_id, sizeof c->public_id, db_text(r, 1));
    c->provider_id = db_int(r, 2);
    str_copy(c->provider_public_id, sizeof c->provider_public_id, db_text(r, 3));
    str_copy(c->title, sizeof c->title, db_text(r, 4));
    str_copy(c->category, sizeof c->category, db_text(r, 5));
    str_copy(c->level, sizeof c->level, db_text(r, 6));
    str_copy(c->purpose, sizeof c->purpose, db_text(r, 7));
    str_copy(c->mode, sizeof c->mode, db_text(r, 8));
    c->hours = (int)db_int(r, 9);
    c->price = db_int(r, 10);
    str_copy(c->regency_code, sizeof c->regency_code, db_text(r, 11));
    str_copy(c->status, sizeof c->status, db_text(r, 12));
    str_copy(c->provider_name, sizeof c->provider_name, db_text(r, 13));
    c->rating_sum = db_int(r, 14);
    c->rating_count = db_int(r, 15);
    c->created_at = db_int(r, 16);
    c->updated_at = db_int(r, 17);
    c->reviewed_at = db_isnull(r, 18) ? 0 : db_int(r, 18);
}

static void read_session(db_rows *r, struct course_session *s)
{
    memset(s, 0, sizeof *s);
    s->id = db_int(r, 0);
    str_copy(s->public_id, sizeof s->public_id, db_text(r, 1));
    s->course_id = db_int(r, 2);
    s->starts_at = db_isnull(r, 3) ? 0 : db_int(r, 3);
    s->capacity = (int)db_int(r, 4);
    s->seats_taken = (int)db_int(r, 5);
}

static int one_course(db *d, const char *sql, db_val key, struct course *out)
{
    db_rows *r = NULL;
    int rc = db_query(d, sql, &key, 1, &r);
    if (rc == DB_OK) {
        rc = db_step(r);
        if (rc == DB_ROW) {
            read_course(r, out);
            rc = DB_OK;
        } else if (rc == DB_DONE) {
            rc = DB_ENOTFOUND;
        }
    }
    db_rows_free(r);
    return rc;
}

static int one_session(db *d, const char *sql, db_val key, struct course_session *out)
{
    db_rows *r = NULL;
    int rc = db_query(d, sql, &key, 1, &r);
    if (rc == DB_OK) {
        rc = db_step(r);
        if (rc == DB_ROW) {
            read_session(r, out);
            rc = DB_OK;
        } else if (rc == DB_DONE) {
            rc = DB_ENOTFOUND;
        }
    }
    db_rows_free(r);
    return rc;
}

int courses_by_public_id(db *d, const char *public_id, struct course *out)
{
    return one_course(d, "SELECT " COURSE_COLS COURSE_FROM "WHERE c.public_id = $1",
                      DB_TEXT(public_id), out);
}

int courses_by_id(db *d, int64_t id, struct course *out)
{
    return one_course(d, "SELECT " COURSE_COLS COURSE_FROM "WHERE c.id = $1", DB_INT(id), out);
}

int courses_text(db *d, int64_t course_id, struct course_text *out)
{
    db_val key = DB_INT(course_id);
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT description, address, reject_reason FROM courses WHERE id = $1",
                      &key, 1, &r);
    if (rc == DB_OK) {
        rc = db_step(r);
        if (rc == DB_ROW) {
            str_copy(out->description, sizeof out->description, db_text(r, 0));
            str_copy(out->address, sizeof out->address, db_text(r, 1));
            str_copy(out->reject_reason, sizeof out->reject_reason, db_text(r, 2));
            rc = DB_OK;
        } else if (rc == DB_DONE) {
            rc = DB_ENOTFOUND;
        }
    }
    db_rows_free(r);
    return rc;
}

int courses_session_by_public_id(db *d, const char *public_id, struct course_session *out)
{
    return one_session(d, "SELECT " SESSION_COLS " FROM course_sessions WHERE public_id = $1",
                       DB_TEXT(public_id), out);
}

int courses_session_by_id(db *d, int64_t id, struct course_session *out)
{
    return one_session(d, "SELECT " SESSION_COLS " FROM course_sessions WHERE id = $1",
                       DB_INT(id), out);
}

int courses_sessions(db *d, int64_t course_id, struct course_session *out, int max, int *n)
{
    db_val key = DB_INT(course_id);
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT " SESSION_COLS " FROM course_sessions WHERE course_id = $1 "
                         "ORDER BY COALESCE(starts_at, 0), id", &key, 1, &r);
    *n = 0;
    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW)
        if (*n < max)
            read_session(r, &out[(*n)++]);
    if (rc == DB_DONE)
        rc = DB_OK;
out:
    db_rows_free(r);
    return rc;
}

int courses_single_session(db *d, int64_t course_id, struct course_session *out)
{
    db_val key = DB_INT(course_id);
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT " SESSION_COLS " FROM course_sessions WHERE course_id = $1 "
                         "ORDER BY id LIMIT 2", &key, 1, &r);
    int n = 0;
    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW) {
        if (n++ == 0)
            read_session(r, out);
    }
    if (rc != DB_DONE)
        goto out;
    rc = n == 1 ? DB_OK : DB_ENOTFOUND;
out:
    db_rows_free(r);
    return rc;
}

/* ---- seats and ratings (used by purchases) ---- */

int courses_take_seat(db *d, int64_t session_id, int *taken)
{
    db_val p[] = {DB_INT(session_id)};
    int64_t changes = 0;
    int rc = db_run(d, "UPDATE course_sessions SET seats_taken = seats_taken + 1 "
                       "WHERE id = $1 AND seats_taken < capacity", p, 1, &changes);
    *taken = rc == DB_OK && changes == 1;
    return rc;
}

int courses_release_seat(db *d, int64_t session_id)
{
    db_val p[] = {DB_INT(session_id)};
    return db_run(d, "UPDATE course_sessions SET seats_taken = seats_taken - 1 "
                     "WHERE id = $1 AND seats_taken > 0", p, 1, NULL);
}

int courses_add_rating(db *d, int64_t course_id, int stars)
{
    db_val p[] = {DB_INT(stars), DB_INT(course_id)};
    if (stars < 1 || stars > 5)
        return DB_ERR;
    return db_run(d, "UPDATE courses SET rating_sum = rating_sum + $1, "
                     "rating_count = rating_count + 1 WHERE id = $2", p, 2, NULL);
}

int courses_min_hours(db *d, int *out)
{
    int64_t v = 0;
    int rc = db_one_int(d, "SELECT COALESCE(MIN(min_course_hours), 0) FROM schemes", NULL, 0,
                        &v);
    *out = rc == DB_OK ? (int)v : 0;
    return rc;
}

/* ---- writing ---- */

/* Replaces the search words of course_id by those of title and description. */
static int write_terms(db *d, int64_t course_id, const char *title, const char *description)
{
    static const char *const cols[] = {"term", "course_id"};
    terms_word *words = malloc(sizeof *words * TERMS_PER_COURSE);
    db_val p = DB_INT(course_id);
    db_copy *c = NULL;
    int n, rc;

    if (!words)
        return DB_ERR;
    n = terms_split(title, strlen(title), words, TERMS_PER_COURSE, NULL);
    n = terms_add(description, strlen(description), words, n, TERMS_PER_COURSE, NULL);
    rc = db_run(d, "DELETE FROM course_terms WHERE course_id = $1", &p, 1, NULL);
    if (rc != DB_OK || n == 0)
        goto out;
    rc = db_copy_begin(d, "course_terms", cols, 2, &c);
    if (rc != DB_OK)
        goto out;
    for (int i = 0; i < n && rc == DB_OK; i++) {
        db_val row[] = {DB_TEXT(words[i]), DB_INT(course_id)};
        rc = db_copy_row(c, row);
    }
    {
        int end = db_copy_end(c, rc == DB_OK, NULL);
        if (rc == DB_OK)
            rc = end;
    }
out:
    free(words);
    return rc;
}

int courses_insert(db *d, int64_t provider_id, const struct course_fields *f, const char *status,
                   int64_t now, struct course *out)
{
    char pid[COURSES_PUBLIC_ID_LEN + 1];
    int64_t id = 0;
    int rc;

    accounts_new_public_id(pid);
    db_val p[] = {DB_TEXT(pid), DB_INT(provider_id), DB_TEXT(f->title), DB_TEXT(f->description),
                  DB_TEXT(f->category), DB_TEXT(f->level), DB_TEXT(f->purpose),
                  DB_TEXT(f->mode), DB_INT(f->hours), DB_INT(f->price),
                  DB_TEXT(f->regency_code), DB_TEXT(f->address),
                  DB_TEXT(status ? status : "draft"), DB_INT(now)};
    rc = db_one_int(d,
        "INSERT INTO courses (public_id, provider_id, title, description, category, level, "
        "purpose, mode, hours, price, regency_code, address, status, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
        p, (int)(sizeof p / sizeof p[0]), &id);
    if (rc != DB_OK)
        return rc;
    rc = write_terms(d, id, f->title, f->description);
    if (rc == DB_OK && out)
        rc = courses_by_id(d, id, out);
    return rc;
}

int courses_session_insert(db *d, int64_t course_id, int64_t starts_at, int capacity,
                           int64_t now, struct course_session *out)
{
    char pid[COURSES_PUBLIC_ID_LEN + 1];
    int64_t id = 0;
    int rc;

    accounts_new_public_id(pid);
    db_val p[] = {DB_TEXT(pid), DB_INT(course_id), starts_at ? DB_INT(starts_at) : DB_NULL,
                  DB_INT(capacity), DB_INT(now)};
    rc = db_one_int(d,
        "INSERT INTO course_sessions (public_id, course_id, starts_at, capacity, seats_taken, "
        "created_at) VALUES ($1, $2, $3, $4, 0, $5) RETURNING id", p, 5, &id);
    if (rc == DB_OK && out)
        rc = courses_session_by_id(d, id, out);
    return rc;
}

/* The provider's course public_id inside a transaction: DB_ENOTFOUND when
 * there is none or it belongs to another provider. */
static int own_course(db *d, int64_t provider_id, const char *public_id, struct course *c)
{
    int rc = courses_by_public_id(d, public_id, c);
    if (rc == DB_OK && c->provider_id != provider_id)
        rc = DB_ENOTFOUND;
    return rc;
}

struct write_ctx {
    int64_t provider_id;
    const char *public_id;
    const struct course_fields *f;
    int64_t now;
    const char *actor;
    struct course *out;
    /* sessions */
    int has_starts_at;
    int64_t starts_at;
    int capacity;
    struct field_error *err;
    struct course_session *session;
    /* reviews */
    int approve;
    const char *reason;
    int64_t reviewer;
};

static int create_txn(db *d, void *vctx)
{
    struct write_ctx *c = vctx;
    char detail[64];
    int rc = courses_insert(d, c->provider_id, c->f, "draft", c->now, c->out);
    if (rc != DB_OK)
        return rc;
    snprintf(detail, sizeof detail, "provider=%s", c->out->provider_public_id);
    return audit_append(d, c->now, c->actor, "course.create", c->out->public_id, detail);
}

int courses_create(db *d, int64_t provider_id, const struct course_fields *f, int64_t now,
                   const char *actor, struct course *out)
{
    struct write_ctx c = {.provider_id = provider_id, .f = f, .now = now, .actor = actor,
                          .out = out};
    return db_txn(d, create_txn, &c);
}

static int update_txn(db *d, void *vctx)
{
    struct write_ctx *c = vctx;
    const struct course_fields *f = c->f;
    struct course cur;
    int rc = own_course(d, c->provider_id, c->public_id, &cur);

    if (rc != DB_OK)
        return rc;
    if (strcmp(cur.status, "draft") != 0 && strcmp(cur.status, "rejected") != 0)
        return COURSES_NOT_EDITABLE;
    db_val p[] = {DB_TEXT(f->title), DB_TEXT(f->description), DB_TEXT(f->category),
                  DB_TEXT(f->level), DB_TEXT(f->purpose), DB_TEXT(f->mode), DB_INT(f->hours),
                  DB_INT(f->price), DB_TEXT(f->regency_code), DB_TEXT(f->address),
                  DB_INT(c->now), DB_INT(cur.id)};
    rc = db_run(d,
        "UPDATE courses SET title = $1, description = $2, category = $3, level = $4, "
        "purpose = $5, mode = $6, hours = $7, price = $8, regency_code = $9, address = $10, "
        "updated_at = $11, status = 'draft', reject_reason = NULL WHERE id = $12 "
        "AND status IN ('draft', 'rejected')", p, 12, NULL);
    if (rc == DB_OK)
        rc = write_terms(d, cur.id, f->title, f->description);
    if (rc == DB_OK)
        rc = audit_append(d, c->now, c->actor, "course.update", cur.public_id, NULL);
    if (rc == DB_OK)
        rc = courses_by_id(d, cur.id, c->out);
    return rc;
}

int courses_update(db *d, int64_t provider_id, const char *public_id,
                   const struct course_fields *f, int64_t now, const char *actor,
                   struct course *out)
{
    struct write_ctx c = {.provider_id = provider_id, .public_id = public_id, .f = f,
                          .now = now, .actor = actor, .out = out};
    return db_txn(d, update_txn, &c);
}

/* Moves the provider's course from one of the two states in from[] to to. */
static int move(db *d, struct write_ctx *c, const char *from0, const char *from1, const char *to,
                const char *action)
{
    struct course cur;
    int64_t changes = 0;
    int rc = own_course(d, c->provider_id, c->public_id, &cur);

    if (rc != DB_OK)
        return rc;
    db_val p[] = {DB_TEXT(to), DB_INT(c->now), DB_INT(cur.id), DB_TEXT(from0), DB_TEXT(from1)};
    rc = db_run(d, "UPDATE courses SET status = $1, updated_at = $2 WHERE id = $3 "
                   "AND status IN ($4, $5)", p, 5, &changes);
    if (rc != DB_OK)
        return rc;
    if (changes != 1)
        return COURSES_BAD_STATE;
    rc = audit_append(d, c->now, c->actor, action, cur.public_id, NULL);
    if (rc == DB_OK)
        rc = courses_by_id(d, cur.id, c->out);
    return rc;
}

static int submit_txn(db *d, void *vctx)
{
    return move(d, vctx, "draft", "rejected", "pending", "course.submit");
}

static int withdraw_txn(db *d, void *vctx)
{
    return move(d, vctx, "approved", "pending", "withdrawn", "course.withdraw");
}

int courses_submit(db *d, int64_t provider_id, const char *public_id, int64_t now,
                   const char *actor, struct course *out)
{
    struct write_ctx c = {.provider_id = provider_id, .public_id = public_id, .now = now,
                          .actor = actor, .out = out};
    return db_txn(d, submit_txn, &c);
}

int courses_withdraw(db *d, int64_t provider_id, const char *public_id, int64_t now,
                     const char *actor, struct course *out)
{
    struct write_ctx c = {.provider_id = provider_id, .public_id = public_id, .now = now,
                          .actor = actor, .out = out};
    return db_txn(d, withdraw_txn, &c);
}

static int session_txn(db *d, void *vctx)
{
    struct write_ctx *c = vctx;
    struct course cur;
    int64_t count = 0;
    char detail[64];
    int rc = own_course(d, c->provider_id, c->public_id, &cur);

    if (rc != DB_OK)
        return rc;
    if (strcmp(cur.status, "withdrawn") == 0)
        return COURSES_NOT_EDITABLE;
    if (catalog_session_check(cur.mode, c->has_starts_at, c->starts_at, c->capacity, c->now,
                              c->err, 1) > 0)
        return COURSES_INVALID;
    db_val p = DB_INT(cur.id);
    rc = db_one_int(d, "SELECT COUNT(*) FROM course_sessions WHERE course_id = $1", &p, 1,
                    &count);
    if (rc != DB_OK)
        return rc;
    if (!catalog_mode_live(cur.mode) && count > 0)
        return COURSES_ONE_SESSION;
    if (count >= CATALOG_SESSIONS_MAX)
        return COURSES_TOO_MANY_SESSIONS;
    rc = courses_session_insert(d, cur.id, c->has_starts_at ? c->starts_at : 0, c->capacity,
                                c->now, c->session);
    if (rc != DB_OK)
        return rc;
    snprintf(detail, sizeof detail, "course=%s", cur.public_id);
    return audit_append(d, c->now, c->actor, "course.session_add", c->session->public_id,
                        detail);
}

int courses_session_add(db *d, int64_t provider_id, const char *course_public_id,
                        int has_starts_at, int64_t starts_at, int capacity, int64_t now,
                        const char *actor, struct field_error *err, struct course_session *out)
{
    struct write_ctx c = {.provider_id = provider_id, .public_id = course_public_id,
                          .has_starts_at = has_starts_at, .starts_at = starts_at,
                          .capacity = capacity, .now = now, .actor = actor, .err = err,
                          .session = out};
    return db_txn(d, session_txn, &c);
}

static int review_txn(db *d, void *vctx)
{
    struct write_ctx *c = vctx;
    struct course cur;
    int64_t changes = 0, sessions = 0;
    int rc = courses_by_public_id(d, c->public_id, &cur);

    if (rc != DB_OK)
        return rc;
    if (strcmp(cur.status, "pending") != 0)
        return COURSES_BAD_STATE;
    if (c->approve) {
        db_val p = DB_INT(cur.id);
        rc = db_one_int(d, "SELECT COUNT(*) FROM course_sessions WHERE course_id = $1", &p, 1,
                        &sessions);
        if (rc != DB_OK)
            return rc;
        if (sessions == 0)
            return COURSES_NO_SESSIONS;
    }
    db_val p[] = {DB_TEXT(c->approve ? "approved" : "rejected"),
                  c->approve ? DB_NULL : DB_TEXT(c->reason),
                  c->reviewer > 0 ? DB_INT(c->reviewer) : DB_NULL, DB_INT(c->now),
                  DB_INT(cur.id)};
    rc = db_run(d, "UPDATE courses SET status = $1, reject_reason = $2, reviewed_by = $3, "
                   "reviewed_at = $4, updated_at = $4 WHERE id = $5 AND status = 'pending'",
                p, 5, &changes);
    if (rc != DB_OK)
        return rc;
    if (changes != 1)
        return COURSES_BAD_STATE;
    rc = audit_append(d, c->now, c->actor, c->approve ? "course.approve" : "course.reject",
                      cur.public_id, c->approve ? NULL : c->reason);
    if (rc == DB_OK)
        rc = courses_by_id(d, cur.id, c->out);
    return rc;
}

int courses_review(db *d, const char *public_id, int approve, const char *reason,
                   int64_t reviewer, int64_t now, const char *actor, struct course *out)
{
    struct write_ctx c = {.public_id = public_id, .approve = approve, .reason = reason,
                          .reviewer = reviewer, .now = now, .actor = actor, .out = out};
    return db_txn(d, review_txn, &c);
}

/* ---- search and lists ---- */

/* A statement being assembled: constant fragments and $n placeholders. */
struct sql {
    char text[2048];
    size_t len;
    db_val params[8 + 2 * COURSES_QUERY_WORDS];
    int n;
    int overflow;
};

static void sql_add(struct sql *s, const char *fragment)
{
    size_t len = strlen(fragment);
    if (s->len + len >= sizeof s->text) {
        s->overflow = 1;
        return;
    }
    memcpy(s->text + s->len, fragment, len + 1);
    s->len += len;
}

/* Appends fragment with each "?" replaced by the next parameter's $n, binding
 * the values given (as many as there are "?"). */
static void sql_bind(struct sql *s, const char *fragment, const db_val *vals)
{
    char num[16];
    for (const char *p = fragment; *p; p++) {
        if (*p != '?') {
            char one[2] = {*p, '\0'};
            sql_add(s, one);
            continue;
        }
        if (s->n >= (int)(sizeof s->params / sizeof s->params[0])) {
            s->overflow = 1;
            return;
        }
        s->params[s->n] = *vals++;
        snprintf(num, sizeof num, "$%d", ++s->n);
        sql_add(s, num);
    }
}

static int cursor_id(db *d, const char *public_id, int64_t *id)
{
    db_val p = DB_TEXT(public_id);
    return db_one_int(d, "SELECT id FROM courses WHERE public_id = $1", &p, 1, id);
}

/* Runs s and reads up to limit rows into out; *more when a row beyond. */
static int run_list(db *d, struct sql *s, int limit, struct course *out, int *n, int *more)
{
    db_rows *r = NULL;
    int rc;

    *n = 0;
    *more = 0;
    if (s->overflow)
        return DB_ERR;
    rc = db_query(d, s->text, s->params, s->n, &r);
    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW) {
        if (*n < limit)
            read_course(r, &out[(*n)++]);
        else
            *more = 1;
    }
    if (rc == DB_DONE)
        rc = DB_OK;
out:
    db_rows_free(r);
    return rc;
}

/* Assembles the search statement of q into s (ends holds the words' bounds). */
static int build_search(db *d, const struct courses_query *q, struct sql *s,
                        char ends[][TERMS_WORD_MAX + 2])
{
    int64_t after_id = 0;
    int rc;

    if (q->limit < 1 || q->limit > COURSES_PAGE_MAX || q->nwords < 0 ||
        q->nwords > COURSES_QUERY_WORDS)
        return DB_ERR;
    if (q->after_public_id) {
        rc = cursor_id(d, q->after_public_id, &after_id);
        if (rc != DB_OK)
            return rc;
    }
    sql_add(s, "SELECT " COURSE_COLS COURSE_FROM "WHERE c.status = 'approved'");
    if (q->category)
        sql_bind(s, " AND c.category = ?", (db_val[]){DB_TEXT(q->category)});
    if (q->mode)
        sql_bind(s, " AND c.mode = ?", (db_val[]){DB_TEXT(q->mode)});
    if (q->regency_code)
        sql_bind(s, " AND c.regency_code = ?", (db_val[]){DB_TEXT(q->regency_code)});
    if (q->level)
        sql_bind(s, " AND c.level = ?", (db_val[]){DB_TEXT(q->level)});
    if (q->min_price >= 0)
        sql_bind(s, " AND c.price >= ?", (db_val[]){DB_INT(q->min_price)});
    if (q->max_price >= 0)
        sql_bind(s, " AND c.price <= ?", (db_val[]){DB_INT(q->max_price)});
    if (q->after_public_id)
        sql_bind(s, " AND (c.price, c.id) > (?, ?)",
                 (db_val[]){DB_INT(q->after_price), DB_INT(after_id)});
    for (int i = 0; i < q->nwords; i++) {
        if (terms_prefix_end(q->words[i], ends[i]) != 0)
            return DB_ERR;
        sql_bind(s, " AND c.id IN (SELECT t.course_id FROM course_terms t "
                    "WHERE t.term >= ? AND t.term < ?)",
                 (db_val[]){DB_TEXT(q->words[i]), DB_TEXT(ends[i])});
    }
    sql_bind(s, " ORDER BY c.price, c.id LIMIT ?", (db_val[]){DB_INT(q->limit + 1)});
    return s->overflow ? DB_ERR : DB_OK;
}

int courses_search(db *d, const struct courses_query *q, struct course *out, int *n, int *more)
{
    struct sql s = {.len = 0};
    char ends[COURSES_QUERY_WORDS][TERMS_WORD_MAX + 2];
    int rc;

    *n = 0;
    *more = 0;
    rc = build_search(d, q, &s, ends);
    if (rc != DB_OK)
        return rc;
    return run_list(d, &s, q->limit, out, n, more);
}

int courses_search_explain(db *d, const struct courses_query *q, char *out, size_t outlen)
{
    struct sql s = {.len = 0};
    char ends[COURSES_QUERY_WORDS][TERMS_WORD_MAX + 2];
    int sqlite = db_engine(d) == DB_SQLITE;
    db_rows *r = NULL;
    size_t len = 0;
    int rc;

    if (outlen == 0)
        return DB_ERR;
    out[0] = '\0';
    sql_add(&s, sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ");
    rc = build_search(d, q, &s, ends);
    if (rc != DB_OK)
        return rc;
    rc = db_query(d, s.text, s.params, s.n, &r);
    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW) {
        const char *line = db_text(r, sqlite ? 3 : 0);
        int w = snprintf(out + len, outlen - len, "%s\n", line);
        if (w > 0 && (size_t)w < outlen - len)
            len += (size_t)w;
    }
    if (rc == DB_DONE)
        rc = DB_OK;
out:
    db_rows_free(r);
    return rc;
}

int courses_list(db *d, int64_t provider_id, const char *status, const char *after_public_id,
                 int limit, struct course *out, int *n, int *more)
{
    struct sql s = {.len = 0};
    int64_t after_id = 0;
    int rc;

    *n = 0;
    *more = 0;
    if (limit < 1 || limit > COURSES_PAGE_MAX)
        return DB_ERR;
    if (after_public_id) {
        rc = cursor_id(d, after_public_id, &after_id);
        if (rc != DB_OK)
            return rc;
    }
    sql_bind(&s, "SELECT " COURSE_COLS COURSE_FROM "WHERE c.id > ?",
             (db_val[]){DB_INT(after_id)});
    if (provider_id > 0)
        sql_bind(&s, " AND c.provider_id = ?", (db_val[]){DB_INT(provider_id)});
    if (status)
        sql_bind(&s, " AND c.status = ?", (db_val[]){DB_TEXT(status)});
    sql_bind(&s, " ORDER BY c.id LIMIT ?", (db_val[]){DB_INT(limit + 1)});
    return run_list(d, &s, limit, out, n, more);
}

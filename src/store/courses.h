/*
 * courses (store): the course catalog (migration 0006): courses of training
 * providers, their sessions, curation by admins and the catalog search.
 *
 * A course moves draft -> pending (submitted by its provider) -> approved or
 * rejected (by an admin, with a reason); a rejected course can be edited and
 * submitted again; an approved or pending one can be withdrawn by its provider.
 * Only draft and rejected courses can be edited. Only approved courses are on
 * sale and in the public catalog; approval needs at least one session.
 *
 * Search (courses_search): the words of a course's title and description
 * (core/terms.h) are kept in course_terms, rebuilt whenever the course is
 * written. A query word matches the courses holding a word that starts with it,
 * found by a range on course_terms' primary key (term >= w AND term < end, with
 * end from terms_prefix_end); every word of a query must match. Filters use the
 * courses_status_* indexes and pages are keyset pages in (price, id) order.
 *
 * Returns DB_OK, a negative DB_E*, or one of the positive COURSES_* outcomes
 * below, which name a stable API code through courses_code(). Lookups answer
 * DB_ENOTFOUND when there is no row. Functions that say "inside the caller's
 * db_txn" write without a transaction of their own; the others run their own
 * db_txn and append to the audit log in it.
 */
#ifndef PK_STORE_COURSES_H
#define PK_STORE_COURSES_H
#include <stddef.h>
#include <stdint.h>

#include "core/errors.h"
#include "core/terms.h"
#include "store/db.h"

#define COURSES_PUBLIC_ID_LEN 26
#define COURSES_TITLE_MAX 200
#define COURSES_DESCRIPTION_MAX 5000     /* bytes, as core/catalog.h allows */
#define COURSES_ADDRESS_MAX 300
#define COURSES_REASON_MAX 2000          /* bytes: 500 characters of up to 4 bytes */
#define COURSES_PAGE_MAX 100             /* rows of one courses_search / courses_list */
#define COURSES_QUERY_WORDS 8            /* words of one search */

struct course {
    int64_t id;
    char public_id[COURSES_PUBLIC_ID_LEN + 1];
    int64_t provider_id;
    char provider_public_id[27];
    char title[COURSES_TITLE_MAX + 1];
    char category[40];
    char level[16];               /* basic | high_skill */
    char purpose[16];             /* reskilling | upskilling | new_skill */
    char mode[16];                /* self_paced | webinar | offline | hybrid */
    int hours;
    int64_t price;                /* rupiah */
    char regency_code[8];         /* "" unless offline/hybrid */
    char status[12];              /* draft | pending | approved | rejected | withdrawn */
    /* Added by the catalog (issue 5): */
    char provider_name[128];      /* partners.name */
    int64_t rating_sum, rating_count;
    int64_t created_at, updated_at;
    int64_t reviewed_at;          /* 0 = never reviewed */
};

/* The long texts of a course, read only where a whole course is shown. */
struct course_text {
    char description[COURSES_DESCRIPTION_MAX + 1];
    char address[COURSES_ADDRESS_MAX + 1];          /* "" when none */
    char reject_reason[COURSES_REASON_MAX + 1];     /* "" unless rejected */
};

struct course_session {
    int64_t id;
    char public_id[COURSES_PUBLIC_ID_LEN + 1];
    int64_t course_id;
    int64_t starts_at;            /* 0 for self-paced */
    int capacity;
    int seats_taken;
};

enum {
    COURSES_NOT_EDITABLE = 200,   /* course.not_editable */
    COURSES_BAD_STATE,            /* course.bad_state */
    COURSES_NO_SESSIONS,          /* course.no_sessions */
    COURSES_ONE_SESSION,          /* session.self_paced_single */
    COURSES_TOO_MANY_SESSIONS,    /* session.too_many */
    COURSES_INVALID,              /* a field error was written (courses_session_add) */
};

/* The API code of a COURSES_* outcome (and "course.not_found" for
 * DB_ENOTFOUND); NULL for anything else. */
const char *courses_code(int outcome);

int courses_by_public_id(db *d, const char *public_id, struct course *out);
int courses_by_id(db *d, int64_t id, struct course *out);
int courses_text(db *d, int64_t course_id, struct course_text *out);
int courses_session_by_public_id(db *d, const char *public_id, struct course_session *out);
int courses_session_by_id(db *d, int64_t id, struct course_session *out);
/* The course's only session when it has exactly one (self-paced courses):
 * DB_ENOTFOUND when it has none or several. */
int courses_single_session(db *d, int64_t course_id, struct course_session *out);
/* The sessions of a course, starts_at order (self-paced first), at most max
 * (CATALOG_SESSIONS_MAX is all a course can have). */
int courses_sessions(db *d, int64_t course_id, struct course_session *out, int max, int *n);

/* Inside the caller's db_txn: takes one seat of session_id with a conditional
 * UPDATE (seats_taken < capacity). *taken = 1 when a seat was taken, 0 when the
 * session is full. courses_release_seat gives one back (a cancelled purchase). */
int courses_take_seat(db *d, int64_t session_id, int *taken);
int courses_release_seat(db *d, int64_t session_id);

/* Adds a rating (1..5) to the course's published stars. */
int courses_add_rating(db *d, int64_t course_id, int stars);

/* The smallest min_course_hours of all schemes (a course is sold under any
 * scheme); 0 when there is no scheme. */
int courses_min_hours(db *d, int *out);

/* A course's fields as checked by catalog_course_check (core/catalog.h);
 * regency_code and address NULL for courses without a place. */
struct course_fields {
    const char *title, *description, *category, *level, *purpose, *mode;
    const char *regency_code, *address;
    int hours;
    int64_t price;
};

/* Inside the caller's db_txn: inserts a course of provider_id with status
 * (draft unless the caller, such as the demo, says otherwise) and its search
 * words; *out (may be NULL) gets the new row. No audit entry, no checks. */
int courses_insert(db *d, int64_t provider_id, const struct course_fields *f, const char *status,
                   int64_t now, struct course *out);
/* Inside the caller's db_txn: adds a session without checks; starts_at 0 = none. */
int courses_session_insert(db *d, int64_t course_id, int64_t starts_at, int capacity,
                           int64_t now, struct course_session *out);

/* Creates a draft course of provider_id (audited "course.create" by actor). */
int courses_create(db *d, int64_t provider_id, const struct course_fields *f, int64_t now,
                   const char *actor, struct course *out);
/* Replaces the fields of the provider's course public_id: DB_ENOTFOUND when it
 * is not theirs, COURSES_NOT_EDITABLE unless draft or rejected (a rejected
 * course goes back to draft and loses its reason). */
int courses_update(db *d, int64_t provider_id, const char *public_id,
                   const struct course_fields *f, int64_t now, const char *actor,
                   struct course *out);
/* draft or rejected -> pending; COURSES_BAD_STATE otherwise. */
int courses_submit(db *d, int64_t provider_id, const char *public_id, int64_t now,
                   const char *actor, struct course *out);
/* approved or pending -> withdrawn (off sale; purchases made stay valid);
 * COURSES_BAD_STATE otherwise. */
int courses_withdraw(db *d, int64_t provider_id, const char *public_id, int64_t now,
                     const char *actor, struct course *out);
/* Adds a session to the provider's course. The session is checked against the
 * course's mode in the same transaction (catalog_session_check): a failure
 * returns COURSES_INVALID with *err filled. COURSES_NOT_EDITABLE for a
 * withdrawn course, COURSES_ONE_SESSION for a second session of a self-paced
 * course, COURSES_TOO_MANY_SESSIONS past CATALOG_SESSIONS_MAX. */
int courses_session_add(db *d, int64_t provider_id, const char *course_public_id,
                        int has_starts_at, int64_t starts_at, int capacity, int64_t now,
                        const char *actor, struct field_error *err, struct course_session *out);
/* An admin's decision on a pending course: approve (reason NULL) or reject with
 * reason. reviewer is the admin's account id (0 from the command line).
 * COURSES_BAD_STATE unless pending; COURSES_NO_SESSIONS when approving a course
 * without a session. Audited "course.approve" / "course.reject". */
int courses_review(db *d, const char *public_id, int approve, const char *reason,
                   int64_t reviewer, int64_t now, const char *actor, struct course *out);

/* The public catalog search. NULL / negative members are not filters. */
struct courses_query {
    const char *category, *mode, *level, *regency_code;
    int64_t min_price, max_price;        /* -1 = none */
    const terms_word *words;             /* every word must match by prefix */
    int nwords;                          /* 0..COURSES_QUERY_WORDS */
    const char *after_public_id;         /* the cursor: the last course of the page */
    int64_t after_price;                 /* before; NULL = the first page */
    int limit;                           /* 1..COURSES_PAGE_MAX */
};
/* Approved courses matching q in (price, id) order, at most q->limit into out
 * (room for limit); *more = 1 when there are more after them. DB_ENOTFOUND when
 * the cursor's course does not exist. */
int courses_search(db *d, const struct courses_query *q, struct course *out, int *n, int *more);

/* The engine's plan for courses_search(q) (SQLite's EXPLAIN QUERY PLAN details
 * or PostgreSQL's EXPLAIN lines, one per line) into out, cut to fit; for tests
 * and operators checking that a search uses the indexes. */
int courses_search_explain(db *d, const struct courses_query *q, char *out, size_t outlen);

/* Courses of one provider (provider_id > 0) or of all, of one status (NULL =
 * any), in id order after the course after_public_id (NULL = from the start),
 * at most limit (<= COURSES_PAGE_MAX); *more as above. DB_ENOTFOUND for an
 * unknown cursor. */
int courses_list(db *d, int64_t provider_id, const char *status, const char *after_public_id,
                 int limit, struct course *out, int *n, int *more);

#endif

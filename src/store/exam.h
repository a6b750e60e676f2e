/*
 * exam (store): the basic test's question bank and attempts (migrations 0003 and
 * 0004). Questions are read whole into struct exam_question; an attempt row into
 * struct exam_attempt with its scheme's code. Public attempt ids are made like
 * account ids (16 random bytes, 26 base32 characters).
 *
 * The once-a-day rule is the table's UNIQUE (account_id, day) constraint:
 * exam_attempt_insert answers DB_ECONSTRAINT when the person already has an
 * attempt on that WIB day, whoever raced whom. Submitting is one conditional
 * UPDATE (... WHERE submitted_at IS NULL), so of two concurrent submits exactly
 * one records its answers.
 *
 * Every function returns DB_OK or a negative DB_E*; lookups answer DB_ENOTFOUND
 * when there is no row.
 */
#ifndef PK_STORE_EXAM_H
#define PK_STORE_EXAM_H
#include <stdint.h>

#include "core/exam.h"
#include "core/scheme.h"
#include "store/db.h"

#define EXAM_PUBLIC_ID_LEN 26
#define EXAM_TEXT_MAX 1000          /* bytes of a question's text, per language */
#define EXAM_OPTIONS_MAX 1000       /* bytes of a question's joined options, per language */
#define EXAM_POOL_MAX 2000          /* active questions exam_pool reads at most */

/* *passed_out = 1 when account_id has a submitted attempt whose score (percent)
 * is at least pass_mark, else 0. DB_OK or a negative DB_E*. */
int exam_passed(db *d, int64_t account_id, int pass_mark, int *passed_out);

struct exam_question {
    int64_t id;
    char code[32];
    int category;                   /* enum exam_category; -1 if the row holds another */
    char text_id[EXAM_TEXT_MAX + 1];
    char text_en[EXAM_TEXT_MAX + 1];
    char options_id[EXAM_OPTIONS_MAX + 1];   /* choices joined by '\n' */
    char options_en[EXAM_OPTIONS_MAX + 1];
    int answer;                     /* 0-based index of the right choice: never sent */
    int active;
};

struct exam_attempt {
    int64_t id;
    char public_id[EXAM_PUBLIC_ID_LEN + 1];
    int64_t account_id;
    int64_t scheme_id;
    char scheme_code[SCHEME_CODE_MAX + 1];   /* read from schemes; ignored on insert */
    char day[11];                   /* WIB date of started_at, "YYYY-MM-DD" */
    char question_ids[EXAM_LIST_MAX];        /* comma list, in the order shown */
    int total;
    int64_t started_at, deadline_at;
    int64_t submitted_at;           /* 0 = not submitted */
    char answers[EXAM_LIST_MAX];    /* comma list, -1 unanswered; "" when not recorded */
    int correct, score, passed;     /* -1 until submitted */
};

/* The active questions as (id, category), by id, into out (up to max; more is
 * DB_ERR); *n gets how many. */
int exam_pool(db *d, struct exam_item *out, int max, int *n);

/* The question with this id, active or not. */
int exam_question_get(db *d, int64_t id, struct exam_question *out);

/* The questions of ids[0..n) in that order into out; DB_ENOTFOUND when one is
 * missing. */
int exam_questions_get(db *d, const int64_t *ids, int n, struct exam_question *out);

/* Inserts a started attempt from account_id, scheme_id, question_ids, total,
 * started_at and deadline_at of a; fills a->id, a->public_id and a->day (the WIB
 * date of started_at) and marks it unsubmitted. DB_ECONSTRAINT when the account
 * already has an attempt that day. Call inside db_txn. */
int exam_attempt_insert(db *d, struct exam_attempt *a);

/* The attempt with this public id, with its scheme's code. */
int exam_attempt_get(db *d, const char *public_id, struct exam_attempt *out);

/* Records a submit of attempt id at now, only if it is not submitted yet:
 * answers (comma list; NULL stores NULL), correct, score and passed (0/1).
 * *updated = 1 when this call recorded it, 0 when the attempt was already
 * submitted (or does not exist). Call inside db_txn. */
int exam_attempt_submit(db *d, int64_t id, int64_t now, const char *answers, int correct,
                        int score, int passed, int *updated);

/* The newest max attempts of account_id (by started_at, then id, newest first)
 * into out; *n gets how many. */
int exam_attempts_list(db *d, int64_t account_id, struct exam_attempt *out, int max, int *n);

/* *found = 1 when account_id has an attempt on day ("YYYY-MM-DD", WIB), else 0. */
int exam_attempt_on_day(db *d, int64_t account_id, const char *day, int *found);

/* *passed_out = 1 when any submitted attempt of account_id was recorded as passed
 * (under its own scheme's pass mark), else 0. */
int exam_ever_passed(db *d, int64_t account_id, int *passed_out);

#endif

/*
 * exam: the basic test (tes kemampuan dasar) in pure C: which questions an
 * attempt gets, how it is scored, and the text forms an attempt is stored in.
 *
 * Questions belong to one of three categories (motivation, verbal,
 * quantitative). An attempt of n questions takes them round-robin over the
 * categories, in that order, each category's questions in a random order, so the
 * categories stay balanced (20 questions: 7 motivation, 7 verbal, 6 quantitative)
 * and no question repeats. A category that runs out is skipped. The randomness
 * comes from the caller as bytes (store and API use libsodium), so this module
 * has no I/O and the same bytes always give the same draw.
 *
 * Stored forms (migration 0003): question ids and answers are comma lists in the
 * order shown ("12,5,33" and "2,-1,0"; -1 = no answer); a question's options are
 * its choices joined by '\n'.
 */
#ifndef PK_CORE_EXAM_H
#define PK_CORE_EXAM_H
#include <stddef.h>
#include <stdint.h>

#define EXAM_MAX_QUESTIONS 100      /* per attempt (scheme test_questions <= 100) */
#define EXAM_MAX_OPTIONS 8          /* choices per question */
#define EXAM_GRACE_SECONDS 30       /* a submit this late after deadline_at still counts */
/* Bytes a comma list of EXAM_MAX_QUESTIONS ids or answers needs at most, with NUL. */
#define EXAM_LIST_MAX (EXAM_MAX_QUESTIONS * 21)
/* Random bytes exam_pick needs for a pool of npool questions. */
#define EXAM_RANDOM_BYTES(npool) ((size_t)(npool) * 8)

enum exam_category {
    EXAM_MOTIVATION = 0,
    EXAM_VERBAL = 1,
    EXAM_QUANTITATIVE = 2,
    EXAM_NCATEGORIES = 3,
};

/* "motivation", "verbal", "quantitative"; NULL for anything else. */
const char *exam_category_name(int category);
/* The category named s, or -1. */
int exam_category_parse(const char *s);

/* One question of the pool an attempt is drawn from. */
struct exam_item {
    int64_t id;                     /* unique within the pool */
    int category;                   /* enum exam_category */
};

/* Draws min(n, npool) questions from pool as described above into out (ids, in the
 * order to show). rnd holds EXAM_RANDOM_BYTES(npool) random bytes. Items with an
 * unknown category are never drawn. Returns how many were drawn (0 for an empty
 * pool), or -1 when n or npool is negative, n exceeds EXAM_MAX_QUESTIONS or memory
 * for npool indexes cannot be had. */
int exam_pick(const struct exam_item *pool, int npool, int n, const unsigned char *rnd,
              size_t rndlen, int64_t *out);

struct exam_result {
    int correct;
    int total;
    int score;                      /* percent, rounded down */
    int passed;                     /* 0/1: score >= pass_mark */
};

/* Scores n answers (choice index, -1 = unanswered) against key (the right choice
 * of each question, same order). n = 0 scores 0. */
struct exam_result exam_score(const int *key, const int *answers, int n, int pass_mark);

/* 1 when a submit at now is in time for an attempt due at deadline_at (the
 * deadline plus EXAM_GRACE_SECONDS, inclusive), else 0. */
int exam_in_time(int64_t now, int64_t deadline_at);

/* Writes the WIB (Asia/Jakarta) calendar date of t as "YYYY-MM-DD": the day the
 * once-a-day rule counts in. */
void exam_day_wib(int64_t t, char out[11]);

/* Writes n integers as a comma list ("12,5,-1") into out. Returns 0, or -1 when it
 * does not fit in outlen (out then holds ""). */
int exam_list_format(const int64_t *v, int n, char *out, size_t outlen);
/* Parses a comma list of decimal integers (a leading '-' allowed, no spaces) into
 * v, at most max. "" is an empty list. Returns how many, or -1 when s is malformed
 * or holds more than max. */
int exam_list_parse(const char *s, int64_t *v, int max);

/* One choice of a question: a span of its joined options text. */
struct exam_span {
    const char *s;
    size_t len;
};
/* Splits options text joined by '\n' into at most max spans (pointing into s).
 * Returns how many, or -1 when there are more than max or one is empty. */
int exam_options_split(const char *s, struct exam_span *out, int max);

#endif

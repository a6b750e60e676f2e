/*
 * waves (store): waves, their quotas, applications and the selection draw
 * (migration 0003), wired to core/draw.c, core/quota.c, store/eligibility.c and
 * store/beneficiaries.c.
 *
 * The clock. A wave's stored status moves scheduled -> open -> closed -> drawn.
 * What callers see is the effective status at a time `now` (waves_status):
 * a scheduled wave is open from opens_at and closed from closes_at, an open one
 * closed from closes_at, whether or not the stored row has caught up yet.
 * waves_tick persists those moves (and runs the eligibility re-check of every
 * wave whose close time passed); admins can also open a scheduled wave early
 * or close an open one early.
 *
 * Functions marked [txn] are one whole unit of work: they run their own db_txn
 * (nested inside a caller's db_txn they join it). They return DB_OK, a negative
 * DB_E*, or one of the positive WAVES_* outcomes below, which name a stable API
 * code through waves_code(). Times are Unix seconds UTC.
 */
#ifndef PK_STORE_WAVES_H
#define PK_STORE_WAVES_H
#include <stddef.h>
#include <stdint.h>

#include "core/draw.h"
#include "core/eligibility.h"
#include "core/quota.h"
#include "core/scheme.h"
#include "store/db.h"
#include "store/eligibility.h"

#define WAVES_NUMBER_MAX 1000000
#define WAVES_PUBLIC_ID_LEN 26           /* application public ids, like accounts' */

enum waves_outcome {                     /* > 0, so never a DB_* status */
    WAVES_NOT_FOUND = 100,               /* wave.not_found */
    WAVES_NUMBER_TAKEN,                  /* wave.number_taken */
    WAVES_BAD_STATE,                     /* wave.bad_state */
    WAVES_NOT_OPEN,                      /* wave.not_open */
    WAVES_ALREADY_DRAWN,                 /* wave.already_drawn */
    WAVES_NOT_DRAWN,                     /* wave.not_drawn */
    WAVES_SEED_MISMATCH,                 /* wave.seed_mismatch */
    WAVES_NONE_OPEN,                     /* wave.none_open */
    WAVES_ALREADY_OPEN,                  /* application.already_open */
    WAVES_APP_NOT_FOUND,                 /* application.not_found */
    WAVES_NOT_CARRYABLE,                 /* application.not_carryable */
    WAVES_SCHEME_NOT_FOUND,              /* scheme.unknown */
    WAVES_QUOTA_REGENCY,                 /* wave.quotas_unknown_regency */
};

/* The API code of a WAVES_* outcome; NULL for anything else. */
const char *waves_code(int outcome);

struct wave {
    int64_t id;
    int number;
    int64_t scheme_id;
    char scheme[SCHEME_CODE_MAX + 1];    /* the scheme's code */
    int64_t opens_at, closes_at;
    int64_t total_quota;                 /* seats, refill_seats included */
    char quota_mode[16];                 /* csv | proportional */
    int64_t quota_floor;
    char spill_rule[32];                 /* a draw_rule_name */
    char seed_commitment[65];
    char seed[2 * 64 + 1];               /* hex; "" until drawn */
    int64_t refill_seats;
    char stored_status[12];              /* as in the row */
    const char *status;                  /* effective at the time read (static) */
    int64_t closed_at, drawn_at, created_at;   /* 0 = not yet */
};

struct wave_counts {
    int64_t applications;                /* every application of the wave */
    int64_t eligible;                    /* eligible, and after the draw selected,
                                            not_selected and carried_over */
    int64_t ineligible;
    int64_t selected;
};

/* The effective status ("scheduled", "open", "closed", "drawn"; static) of a
 * wave stored as `stored` with those times, at now. */
const char *waves_status(const char *stored, int64_t opens_at, int64_t closes_at, int64_t now);

/* A wave by number, w->status effective at now. DB_ENOTFOUND when none. */
int waves_get(db *d, int number, int64_t now, struct wave *out);
int waves_counts(db *d, int64_t wave_id, struct wave_counts *out);
/* Calls fn for every wave, highest number first; a non-zero return stops and is
 * returned. */
int waves_each(db *d, int64_t now, int (*fn)(const struct wave *w, void *ctx), void *ctx);

struct wave_new {
    int number;
    const char *scheme;                  /* code */
    int64_t opens_at, closes_at;
    int64_t total_quota;                 /* before refill seats */
    const char *quota_mode;              /* csv | proportional */
    int64_t quota_floor;
    const char *spill_rule;              /* a draw_rule_name */
    char seed_commitment[65];            /* lower-case hex */
    int refill;                          /* take every revoked seat not yet refilled */
    const struct quota_row *quotas;      /* csv mode: summing to total_quota */
    size_t nquotas;
    int64_t created_by;                  /* account id; 0 = none (the CLI) */
    const char *actor;                   /* audit log actor */
};

/* [txn] Creates the wave (inputs already validated) and its wave_quotas rows.
 * With refill, every revoked seat not yet refilled is taken (refilled_by = the
 * wave) and added to total_quota and refill_seats, and in csv mode to the quota
 * of the regency it was revoked in. WAVES_NUMBER_TAKEN, WAVES_SCHEME_NOT_FOUND,
 * WAVES_QUOTA_REGENCY (a quota row for a code not in the regions table). */
int waves_create(db *d, const struct wave_new *in, int64_t now, struct wave *out);

/* [txn] Opens a wave that is scheduled now (opens_at becomes now if later). */
int waves_open(db *d, int number, int64_t now, const char *actor, struct wave *out);
/* [txn] Closes a wave that is open now, or whose close time has passed while the
 * row still says scheduled/open, and re-checks every application's eligibility
 * (elig_check_wave). WAVES_BAD_STATE for scheduled, closed and drawn waves. */
int waves_close(db *d, const struct elig_env *env, int number, int64_t now, const char *actor,
                struct wave *out);
/* Moves the stored status of every wave to its effective one: scheduled waves
 * whose opens_at passed become open; waves whose closes_at passed are closed as
 * by waves_close (one transaction each). *opened and *closed (may be NULL) count
 * them. Returns the first failure, after trying every wave. */
int waves_tick(db *d, const struct elig_env *env, int64_t now, int *opened, int *closed);

struct application {
    int64_t id;
    char public_id[WAVES_PUBLIC_ID_LEN + 1];
    int64_t wave_id;
    int wave;                            /* the wave's number */
    int64_t account_id;
    char status[16];                     /* submitted | eligible | ineligible | selected |
                                            not_selected | carried_over */
    char regency_code[8];
    uint32_t tier;
    int stage;                           /* enum draw_stage; 0 before the draw */
    int is_open;
    int64_t created_at, checked_at;      /* checked_at 0 = never */
};

/* One recorded eligibility rule of an application. */
struct waves_elig {
    char rule[32];
    int passed;
    char reason[64];                     /* "" when passed */
};

/* [txn] account_id applies to wave number: the wave must be open now
 * (WAVES_NOT_OPEN), the person must have no open application in any wave
 * (WAVES_ALREADY_OPEN). tier = scheme_tier(scheme, occupation), regency = the
 * account's domicile regency. Eligibility is checked at once (with env) in the
 * same transaction. */
int waves_apply(db *d, const struct elig_env *env, int number, int64_t account_id, int64_t now,
                struct application *out);
/* [txn] Carries account_id's not_selected application (public id) over to the
 * lowest-numbered later wave that is scheduled or open now: a new application
 * there (checked at once), the old one carried_over. WAVES_APP_NOT_FOUND (none,
 * or another person's), WAVES_NOT_CARRYABLE, WAVES_NONE_OPEN. */
int waves_carry_over(db *d, const struct elig_env *env, const char *public_id,
                     int64_t account_id, int64_t now, struct application *out);
/* An account's applications, newest first (at most max into out, *n how many). */
int waves_applications_of(db *d, int64_t account_id, struct application *out, int max, int *n);
/* The recorded eligibility results of an application, in rule order (at most
 * ELIG_NRULES). */
int waves_eligibility_of(db *d, int64_t application_id, struct waves_elig out[ELIG_NRULES],
                         int *n);

struct waves_draw_stats {
    int64_t eligible;                    /* applications in the draw */
    int64_t seats;                       /* the quotas' sum */
    int64_t selected;
    int64_t by_stage[4];                 /* by enum draw_stage; [0] not selected */
    int64_t unfilled;
    int64_t floor_used;                  /* proportional: the floor applied (capped at
                                            total / regencies with applicants) */
};

typedef void (*waves_progress_fn)(void *ctx, const char *what, long done, long total);

/* [txn] Runs the draw of wave number with seed (16..64 bytes), all or nothing:
 * SHA-256(seed) must be the wave's commitment (WAVES_SEED_MISMATCH); a drawn wave
 * is WAVES_ALREADY_DRAWN, one still scheduled WAVES_BAD_STATE; an open one is
 * closed first (eligibility re-checked). Then every eligible application gets its
 * key (store/drawkey.h) and the draw of core/draw.h runs over every regency of
 * the regions table with the wave's quotas (csv rows, or proportional to the
 * eligible applicants with the floor; the quotas used are stored in wave_quotas
 * for every regency, 0 included). Each drawn application gets its key, stage and
 * status selected / not_selected; every application of the wave is closed
 * (is_open = 0); each selected one becomes a beneficiary (beneficiaries_issue);
 * the wave becomes drawn with its seed. progress (may be NULL) is told what runs. */
int waves_draw(db *d, const struct elig_env *env, int number, const unsigned char *seed,
               size_t seedlen, int64_t now, const char *actor, waves_progress_fn progress,
               void *pctx, struct waves_draw_stats *st, struct wave *out);

/* Writes the audit file of a drawn wave (docs/draw.md) through write (a non-zero
 * return stops it: DB_ERR, with the writer's status in db_errmsg): the rule, the seed commitment, a #quota row for
 * every regency of wave_quotas, and a row for every application that took part,
 * sorted by public id, then #end. Everything comes from the stored rows, so the
 * file can be made again at any time. WAVES_NOT_DRAWN before the draw. */
int waves_audit_file(db *d, int number, int (*write)(void *ctx, const char *p, size_t n),
                     void *ctx);

#endif

/*
 * waves (store): SQL and orchestration behind waves.h.
 *
 * Every entry point that changes something is one db_txn whose function does
 * all of its work (and frees all it allocated) on each attempt, since db_txn
 * runs it again after a conflict. Outcomes that are answers rather than
 * failures (wave.not_open, application.already_open, ...) are positive statuses
 * returned by the transaction function, so db_txn rolls back and hands them on.
 *
 * The draw (waves_draw) reads the eligible applications of the wave in one
 * query, computes their keys and runs core/draw.c in memory, then writes the
 * outcome set-wise: the rows go by db_copy (COPY on PostgreSQL) into the
 * connection's temporary table wave_draw_result and one UPDATE ... FROM joins
 * them onto applications; beneficiaries are issued the same way. Regencies are
 * the regions table's (all 514), indexed in code order, each regency's province
 * being its first two digits, so the audit file can name every regency's quota
 * (0 included) and anyone can rerun the draw from it.
 *
 * The audit file is generated from the stored rows, in one read snapshot, with
 * the rows sorted by public id in memory (strcmp order), so that the file does
 * not depend on the engine's collation.
 */
#include "store/waves.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/drawfile.h"
#include "store/accounts.h"
#include "store/audit.h"
#include "store/beneficiaries.h"
#include "store/db_driver.h"
#include "store/drawkey.h"
#include "store/schemes.h"
#include "util/str.h"

#define NCODES 10000                     /* regency codes DDdd */
#define WAVE_COLS "w.id, w.number, w.scheme_id, s.code, w.opens_at, w.closes_at, " \
                  "w.total_quota, w.quota_mode, w.quota_floor, w.spill_rule, "       \
                  "w.seed_commitment, w.seed, w.refill_seats, w.status, w.closed_at, " \
                  "w.drawn_at, w.created_at"
#define WAVE_FROM " FROM waves w JOIN schemes s ON s.id = w.scheme_id "
#define APP_COLS "a.id, a.public_id, a.wave_id, w.number, a.account_id, a.status, " \
                 "a.regency_code, a.tier, a.stage, a.is_open, a.created_at, a.checked_at"

const char *waves_code(int outcome)
{
    switch (outcome) {
    case WAVES_NOT_FOUND: return "wave.not_found";
    case WAVES_NUMBER_TAKEN: return "wave.number_taken";
    case WAVES_BAD_STATE: return "wave.bad_state";
    case WAVES_NOT_OPEN: return "wave.not_open";
    case WAVES_ALREADY_DRAWN: return "wave.already_drawn";
    case WAVES_NOT_DRAWN: return "wave.not_drawn";
    case WAVES_SEED_MISMATCH: return "wave.seed_mismatch";
    case WAVES_NONE_OPEN: return "wave.none_open";
    case WAVES_ALREADY_OPEN: return "application.already_open";
    case WAVES_APP_NOT_FOUND: return "application.not_found";
    case WAVES_NOT_CARRYABLE: return "application.not_carryable";
    case WAVES_SCHEME_NOT_FOUND: return "scheme.unknown";
    case WAVES_QUOTA_REGENCY: return "wave.quotas_unknown_regency";
    default: return NULL;
    }
}

const char *waves_status(const char *stored, int64_t opens_at, int64_t closes_at, int64_t now)
{
    if (strcmp(stored, "drawn") == 0)
        return "drawn";
    if (strcmp(stored, "closed") == 0 || now >= closes_at)
        return "closed";
    if (strcmp(stored, "open") == 0 || now >= opens_at)
        return "open";
    return "scheduled";
}

/* ---- reading ---- */

static void read_wave(db_rows *r, int64_t now, struct wave *w)
{
    memset(w, 0, sizeof *w);
    w->id = db_int(r, 0);
    w->number = (int)db_int(r, 1);
    w->scheme_id = db_int(r, 2);
    str_copy(w->scheme, sizeof w->scheme, db_text(r, 3));
    w->opens_at = db_int(r, 4);
    w->closes_at = db_int(r, 5);
    w->total_quota = db_int(r, 6);
    str_copy(w->quota_mode, sizeof w->quota_mode, db_text(r, 7));
    w->quota_floor = db_int(r, 8);
    str_copy(w->spill_rule, sizeof w->spill_rule, db_text(r, 9));
    str_copy(w->seed_commitment, sizeof w->seed_commitment, db_text(r, 10));
    str_copy(w->seed, sizeof w->seed, db_text(r, 11));
    w->refill_seats = db_int(r, 12);
    str_copy(w->stored_status, sizeof w->stored_status, db_text(r, 13));
    w->closed_at = db_int(r, 14);
    w->drawn_at = db_int(r, 15);
    w->created_at = db_int(r, 16);
    w->status = waves_status(w->stored_status, w->opens_at, w->closes_at, now);
}

int waves_get(db *d, int number, int64_t now, struct wave *out)
{
    db_val p = DB_INT(number);
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT " WAVE_COLS WAVE_FROM "WHERE w.number = $1", &p, 1, &r);
    if (rc == DB_OK) {
        rc = db_step(r);
        if (rc == DB_ROW) {
            read_wave(r, now, out);
            rc = DB_OK;
        } else if (rc == DB_DONE) {
            rc = DB_ENOTFOUND;
        }
    }
    db_rows_free(r);
    return rc;
}

/* waves_get inside a transaction function: WAVES_NOT_FOUND for no row. */
static int get_wave(db *d, int number, int64_t now, struct wave *w)
{
    int rc = waves_get(d, number, now, w);
    return rc == DB_ENOTFOUND ? WAVES_NOT_FOUND : rc;
}

int waves_counts(db *d, int64_t wave_id, struct wave_counts *out)
{
    db_val p = DB_INT(wave_id);
    db_rows *r = NULL;
    int rc = db_query(d,
        "SELECT COUNT(*), "
        "COALESCE(SUM(CASE WHEN status IN ('eligible', 'selected', 'not_selected', "
        "'carried_over') THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN status = 'ineligible' THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN status = 'selected' THEN 1 ELSE 0 END), 0) "
        "FROM applications WHERE wave_id = $1", &p, 1, &r);
    memset(out, 0, sizeof *out);
    if (rc == DB_OK && (rc = db_step(r)) == DB_ROW) {
        out->applications = db_int(r, 0);
        out->eligible = db_int(r, 1);
        out->ineligible = db_int(r, 2);
        out->selected = db_int(r, 3);
        rc = DB_OK;
    } else if (rc == DB_DONE) {
        rc = DB_ERR;
    }
    db_rows_free(r);
    return rc;
}

int waves_each(db *d, int64_t now, int (*fn)(const struct wave *w, void *ctx), void *ctx)
{
    db_rows *r = NULL;
    struct wave w;
    int rc = db_query(d, "SELECT " WAVE_COLS WAVE_FROM "ORDER BY w.number DESC", NULL, 0, &r);
    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW) {
        read_wave(r, now, &w);
        if ((rc = fn(&w, ctx)) != 0)
            goto out;
    }
    rc = rc == DB_DONE ? DB_OK : rc;
out:
    db_rows_free(r);
    return rc;
}

/* The regency codes of the regions table: exists[code] = 1. */
static int load_regencies(db *d, unsigned char *exists)
{
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT code FROM regions WHERE level = 2", NULL, 0, &r);
    memset(exists, 0, NCODES);
    if (rc == DB_OK) {
        while ((rc = db_step(r)) == DB_ROW) {
            int c = drawfile_regency_code(db_text(r, 0));
            if (c >= 0)
                exists[c] = 1;
        }
        rc = rc == DB_DONE ? DB_OK : rc;
    }
    db_rows_free(r);
    return rc;
}

/* ---- create ---- */

struct create_ctx {
    const struct wave_new *in;
    int64_t now;
    struct wave *out;
};

static int create_txn(db *d, void *vctx)
{
    static const char *const qcols[] = {"wave_id", "regency_code", "quota"};
    struct create_ctx *c = vctx;
    const struct wave_new *in = c->in;
    struct scheme s;
    unsigned char *exists = NULL;
    int64_t id = 0, refill = 0;
    char subject[32], detail[160];
    int rc = schemes_by_code(d, in->scheme, &s);

    if (rc == DB_ENOTFOUND)
        return WAVES_SCHEME_NOT_FOUND;
    if (rc != DB_OK)
        return rc;
    {
        int64_t one;
        db_val p = DB_INT(in->number);
        rc = db_one_int(d, "SELECT 1 FROM waves WHERE number = $1", &p, 1, &one);
        if (rc == DB_OK)
            return WAVES_NUMBER_TAKEN;
        if (rc != DB_ENOTFOUND)
            return rc;
    }
    db_val p[] = {DB_INT(in->number), DB_INT(s.id), DB_INT(in->opens_at), DB_INT(in->closes_at),
                  DB_INT(in->total_quota), DB_TEXT(in->quota_mode), DB_INT(in->quota_floor),
                  DB_TEXT(in->spill_rule), DB_TEXT(in->seed_commitment),
                  in->created_by ? DB_INT(in->created_by) : DB_NULL, DB_INT(c->now)};
    rc = db_one_int(d,
        "INSERT INTO waves (number, scheme_id, opens_at, closes_at, total_quota, quota_mode, "
        "quota_floor, spill_rule, seed_commitment, refill_seats, status, created_by, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, 'scheduled', $10, $11) RETURNING id",
        p, 11, &id);
    if (rc == DB_ECONSTRAINT)
        return WAVES_NUMBER_TAKEN;
    if (rc != DB_OK)
        return rc;
    if (in->nquotas > 0) {
        db_copy *cp = NULL;
        if (!(exists = malloc(NCODES)))
            return db_fail(d, DB_ERR, "waves: out of memory");
        if ((rc = load_regencies(d, exists)) != DB_OK)
            goto out;
        for (size_t i = 0; i < in->nquotas; i++)
            if (in->quotas[i].regency < 0 || in->quotas[i].regency >= NCODES ||
                !exists[in->quotas[i].regency]) {
                rc = WAVES_QUOTA_REGENCY;
                goto out;
            }
        if ((rc = db_copy_begin(d, "wave_quotas", qcols, 3, &cp)) != DB_OK)
            goto out;
        for (size_t i = 0; i < in->nquotas && rc == DB_OK; i++) {
            char code[16];
            snprintf(code, sizeof code, "%02d.%02d", in->quotas[i].regency / 100 % 100,
                     in->quotas[i].regency % 100);
            db_val v[] = {DB_INT(id), DB_TEXT(code), DB_INT((int64_t)in->quotas[i].quota)};
            rc = db_copy_row(cp, v);
        }
        int erc = db_copy_end(cp, rc == DB_OK, NULL);
        if (rc == DB_OK)
            rc = erc;
        if (rc != DB_OK)
            goto out;
    }
    if (in->refill) {
        if ((rc = beneficiaries_refill_take(d, id, &refill)) != DB_OK)
            goto out;
        if (refill > 0) {
            db_val u[] = {DB_INT(refill), DB_INT(id)};
            rc = db_run(d, "UPDATE waves SET total_quota = total_quota + $1, refill_seats = $1 "
                           "WHERE id = $2", u, 2, NULL);
            /* In csv mode each refilled seat goes back to the regency it was revoked in. */
            if (rc == DB_OK && strcmp(in->quota_mode, "csv") == 0)
                rc = db_run(d,
                    "INSERT INTO wave_quotas (wave_id, regency_code, quota) "
                    "SELECT $1, regency_code, COUNT(*) FROM beneficiaries WHERE refilled_by = $1 "
                    "GROUP BY regency_code "
                    "ON CONFLICT (wave_id, regency_code) DO UPDATE SET "
                    "quota = wave_quotas.quota + excluded.quota", &u[1], 1, NULL);
            if (rc != DB_OK)
                goto out;
        }
    }
    snprintf(subject, sizeof subject, "wave:%d", in->number);
    snprintf(detail, sizeof detail, "scheme=%s total_quota=%lld mode=%s refill_seats=%lld",
             in->scheme, (long long)(in->total_quota + refill), in->quota_mode,
             (long long)refill);
    rc = audit_append(d, c->now, in->actor, "wave.create", subject, detail);
    if (rc == DB_OK)
        rc = get_wave(d, in->number, c->now, c->out);
out:
    free(exists);
    return rc;
}

int waves_create(db *d, const struct wave_new *in, int64_t now, struct wave *out)
{
    struct create_ctx c = {in, now, out};
    return db_txn(d, create_txn, &c);
}

/* ---- the clock ---- */

struct state_ctx {
    const struct elig_env *env;
    int number;
    int64_t now;
    const char *actor;
    struct wave *out;
};

static int wave_audit(db *d, int64_t now, const char *actor, const char *action, int number,
                      const char *detail)
{
    char subject[32];
    snprintf(subject, sizeof subject, "wave:%d", number);
    return audit_append(d, now, actor ? actor : "system", action, subject, detail);
}

static int open_txn(db *d, void *vctx)
{
    struct state_ctx *c = vctx;
    int rc = get_wave(d, c->number, c->now, c->out);
    if (rc != DB_OK)
        return rc;
    if (strcmp(c->out->status, "scheduled") != 0)
        return WAVES_BAD_STATE;
    db_val p[] = {DB_INT(c->now), DB_INT(c->out->id)};
    rc = db_run(d, "UPDATE waves SET status = 'open', opens_at = $1 WHERE id = $2", p, 2, NULL);
    if (rc == DB_OK)
        rc = wave_audit(d, c->now, c->actor, "wave.open", c->number, NULL);
    if (rc == DB_OK)
        rc = get_wave(d, c->number, c->now, c->out);
    return rc;
}

int waves_open(db *d, int number, int64_t now, const char *actor, struct wave *out)
{
    struct state_ctx c = {NULL, number, now, actor, out};
    return db_txn(d, open_txn, &c);
}

/* Closes w (read in this transaction) and re-checks its applications. */
static int close_wave(db *d, const struct elig_env *env, struct wave *w, int64_t now,
                      const char *actor)
{
    int64_t at = now < w->closes_at ? now : w->closes_at, el = 0, inel = 0;
    char detail[96];
    db_val p[] = {DB_INT(at), DB_INT(w->id)};
    int rc = db_run(d, "UPDATE waves SET status = 'closed', closed_at = $1, closes_at = $1 "
                       "WHERE id = $2", p, 2, NULL);
    if (rc == DB_OK)
        rc = elig_check_wave(d, env, w->id, now, &el, &inel);
    if (rc == DB_OK) {
        snprintf(detail, sizeof detail, "eligible=%lld ineligible=%lld", (long long)el,
                 (long long)inel);
        rc = wave_audit(d, now, actor, "wave.close", w->number, detail);
    }
    return rc;
}

static int close_txn(db *d, void *vctx)
{
    struct state_ctx *c = vctx;
    int rc = get_wave(d, c->number, c->now, c->out);
    if (rc != DB_OK)
        return rc;
    if (strcmp(c->out->status, "scheduled") == 0 || strcmp(c->out->stored_status, "closed") == 0 ||
        strcmp(c->out->stored_status, "drawn") == 0)
        return WAVES_BAD_STATE;
    rc = close_wave(d, c->env, c->out, c->now, c->actor);
    if (rc == DB_OK)
        rc = get_wave(d, c->number, c->now, c->out);
    return rc;
}

int waves_close(db *d, const struct elig_env *env, int number, int64_t now, const char *actor,
                struct wave *out)
{
    struct state_ctx c = {env, number, now, actor, out};
    return db_txn(d, close_txn, &c);
}

struct tick_open_ctx {
    int64_t now;
    int64_t opened;
};

static int tick_open_txn(db *d, void *vctx)
{
    struct tick_open_ctx *c = vctx;
    db_val p = DB_INT(c->now);
    return db_run(d, "UPDATE waves SET status = 'open' WHERE status = 'scheduled' AND "
                     "opens_at <= $1 AND closes_at > $1", &p, 1, &c->opened);
}

int waves_tick(db *d, const struct elig_env *env, int64_t now, int *opened, int *closed)
{
    struct tick_open_ctx oc = {now, 0};
    int numbers[64], n = 0, first = DB_OK, rc;
    db_val p = DB_INT(now);
    db_rows *r = NULL;

    if (opened)
        *opened = 0;
    if (closed)
        *closed = 0;
    rc = db_txn(d, tick_open_txn, &oc);
    if (rc != DB_OK)
        return rc;
    if (opened)
        *opened = (int)oc.opened;
    /* At most 64 waves at a time: the next tick takes the rest. */
    rc = db_query(d, "SELECT number FROM waves WHERE status IN ('scheduled', 'open') AND "
                     "closes_at <= $1 ORDER BY number LIMIT 64", &p, 1, &r);
    if (rc == DB_OK) {
        while ((rc = db_step(r)) == DB_ROW)
            numbers[n++] = (int)db_int(r, 0);
        rc = rc == DB_DONE ? DB_OK : rc;
    }
    db_rows_free(r);
    if (rc != DB_OK)
        return rc;
    for (int i = 0; i < n; i++) {
        struct wave w;
        rc = waves_close(d, env, numbers[i], now, "system", &w);
        if (rc == DB_OK && closed)
            ++*closed;
        else if (rc != DB_OK && rc != WAVES_BAD_STATE && first == DB_OK)
            first = rc;
    }
    return first;
}

/* ---- applications ---- */

static void read_app(db_rows *r, struct application *a)
{
    memset(a, 0, sizeof *a);
    a->id = db_int(r, 0);
    str_copy(a->public_id, sizeof a->public_id, db_text(r, 1));
    a->wave_id = db_int(r, 2);
    a->wave = (int)db_int(r, 3);
    a->account_id = db_int(r, 4);
    str_copy(a->status, sizeof a->status, db_text(r, 5));
    str_copy(a->regency_code, sizeof a->regency_code, db_text(r, 6));
    a->tier = (uint32_t)db_int(r, 7);
    a->stage = (int)db_int(r, 8);
    a->is_open = (int)db_int(r, 9);
    a->created_at = db_int(r, 10);
    a->checked_at = db_int(r, 11);
}

static int app_by_id(db *d, int64_t id, struct application *out)
{
    db_val p = DB_INT(id);
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT " APP_COLS " FROM applications a JOIN waves w ON "
                         "w.id = a.wave_id WHERE a.id = $1", &p, 1, &r);
    if (rc == DB_OK) {
        rc = db_step(r);
        if (rc == DB_ROW) {
            read_app(r, out);
            rc = DB_OK;
        } else if (rc == DB_DONE) {
            rc = DB_ENOTFOUND;
        }
    }
    db_rows_free(r);
    return rc;
}

/* Inserts an open application of account acc to wave w (status submitted), checks
 * its eligibility and reads it back into out. */
static int insert_app(db *d, const struct elig_env *env, const struct wave *w,
                      const struct account_row *acc, int64_t carried_from, int64_t now,
                      struct application *out)
{
    struct scheme s;
    char pid[ACCOUNTS_PUBLIC_ID_LEN + 1], actor[ACCOUNTS_PUBLIC_ID_LEN + 16], detail[48];
    int64_t id = 0, one;
    db_val q = DB_INT(acc->id);
    int rc = db_one_int(d, "SELECT 1 FROM applications WHERE account_id = $1 AND is_open = 1",
                        &q, 1, &one);

    if (rc == DB_OK)
        return WAVES_ALREADY_OPEN;
    if (rc != DB_ENOTFOUND)
        return rc;
    if ((rc = schemes_by_id(d, w->scheme_id, &s)) != DB_OK)
        return rc == DB_ENOTFOUND ? DB_ERR : rc;
    accounts_new_public_id(pid);
    db_val p[] = {DB_TEXTN(pid, (size_t)-1), DB_INT(w->id), DB_INT(acc->id),
                  DB_TEXT(acc->regency_code), DB_INT(scheme_tier(&s, acc->occupation)),
                  carried_from ? DB_INT(carried_from) : DB_NULL, DB_INT(now)};
    rc = db_one_int(d,
        "INSERT INTO applications (public_id, wave_id, account_id, regency_code, tier, status, "
        "is_open, carried_from, created_at) VALUES ($1, $2, $3, $4, $5, 'submitted', 1, $6, $7) "
        "RETURNING id", p, 7, &id);
    if (rc == DB_ECONSTRAINT)
        return WAVES_ALREADY_OPEN;
    if (rc == DB_OK)
        rc = elig_check_application(d, env, id, now, NULL, NULL);
    if (rc == DB_OK) {
        snprintf(actor, sizeof actor, "account:%s", acc->public_id);
        snprintf(detail, sizeof detail, "wave=%d%s", w->number,
                 carried_from ? " carried_over=1" : "");
        rc = audit_append(d, now, actor, "application.create", pid, detail);
    }
    if (rc == DB_OK)
        rc = app_by_id(d, id, out);
    return rc;
}

struct apply_ctx {
    const struct elig_env *env;
    int number;
    const char *public_id;
    int64_t account_id, now;
    struct application *out;
};

static int apply_txn(db *d, void *vctx)
{
    struct apply_ctx *c = vctx;
    struct wave w;
    struct account_row acc;
    int rc = get_wave(d, c->number, c->now, &w);
    if (rc != DB_OK)
        return rc;
    if (strcmp(w.status, "open") != 0)
        return WAVES_NOT_OPEN;
    if ((rc = accounts_by_id(d, c->account_id, &acc)) != DB_OK)
        return rc == DB_ENOTFOUND ? DB_ERR : rc;
    return insert_app(d, c->env, &w, &acc, 0, c->now, c->out);
}

int waves_apply(db *d, const struct elig_env *env, int number, int64_t account_id, int64_t now,
                struct application *out)
{
    struct apply_ctx c = {env, number, NULL, account_id, now, out};
    return db_txn(d, apply_txn, &c);
}

static int carry_txn(db *d, void *vctx)
{
    struct apply_ctx *c = vctx;
    struct application old;
    struct account_row acc;
    struct wave next;
    db_rows *r = NULL;
    int rc, found = 0;
    db_val p = DB_TEXT(c->public_id);

    rc = db_query(d, "SELECT " APP_COLS " FROM applications a JOIN waves w ON "
                     "w.id = a.wave_id WHERE a.public_id = $1", &p, 1, &r);
    if (rc == DB_OK) {
        rc = db_step(r);
        if (rc == DB_ROW)
            read_app(r, &old);
    }
    db_rows_free(r);
    r = NULL;
    if (rc == DB_DONE || (rc == DB_ROW && old.account_id != c->account_id))
        return WAVES_APP_NOT_FOUND;
    if (rc != DB_ROW)
        return rc;
    if (strcmp(old.status, "not_selected") != 0)
        return WAVES_NOT_CARRYABLE;
    db_val q = DB_INT(old.wave);
    rc = db_query(d, "SELECT " WAVE_COLS WAVE_FROM "WHERE w.number > $1 AND w.status IN "
                     "('scheduled', 'open') ORDER BY w.number", &q, 1, &r);
    if (rc == DB_OK) {
        while (!found && (rc = db_step(r)) == DB_ROW) {
            read_wave(r, c->now, &next);
            found = strcmp(next.status, "scheduled") == 0 || strcmp(next.status, "open") == 0;
        }
        rc = found || rc == DB_DONE ? DB_OK : rc;
    }
    db_rows_free(r);
    if (rc != DB_OK)
        return rc;
    if (!found)
        return WAVES_NONE_OPEN;
    if ((rc = accounts_by_id(d, c->account_id, &acc)) != DB_OK)
        return rc == DB_ENOTFOUND ? DB_ERR : rc;
    rc = insert_app(d, c->env, &next, &acc, old.id, c->now, c->out);
    if (rc == DB_OK) {
        db_val u = DB_INT(old.id);
        rc = db_run(d, "UPDATE applications SET status = 'carried_over' WHERE id = $1", &u, 1,
                    NULL);
    }
    return rc;
}

int waves_carry_over(db *d, const struct elig_env *env, const char *public_id,
                     int64_t account_id, int64_t now, struct application *out)
{
    struct apply_ctx c = {env, 0, public_id, account_id, now, out};
    if (!public_id || strlen(public_id) > WAVES_PUBLIC_ID_LEN * 2)
        return WAVES_APP_NOT_FOUND;
    return db_txn(d, carry_txn, &c);
}

int waves_applications_of(db *d, int64_t account_id, struct application *out, int max, int *n)
{
    db_val p[] = {DB_INT(account_id), DB_INT(max)};
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT " APP_COLS " FROM applications a JOIN waves w ON "
                         "w.id = a.wave_id WHERE a.account_id = $1 "
                         "ORDER BY a.created_at DESC, a.id DESC LIMIT $2", p, 2, &r);
    *n = 0;
    if (rc == DB_OK) {
        while (*n < max && (rc = db_step(r)) == DB_ROW)
            read_app(r, &out[(*n)++]);
        rc = rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
    }
    db_rows_free(r);
    return rc;
}

/* The order of core/eligibility.h, for showing results. */
static int rule_rank(const char *rule)
{
    static const char *const order[] = {"age", "occupation", "education", "test", "verified",
                                        "kk_limit", "first_time", "not_revoked", "exclusion",
                                        "civil_registry"};
    for (int i = 0; i < (int)(sizeof order / sizeof order[0]); i++)
        if (strcmp(rule, order[i]) == 0)
            return i;
    return 100;
}

static int elig_cmp(const void *a, const void *b)
{
    const struct waves_elig *x = a, *y = b;
    int rx = rule_rank(x->rule), ry = rule_rank(y->rule);
    return rx != ry ? rx - ry : strcmp(x->rule, y->rule);
}

int waves_eligibility_of(db *d, int64_t application_id, struct waves_elig out[ELIG_NRULES],
                         int *n)
{
    db_val p = DB_INT(application_id);
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT rule, passed, reason FROM eligibility_results WHERE "
                         "application_id = $1", &p, 1, &r);
    *n = 0;
    if (rc == DB_OK) {
        while ((rc = db_step(r)) == DB_ROW && *n < ELIG_NRULES) {
            struct waves_elig *e = &out[(*n)++];
            str_copy(e->rule, sizeof e->rule, db_text(r, 0));
            e->passed = db_int(r, 1) != 0;
            str_copy(e->reason, sizeof e->reason, db_isnull(r, 2) ? "" : db_text(r, 2));
        }
        rc = rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
    }
    db_rows_free(r);
    qsort(out, (size_t)*n, sizeof *out, elig_cmp);
    return rc;
}

/* ---- the draw ---- */

struct draw_ctx {
    const struct elig_env *env;
    int number;
    const unsigned char *seed;
    size_t seedlen;
    int64_t now;
    const char *actor;
    waves_progress_fn progress;
    void *pctx;
    struct waves_draw_stats *st;
    struct wave *out;
};

/* What one attempt of the draw holds in memory. */
struct draw_mem {
    int idx[NCODES];                     /* regency code -> index, -1 */
    int code[NCODES];                    /* index -> code */
    int pidx[100];                       /* province code -> index, -1 */
    uint32_t prov[NCODES];               /* regency index -> province index */
    uint64_t quota[NCODES];
    uint64_t count[NCODES];              /* eligible applicants per regency index */
    uint32_t nreg, nprov;
    struct draw_entry *e;
    int64_t *ids;
    char (*pub)[DRAWFILE_PUBLIC_ID_MAX + 1];
    unsigned char *stage;
    size_t n, cap;
};

static void progress(struct draw_ctx *c, const char *what, long done, long total)
{
    if (c->progress)
        c->progress(c->pctx, what, done, total);
}

/* Index of regency code, adding it (with its province) when new; -1 if malformed. */
static int reg_index(struct draw_mem *m, int code)
{
    if (code < 0 || code >= NCODES || code / 100 == 0)
        return -1;
    if (m->idx[code] < 0) {
        int pc = code / 100;
        if (m->pidx[pc] < 0)
            m->pidx[pc] = (int)m->nprov++;
        m->code[m->nreg] = code;
        m->prov[m->nreg] = (uint32_t)m->pidx[pc];
        m->idx[code] = (int)m->nreg++;
    }
    return m->idx[code];
}

static int grow(struct draw_mem *m)
{
    size_t nc = m->cap ? m->cap * 2 : 4096;
    struct draw_entry *e = realloc(m->e, nc * sizeof *e);
    if (!e)
        return -1;
    m->e = e;
    int64_t *ids = realloc(m->ids, nc * sizeof *ids);
    if (!ids)
        return -1;
    m->ids = ids;
    void *pub = realloc(m->pub, nc * sizeof *m->pub);
    if (!pub)
        return -1;
    m->pub = pub;
    m->cap = nc;
    return 0;
}

static void draw_mem_free(struct draw_mem *m)
{
    if (!m)
        return;
    free(m->e);
    free(m->ids);
    free(m->pub);
    free(m->stage);
    free(m);
}

/* Loads the regencies (all of the regions table, in code order) and the eligible
 * applications with their keys. */
static int draw_load(db *d, struct draw_ctx *c, const struct wave *w, struct draw_mem *m)
{
    db_rows *r = NULL;
    db_val p = DB_INT(w->id);
    int rc = db_query(d, "SELECT code FROM regions WHERE level = 2 ORDER BY code", NULL, 0, &r);
    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW)
        if (reg_index(m, drawfile_regency_code(db_text(r, 0))) < 0) {
            rc = db_fail(d, DB_ERR, "waves: malformed regency code %s", db_text(r, 0));
            goto out;
        }
    if (rc != DB_DONE)
        goto out;
    db_rows_free(r);
    r = NULL;
    rc = db_query(d, "SELECT id, public_id, regency_code, tier FROM applications WHERE "
                     "wave_id = $1 AND status = 'eligible'", &p, 1, &r);
    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW) {
        const char *pid = db_text(r, 1);
        int ri = reg_index(m, drawfile_regency_code(db_text(r, 2)));
        int64_t tier = db_int(r, 3);
        if (ri < 0 || !drawfile_public_id_ok(pid) || tier < 0 || tier > 65535) {
            rc = db_fail(d, DB_ERR, "waves: application %lld cannot enter the draw "
                         "(regency, public id or tier malformed)", (long long)db_int(r, 0));
            goto out;
        }
        if (m->n == m->cap && grow(m) < 0) {
            rc = db_fail(d, DB_ERR, "waves: out of memory");
            goto out;
        }
        struct draw_entry *e = &m->e[m->n];
        m->ids[m->n] = db_int(r, 0);
        str_copy(m->pub[m->n], sizeof m->pub[0], pid);
        drawkey_compute(c->seed, c->seedlen, pid, e->key);
        e->regency = (uint32_t)ri;
        e->province = m->prov[ri];
        e->tier = (uint32_t)tier;
        e->row = (uint32_t)m->n;
        m->count[ri]++;
        m->n++;
        if ((m->n & 0x3fff) == 0)
            progress(c, "keys", (long)m->n, 0);
    }
    rc = rc == DB_DONE ? DB_OK : rc;
    progress(c, "keys", (long)m->n, (long)m->n);
out:
    db_rows_free(r);
    return rc;
}

/* Fills m->quota: the csv rows, or proportional to the eligible applicants. */
static int draw_quotas(db *d, struct draw_ctx *c, const struct wave *w, struct draw_mem *m)
{
    if (strcmp(w->quota_mode, "proportional") != 0) {
        db_val p = DB_INT(w->id);
        db_rows *r = NULL;
        int rc = db_query(d, "SELECT regency_code, quota FROM wave_quotas WHERE wave_id = $1",
                          &p, 1, &r);
        if (rc == DB_OK) {
            while ((rc = db_step(r)) == DB_ROW) {
                int ri = reg_index(m, drawfile_regency_code(db_text(r, 0)));
                if (ri < 0) {
                    rc = db_fail(d, DB_ERR, "waves: malformed quota regency %s", db_text(r, 0));
                    break;
                }
                m->quota[ri] = (uint64_t)db_int(r, 1);
            }
            rc = rc == DB_DONE ? DB_OK : rc;
        }
        db_rows_free(r);
        return rc;
    }
    uint64_t k = 0, floor = (uint64_t)w->quota_floor, total = (uint64_t)w->total_quota;
    for (uint32_t i = 0; i < m->nreg; i++)
        k += m->count[i] > 0;
    if (k > 0 && floor * k > total)
        floor = total / k;
    c->st->floor_used = (int64_t)floor;
    int qr = quota_proportional(m->code, m->count, m->nreg, total, floor, m->quota);
    if (qr == QUOTA_ENONE)
        return DB_OK;                    /* nobody eligible: every quota 0 */
    if (qr != QUOTA_OK)
        return db_fail(d, DB_ERR, "waves: proportional quotas failed (%d)", qr);
    return DB_OK;
}

/* Writes the outcome: applications, wave_quotas, beneficiaries, the wave. */
static int draw_write(db *d, struct draw_ctx *c, const struct wave *w, const struct scheme *s,
                      struct draw_mem *m)
{
    static const char *const rcols[] = {"id", "status", "stage", "draw_key"};
    static const char *const qcols[] = {"wave_id", "regency_code", "quota"};
    db_copy *cp = NULL;
    db_val wid = DB_INT(w->id);
    char seedhex[2 * DRAWKEY_SEED_MAX + 1], detail[200];
    int64_t issued = 0;
    int rc, erc;

    rc = db_exec(d, "CREATE TEMP TABLE IF NOT EXISTS wave_draw_result (id BIGINT PRIMARY KEY, "
                    "status TEXT NOT NULL, stage INTEGER NOT NULL, draw_key TEXT NOT NULL)");
    if (rc == DB_OK)
        rc = db_run(d, "DELETE FROM wave_draw_result", NULL, 0, NULL);
    if (rc == DB_OK)
        rc = db_copy_begin(d, "wave_draw_result", rcols, 4, &cp);
    if (rc != DB_OK)
        return rc;
    for (size_t i = 0; i < m->n && rc == DB_OK; i++) {
        char key[2 * DRAW_KEY_LEN + 1];
        sodium_bin2hex(key, sizeof key, m->e[i].key, DRAW_KEY_LEN);
        db_val v[] = {DB_INT(m->ids[i]),
                      DB_TEXT(m->stage[i] != DRAW_NOT_SELECTED ? "selected" : "not_selected"),
                      DB_INT(m->stage[i]), DB_TEXT(key)};
        rc = db_copy_row(cp, v);
        if ((i & 0x3fff) == 0)
            progress(c, "writing", (long)i, (long)m->n);
    }
    erc = db_copy_end(cp, rc == DB_OK, NULL);
    if (rc == DB_OK)
        rc = erc;
    if (rc == DB_OK)
        rc = db_run(d, "UPDATE applications SET status = r.status, stage = r.stage, "
                       "draw_key = r.draw_key, is_open = 0 FROM wave_draw_result r "
                       "WHERE applications.id = r.id", NULL, 0, NULL);
    if (rc == DB_OK)
        rc = db_run(d, "DELETE FROM wave_draw_result", NULL, 0, NULL);
    /* Everyone of the wave, drawn or not (ineligible), is free to apply again. */
    if (rc == DB_OK)
        rc = db_run(d, "UPDATE applications SET is_open = 0 WHERE wave_id = $1 AND status IN "
                       "('submitted', 'eligible', 'ineligible') AND is_open = 1", &wid, 1, NULL);
    progress(c, "writing", (long)m->n, (long)m->n);
    /* The quotas the draw used, every regency (0 included), for the audit file. */
    if (rc == DB_OK)
        rc = db_run(d, "DELETE FROM wave_quotas WHERE wave_id = $1", &wid, 1, NULL);
    if (rc == DB_OK && (rc = db_copy_begin(d, "wave_quotas", qcols, 3, &cp)) == DB_OK) {
        for (uint32_t i = 0; i < m->nreg && rc == DB_OK; i++) {
            char code[16];
            snprintf(code, sizeof code, "%02d.%02d", m->code[i] / 100 % 100, m->code[i] % 100);
            db_val v[] = {DB_INT(w->id), DB_TEXT(code), DB_INT((int64_t)m->quota[i])};
            rc = db_copy_row(cp, v);
        }
        erc = db_copy_end(cp, rc == DB_OK, NULL);
        if (rc == DB_OK)
            rc = erc;
    }
    if (rc == DB_OK) {
        progress(c, "cards", 0, (long)c->st->selected);
        rc = beneficiaries_issue(d, w->id, s, c->now, &issued);
        progress(c, "cards", (long)issued, (long)c->st->selected);
    }
    if (rc == DB_OK) {
        sodium_bin2hex(seedhex, sizeof seedhex, c->seed, c->seedlen);
        db_val p[] = {DB_TEXT(seedhex), DB_INT(c->now), wid};
        rc = db_run(d, "UPDATE waves SET status = 'drawn', seed = $1, drawn_at = $2 WHERE id = $3",
                    p, 3, NULL);
    }
    if (rc == DB_OK) {
        snprintf(detail, sizeof detail,
                 "eligible=%lld seats=%lld selected=%lld regency=%lld province=%lld "
                 "nation=%lld unfilled=%lld cards=%lld",
                 (long long)c->st->eligible, (long long)c->st->seats,
                 (long long)c->st->selected, (long long)c->st->by_stage[1],
                 (long long)c->st->by_stage[2], (long long)c->st->by_stage[3],
                 (long long)c->st->unfilled, (long long)issued);
        rc = wave_audit(d, c->now, c->actor, "wave.draw", w->number, detail);
    }
    return rc;
}

static int draw_txn(db *d, void *vctx)
{
    struct draw_ctx *c = vctx;
    struct wave w;
    struct scheme s;
    struct draw_mem *m = NULL;
    char commit[65];
    enum draw_rule rule;
    int rc = get_wave(d, c->number, c->now, &w);

    memset(c->st, 0, sizeof *c->st);
    if (rc != DB_OK)
        return rc;
    if (strcmp(w.stored_status, "drawn") == 0)
        return WAVES_ALREADY_DRAWN;
    if (strcmp(w.status, "scheduled") == 0)
        return WAVES_BAD_STATE;
    drawkey_commitment(c->seed, c->seedlen, commit);
    if (sodium_memcmp(commit, w.seed_commitment, 64) != 0 || strlen(w.seed_commitment) != 64)
        return WAVES_SEED_MISMATCH;
    if (draw_rule_parse(w.spill_rule, &rule) < 0)
        return db_fail(d, DB_ERR, "waves: unknown spill rule %s", w.spill_rule);
    if (strcmp(w.stored_status, "closed") != 0) {
        progress(c, "closing", 0, 1);
        if ((rc = close_wave(d, c->env, &w, c->now, c->actor)) != DB_OK)
            return rc;
        progress(c, "closing", 1, 1);
    }
    if ((rc = schemes_by_id(d, w.scheme_id, &s)) != DB_OK)
        return rc == DB_ENOTFOUND ? DB_ERR : rc;
    if (!(m = calloc(1, sizeof *m)))
        return db_fail(d, DB_ERR, "waves: out of memory");
    memset(m->idx, -1, sizeof m->idx);
    memset(m->pidx, -1, sizeof m->pidx);
    if ((rc = draw_load(d, c, &w, m)) != DB_OK || (rc = draw_quotas(d, c, &w, m)) != DB_OK)
        goto out;
    if (!(m->stage = malloc(m->n ? m->n : 1))) {
        rc = db_fail(d, DB_ERR, "waves: out of memory");
        goto out;
    }
    struct draw_config cfg = {m->nreg, m->quota, m->prov, m->nprov, rule};
    struct draw_stats ds;
    progress(c, "drawing", 0, 1);
    int dr = draw_run(m->e, m->n, &cfg, m->stage, &ds);
    if (dr != DRAW_OK) {
        rc = db_fail(d, DB_ERR, "waves: the draw failed (%d)", dr);
        goto out;
    }
    progress(c, "drawing", 1, 1);
    c->st->eligible = (int64_t)m->n;
    c->st->seats = (int64_t)ds.seats;
    for (int i = 0; i < 4; i++)
        c->st->by_stage[i] = (int64_t)ds.selected[i];
    c->st->selected = c->st->by_stage[1] + c->st->by_stage[2] + c->st->by_stage[3];
    c->st->unfilled = (int64_t)ds.unfilled;
    if (strcmp(w.quota_mode, "proportional") != 0)
        c->st->floor_used = w.quota_floor;
    rc = draw_write(d, c, &w, &s, m);
    if (rc == DB_OK)
        rc = get_wave(d, c->number, c->now, c->out);
out:
    draw_mem_free(m);
    return rc;
}

int waves_draw(db *d, const struct elig_env *env, int number, const unsigned char *seed,
               size_t seedlen, int64_t now, const char *actor, waves_progress_fn progress_fn,
               void *pctx, struct waves_draw_stats *st, struct wave *out)
{
    struct waves_draw_stats local;
    struct draw_ctx c = {env, number, seed, seedlen, now, actor ? actor : "system",
                         progress_fn, pctx, st ? st : &local, out};
    if (seedlen < DRAWKEY_SEED_MIN || seedlen > DRAWKEY_SEED_MAX)
        return WAVES_SEED_MISMATCH;
    return db_txn(d, draw_txn, &c);
}

/* ---- the audit file ---- */

struct audit_row {
    char public_id[DRAWFILE_PUBLIC_ID_MAX + 1];
    int regency;
    uint32_t tier;
    unsigned char key[DRAW_KEY_LEN];
    int stage;
};

static int audit_row_cmp(const void *a, const void *b)
{
    return strcmp(((const struct audit_row *)a)->public_id,
                  ((const struct audit_row *)b)->public_id);
}

struct audit_quota {
    int regency;
    int64_t quota;
};

static int audit_quota_cmp(const void *a, const void *b)
{
    int x = ((const struct audit_quota *)a)->regency, y = ((const struct audit_quota *)b)->regency;
    return (x > y) - (x < y);
}

/* Nothing is written before every row has been read, so that db_read never runs
   the function again after output has started; a failed write ends it with
   DB_ERR. */
struct audit_ctx {
    int number;
    int (*write)(void *ctx, const char *p, size_t n);
    void *wctx;
    int wrc;                             /* the writer's failure, if any */
};

static int out_str(struct audit_ctx *c, const char *s, size_t n)
{
    int rc = c->write(c->wctx, s, n);
    if (rc != 0)
        c->wrc = rc;
    return rc;
}

static int audit_read(db *d, void *vctx)
{
    struct audit_ctx *c = vctx;
    struct wave w;
    struct audit_quota *q = NULL;
    struct audit_row *rows = NULL;
    size_t nq = 0, n = 0, cap = 0;
    db_rows *r = NULL;
    char line[DRAWFILE_LINE_MAX];
    int rc = get_wave(d, c->number, 0, &w), len;

    if (rc != DB_OK)
        return rc;
    if (strcmp(w.stored_status, "drawn") != 0)
        return WAVES_NOT_DRAWN;
    db_val p = DB_INT(w.id);
    if (!(q = malloc(NCODES * sizeof *q)))
        return db_fail(d, DB_ERR, "waves: out of memory");
    rc = db_query(d, "SELECT regency_code, quota FROM wave_quotas WHERE wave_id = $1", &p, 1, &r);
    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW && nq < NCODES) {
        int code = drawfile_regency_code(db_text(r, 0));
        if (code < 0) {
            rc = db_fail(d, DB_ERR, "waves: malformed quota regency %s", db_text(r, 0));
            goto out;
        }
        q[nq++] = (struct audit_quota){code, db_int(r, 1)};
    }
    if (rc != DB_DONE && rc != DB_ROW)
        goto out;
    db_rows_free(r);
    r = NULL;
    qsort(q, nq, sizeof *q, audit_quota_cmp);
    rc = db_query(d, "SELECT public_id, regency_code, tier, draw_key, stage FROM applications "
                     "WHERE wave_id = $1 AND draw_key IS NOT NULL", &p, 1, &r);
    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 4096;
            struct audit_row *g = realloc(rows, nc * sizeof *g);
            if (!g) {
                rc = db_fail(d, DB_ERR, "waves: out of memory");
                goto out;
            }
            rows = g;
            cap = nc;
        }
        struct audit_row *a = &rows[n++];
        size_t kl = 0;
        str_copy(a->public_id, sizeof a->public_id, db_text(r, 0));
        a->regency = drawfile_regency_code(db_text(r, 1));
        a->tier = (uint32_t)db_int(r, 2);
        a->stage = (int)db_int(r, 4);
        if (a->regency < 0 || sodium_hex2bin(a->key, DRAW_KEY_LEN, db_text(r, 3),
                                             db_len(r, 3), NULL, &kl, NULL) != 0 ||
            kl != DRAW_KEY_LEN || a->stage < 0 || a->stage > 3) {
            rc = db_fail(d, DB_ERR, "waves: a drawn application row is malformed");
            goto out;
        }
    }
    if (rc != DB_DONE)
        goto out;
    db_rows_free(r);
    r = NULL;
    qsort(rows, n, sizeof *rows, audit_row_cmp);
    rc = DB_OK;
    len = snprintf(line, sizeof line, "#prakerja_draw,1\n#rule,%s\n#seed_commitment,%s\n",
                   w.spill_rule, w.seed_commitment);
    if (out_str(c, line, (size_t)len) != 0)
        goto werr;
    for (size_t i = 0; i < nq; i++) {
        len = snprintf(line, sizeof line, "#quota,%02d.%02d,%02d,%lld\n", q[i].regency / 100,
                       q[i].regency % 100, q[i].regency / 100, (long long)q[i].quota);
        if (out_str(c, line, (size_t)len) != 0)
            goto werr;
    }
    if (out_str(c, DRAWFILE_HEADER "\n", sizeof DRAWFILE_HEADER) != 0)
        goto werr;
    for (size_t i = 0; i < n; i++) {
        len = drawfile_format_row(line, sizeof line, rows[i].public_id, rows[i].regency,
                                  rows[i].regency / 100, rows[i].tier, rows[i].key,
                                  rows[i].stage);
        if (len < 0) {
            rc = db_fail(d, DB_ERR, "waves: an audit row does not fit");
            goto out;
        }
        if (out_str(c, line, (size_t)len) != 0)
            goto werr;
    }
    len = snprintf(line, sizeof line, "#end,%zu\n", n);
    if (out_str(c, line, (size_t)len) != 0)
        goto werr;
    goto out;
werr:
    rc = db_fail(d, DB_ERR, "waves: writing the audit file failed (%d)", c->wrc);
out:
    db_rows_free(r);
    free(q);
    free(rows);
    return rc;
}

int waves_audit_file(db *d, int number, int (*write)(void *ctx, const char *p, size_t n),
                     void *ctx)
{
    struct audit_ctx c = {number, write, ctx, 0};
    return db_read(d, audit_read, &c);
}

/*
 * eligibility (store): see eligibility.h. The facts of one application come from
 * its row joined with its account and wave (birth date, occupation, verification
 * times, KK and NIK), the scheme (schemes_by_id), the basic test (exam_passed at
 * the scheme's pass mark), the beneficiaries table (others on the same KK; this
 * person ever a beneficiary, ever revoked), the exclusion lists (exclusions.h)
 * and the civil registry (the NIK decrypted with pii.h, compared with the
 * account's full name and birth date). core/eligibility.c judges them; every
 * rule's outcome replaces the application's earlier eligibility_results rows and
 * the application becomes eligible or ineligible with checked_at = now.
 *
 * A wave may hold hundreds of thousands of applications, so elig_check_wave does
 * not run the single-application path in a loop (some twenty statements each, a
 * round trip apiece on PostgreSQL). It reads the facts in pages of
 * WAVE_PAGE applications by id, with one statement per page whose correlated
 * subqueries each follow an index (beneficiaries by kk_bidx and by account_id,
 * exclusion_entries by nik_bidx, test_attempts by account_id; the test condition
 * is the one exam_passed states: a submitted attempt scoring at least the pass
 * mark), judges each application in C while reading, and keeps about 50 bytes per
 * application. The per-KK limit within the wave is then one sort of the eligible
 * applications by (KK, created_at, id) and one pass over each KK's run. Results
 * are written set-wise: one DELETE of the wave's earlier results, one db_copy of
 * the new rows (COPY on PostgreSQL), and one UPDATE that derives every status
 * from its rows. The work is O(n log n) in the applications, with a constant
 * number of statements per page.
 */
#include "store/eligibility.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/account.h"
#include "store/exam.h"
#include "store/exclusions.h"
#include "store/schemes.h"
#include "util/log.h"
#include "util/str.h"

#define WAVE_PAGE 5000
#define KK_BYTES (PII_BIDX_LEN / 2)
#define CHECKABLE "('submitted', 'eligible', 'ineligible')"

/* The account-side facts read with an application. */
struct person {
    char birth_date[11];
    char occupation[24];
    char full_name[512];
    char nik_enc[PII_CT_MAX];
    char nik_bidx[PII_BIDX_LEN + 1];
    char kk_bidx[PII_BIDX_LEN + 1];
    int email_verified, phone_verified;
};

static void person_read(db_rows *r, int col, struct person *p)
{
    str_copyn(p->birth_date, sizeof p->birth_date, db_text(r, col), db_len(r, col));
    str_copyn(p->occupation, sizeof p->occupation, db_text(r, col + 1), db_len(r, col + 1));
    str_copyn(p->full_name, sizeof p->full_name, db_text(r, col + 2), db_len(r, col + 2));
    str_copyn(p->nik_enc, sizeof p->nik_enc, db_text(r, col + 3), db_len(r, col + 3));
    str_copyn(p->nik_bidx, sizeof p->nik_bidx, db_text(r, col + 4), db_len(r, col + 4));
    str_copyn(p->kk_bidx, sizeof p->kk_bidx, db_text(r, col + 5), db_len(r, col + 5));
    p->email_verified = !db_isnull(r, col + 6) && db_int(r, col + 6) > 0;
    p->phone_verified = !db_isnull(r, col + 7) && db_int(r, col + 7) > 0;
}

#define PERSON_COLS "acc.birth_date, acc.occupation, acc.full_name, acc.nik_enc, " \
                    "acc.nik_bidx, acc.kk_bidx, acc.email_verified_at, acc.phone_verified_at"

/* The person's fields that do not need the database; the civil registry is
 * asked here (the NIK is decrypted into a stack buffer and wiped). */
static void person_input(const struct elig_env *env, const struct person *p,
                         struct nik_date close_date, struct elig_input *in)
{
    char nik[32];

    if (account_parse_date(p->birth_date, &in->birth) != 0)
        memset(&in->birth, 0, sizeof in->birth);     /* fails the age rule */
    in->close_date = close_date;
    in->occupation = p->occupation;
    in->email_verified = p->email_verified;
    in->phone_verified = p->phone_verified;
    if (!p->nik_enc[0]) {
        in->civreg = CIVREG_NOT_FOUND;
    } else if (!env || !env->keys || !env->civreg) {
        in->civreg = CIVREG_UNAVAILABLE;
    } else if (pii_decrypt(env->keys, p->nik_enc, nik, sizeof nik) != 0) {
        log_kv(LOG_WARN, "elig.nik_undecryptable", "why",
               "a stored NIK does not decrypt with this key file", NULL);
        in->civreg = CIVREG_UNAVAILABLE;
    } else {
        in->civreg = civreg_check(env->civreg, nik, p->full_name, p->birth_date);
    }
    sodium_memzero(nik, sizeof nik);
}

/* ---- one application ---- */

struct one {
    int64_t wave_id, scheme_id, account_id, closes_at;
    char status[16];
    struct person p;
};

static int read_one(db *d, int64_t application_id, struct one *o)
{
    db_val q[1] = {DB_INT(application_id)};
    db_rows *r = NULL;
    int rc;

    rc = db_query(d, "SELECT a.status, a.wave_id, a.account_id, w.scheme_id, w.closes_at, "
                     PERSON_COLS " FROM applications a JOIN waves w ON w.id = a.wave_id "
                     "JOIN accounts acc ON acc.id = a.account_id WHERE a.id = $1",
                  q, 1, &r);
    if (rc != DB_OK)
        return rc;
    rc = db_step(r);
    if (rc == DB_ROW) {
        str_copyn(o->status, sizeof o->status, db_text(r, 0), db_len(r, 0));
        o->wave_id = db_int(r, 1);
        o->account_id = db_int(r, 2);
        o->scheme_id = db_int(r, 3);
        o->closes_at = db_int(r, 4);
        person_read(r, 5, &o->p);
        rc = DB_OK;
    } else if (rc == DB_DONE) {
        rc = DB_ENOTFOUND;
    }
    db_rows_free(r);
    return rc;
}

static int beneficiary_facts(db *d, int64_t account_id, const char *kk_bidx,
                             struct elig_input *in)
{
    db_val q[2] = {DB_TEXT(kk_bidx[0] ? kk_bidx : NULL), DB_INT(account_id)};
    db_rows *r = NULL;
    int rc;

    rc = db_query(d, "SELECT (SELECT COUNT(*) FROM beneficiaries b "
                     "WHERE b.kk_bidx = $1 AND b.account_id <> $2), "
                     "(SELECT COUNT(*) FROM beneficiaries b WHERE b.account_id = $2), "
                     "(SELECT COUNT(*) FROM beneficiaries b WHERE b.account_id = $2 "
                     "AND (b.status = 'revoked' OR b.revoked_at IS NOT NULL))",
                  q, 2, &r);
    if (rc != DB_OK)
        return rc;
    rc = db_step(r);
    if (rc == DB_ROW) {
        in->kk_beneficiaries = (int)db_int(r, 0);
        in->ever_beneficiary = db_int(r, 1) > 0;
        in->ever_revoked = db_int(r, 2) > 0;
        rc = DB_OK;
    } else if (rc == DB_DONE) {
        rc = DB_ERR;
    }
    db_rows_free(r);
    return rc;
}

static int write_one(db *d, int64_t application_id, int64_t now,
                     const struct elig_result res[ELIG_NRULES], int eligible)
{
    db_val p[2 + 3 * ELIG_NRULES];
    int rc, i;

    {
        db_val q[1] = {DB_INT(application_id)};
        rc = db_run(d, "DELETE FROM eligibility_results WHERE application_id = $1", q, 1, NULL);
        if (rc != DB_OK)
            return rc;
    }
    p[0] = DB_INT(application_id);
    p[1] = DB_INT(now);
    for (i = 0; i < ELIG_NRULES; i++) {
        p[2 + 3 * i] = DB_TEXT(res[i].rule);
        p[3 + 3 * i] = DB_INT(res[i].passed);
        p[4 + 3 * i] = DB_TEXT(res[i].reason);
    }
    /* ELIG_NRULES rows; the statement below has one VALUES tuple per rule */
    _Static_assert(ELIG_NRULES == 10, "one VALUES tuple per rule below");
    rc = db_run(d, "INSERT INTO eligibility_results (application_id, rule, passed, reason, "
                   "checked_at) VALUES ($1, $3, $4, $5, $2), ($1, $6, $7, $8, $2), "
                   "($1, $9, $10, $11, $2), ($1, $12, $13, $14, $2), ($1, $15, $16, $17, $2), "
                   "($1, $18, $19, $20, $2), ($1, $21, $22, $23, $2), ($1, $24, $25, $26, $2), "
                   "($1, $27, $28, $29, $2), ($1, $30, $31, $32, $2)",
                p, 2 + 3 * ELIG_NRULES, NULL);
    if (rc != DB_OK)
        return rc;
    {
        db_val q[3] = {DB_INT(application_id), DB_TEXT(eligible ? "eligible" : "ineligible"),
                       DB_INT(now)};
        return db_run(d, "UPDATE applications SET status = $2, checked_at = $3 WHERE id = $1",
                      q, 3, NULL);
    }
}

int elig_check_application(db *d, const struct elig_env *env, int64_t application_id,
                           int64_t now, struct elig_result out[ELIG_NRULES], int *eligible_out)
{
    struct elig_result res[ELIG_NRULES];
    struct elig_input in;
    struct scheme s;
    struct one *o;
    int rc, eligible, passed = 0;

    o = calloc(1, sizeof *o);
    if (!o)
        return DB_ERR;
    memset(&in, 0, sizeof in);
    rc = read_one(d, application_id, o);
    if (rc != DB_OK)
        goto out;
    if (strcmp(o->status, "submitted") != 0 && strcmp(o->status, "eligible") != 0 &&
        strcmp(o->status, "ineligible") != 0) {
        rc = DB_ENOTFOUND;           /* not a checkable application */
        goto out;
    }
    if ((rc = schemes_by_id(d, o->scheme_id, &s)) != DB_OK)
        goto out;
    if ((rc = exam_passed(d, o->account_id, s.test_pass_mark, &passed)) != DB_OK)
        goto out;
    in.test_passed = passed != 0;
    if ((rc = beneficiary_facts(d, o->account_id, o->p.kk_bidx, &in)) != DB_OK)
        goto out;
    if ((rc = exclusions_lookup(d, o->p.nik_bidx, &in.on_aid_list, &in.on_other_list)) != DB_OK)
        goto out;
    person_input(env, &o->p, nik_date_wib(o->closes_at), &in);
    eligible = elig_evaluate(&s, &in, res);
    if ((rc = write_one(d, application_id, now, res, eligible)) != DB_OK)
        goto out;
    if (out)
        memcpy(out, res, sizeof res);
    if (eligible_out)
        *eligible_out = eligible;
out:
    sodium_memzero(&o->p, sizeof o->p);
    free(o);
    return rc;
}

/* ---- a whole wave ---- */

/* The reasons seen, so each result keeps a one-byte index instead of a pointer. */
struct reasons {
    const char *v[64];
    int n;
};

static int reason_index(struct reasons *rs, const char *reason)
{
    if (!reason)
        return 0;
    for (int i = 1; i < rs->n; i++)
        if (rs->v[i] == reason || strcmp(rs->v[i], reason) == 0)
            return i;
    if (rs->n >= (int)(sizeof rs->v / sizeof rs->v[0]))
        return -1;
    rs->v[rs->n] = reason;
    return rs->n++;
}

struct verdict {
    int64_t id, created_at;
    unsigned char kk[KK_BYTES];
    int32_t kk_beneficiaries;
    uint8_t reason[ELIG_NRULES];     /* index into reasons; 0 = passed */
    uint8_t has_kk, eligible;
};

struct wave_run {
    const struct elig_env *env;
    struct scheme s;
    struct nik_date close_date;
    struct verdict *v;
    size_t n, cap;
    struct reasons rs;
    int kk_rule;
};

static int judge_page(db *d, struct wave_run *w, int64_t wave_id, int64_t after, int64_t *last,
                      int *got)
{
    db_val q[4] = {DB_INT(wave_id), DB_INT(after), DB_INT(w->s.test_pass_mark),
                   DB_INT(WAVE_PAGE)};
    struct person *p = calloc(1, sizeof *p);
    struct elig_result res[ELIG_NRULES];
    struct elig_input in;
    db_rows *r = NULL;
    int rc;

    *got = 0;
    if (!p)
        return DB_ERR;
    rc = db_query(d, "SELECT a.id, a.created_at, " PERSON_COLS ", "
                     "(SELECT COUNT(*) FROM beneficiaries b WHERE b.kk_bidx = acc.kk_bidx "
                     "AND b.account_id <> acc.id), "
                     "(SELECT COUNT(*) FROM beneficiaries b WHERE b.account_id = acc.id), "
                     "(SELECT COUNT(*) FROM beneficiaries b WHERE b.account_id = acc.id "
                     "AND (b.status = 'revoked' OR b.revoked_at IS NOT NULL)), "
                     "CASE WHEN EXISTS (SELECT 1 FROM exclusion_entries e JOIN exclusion_lists l "
                     "ON l.id = e.list_id WHERE e.nik_bidx = acc.nik_bidx AND l.aid <> 0) "
                     "THEN 1 ELSE 0 END, "
                     "CASE WHEN EXISTS (SELECT 1 FROM exclusion_entries e JOIN exclusion_lists l "
                     "ON l.id = e.list_id WHERE e.nik_bidx = acc.nik_bidx AND l.aid = 0) "
                     "THEN 1 ELSE 0 END, "
                     "CASE WHEN EXISTS (SELECT 1 FROM test_attempts t WHERE t.account_id = acc.id "
                     "AND t.submitted_at IS NOT NULL AND t.score >= $3) THEN 1 ELSE 0 END "
                     "FROM applications a JOIN accounts acc ON acc.id = a.account_id "
                     "WHERE a.wave_id = $1 AND a.id > $2 AND a.status IN " CHECKABLE " "
                     "ORDER BY a.id LIMIT $4",
                  q, 4, &r);
    if (rc != DB_OK) {
        free(p);
        return rc;
    }
    while ((rc = db_step(r)) == DB_ROW) {
        struct verdict *v;
        if (w->n == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 4096;
            struct verdict *nv = realloc(w->v, cap * sizeof *nv);
            if (!nv) {
                rc = DB_ERR;
                break;
            }
            w->v = nv;
            w->cap = cap;
        }
        v = &w->v[w->n];
        memset(v, 0, sizeof *v);
        memset(&in, 0, sizeof in);
        v->id = db_int(r, 0);
        v->created_at = db_int(r, 1);
        person_read(r, 2, p);
        in.kk_beneficiaries = (int)db_int(r, 10);
        in.ever_beneficiary = db_int(r, 11) > 0;
        in.ever_revoked = db_int(r, 12) > 0;
        in.on_aid_list = db_int(r, 13) != 0;
        in.on_other_list = db_int(r, 14) != 0;
        in.test_passed = db_int(r, 15) != 0;
        person_input(w->env, p, w->close_date, &in);
        v->eligible = (uint8_t)elig_evaluate(&w->s, &in, res);
        for (int i = 0; i < ELIG_NRULES; i++) {
            int k = reason_index(&w->rs, res[i].reason);
            if (k < 0) {
                rc = DB_ERR;
                break;
            }
            v->reason[i] = (uint8_t)k;
        }
        if (rc == DB_ERR)
            break;
        v->kk_beneficiaries = in.kk_beneficiaries;
        if (p->kk_bidx[0] && sodium_hex2bin(v->kk, sizeof v->kk, p->kk_bidx, strlen(p->kk_bidx),
                                            NULL, NULL, NULL) == 0)
            v->has_kk = 1;
        *last = v->id;
        w->n++;
        (*got)++;
    }
    db_rows_free(r);
    sodium_memzero(p, sizeof *p);
    free(p);
    return rc == DB_DONE ? DB_OK : rc;
}

static int by_kk_then_age(const void *a, const void *b)
{
    const struct verdict *x = *(const struct verdict *const *)a;
    const struct verdict *y = *(const struct verdict *const *)b;
    int c = memcmp(x->kk, y->kk, KK_BYTES);

    if (c)
        return c;
    if (x->created_at != y->created_at)
        return x->created_at < y->created_at ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Within the wave: of each KK's eligible applications, only the first
 * max_per_kk - (its beneficiaries) stay eligible. */
static int apply_kk_limit(struct wave_run *w)
{
    struct verdict **e;
    size_t n = 0, i, j;
    int kk_reason = reason_index(&w->rs, "elig.kk_limit");

    if (kk_reason < 0)
        return DB_ERR;
    for (i = 0; i < w->n; i++)
        n += w->v[i].eligible && w->v[i].has_kk;
    if (n == 0)
        return DB_OK;
    e = malloc(n * sizeof *e);
    if (!e)
        return DB_ERR;
    for (i = 0, j = 0; i < w->n; i++)
        if (w->v[i].eligible && w->v[i].has_kk)
            e[j++] = &w->v[i];
    qsort(e, n, sizeof *e, by_kk_then_age);
    for (i = 0; i < n; i = j) {
        long allowed = (long)w->s.max_per_kk - e[i]->kk_beneficiaries;
        for (j = i; j < n && memcmp(e[j]->kk, e[i]->kk, KK_BYTES) == 0; j++)
            if ((long)(j - i) >= allowed) {
                e[j]->eligible = 0;
                e[j]->reason[w->kk_rule] = (uint8_t)kk_reason;
            }
    }
    free(e);
    return DB_OK;
}

static const char *const result_cols[] = {"application_id", "rule", "passed", "reason",
                                          "checked_at"};

static int write_wave(db *d, struct wave_run *w, int64_t wave_id, int64_t now)
{
    db_val q[2] = {DB_INT(wave_id), DB_INT(now)};
    db_copy *c = NULL;
    int rc;

    rc = db_run(d, "DELETE FROM eligibility_results WHERE application_id IN "
                   "(SELECT id FROM applications WHERE wave_id = $1 AND status IN " CHECKABLE ")",
                q, 1, NULL);
    if (rc != DB_OK)
        return rc;
    if (w->n > 0) {
        rc = db_copy_begin(d, "eligibility_results", result_cols, 5, &c);
        if (rc != DB_OK)
            return rc;
        for (size_t i = 0; i < w->n && rc == DB_OK; i++)
            for (int k = 0; k < ELIG_NRULES && rc == DB_OK; k++) {
                const struct verdict *v = &w->v[i];
                db_val row[5] = {DB_INT(v->id), DB_TEXT(elig_rule_name(k)),
                                 DB_INT(v->reason[k] == 0),
                                 DB_TEXT(v->reason[k] ? w->rs.v[v->reason[k]] : NULL),
                                 DB_INT(now)};
                rc = db_copy_row(c, row);
            }
        if (rc != DB_OK) {
            db_copy_end(c, 0, NULL);
            return rc;
        }
        if ((rc = db_copy_end(c, 1, NULL)) != DB_OK)
            return rc;
    }
    return db_run(d, "UPDATE applications SET status = CASE WHEN EXISTS "
                     "(SELECT 1 FROM eligibility_results r WHERE r.application_id = "
                     "applications.id AND r.passed = 0) THEN 'ineligible' ELSE 'eligible' END, "
                     "checked_at = $2 WHERE wave_id = $1 AND status IN " CHECKABLE,
                  q, 2, NULL);
}

int elig_check_wave(db *d, const struct elig_env *env, int64_t wave_id, int64_t now,
                    int64_t *eligible_out, int64_t *ineligible_out)
{
    struct wave_run *w = calloc(1, sizeof *w);
    int64_t scheme_id = 0, closes_at = 0, after = 0, yes = 0;
    db_rows *r = NULL;
    int rc, got;

    if (!w)
        return DB_ERR;
    w->env = env;
    w->rs.n = 1;                         /* index 0 = passed */
    w->kk_rule = elig_rule_index("kk_limit");
    {
        db_val q[1] = {DB_INT(wave_id)};
        rc = db_query(d, "SELECT scheme_id, closes_at FROM waves WHERE id = $1", q, 1, &r);
        if (rc != DB_OK)
            goto out;
        rc = db_step(r);
        if (rc == DB_ROW) {
            scheme_id = db_int(r, 0);
            closes_at = db_int(r, 1);
            rc = DB_OK;
        } else if (rc == DB_DONE) {
            rc = DB_ENOTFOUND;
        }
        db_rows_free(r);
        if (rc != DB_OK)
            goto out;
    }
    if ((rc = schemes_by_id(d, scheme_id, &w->s)) != DB_OK)
        goto out;
    w->close_date = nik_date_wib(closes_at);
    do {
        rc = judge_page(d, w, wave_id, after, &after, &got);
    } while (rc == DB_OK && got == WAVE_PAGE);
    if (rc != DB_OK)
        goto out;
    if ((rc = apply_kk_limit(w)) != DB_OK)
        goto out;
    if ((rc = write_wave(d, w, wave_id, now)) != DB_OK)
        goto out;
    for (size_t i = 0; i < w->n; i++)
        yes += w->v[i].eligible;
    if (eligible_out)
        *eligible_out = yes;
    if (ineligible_out)
        *ineligible_out = (int64_t)w->n - yes;
out:
    free(w->v);
    free(w);
    return rc;
}

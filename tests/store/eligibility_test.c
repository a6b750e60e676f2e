/*
 * Tests of eligibility in the store (src/store/eligibility.c) and of the
 * exclusion lists (src/store/exclusions.c) on a migrated database of the engine
 * under test (tmpdb.h), with real rows: accounts through accounts_insert, waves,
 * applications, test attempts and beneficiaries by SQL, a civil-registry CSV.
 *
 * Eligibility: one applicant per rule shows that rule failing with its reason in
 * eligibility_results while the others pass (and an all-good applicant is
 * eligible); the age is taken on the close date in WIB; aid lists bar only under
 * the semi-bansos scheme; no registry means unavailable; checking again replaces
 * the rows; a wave check gives the same verdicts as checking one by one, leaves
 * other statuses alone, and enforces the KK limit within the wave on the later
 * applications (by created_at, then id), counting the KK's beneficiaries; a wave
 * of a few thousand applications is checked in one pass.
 *
 * Exclusion lists: lines that are not 16-digit NIKs are reported by line and
 * skipped, duplicates kept once, lookups tell aid lists from others, a
 * re-import replaces the list, a failed re-import (bad file, or a database
 * error in the middle of the copy) leaves the old list whole, and list names are
 * UTF-8 text without control characters.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support.h"
#include "tmpdb.h"
#include "store/accounts.h"
#include "store/civreg.h"
#include "store/db.h"
#include "store/eligibility.h"
#include "store/exclusions.h"
#include "store/pii.h"

TestSuite(eligibility, .init = tmpdb_setup, .fini = tmpdb_teardown);
TestSuite(exclusions, .init = tmpdb_setup, .fini = tmpdb_teardown);

#define CLOSES_AT 1796405400   /* 2026-12-04T17:30:00Z = 2026-12-05 00:30 WIB */
#define OPENS_AT 1793491200    /* 2026-11-01T00:00:00Z */
#define COMMIT "0000000000000000000000000000000000000000000000000000000000000000"

static struct pii_keys keys;

static db *open_migrated(void)
{
    db *d = tmpdb_migrated("e.db");

    cr_assert_eq(db_exec(d, "INSERT INTO regions (code, level, parent_code, name, digits) VALUES "
                            "('35', 1, NULL, 'JAWA TIMUR', 35),"
                            "('35.09', 2, '35', 'KABUPATEN JEMBER', 3509),"
                            "('35.09.15', 3, '35.09', 'Sumbersari', 350915),"
                            "('35.09.15.2001', 4, '35.09.15', 'Sumbersari', 3509152001)"),
                 DB_OK, "%s", db_errmsg(d));
    tmpdb_keys(&keys);
    return d;
}

static int64_t scheme_id(db *d, const char *code)
{
    db_val p[1] = {DB_TEXT(code)};
    int64_t id = 0;
    cr_assert_eq(db_one_int(d, "SELECT id FROM schemes WHERE code = $1", p, 1, &id), DB_OK,
                 "%s", db_errmsg(d));
    return id;
}

static int64_t add_wave(db *d, int number, const char *scheme, int64_t closes_at)
{
    db_val p[4] = {DB_INT(number), DB_INT(scheme_id(d, scheme)), DB_INT(OPENS_AT),
                   DB_INT(closes_at)};
    int64_t id = 0;
    cr_assert_eq(db_one_int(d, "INSERT INTO waves (number, scheme_id, opens_at, closes_at, "
                               "total_quota, quota_mode, quota_floor, spill_rule, "
                               "seed_commitment, status, created_at) VALUES ($1, $2, $3, $4, "
                               "100, 'proportional', 0, 'regency_province_nation', '" COMMIT
                               "', 'open', $3) RETURNING id",
                            p, 4, &id),
                 DB_OK, "%s", db_errmsg(d));
    return id;
}

/* Someone to register. score: the best submitted test score, -1 none.
 * registry: 0 absent, 1 as registered, 2 another name, 3 another birth date. */
struct person {
    char nik[17], kk[17];
    const char *name, *birth, *occupation;
    int email_ok, phone_ok, score, registry;
};

static struct person good(int i)
{
    struct person p;
    memset(&p, 0, sizeof p);
    snprintf(p.nik, sizeof p.nik, "35091501019%05u", (unsigned)i % 100000u);
    snprintf(p.kk, sizeof p.kk, "35091501089%05u", (unsigned)i % 100000u);
    p.name = "Siti Nur'aini";
    p.birth = "1995-08-07";
    p.occupation = "unemployed";
    p.email_ok = p.phone_ok = 1;
    p.score = 80;
    p.registry = 1;
    return p;
}

/* Inserts the account of p alone (accounts_insert), created at created_at. */
static int64_t insert_account(db *d, const struct person *p, int i, int64_t created_at)
{
    char nik_enc[PII_CT_MAX], kk_enc[PII_CT_MAX], nb[PII_BIDX_LEN + 1], kb[PII_BIDX_LEN + 1];
    char email[64], phone[20];
    int64_t id = 0;

    cr_assert_eq(pii_encrypt(&keys, p->nik, nik_enc), 0);
    cr_assert_eq(pii_encrypt(&keys, p->kk, kk_enc), 0);
    pii_blind_index(&keys, "nik", p->nik, nb);
    pii_blind_index(&keys, "kk", p->kk, kb);
    snprintf(email, sizeof email, "p%d@example.id", i);
    snprintf(phone, sizeof phone, "+628123%06d", i);
    struct account_new a = {
        .email = email, .phone = phone, .password_hash = "$argon2id$stub",
        .full_name = p->name, .nik_enc = nik_enc, .nik_bidx = nb, .kk_enc = kk_enc,
        .kk_bidx = kb, .birth_date = p->birth, .sex = 'F', .village_code = "35.09.15.2001",
        .regency_code = "35.09", .education = "sma", .occupation = p->occupation,
        .created_at = created_at,
    };
    cr_assert_eq(accounts_insert(d, &a, &id, NULL), DB_OK, "%s", db_errmsg(d));
    return id;
}

/* The account of p with its verifications and test attempts. */
static int64_t add_account(db *d, const struct person *p, int i)
{
    int64_t id = insert_account(d, p, i, 1700000000);

    if (p->email_ok)
        cr_assert_eq(accounts_set_verified(d, id, "email", 1700000100), DB_OK);
    if (p->phone_ok)
        cr_assert_eq(accounts_set_verified(d, id, "phone", 1700000100), DB_OK);
    if (p->score >= 0) {
        char tid[32];
        snprintf(tid, sizeof tid, "t%lld", (long long)id);
        db_val q[4] = {DB_TEXT(tid), DB_INT(id), DB_INT(scheme_id(d, "normal-2023")),
                       DB_INT(p->score)};
        cr_assert_eq(db_run(d, "INSERT INTO test_attempts (public_id, account_id, scheme_id, "
                               "day, question_ids, started_at, deadline_at, submitted_at, "
                               "answers, correct, total, score, passed) VALUES ($1, $2, $3, "
                               "'2026-10-01', '1', 1790000000, 1790001800, 1790001000, '0', 0, "
                               "20, $4, 0)",
                            q, 4, NULL),
                     DB_OK, "%s", db_errmsg(d));
        /* an attempt that was never submitted does not count, whatever its score */
        snprintf(tid, sizeof tid, "u%lld", (long long)id);
        cr_assert_eq(db_run(d, "INSERT INTO test_attempts (public_id, account_id, scheme_id, "
                               "day, question_ids, started_at, deadline_at, total, score) "
                               "VALUES ($1, $2, $3, '2026-10-02', '1', 1790100000, 1790101800, "
                               "20, 100)",
                            q, 3, NULL),
                     DB_OK, "%s", db_errmsg(d));
    }
    return id;
}

static int64_t add_application(db *d, int64_t wave, int64_t account, const char *status,
                               int open, int64_t created_at)
{
    char pid[ACCOUNTS_PUBLIC_ID_LEN + 1];
    int64_t id = 0;

    accounts_new_public_id(pid);
    db_val p[6] = {DB_TEXT(pid), DB_INT(wave), DB_INT(account), DB_TEXT(status), DB_INT(open),
                   DB_INT(created_at)};
    cr_assert_eq(db_one_int(d, "INSERT INTO applications (public_id, wave_id, account_id, "
                               "regency_code, tier, status, is_open, created_at) VALUES ($1, $2, "
                               "$3, '35.09', 1, $4, $5, $6) RETURNING id",
                            p, 6, &id),
                 DB_OK, "%s", db_errmsg(d));
    return id;
}

/* Makes account a beneficiary (active or revoked) through a selected application
 * in old_wave. */
static void add_beneficiary(db *d, int64_t old_wave, int64_t account, const char *kk,
                            int revoked)
{
    char kb[PII_BIDX_LEN + 1], card[17];
    int64_t app = add_application(d, old_wave, account, "selected", 0, 1600000000);

    pii_blind_index(&keys, "kk", kk, kb);
    snprintf(card, sizeof card, "9%015lld", (long long)account);
    db_val p[6] = {DB_TEXT(card), DB_INT(account), DB_INT(app), DB_INT(old_wave), DB_TEXT(kb),
                   DB_TEXT(revoked ? "revoked" : "active")};
    cr_assert_eq(db_run(d, "INSERT INTO beneficiaries (card_number, account_id, application_id, "
                           "wave_id, scheme_id, kk_bidx, regency_code, balance, "
                           "purchase_deadline, status, revoked_at, created_at) VALUES ($1, $2, "
                           "$3, $4, (SELECT scheme_id FROM waves WHERE id = $4), $5, '35.09', "
                           "0, 1600100000, $6, CASE WHEN $6 = 'revoked' THEN 1600200000 END, "
                           "1600000000)",
                        p, 6, NULL),
                 DB_OK, "%s", db_errmsg(d));
}

/* The registry file holding people[0..n) as their registry field says. */
static struct civreg *registry(const struct person *people, int n)
{
    const char *path = tmpdb_path("civreg.csv");
    struct civreg *cr = NULL;
    char err[512] = "";
    FILE *f = fopen(path, "w");

    cr_assert_not_null(f);
    fprintf(f, "nik,full_name,birth_date\n");
    for (int i = 0; i < n; i++) {
        const struct person *p = &people[i];
        if (p->registry == 0)
            continue;
        fprintf(f, "%s,\"%s\",%s\n", p->nik, p->registry == 2 ? "Someone Else" : p->name,
                p->registry == 3 ? "1980-01-01" : p->birth);
    }
    fclose(f);
    cr_assert_eq(civreg_csv_open(path, &keys, &cr, err, sizeof err), 0, "%s", err);
    return cr;
}

static void import_list(db *d, const char *code, int aid, const char *csv_text)
{
    const char *path = tmpdb_path("list.csv");
    struct exclusions_import_opts o = {.code = code, .aid = aid, .now = 1700000000};
    struct exclusions_import_stats st;
    char err[512] = "";
    FILE *f = fopen(path, "w");

    cr_assert_not_null(f);
    fputs(csv_text, f);
    fclose(f);
    cr_assert_eq(exclusions_import(d, &keys, path, &o, &st, err, sizeof err), DB_OK, "%s", err);
}

struct check_ctx {
    const struct elig_env *env;
    int64_t app, wave, now;
    struct elig_result res[ELIG_NRULES];
    int eligible;
    int64_t yes, no;
};

static int check_one_txn(db *d, void *vctx)
{
    struct check_ctx *c = vctx;
    return elig_check_application(d, c->env, c->app, c->now, c->res, &c->eligible);
}

static int check_wave_txn(db *d, void *vctx)
{
    struct check_ctx *c = vctx;
    return elig_check_wave(d, c->env, c->wave, c->now, &c->yes, &c->no);
}

static int check_one(db *d, const struct elig_env *env, int64_t app, int64_t now)
{
    struct check_ctx c = {.env = env, .app = app, .now = now};
    int rc = db_txn(d, check_one_txn, &c);
    cr_assert_eq(rc, DB_OK, "check %lld: %d %s", (long long)app, rc, db_errmsg(d));
    return c.eligible;
}

static void check_wave(db *d, const struct elig_env *env, int64_t wave, int64_t now,
                       int64_t *yes, int64_t *no)
{
    struct check_ctx c = {.env = env, .wave = wave, .now = now};
    int rc = db_txn(d, check_wave_txn, &c);
    cr_assert_eq(rc, DB_OK, "check wave: %d %s", rc, db_errmsg(d));
    if (yes)
        *yes = c.yes;
    if (no)
        *no = c.no;
}

static const char *const rules[ELIG_NRULES] = {
    "age", "occupation", "education", "test", "verified", "kk_limit", "first_time",
    "not_revoked", "exclusion", "civil_registry",
};

/* The recorded results of app as "rule:reason" for each failed rule, in rule
 * order, comma-joined ("" when all passed); also asserts one row per rule, every
 * row checked at `at`, and the application's status and checked_at. */
static void recorded(db *d, int64_t app, int64_t at, char *out, size_t outlen)
{
    db_val p[1] = {DB_INT(app)};
    db_rows *r = NULL;
    char status[16] = "";
    int64_t checked = 0, n = 0;
    int failed = 0;

    out[0] = '\0';
    for (int i = 0; i < ELIG_NRULES; i++) {
        db_val q[2] = {DB_INT(app), DB_TEXT(rules[i])};
        cr_assert_eq(db_query(d, "SELECT passed, reason, checked_at FROM eligibility_results "
                                 "WHERE application_id = $1 AND rule = $2", q, 2, &r), DB_OK);
        cr_assert_eq(db_step(r), DB_ROW, "no %s row for application %lld", rules[i],
                     (long long)app);
        cr_assert_eq(db_int(r, 2), at, "%s checked at %lld", rules[i], (long long)db_int(r, 2));
        if (!db_int(r, 0)) {
            size_t len = strlen(out);
            cr_assert(!db_isnull(r, 1), "failed rule %s without a reason", rules[i]);
            snprintf(out + len, outlen - len, "%s%s:%s", len ? "," : "", rules[i],
                     db_text(r, 1));
            failed = 1;
        } else {
            cr_assert(db_isnull(r, 1), "passed rule %s with reason %s", rules[i], db_text(r, 1));
        }
        db_rows_free(r);
    }
    cr_assert_eq(db_one_int(d, "SELECT COUNT(*) FROM eligibility_results WHERE application_id = $1",
                            p, 1, &n), DB_OK);
    cr_assert_eq(n, ELIG_NRULES);
    cr_assert_eq(db_one_text(d, "SELECT status FROM applications WHERE id = $1", p, 1, status,
                             sizeof status), DB_OK);
    cr_assert_str_eq(status, failed ? "ineligible" : "eligible", "application %lld: %s (%s)",
                     (long long)app, status, out);
    cr_assert_eq(db_one_int(d, "SELECT checked_at FROM applications WHERE id = $1", p, 1,
                            &checked), DB_OK);
    cr_assert_eq(checked, at);
}

/* The cast of the rule test: who they are and what must fail. */
struct role {
    const char *who;
    const char *expect;        /* as recorded() writes it */
};

static const struct role cast[] = {
    {"good", ""},
    {"young", "age:elig.age_below"},
    {"birthday on the WIB close date", ""},
    {"old", "age:elig.age_above"},
    {"civil servant", "occupation:elig.occupation_excluded"},
    {"student", "education:elig.in_education"},
    {"no test", "test:elig.test_not_passed"},
    {"test below the pass mark", "test:elig.test_not_passed"},
    {"phone not verified", "verified:elig.not_verified"},
    {"KK full", "kk_limit:elig.kk_limit"},
    {"KK with one beneficiary", ""},
    {"beneficiary", "first_time:elig.already_beneficiary"},
    {"revoked", "first_time:elig.already_beneficiary,not_revoked:elig.revoked"},
    {"on a list", "exclusion:elig.excluded_list"},
    {"on an aid list (normal 2023)", ""},
    {"not in the registry", "civil_registry:elig.civreg_not_found"},
    {"another name in the registry", "civil_registry:elig.civreg_name_mismatch"},
    {"another birth date in the registry", "civil_registry:elig.civreg_birth_mismatch"},
};
#define NCAST ((int)(sizeof cast / sizeof cast[0]))

struct stage {
    db *d;
    int64_t old_wave, wave;
    struct person people[NCAST + 8];
    int64_t account[NCAST + 8], app[NCAST + 8];
    struct civreg *cr;
    struct elig_env env;
};

/* Registers the cast, each applying to a normal-2023 wave that closes on
 * 2026-12-05 WIB. */
static void stage_cast(struct stage *s)
{
    int64_t helper[3];

    s->d = open_migrated();
    s->old_wave = add_wave(s->d, 1, "normal-2023", 1600000000);
    s->wave = add_wave(s->d, 2, "normal-2023", CLOSES_AT);
    for (int i = 0; i < NCAST; i++)
        s->people[i] = good(i);
    s->people[1].birth = "2009-01-01";
    s->people[2].birth = "2008-12-05";   /* 18 on 5 December WIB, 17 on 4 December UTC */
    s->people[3].birth = "1961-12-04";
    s->people[4].occupation = "civil_servant";
    s->people[5].occupation = "student";
    s->people[6].score = -1;
    s->people[7].score = 59;
    s->people[8].phone_ok = 0;
    memcpy(s->people[9].kk, "3509150107700001", 17);
    memcpy(s->people[10].kk, "3509150107700002", 17);
    s->people[15].registry = 0;
    s->people[16].registry = 2;
    s->people[17].registry = 3;
    for (int i = 0; i < NCAST; i++)
        s->account[i] = add_account(s->d, &s->people[i], i);
    /* two others on person 9's KK are beneficiaries (one revoked: still counts);
     * one other on person 10's KK */
    for (int i = 0; i < 3; i++) {
        struct person h = good(100 + i);
        memcpy(h.kk, i < 2 ? "3509150107700001" : "3509150107700002", 17);
        helper[i] = add_account(s->d, &h, 100 + i);
        add_beneficiary(s->d, s->old_wave, helper[i], h.kk, i == 1);
    }
    add_beneficiary(s->d, s->old_wave, s->account[11], s->people[11].kk, 0);
    add_beneficiary(s->d, s->old_wave, s->account[12], s->people[12].kk, 1);
    {
        char list[256];
        snprintf(list, sizeof list, "nik\n%s\n", s->people[13].nik);
        import_list(s->d, "blacklist", 0, list);
        snprintf(list, sizeof list, "nik\n%s\n", s->people[14].nik);
        import_list(s->d, "dtks", 1, list);
    }
    for (int i = 0; i < NCAST; i++)
        s->app[i] = add_application(s->d, s->wave, s->account[i], "submitted", 1,
                                    1795000000 + i);
    s->cr = registry(s->people, NCAST);
    s->env = (struct elig_env){.keys = &keys, .civreg = s->cr};
}

Test(eligibility, each_rule_fails_alone_with_its_reason_and_is_recorded)
{
    struct stage *s = calloc(1, sizeof *s);
    char got[512];

    stage_cast(s);
    for (int i = 0; i < NCAST; i++) {
        struct check_ctx c = {.env = &s->env, .app = s->app[i], .now = 1796000000};
        cr_assert_eq(db_txn(s->d, check_one_txn, &c), DB_OK, "%s", db_errmsg(s->d));
        cr_assert_eq(c.eligible, cast[i].expect[0] == '\0', "%s", cast[i].who);
        for (int k = 0; k < ELIG_NRULES; k++)
            cr_assert_str_eq(c.res[k].rule, rules[k]);
        recorded(s->d, s->app[i], 1796000000, got, sizeof got);
        cr_assert_str_eq(got, cast[i].expect, "%s: recorded %s, want %s", cast[i].who, got,
                         cast[i].expect);
    }
    civreg_close(s->cr);
    db_close(s->d);
    free(s);
}

Test(eligibility, a_wave_check_gives_the_same_verdicts)
{
    struct stage *s = calloc(1, sizeof *s);
    int64_t yes = 0, no = 0, want_yes = 0;
    char got[512];

    stage_cast(s);
    check_wave(s->d, &s->env, s->wave, 1796100000, &yes, &no);
    for (int i = 0; i < NCAST; i++) {
        recorded(s->d, s->app[i], 1796100000, got, sizeof got);
        cr_assert_str_eq(got, cast[i].expect, "%s: recorded %s, want %s", cast[i].who, got,
                         cast[i].expect);
        want_yes += cast[i].expect[0] == '\0';
    }
    cr_assert_eq(yes, want_yes);
    cr_assert_eq(no, NCAST - want_yes);
    civreg_close(s->cr);
    db_close(s->d);
    free(s);
}

Test(eligibility, aid_lists_bar_under_the_semi_bansos_scheme)
{
    db *d = open_migrated();
    int64_t w = add_wave(d, 3, "semi-bansos-2020", CLOSES_AT);
    struct person p[2] = {good(1), good(2)};
    int64_t app[2];
    struct civreg *cr = registry(p, 2);
    struct elig_env env = {&keys, cr};
    char list[128], got[256];

    snprintf(list, sizeof list, "nik\n%s\n", p[0].nik);
    import_list(d, "bsu", 1, list);
    for (int i = 0; i < 2; i++)
        app[i] = add_application(d, w, add_account(d, &p[i], i), "submitted", 1, 1795000000);
    cr_assert_eq(check_one(d, &env, app[0], 1796000000), 0);
    recorded(d, app[0], 1796000000, got, sizeof got);
    cr_assert_str_eq(got, "exclusion:elig.excluded_list");
    cr_assert_eq(check_one(d, &env, app[1], 1796000000), 1);
    civreg_close(cr);
    db_close(d);
}

Test(eligibility, no_registry_means_unavailable_and_rechecking_replaces_the_rows)
{
    db *d = open_migrated();
    int64_t w = add_wave(d, 2, "normal-2023", CLOSES_AT);
    struct person p = good(1);
    struct elig_env none = {&keys, NULL}, env;
    struct civreg *cr;
    int64_t acc, app;
    char got[256];

    p.phone_ok = 0;
    acc = add_account(d, &p, 1);
    app = add_application(d, w, acc, "submitted", 1, 1795000000);
    cr_assert_eq(check_one(d, &none, app, 1796000000), 0);
    recorded(d, app, 1796000000, got, sizeof got);
    cr_assert_str_eq(got, "verified:elig.not_verified,civil_registry:elig.civreg_unavailable");

    /* the phone is verified and the registry comes: checking again replaces it all */
    cr_assert_eq(accounts_set_verified(d, acc, "phone", 1796000500), DB_OK);
    cr = registry(&p, 1);
    env = (struct elig_env){&keys, cr};
    cr_assert_eq(check_one(d, &env, app, 1796001000), 1);
    recorded(d, app, 1796001000, got, sizeof got);
    cr_assert_str_eq(got, "");
    civreg_close(cr);
    db_close(d);
}

Test(eligibility, only_open_checkable_applications_are_checked)
{
    db *d = open_migrated();
    int64_t w = add_wave(d, 2, "normal-2023", CLOSES_AT), yes = -1, no = -1, n = -1;
    struct person p = good(1);
    struct elig_env env = {&keys, NULL};
    struct check_ctx c = {.env = &env, .now = 1796000000};
    int64_t app = add_application(d, w, add_account(d, &p, 1), "not_selected", 0, 1795000000);
    char status[16];
    db_val q[1] = {DB_INT(app)};

    c.app = app;
    cr_assert_eq(db_txn(d, check_one_txn, &c), DB_ENOTFOUND);
    c.app = 999999;
    cr_assert_eq(db_txn(d, check_one_txn, &c), DB_ENOTFOUND);
    check_wave(d, &env, w, 1796000000, &yes, &no);
    cr_assert_eq(yes, 0);
    cr_assert_eq(no, 0);
    cr_assert_eq(db_one_text(d, "SELECT status FROM applications WHERE id = $1", q, 1, status,
                             sizeof status), DB_OK);
    cr_assert_str_eq(status, "not_selected");
    cr_assert_eq(db_one_int(d, "SELECT COUNT(*) FROM eligibility_results", NULL, 0, &n), DB_OK);
    cr_assert_eq(n, 0);
    c.wave = 424242;
    cr_assert_eq(db_txn(d, check_wave_txn, &c), DB_ENOTFOUND);
    db_close(d);
}

Test(eligibility, the_kk_limit_within_a_wave_keeps_the_earlier_applications)
{
    db *d = open_migrated();
    int64_t old = add_wave(d, 1, "normal-2023", 1600000000);
    int64_t w = add_wave(d, 2, "normal-2023", CLOSES_AT);
    struct person p[9];
    int64_t acc[9], app[9], yes = 0, no = 0;
    struct civreg *cr;
    struct elig_env env;
    char got[256];
    /* KK A: 0, 1, 2 (created 100, 50, 100; 2 is inserted before 0, so its id is
     *       smaller: order 1, 2, 0)
     * KK B: a beneficiary already, then 3 (created 10) and 4 (created 20)
     * KK C: 5 fails the test (created 1), 6 eligible (created 2)
     * 7, 8: alone on their KKs */
    static const char *const kk[9] = {"3509150108000001", "3509150108000001",
                                      "3509150108000001", "3509150108000002",
                                      "3509150108000002", "3509150108000003",
                                      "3509150108000003", "3509150108000004",
                                      "3509150108000005"};
    static const int64_t created[9] = {100, 50, 100, 10, 20, 1, 2, 5, 5};
    static const char *const want[9] = {"kk_limit:elig.kk_limit", "", "", "",
                                        "kk_limit:elig.kk_limit", "test:elig.test_not_passed",
                                        "", "", ""};

    for (int i = 0; i < 9; i++) {
        p[i] = good(i);
        memcpy(p[i].kk, kk[i], 17);
    }
    p[5].score = 10;
    for (int i = 0; i < 9; i++)
        acc[i] = add_account(d, &p[i], i);
    {
        struct person h = good(50);
        memcpy(h.kk, kk[3], 17);
        add_beneficiary(d, old, add_account(d, &h, 50), h.kk, 0);
    }
    /* insertion order makes ids differ from created_at order */
    for (int i = 8; i >= 0; i--)
        app[i] = add_application(d, w, acc[i], "submitted", 1, 1795000000 + created[i]);
    cr = registry(p, 9);
    env = (struct elig_env){&keys, cr};

    /* applying one by one, everyone but 5 is eligible: the KK limit within the wave
     * waits for the close */
    for (int i = 0; i < 9; i++)
        cr_assert_eq(check_one(d, &env, app[i], 1796000000), i != 5, "applicant %d", i);

    check_wave(d, &env, w, 1796200000, &yes, &no);
    for (int i = 0; i < 9; i++) {
        recorded(d, app[i], 1796200000, got, sizeof got);
        cr_assert_str_eq(got, want[i], "applicant %d: %s, want %s", i, got, want[i]);
    }
    cr_assert_eq(yes, 6);
    cr_assert_eq(no, 3);
    /* the same again gives the same answer */
    check_wave(d, &env, w, 1796300000, &yes, &no);
    cr_assert_eq(yes, 6);
    recorded(d, app[0], 1796300000, got, sizeof got);
    cr_assert_str_eq(got, "kk_limit:elig.kk_limit");
    recorded(d, app[2], 1796300000, got, sizeof got);
    cr_assert_str_eq(got, "");
    civreg_close(cr);
    db_close(d);
}

struct many_ctx {
    int n;
    int64_t wave;
};

static int add_many_txn(db *d, void *vctx)
{
    struct many_ctx *m = vctx;
    db_val w[1] = {DB_INT(m->wave)}, sch[1] = {DB_INT(scheme_id(d, "normal-2023"))};

    for (int i = 0; i < m->n; i++) {
        struct person pp = good(i);
        /* KKs of three people: the third of each is over the limit */
        snprintf(pp.kk, sizeof pp.kk, "35091501080%05u", (unsigned)(i / 3) % 100000u);
        insert_account(d, &pp, i, 1700000000 + i);
    }
    /* the rest set-wise (created_at - 1700000000 is the person's number): all
     * verified, every tenth failing the test, applying in their order */
    cr_assert_eq(db_run(d, "UPDATE accounts SET email_verified_at = 1700000100, "
                           "phone_verified_at = 1700000100", NULL, 0, NULL), DB_OK);
    cr_assert_eq(db_run(d, "INSERT INTO test_attempts (public_id, account_id, scheme_id, day, "
                           "question_ids, started_at, deadline_at, submitted_at, answers, "
                           "correct, total, score, passed) SELECT 't' || id, id, $1, "
                           "'2026-10-01', '1', 1790000000, 1790001800, 1790001000, '0', 0, 20, "
                           "CASE WHEN (created_at - 1700000000) % 10 = 9 THEN 0 ELSE 80 END, 0 "
                           "FROM accounts", sch, 1, NULL),
                 DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(db_run(d, "INSERT INTO applications (public_id, wave_id, account_id, "
                           "regency_code, tier, status, is_open, created_at) SELECT 'a' || id, "
                           "$1, id, '35.09', 1, 'submitted', 1, "
                           "1795000000 + (created_at - 1700000000) FROM accounts", w, 1, NULL),
                 DB_OK, "%s", db_errmsg(d));
    return DB_OK;
}

Test(eligibility, a_wave_of_thousands_is_checked_in_one_pass, .timeout = 120)
{
    db *d = open_migrated();
    struct many_ctx m = {.n = 3000};
    struct person *people = calloc((size_t)m.n, sizeof *people);
    int64_t yes = 0, no = 0, want_yes = 0, rows = 0;
    struct civreg *cr;
    struct elig_env env;
    double t0;

    m.wave = add_wave(d, 2, "normal-2023", CLOSES_AT);
    cr_assert_eq(db_txn(d, add_many_txn, &m), DB_OK, "%s", db_errmsg(d));
    for (int i = 0; i < m.n; i++)
        people[i] = good(i);
    cr = registry(people, m.n);
    env = (struct elig_env){&keys, cr};
    /* expected: per KK of three (i, i+1, i+2), those failing the test do not count */
    for (int k = 0; k < m.n; k += 3) {
        int kept = 0;
        for (int i = k; i < k + 3 && i < m.n; i++)
            if (i % 10 != 9 && kept < 2) {
                kept++;
                want_yes++;
            }
    }
    t0 = test_now();
    check_wave(d, &env, m.wave, 1796400000, &yes, &no);
    cr_log_info("wave check of %d applications: %.2f s", m.n, test_now() - t0);
    cr_assert_eq(yes, want_yes);
    cr_assert_eq(yes + no, m.n);
    cr_assert_eq(db_one_int(d, "SELECT COUNT(*) FROM eligibility_results", NULL, 0, &rows),
                 DB_OK);
    cr_assert_eq(rows, (int64_t)m.n * ELIG_NRULES);
    cr_assert_eq(db_one_int(d, "SELECT COUNT(*) FROM applications WHERE status = 'eligible'",
                            NULL, 0, &rows), DB_OK);
    cr_assert_eq(rows, want_yes);
    cr_assert_eq(db_one_int(d, "SELECT COUNT(*) FROM eligibility_results WHERE rule = 'kk_limit' "
                               "AND passed = 0", NULL, 0, &rows), DB_OK);
    cr_assert_eq(rows, m.n - want_yes - m.n / 10);
    civreg_close(cr);
    free(people);
    db_close(d);
}

/* ---- exclusion lists ---- */

struct rejects {
    long line[16];
    const char *why[16];
    int n;
};

static void on_reject(void *ctx, long line, const char *why)
{
    struct rejects *r = ctx;
    if (r->n < 16) {
        r->line[r->n] = line;
        r->why[r->n] = why;
        r->n++;
    }
}

static int import_file(db *d, const char *code, const char *name, int aid, const char *text,
                       struct rejects *rj, struct exclusions_import_stats *st, char *err,
                       size_t errlen)
{
    const char *path = tmpdb_path("x.csv");
    FILE *f = fopen(path, "w");
    struct exclusions_import_opts o = {.code = code, .name = name, .aid = aid,
                                       .now = 1700000000, .reject = on_reject, .ctx = rj};

    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return exclusions_import(d, &keys, path, &o, st, err, errlen);
}

static void on_lists(db *d, const char *nik, int *aid, int *other)
{
    char b[PII_BIDX_LEN + 1];
    pii_blind_index(&keys, "nik", nik, b);
    cr_assert_eq(exclusions_lookup(d, b, aid, other), DB_OK, "%s", db_errmsg(d));
}

Test(exclusions, bad_lines_are_reported_and_skipped_duplicates_kept_once)
{
    db *d = open_migrated();
    struct exclusions_import_stats st;
    struct exclusion_list l;
    struct rejects rj = {0};
    char err[512] = "";
    int aid = -1, other = -1;

    cr_assert_eq(import_file(d, "dtks-2022", "DTKS 2022", 1,
                             "name,NIK,note\n"
                             "Siti,3509154708950001,x\n"
                             "Budi,350915470895000,short\n"
                             "Ani,\" 3509150101900002 \",quoted and padded\n"
                             "Eko,3509154708950001,again\n"
                             "Dewi,35091547089500O1,letter O\n"
                             "Rina,,empty\n"
                             "Joko\n"
                             "\"Agus, Jr.\",3509150202910006,comma in a quoted name\n",
                             &rj, &st, err, sizeof err),
                 DB_OK, "%s", err);
    cr_assert_eq(st.taken, 3);
    cr_assert_eq(st.rejected, 4);
    cr_assert_eq(st.duplicates, 1);
    cr_assert_eq(st.replaced, 0);
    cr_assert_eq(rj.n, 4);
    cr_assert_eq(rj.line[0], 3);
    cr_assert_str_eq(rj.why[0], "nik is not 16 digits");
    cr_assert_eq(rj.line[1], 6);
    cr_assert_eq(rj.line[2], 7);
    cr_assert_str_eq(rj.why[2], "nik is missing");
    cr_assert_eq(rj.line[3], 8);

    cr_assert_eq(exclusions_get(d, "dtks-2022", &l), DB_OK);
    cr_assert_str_eq(l.name, "DTKS 2022");
    cr_assert_eq(l.aid, 1);
    cr_assert_eq(l.entries, 3);
    cr_assert_eq(l.imported_at, 1700000000);

    on_lists(d, "3509154708950001", &aid, &other);
    cr_assert_eq(aid, 1);
    cr_assert_eq(other, 0);
    on_lists(d, "3509150101900002", &aid, &other);
    cr_assert_eq(aid, 1);
    on_lists(d, "3509150202910006", &aid, NULL);
    cr_assert_eq(aid, 1);
    on_lists(d, "3509150101900009", &aid, &other);
    cr_assert_eq(aid + other, 0);
    /* nothing of a NIK is stored in clear */
    {
        int64_t n = -1;
        cr_assert_eq(db_one_int(d, "SELECT COUNT(*) FROM exclusion_entries WHERE nik_bidx LIKE "
                                   "'%3509154708950001%'", NULL, 0, &n), DB_OK);
        cr_assert_eq(n, 0);
    }
    /* another, non-aid list with an overlapping NIK */
    cr_assert_eq(import_file(d, "court-order", NULL, 0, "nik\n3509154708950001\n", &rj, &st, err,
                             sizeof err), DB_OK, "%s", err);
    on_lists(d, "3509154708950001", &aid, &other);
    cr_assert_eq(aid, 1);
    cr_assert_eq(other, 1);
    cr_assert_eq(exclusions_on_other_list(d, "00", &other), DB_OK);
    cr_assert_eq(other, 0);
    {
        struct exclusion_list *v = NULL;
        int n = 0;
        cr_assert_eq(exclusions_list(d, &v, &n), DB_OK);
        cr_assert_eq(n, 2);
        cr_assert_str_eq(v[0].code, "court-order");
        cr_assert_str_eq(v[0].name, "court-order");   /* the name defaults to the code */
        cr_assert_eq(v[0].aid, 0);
        cr_assert_str_eq(v[1].code, "dtks-2022");
        free(v);
    }
    db_close(d);
}

Test(exclusions, a_reimport_replaces_the_list)
{
    db *d = open_migrated();
    struct exclusions_import_stats st;
    struct exclusion_list l;
    struct rejects rj = {0};
    char err[512] = "";
    int aid = -1, other = -1;

    cr_assert_eq(import_file(d, "bsu", NULL, 1, "nik\n3509154708950001\n3509150101900002\n", &rj,
                             &st, err, sizeof err), DB_OK, "%s", err);
    cr_assert_eq(import_file(d, "bsu", "BSU 2021", 0, "nik\n3509150101900002\n3509150202910006\n",
                             &rj, &st, err, sizeof err), DB_OK, "%s", err);
    cr_assert_eq(st.replaced, 1);
    cr_assert_eq(st.taken, 2);
    cr_assert_eq(exclusions_get(d, "bsu", &l), DB_OK);
    cr_assert_eq(l.entries, 2);
    cr_assert_eq(l.aid, 0);
    cr_assert_str_eq(l.name, "BSU 2021");
    on_lists(d, "3509154708950001", &aid, &other);
    cr_assert_eq(aid + other, 0, "the old entry is gone");
    on_lists(d, "3509150202910006", &aid, &other);
    cr_assert_eq(other, 1);
    cr_assert_eq(aid, 0);
    /* a header-only file empties the list */
    cr_assert_eq(import_file(d, "bsu", NULL, 0, "nik\n", &rj, &st, err, sizeof err), DB_OK);
    cr_assert_eq(exclusions_get(d, "bsu", &l), DB_OK);
    cr_assert_eq(l.entries, 0);
    db_close(d);
}

static void assert_old_list_whole(db *d)
{
    struct exclusion_list l;
    int64_t n = -1;
    int aid = 0, other = 0;

    cr_assert_eq(exclusions_get(d, "bpum", &l), DB_OK);
    cr_assert_eq(l.entries, 2);
    cr_assert_eq(l.aid, 1);
    cr_assert_str_eq(l.name, "BPUM");
    cr_assert_eq(db_one_int(d, "SELECT COUNT(*) FROM exclusion_entries", NULL, 0, &n), DB_OK);
    cr_assert_eq(n, 2);
    on_lists(d, "3509154708950001", &aid, &other);
    cr_assert_eq(aid, 1);
    on_lists(d, "3509150101900002", &aid, &other);
    cr_assert_eq(aid, 1);
}

Test(exclusions, a_failed_reimport_leaves_the_old_list_whole)
{
    db *d = open_migrated();
    struct exclusions_import_stats st;
    struct rejects rj = {0};
    char err[512] = "", bad_bidx[PII_BIDX_LEN + 1], *big;
    int rc;

    cr_assert_eq(import_file(d, "bpum", "BPUM", 1, "nik\n3509154708950001\n3509150101900002\n",
                             &rj, &st, err, sizeof err), DB_OK, "%s", err);

    /* file errors: no nik column, only bad lines, a field over 64 KiB */
    rc = import_file(d, "bpum", "X", 0, "id,name\n1,Siti\n", &rj, &st, err, sizeof err);
    cr_assert_eq(rc, DB_ERR);
    cr_assert_eq(st.file_error, 1);
    cr_assert_not_null(strstr(err, "line 1: the header row has no column nik"), "%s", err);
    assert_old_list_whole(d);
    rc = import_file(d, "bpum", "X", 0, "nik\n123\nabc\n", &rj, &st, err, sizeof err);
    cr_assert_eq(rc, DB_ERR);
    cr_assert_not_null(strstr(err, "no valid NIK"), "%s", err);
    assert_old_list_whole(d);
    big = malloc(70 * 1024 + 64);
    strcpy(big, "nik,x\n3509150202910006,\"");
    memset(big + strlen(big), 'a', 70 * 1024);
    strcpy(big + strlen("nik,x\n3509150202910006,\"") + 70 * 1024, "\"\n");
    rc = import_file(d, "bpum", "X", 0, big, &rj, &st, err, sizeof err);
    free(big);
    cr_assert_eq(rc, DB_ERR);
    cr_assert_not_null(strstr(err, "line 2: a field longer than 64 KiB"), "%s", err);
    assert_old_list_whole(d);
    cr_assert_eq(import_file(d, "BAD CODE", NULL, 0, "nik\n", &rj, &st, err, sizeof err), DB_ERR);

    /* a database error in the middle of the copy: a trigger refuses one NIK */
    pii_blind_index(&keys, "nik", "3509150303930009", bad_bidx);
    {
        char sql[1024];
        if (tmpdb_engine() == DB_SQLITE)
            snprintf(sql, sizeof sql, "CREATE TRIGGER refuse BEFORE INSERT ON exclusion_entries "
                                      "WHEN NEW.nik_bidx = '%s' BEGIN SELECT RAISE(ABORT, "
                                      "'refused'); END", bad_bidx);
        else
            snprintf(sql, sizeof sql,
                     "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
                     "IF NEW.nik_bidx = '%s' THEN RAISE EXCEPTION 'refused'; END IF; "
                     "RETURN NEW; END $f$; CREATE TRIGGER refuse BEFORE INSERT ON "
                     "exclusion_entries FOR EACH ROW EXECUTE FUNCTION refuse()", bad_bidx);
        cr_assert_eq(db_exec(d, sql), DB_OK, "%s", db_errmsg(d));
    }
    rc = import_file(d, "bpum", "X", 0,
                     "nik\n3509150202910006\n3509150303930009\n3509150404940008\n", &rj, &st,
                     err, sizeof err);
    cr_assert_neq(rc, DB_OK);
    cr_assert_eq(st.file_error, 0);
    cr_assert_not_null(strstr(err, "cannot write"), "%s", err);
    assert_old_list_whole(d);
    /* and a new list that fails is not created at all */
    rc = import_file(d, "other", NULL, 0, "nik\n3509150303930009\n", &rj, &st, err, sizeof err);
    cr_assert_neq(rc, DB_OK);
    cr_assert_eq(exclusions_get(d, "other", &(struct exclusion_list){0}), DB_ENOTFOUND);
    db_close(d);
}

struct prog {
    long read_calls, write_calls, last_read, last_write, total_read;
};

static void on_prog(void *ctx, const char *phase, long done, long total)
{
    struct prog *p = ctx;
    if (strcmp(phase, "read") == 0) {
        p->read_calls++;
        p->last_read = done;
        p->total_read = total;
    } else if (strcmp(phase, "write") == 0) {
        p->write_calls++;
        p->last_write = done;
    }
}

Test(exclusions, a_bigger_list_reports_progress)
{
    db *d = open_migrated();
    const char *path = tmpdb_path("big.csv");
    struct prog pr = {0};
    struct exclusions_import_opts o = {.code = "big", .now = 1, .progress = on_prog, .ctx = &pr};
    struct exclusions_import_stats st;
    struct exclusion_list l;
    char err[256] = "";
    FILE *f = fopen(path, "w");
    int aid = 0, other = 0;

    cr_assert_not_null(f);
    fprintf(f, "nik\n");
    for (int i = 0; i < 50000; i++)
        fprintf(f, "3509%012d\n", i);
    fclose(f);
    cr_assert_eq(exclusions_import(d, &keys, path, &o, &st, err, sizeof err), DB_OK, "%s", err);
    cr_assert_eq(st.taken, 50000);
    cr_assert_eq(exclusions_get(d, "big", &l), DB_OK);
    cr_assert_eq(l.entries, 50000);
    cr_assert_geq(pr.read_calls, 2);
    cr_assert_eq(pr.last_read, 50000);
    cr_assert_eq(pr.total_read, 50000);
    cr_assert_geq(pr.write_calls, 2);
    cr_assert_eq(pr.last_write, 50000);
    on_lists(d, "3509000000049999", &aid, &other);
    cr_assert_eq(other, 1);
    db_close(d);
}

Test(exclusions, list_names_are_utf8_text_without_controls)
{
    char longest[EXCLUSION_NAME_MAX + 2];

    cr_assert(exclusions_name_valid("DTKS 2022"));
    cr_assert(exclusions_name_valid("Penerima BSU \xe2\x80\x94 Kemnaker"), "an em dash");
    cr_assert(exclusions_name_valid("\xf0\x9f\x93\x8b daftar"), "four bytes");
    cr_assert(exclusions_name_valid("\xc2\xa0"), "U+00A0 is past the C1 controls");
    cr_assert_not(exclusions_name_valid(""));
    cr_assert_not(exclusions_name_valid(NULL));
    cr_assert_not(exclusions_name_valid("tab\there"));
    cr_assert_not(exclusions_name_valid("del\x7f"));
    cr_assert_not(exclusions_name_valid("c1 \xc2\x85"), "U+0085, a C1 control");
    cr_assert_not(exclusions_name_valid("\xc0\xaf"), "an overlong form");
    cr_assert_not(exclusions_name_valid("\xed\xa0\x80"), "a surrogate");
    cr_assert_not(exclusions_name_valid("\xf4\x90\x80\x80"), "past U+10FFFF");
    cr_assert_not(exclusions_name_valid("cut \xe2\x80"), "a sequence cut short");
    memset(longest, 'a', sizeof longest);
    longest[EXCLUSION_NAME_MAX] = '\0';
    cr_assert(exclusions_name_valid(longest));
    longest[EXCLUSION_NAME_MAX] = 'a';
    longest[EXCLUSION_NAME_MAX + 1] = '\0';
    cr_assert_not(exclusions_name_valid(longest));
}

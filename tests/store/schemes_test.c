/*
 * Tests of the schemes store (src/store/schemes.c) on a migrated database of the
 * engine under test (tmpdb.h): the two schemes of migration 0003 read back with
 * DOMAIN.md's amounts, lookups by code and id, an inserted scheme reads back
 * field for field, a taken code is DB_ECONSTRAINT, iteration in id order stops
 * on the callback's word, and the default scheme follows the open waves.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "tmpdb.h"
#include "core/scheme.h"
#include "store/db.h"
#include "store/schemes.h"

TestSuite(schemes, .init = tmpdb_setup, .fini = tmpdb_teardown);

Test(schemes, shipped_schemes_hold_the_domain_amounts)
{
    db *d = tmpdb_migrated("s.db");
    struct scheme s, again;
    struct field_error errs[SCHEME_FIELDS];

    cr_assert_eq(schemes_by_code(d, "normal-2023", &s), DB_OK, "%s", db_errmsg(d));
    cr_assert_str_eq(s.name, "Normal 2023+");
    cr_assert_eq(s.training_balance, 3500000);
    cr_assert_eq(s.incentive_amount, 600000);
    cr_assert_eq(s.incentive_count, 1);
    cr_assert_eq(s.survey_amount, 50000);
    cr_assert_eq(s.survey_count, 2);
    cr_assert_eq(s.purchase_deadline_days, 15);
    cr_assert_eq(s.age_min, 18);
    cr_assert_eq(s.age_max, 64);
    cr_assert_eq(s.exclude_aid, 0);
    cr_assert_eq(s.max_per_kk, 2);
    cr_assert_str_eq(s.priority_tiers, "laid_off|unemployed");
    cr_assert_eq(s.test_questions, 20);
    cr_assert_eq(s.test_pass_mark, 60);
    cr_assert_eq(scheme_validate(&s, errs, SCHEME_FIELDS), 0, "shipped row is valid");
    cr_assert_eq(schemes_by_id(d, s.id, &again), DB_OK);
    cr_assert_str_eq(again.code, "normal-2023");

    cr_assert_eq(schemes_by_code(d, "semi-bansos-2020", &s), DB_OK);
    cr_assert_eq(s.training_balance, 1000000);
    cr_assert_eq(s.incentive_count, 4);
    cr_assert_eq(s.incentive_interval_days, 30);
    cr_assert_eq(s.survey_count, 3);
    cr_assert_eq(s.purchase_deadline_days, 30);
    cr_assert_eq(s.exclude_aid, 1);
    cr_assert_eq(scheme_validate(&s, errs, SCHEME_FIELDS), 0, "shipped row is valid");

    cr_assert_eq(schemes_by_code(d, "nope", &s), DB_ENOTFOUND);
    cr_assert_eq(schemes_by_id(d, 999999, &s), DB_ENOTFOUND);
    db_close(d);
}

static int insert_txn(db *d, void *ctx)
{
    return schemes_insert(d, ctx);
}

static struct scheme custom(void)
{
    struct scheme s;

    memset(&s, 0, sizeof s);
    strcpy(s.code, "padat-karya-2026");
    strcpy(s.name, "Padat Karya 2026 \xe2\x80\x93 pekerja terdampak");
    s.training_balance = 2500000;
    s.incentive_amount = 300000;
    s.incentive_count = 3;
    s.incentive_interval_days = 30;
    s.survey_amount = 25000;
    s.survey_count = 1;
    s.purchase_deadline_days = 21;
    s.age_min = 21;
    s.age_max = 55;
    s.exclude_aid = 1;
    s.max_per_kk = 1;
    s.min_course_hours = 20;
    strcpy(s.excluded_occupations, "civil_servant,legislator");
    s.exclude_students = 0;
    strcpy(s.priority_tiers, "laid_off,unemployed|informal_worker");
    s.test_questions = 12;
    s.test_minutes = 20;
    s.test_pass_mark = 75;
    s.created_at = 1767225600;
    return s;
}

Test(schemes, insert_reads_back_and_code_is_unique)
{
    db *d = tmpdb_migrated("s.db");
    struct scheme s = custom(), back, dup;

    cr_assert_eq(db_txn(d, insert_txn, &s), DB_OK, "%s", db_errmsg(d));
    cr_assert_gt(s.id, 0);
    cr_assert_eq(schemes_by_code(d, "padat-karya-2026", &back), DB_OK);
    cr_assert_eq(back.id, s.id);
    back.id = s.id;
    cr_assert_eq(memcmp(&back, &s, sizeof s), 0, "every field reads back as written");

    dup = custom();
    strcpy(dup.name, "another name");
    cr_assert_eq(db_txn(d, insert_txn, &dup), DB_ECONSTRAINT);
    cr_assert_eq(schemes_by_code(d, "padat-karya-2026", &back), DB_OK);
    cr_assert_str_eq(back.name, s.name, "the first row is untouched");
    db_close(d);
}

struct seen {
    char codes[8][SCHEME_CODE_MAX + 1];
    int n, stop_at;
};

static int collect(const struct scheme *s, void *ctx)
{
    struct seen *c = ctx;
    strcpy(c->codes[c->n++], s->code);
    return c->n == c->stop_at ? 42 : 0;
}

Test(schemes, each_in_id_order_and_stops_on_request)
{
    db *d = tmpdb_migrated("s.db");
    struct scheme s = custom();
    struct seen c = {.stop_at = 0};

    cr_assert_eq(db_txn(d, insert_txn, &s), DB_OK);
    cr_assert_eq(schemes_each(d, collect, &c), DB_OK);
    cr_assert_eq(c.n, 3);
    cr_assert_str_eq(c.codes[0], "semi-bansos-2020");
    cr_assert_str_eq(c.codes[1], "normal-2023");
    cr_assert_str_eq(c.codes[2], "padat-karya-2026");
    memset(&c, 0, sizeof c);
    c.stop_at = 2;
    cr_assert_eq(schemes_each(d, collect, &c), 42);
    cr_assert_eq(c.n, 2);
    db_close(d);
}

static void wave(db *d, int number, const char *scheme, const char *status, int64_t opens,
                 int64_t closes)
{
    db_val p[] = {DB_INT(number), DB_TEXT(scheme), DB_INT(opens), DB_INT(closes),
                  DB_TEXT(status)};
    cr_assert_eq(db_run(d,
        "INSERT INTO waves (number, scheme_id, opens_at, closes_at, total_quota, quota_mode, "
        "spill_rule, seed_commitment, status, created_at) SELECT $1, id, $3, $4, 100, "
        "'proportional', 'regency_province_nation', 'x', $5, 0 FROM schemes WHERE code = $2",
        p, 5, NULL), DB_OK, "%s", db_errmsg(d));
}

Test(schemes, default_follows_the_lowest_open_wave_else_the_newest_scheme)
{
    db *d = tmpdb_migrated("s.db");
    struct scheme s = custom(), got;
    const int64_t now = 1780000000;

    cr_assert_eq(schemes_default(d, now, &got), DB_OK);
    cr_assert_str_eq(got.code, "normal-2023", "no waves: the newest scheme");
    cr_assert_eq(db_txn(d, insert_txn, &s), DB_OK);
    cr_assert_eq(schemes_default(d, now, &got), DB_OK);
    cr_assert_str_eq(got.code, "padat-karya-2026");

    /* waves that are not open now do not count */
    wave(d, 1, "semi-bansos-2020", "drawn", now - 900, now - 500);
    wave(d, 2, "semi-bansos-2020", "open", now - 900, now - 1);      /* the clock closed it */
    wave(d, 3, "semi-bansos-2020", "scheduled", now + 10, now + 900); /* not yet */
    wave(d, 4, "semi-bansos-2020", "closed", now - 900, now + 900);   /* closed by hand */
    cr_assert_eq(schemes_default(d, now, &got), DB_OK);
    cr_assert_str_eq(got.code, "padat-karya-2026");

    /* a scheduled wave whose time has come is open; the lowest number wins */
    wave(d, 9, "normal-2023", "open", now - 100, now + 900);
    wave(d, 7, "semi-bansos-2020", "scheduled", now - 100, now + 900);
    cr_assert_eq(schemes_default(d, now, &got), DB_OK);
    cr_assert_str_eq(got.code, "semi-bansos-2020");
    cr_assert_eq(schemes_default(d, now + 1000, &got), DB_OK);
    cr_assert_str_eq(got.code, "padat-karya-2026", "after they close: the newest again");
    db_close(d);
}

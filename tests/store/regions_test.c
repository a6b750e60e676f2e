/*
 * Tests of the region reference table (src/store/regions.c): the real CSV files of
 * the pinned idn-area-data (PRAKERJA_REGIONS_DIR), lookups, paging, integer codes,
 * idempotent re-import, and refusal of malformed files with file and line.
 */
#include <criterion/criterion.h>
#include <stdio.h>

#include "tmpdb.h"
#include "store/db.h"
#include "store/regions.h"

TestSuite(regions, .init = tmpdb_setup, .fini = tmpdb_teardown, .timeout = 120);

static const char *regions_dir(void)
{
    const char *dir = getenv("PRAKERJA_REGIONS_DIR");

    cr_assert_not_null(dir, "PRAKERJA_REGIONS_DIR is not set");
    return dir;
}

static db *migrated(void)
{
    db *d = tmpdb_open("r.db");

    cr_assert_eq(db_migrate(d, 0, NULL), DB_OK, "%s", db_errmsg(d));
    return d;
}

struct progress_log {
    int calls;
    long last_done, last_total;
};

static void on_progress(void *ctx, const char *what, long done, long total)
{
    struct progress_log *p = ctx;

    p->calls++;
    if (strcmp(what, "villages.csv") == 0) {
        p->last_done = done;
        p->last_total = total;
    }
}

static void import_real(db *d)
{
    struct progress_log pl = {0};
    long counts[4] = {-1, -1, -1, -1};
    char err[256] = "";

    cr_assert_eq(regions_import(d, regions_dir(), on_progress, &pl, counts, err, sizeof err),
                 DB_OK, "%s", err);
    cr_assert_eq(counts[0], 38);
    cr_assert_eq(counts[1], 514);
    cr_assert_eq(counts[2], 7277);
    cr_assert_eq(counts[3], 83763);
    cr_assert_gt(pl.calls, 4);
    cr_assert_eq(pl.last_done, 83763);
    cr_assert_eq(pl.last_total, 83763);
}

static int64_t count_level(db *d, int level)
{
    db_val p[1] = {DB_INT(level)};
    int64_t n = -1;

    cr_assert_eq(db_one_int(d, "SELECT COUNT(*) FROM regions WHERE level = $1", p, 1, &n), DB_OK);
    return n;
}

Test(regions, real_import_counts_lookup_and_reimport)
{
    db *d = migrated();
    struct region r;

    import_real(d);
    cr_assert_eq(count_level(d, REGION_PROVINCE), 38);
    cr_assert_eq(count_level(d, REGION_REGENCY), 514);
    cr_assert_eq(count_level(d, REGION_DISTRICT), 7277);
    cr_assert_eq(count_level(d, REGION_VILLAGE), 83763);

    cr_assert_eq(regions_get(d, "35.09", &r), DB_OK);
    cr_assert_str_eq(r.code, "35.09");
    cr_assert_str_eq(r.name, "KABUPATEN JEMBER");
    cr_assert_eq(r.level, REGION_REGENCY);
    cr_assert_str_eq(r.parent_code, "35");
    cr_assert_eq(regions_get(d, "35", &r), DB_OK);
    cr_assert_str_eq(r.name, "JAWA TIMUR");
    cr_assert_str_eq(r.parent_code, "");
    cr_assert_eq(regions_get(d, "35.13.15.2017", &r), DB_OK);
    cr_assert_str_eq(r.name, "Soka\"an", "a stray quote inside a field is kept");
    cr_assert_eq(regions_get(d, "99.99", &r), DB_ENOTFOUND);
    cr_assert_eq(regions_get(d, "35.09'; DROP TABLE regions; --", &r), DB_ENOTFOUND);

    import_real(d);
    cr_assert_eq(count_level(d, REGION_VILLAGE), 83763, "a second import adds nothing");
    cr_assert_eq(count_level(d, REGION_PROVINCE), 38);
    db_close(d);
}

Test(regions, list_pages_by_code_with_and_without_parent)
{
    db *d = migrated();
    struct region items[40], page2[10];
    int64_t total = -1, total2 = -1;
    int n = -1, n2 = -1, i;

    import_real(d);
    cr_assert_eq(regions_list(d, REGION_PROVINCE, NULL, 0, 40, items, &n, &total), DB_OK);
    cr_assert_eq(n, 38);
    cr_assert_eq(total, 38);
    cr_assert_str_eq(items[0].code, "11");
    cr_assert_str_eq(items[0].name, "ACEH");
    for (i = 1; i < n; i++)
        cr_assert_lt(strcmp(items[i - 1].code, items[i].code), 0, "ordered by code");

    cr_assert_eq(regions_list(d, REGION_REGENCY, "35", 0, 10, items, &n, &total), DB_OK);
    cr_assert_eq(n, 10);
    cr_assert_eq(total, 38, "East Java has 29 regencies and 9 cities");
    cr_assert_eq(regions_list(d, REGION_REGENCY, "35", 5, 10, page2, &n2, &total2), DB_OK);
    cr_assert_eq(n2, 10);
    cr_assert_eq(total2, 38);
    cr_assert_str_eq(page2[0].code, items[5].code, "offset 5 starts at the 6th item");
    cr_assert_str_eq(items[8].code, "35.09");
    cr_assert_str_eq(items[8].name, "KABUPATEN JEMBER");
    for (i = 0; i < n2; i++)
        cr_assert_str_eq(page2[i].parent_code, "35");

    cr_assert_eq(regions_list(d, REGION_REGENCY, "35", 35, 10, items, &n, &total), DB_OK);
    cr_assert_eq(n, 3, "the last page is short");
    cr_assert_eq(regions_list(d, REGION_REGENCY, "35", 100, 10, items, &n, &total), DB_OK);
    cr_assert_eq(n, 0);
    cr_assert_eq(total, 38);
    cr_assert_eq(regions_list(d, REGION_VILLAGE, NULL, 0, 0, NULL, &n, &total), DB_OK);
    cr_assert_eq(total, 83763);
    cr_assert_eq(regions_list(d, REGION_DISTRICT, "99.99", 0, 10, items, &n, &total), DB_OK);
    cr_assert_eq(n, 0);
    cr_assert_eq(total, 0);
    cr_assert_lt(regions_list(d, 7, NULL, 0, 10, items, &n, &total), 0);
    cr_assert_lt(regions_list(d, REGION_PROVINCE, NULL, -1, 10, items, &n, &total), 0);
    db_close(d);
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

Test(regions, codes_are_sorted_digits)
{
    db *d = migrated();
    int64_t *codes = NULL, key = 350915;
    int n = 0, i;

    import_real(d);
    cr_assert_eq(regions_codes(d, REGION_DISTRICT, &codes, &n), DB_OK);
    cr_assert_eq(n, 7277);
    for (i = 1; i < n; i++)
        cr_assert_lt(codes[i - 1], codes[i]);
    cr_assert_not_null(bsearch(&key, codes, (size_t)n, sizeof *codes, cmp64),
                       "35.09.15 is a district of Jember");
    key = 350999;
    cr_assert_null(bsearch(&key, codes, (size_t)n, sizeof *codes, cmp64));
    free(codes);
    cr_assert_eq(regions_codes(d, REGION_VILLAGE, &codes, &n), DB_OK);
    cr_assert_eq(n, 83763);
    cr_assert_eq(codes[0], 1101012001LL);
    free(codes);
    db_close(d);
}

Test(regions, level_names)
{
    cr_assert_eq(regions_level_parse("province"), REGION_PROVINCE);
    cr_assert_eq(regions_level_parse("regency"), REGION_REGENCY);
    cr_assert_eq(regions_level_parse("district"), REGION_DISTRICT);
    cr_assert_eq(regions_level_parse("village"), REGION_VILLAGE);
    cr_assert_eq(regions_level_parse("Province"), 0);
    cr_assert_eq(regions_level_parse(""), 0);
    cr_assert_eq(regions_level_parse(NULL), 0);
    cr_assert_str_eq(regions_level_name(REGION_DISTRICT), "district");
    cr_assert_null(regions_level_name(0));
    cr_assert_null(regions_level_name(5));
}

static void write_file(const char *name, const char *text)
{
    FILE *f = fopen(tmpdb_path(name), "w");

    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static void write_small_set(const char *villages)
{
    write_file("provinces.csv", "code,name\n35,JAWA TIMUR\n");
    write_file("regencies.csv", "code,province_code,name\n35.09,35,KABUPATEN JEMBER\n");
    write_file("districts.csv", "code,regency_code,name\n35.09.15,35.09,Kaliwates\n");
    write_file("villages.csv", villages);
}

Test(regions, small_set_with_quotes_crlf_and_no_final_newline)
{
    db *d = migrated();
    long counts[4];
    char err[256] = "";
    struct region r;

    write_small_set("code,district_code,name\r\n35.09.15.1001,35.09.15,\"Kaliwates, Kota\"\r\n"
                    "35.09.15.1002,35.09.15,Jember Kidul");
    cr_assert_eq(regions_import(d, tmpdb_dir, NULL, NULL, counts, err, sizeof err), DB_OK,
                 "%s", err);
    cr_assert_eq(counts[3], 2);
    cr_assert_eq(regions_get(d, "35.09.15.1001", &r), DB_OK);
    cr_assert_str_eq(r.name, "Kaliwates, Kota");
    cr_assert_eq(regions_get(d, "35.09.15.1002", &r), DB_OK);
    cr_assert_str_eq(r.name, "Jember Kidul");
    db_close(d);
}

static void expect_refused(const char *villages, const char *want)
{
    db *d = migrated();
    long counts[4];
    char err[256] = "";

    write_small_set(villages);
    cr_assert_lt(regions_import(d, tmpdb_dir, NULL, NULL, counts, err, sizeof err), 0);
    cr_assert_neq(strstr(err, want), NULL, "error \"%s\" should contain \"%s\"", err, want);
    cr_assert_eq(count_level(d, REGION_PROVINCE), 0, "nothing of a failed import is kept");
    db_close(d);
}

Test(regions, malformed_rows_fail_with_file_and_line)
{
    expect_refused("code,district_code,name\n35.09.15.1001,35.09.15,A\n35.09.15.10x2,35.09.15,B\n",
                   "villages.csv line 3: malformed code");
}

Test(regions, wrong_parent_fails)
{
    expect_refused("code,district_code,name\n\n35.09.15.1001,35.09.16,A\n",
                   "villages.csv line 3: parent code");
}

Test(regions, wrong_column_count_fails)
{
    expect_refused("code,district_code,name\n35.09.15.1001,35.09.15\n", "villages.csv line 2");
}

Test(regions, overlong_field_fails)
{
    char buf[512];

    snprintf(buf, sizeof buf, "code,district_code,name\n35.09.15.1001,35.09.15,%0200d\n", 7);
    expect_refused(buf, "line 2: field too long");
}

Test(regions, missing_header_and_missing_folder_fail)
{
    db *d = migrated();
    long counts[4];
    char err[256] = "";

    expect_refused("35.09.15.1001,35.09.15,A\n", "villages.csv line 1: no header");
    cr_assert_lt(regions_import(d, "/nonexistent/folder", NULL, NULL, counts, err, sizeof err), 0);
    cr_assert_neq(strstr(err, "provinces.csv"), NULL, "%s", err);
    db_close(d);
}

Test(regions, reimport_writes_only_changes_and_keeps_rows_accounts_use)
{
    db *d = migrated();
    long counts[4];
    char err[256] = "";
    struct region r;
    int64_t n = -1;

    write_small_set("code,district_code,name\n35.09.15.1001,35.09.15,Kaliwates\n"
                    "35.09.15.1002,35.09.15,Jember Kidul\n");
    cr_assert_eq(regions_import(d, tmpdb_dir, NULL, NULL, counts, err, sizeof err), DB_OK,
                 "%s", err);
    cr_assert_eq(db_exec(d, "INSERT INTO accounts(public_id, full_name, village_code, created_at) "
                            "VALUES ('acc_1', 'Siti', '35.09.15.1001', 1)"), DB_OK,
                 "%s", db_errmsg(d));
    /* a renamed village and a new one; the village an account uses stays */
    write_small_set("code,district_code,name\n35.09.15.1001,35.09.15,Kaliwates Baru\n"
                    "35.09.15.1002,35.09.15,Jember Kidul\n35.09.15.1003,35.09.15,Kepatihan\n");
    cr_assert_eq(regions_import(d, tmpdb_dir, NULL, NULL, counts, err, sizeof err), DB_OK,
                 "%s", err);
    cr_assert_eq(counts[3], 3);
    cr_assert_eq(regions_get(d, "35.09.15.1001", &r), DB_OK);
    cr_assert_str_eq(r.name, "Kaliwates Baru");
    cr_assert_eq(regions_get(d, "35.09.15.1003", &r), DB_OK);
    cr_assert_str_eq(r.name, "Kepatihan");
    cr_assert_eq(count_level(d, REGION_VILLAGE), 3);
    cr_assert_eq(db_one_int(d, "SELECT COUNT(*) FROM accounts WHERE village_code = '35.09.15.1001'",
                            NULL, 0, &n), DB_OK);
    cr_assert_eq(n, 1);
    db_close(d);
}

Test(regions, a_code_given_twice_is_refused_on_first_import_and_on_reimport)
{
    const char *twice = "code,district_code,name\n35.09.15.1001,35.09.15,A\n"
                        "35.09.15.1001,35.09.15,B\n";
    db *d = migrated();
    long counts[4];
    char err[256] = "";

    write_small_set(twice);
    cr_assert_lt(regions_import(d, tmpdb_dir, NULL, NULL, counts, err, sizeof err), 0);
    cr_assert_neq(strstr(err, "more than once"), NULL, "%s", err);
    cr_assert_eq(count_level(d, REGION_PROVINCE), 0, "nothing of a failed import is kept");

    write_small_set("code,district_code,name\n35.09.15.1001,35.09.15,A\n");
    cr_assert_eq(regions_import(d, tmpdb_dir, NULL, NULL, counts, err, sizeof err), DB_OK,
                 "%s", err);
    write_small_set(twice);
    cr_assert_lt(regions_import(d, tmpdb_dir, NULL, NULL, counts, err, sizeof err), 0);
    cr_assert_neq(strstr(err, "35.09.15.1001 is given more than once"), NULL, "%s", err);
    cr_assert_eq(count_level(d, REGION_VILLAGE), 1);
    db_close(d);
}

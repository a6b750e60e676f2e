/*
 * Tests of the CSV civil-registry adapter (src/store/civreg.c): each answer
 * (match, not found, name mismatch, birth mismatch), name comparison (trimmed,
 * inner blanks collapsed, ASCII case ignored, every other byte exact), RFC 4180
 * quoting, a malformed file refused with its line named, a missing file that
 * answers unavailable until it appears, a changed file read again (on a thread
 * of its own, a second and a bit after the change) while a malformed
 * replacement keeps the old data, checks from several threads during a reload,
 * closing while a reload runs, the default path, and a NULL adapter.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../support.h"
#include "tmpdb.h"
#include "store/civreg.h"

TestSuite(civreg, .init = tmpdb_setup, .fini = tmpdb_teardown);

static struct pii_keys keys;

/* Writes text to a new file and renames it over path (as an agency should). */
static void put(const char *path, const char *text)
{
    char tmp[600];
    FILE *f;

    snprintf(tmp, sizeof tmp, "%s.new", path);
    f = fopen(tmp, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(rename(tmp, path), 0);
}

static struct civreg *open_ok(const char *path)
{
    struct civreg *cr = NULL;
    char err[512] = "";
    cr_assert_eq(civreg_csv_open(path, &keys, &cr, err, sizeof err), 0, "open: %s", err);
    cr_assert_not_null(cr);
    return cr;
}

/* Asks until the answer is want (a reload runs on its own thread) or 3 s pass;
 * returns the last answer. */
static enum civreg_result wait_for(struct civreg *cr, const char *nik, const char *name,
                                   const char *birth, enum civreg_result want)
{
    double end = test_now() + 3;
    enum civreg_result r;

    while ((r = civreg_check(cr, nik, name, birth)) != want && test_now() < end)
        usleep(20 * 1000);
    return r;
}

static const char *registry =
    "nik,full_name,birth_date\n"
    "3509154708950001,Siti Nur'aini,1995-08-07\n"
    "3509150101900002,\"Agus, \"\"Jr.\"\"\",1990-01-01\n"
    "3509150202910006,  Joko   Widodo ,1991-02-02\n"
    "3509154101900004,ÉLISE Dewi,1990-01-01\n";

Test(civreg, answers_match_not_found_and_mismatches)
{
    const char *path = tmpdb_path("reg.csv");
    struct civreg *cr;

    tmpdb_keys(&keys);
    put(path, registry);
    cr = open_ok(path);
    cr_assert_eq(civreg_check(cr, "3509154708950001", "Siti Nur'aini", "1995-08-07"),
                 CIVREG_MATCH);
    cr_assert_eq(civreg_check(cr, "3509154708950009", "Siti Nur'aini", "1995-08-07"),
                 CIVREG_NOT_FOUND);
    cr_assert_eq(civreg_check(cr, "3509154708950001", "Siti Nuraini", "1995-08-07"),
                 CIVREG_NAME_MISMATCH);
    cr_assert_eq(civreg_check(cr, "3509154708950001", "Siti Nur'aini", "1995-08-08"),
                 CIVREG_BIRTH_MISMATCH);
    /* both wrong: the name is reported */
    cr_assert_eq(civreg_check(cr, "3509154708950001", "Siti", "1995-08-08"),
                 CIVREG_NAME_MISMATCH);
    /* a birth date that is no date never matches */
    cr_assert_eq(civreg_check(cr, "3509154708950001", "Siti Nur'aini", "1995-8-7"),
                 CIVREG_BIRTH_MISMATCH);
    /* junk NIKs are simply unknown */
    cr_assert_eq(civreg_check(cr, "35091547", "Siti Nur'aini", "1995-08-07"), CIVREG_NOT_FOUND);
    cr_assert_eq(civreg_check(cr, NULL, "Siti Nur'aini", "1995-08-07"), CIVREG_NOT_FOUND);
    cr_assert_eq(civreg_check(cr, "3509154708950001", NULL, "1995-08-07"),
                 CIVREG_NAME_MISMATCH);
    civreg_close(cr);
}

Test(civreg, names_compare_trimmed_collapsed_and_ascii_case_insensitive)
{
    const char *path = tmpdb_path("reg.csv");
    struct civreg *cr;

    tmpdb_keys(&keys);
    put(path, registry);
    cr = open_ok(path);
    cr_assert_eq(civreg_check(cr, "3509154708950001", "  SITI   nur'AINI\t", "1995-08-07"),
                 CIVREG_MATCH);
    /* quoted field with a comma and doubled quotes (RFC 4180) */
    cr_assert_eq(civreg_check(cr, "3509150101900002", "agus, \"jr.\"", "1990-01-01"),
                 CIVREG_MATCH);
    cr_assert_eq(civreg_check(cr, "3509150101900002", "Agus, Jr.", "1990-01-01"),
                 CIVREG_NAME_MISMATCH);
    /* blanks around and inside the registry's own name are normalised too */
    cr_assert_eq(civreg_check(cr, "3509150202910006", "Joko Widodo", "1991-02-02"),
                 CIVREG_MATCH);
    /* inner blanks still separate words */
    cr_assert_eq(civreg_check(cr, "3509150202910006", "JokoWidodo", "1991-02-02"),
                 CIVREG_NAME_MISMATCH);
    /* only ASCII letters fold: É is not é */
    cr_assert_eq(civreg_check(cr, "3509154101900004", "élise dewi", "1990-01-01"),
                 CIVREG_NAME_MISMATCH);
    cr_assert_eq(civreg_check(cr, "3509154101900004", "ÉLISE DEWI", "1990-01-01"),
                 CIVREG_MATCH);
    civreg_close(cr);
}

Test(civreg, header_columns_in_any_order_extra_columns_crlf_and_bom)
{
    const char *path = tmpdb_path("reg.csv");
    struct civreg *cr;

    tmpdb_keys(&keys);
    put(path, "\xef\xbb\xbf" "Birth_Date,religion,NIK,Full_Name\r\n"
              "1995-08-07,x,3509154708950001,Siti\r\n");
    cr = open_ok(path);
    cr_assert_eq(civreg_check(cr, "3509154708950001", "siti", "1995-08-07"), CIVREG_MATCH);
    civreg_close(cr);
}

static void expect_malformed(const char *text, const char *want)
{
    const char *path = tmpdb_path("bad.csv");
    struct civreg *cr = NULL;
    char err[512] = "";

    put(path, text);
    cr_assert_eq(civreg_csv_open(path, &keys, &cr, err, sizeof err), -1, "accepted: %s", text);
    cr_assert_null(cr);
    cr_assert_not_null(strstr(err, want), "error \"%s\" lacks \"%s\"", err, want);
    cr_assert_not_null(strstr(err, path), "error \"%s\" does not name the file", err);
}

Test(civreg, a_malformed_file_is_refused_naming_the_line)
{
    tmpdb_keys(&keys);
    expect_malformed("nik,full_name,birth_date\n"
                     "3509154708950001,Siti,1995-08-07\n"
                     "350915470895000X,Ani,1995-08-07\n",
                     "line 3: nik is not 16 digits");
    expect_malformed("nik,full_name,birth_date\n"
                     "3509154708950001,Siti,1995-08-07\n"
                     "3509150101900002,Agus,1990-02-30\n",
                     "line 3: birth_date");
    expect_malformed("nik,full_name,birth_date\n"
                     "3509154708950001,  ,1995-08-07\n",
                     "line 2: full_name is empty");
    expect_malformed("nik,full_name,birth_date\n"
                     "3509154708950001,Siti,1995-08-07\n"
                     "3509150101900002,Agus,1990-01-01\n"
                     "3509154708950001,Siti again,1995-08-07\n",
                     "line 4: this nik is given on an earlier line too");
    expect_malformed("nik,full_name,birth_date\n"
                     "3509154708950001,Siti\n",
                     "line 2: 2 columns, want 3");
    expect_malformed("nik,name,birth_date\n3509154708950001,Siti,1995-08-07\n",
                     "line 1: no header row");
    expect_malformed("3509154708950001,Siti,1995-08-07\n", "line 1: no header row");
    expect_malformed("", "empty");
    /* a quoted name spanning lines: the record is known by the line it starts on */
    expect_malformed("nik,full_name,birth_date\n"
                     "3509154708950001,\"Siti\nNur\",1995-08-07\n"
                     "3509150101900002,Agus,19900101\n",
                     "line 4: birth_date");
}

Test(civreg, a_missing_file_is_unavailable_until_it_appears)
{
    const char *path = tmpdb_path("later.csv");
    struct civreg *cr;

    tmpdb_keys(&keys);
    cr = open_ok(path);
    cr_assert_eq(civreg_check(cr, "3509154708950001", "Siti Nur'aini", "1995-08-07"),
                 CIVREG_UNAVAILABLE);
    put(path, registry);
    usleep(1100 * 1000);
    cr_assert_eq(wait_for(cr, "3509154708950001", "Siti Nur'aini", "1995-08-07", CIVREG_MATCH),
                 CIVREG_MATCH);
    /* and unavailable again when it goes */
    cr_assert_eq(unlink(path), 0);
    usleep(1100 * 1000);
    cr_assert_eq(civreg_check(cr, "3509154708950001", "Siti Nur'aini", "1995-08-07"),
                 CIVREG_UNAVAILABLE);
    civreg_close(cr);
}

Test(civreg, a_changed_file_is_read_again_and_a_bad_one_keeps_the_old_data)
{
    const char *path = tmpdb_path("reg.csv");
    struct civreg *cr;

    tmpdb_keys(&keys);
    put(path, registry);
    cr = open_ok(path);
    cr_assert_eq(civreg_check(cr, "3509154708950001", "Siti Nur'aini", "1995-08-07"),
                 CIVREG_MATCH);
    put(path, "nik,full_name,birth_date\n3509154708950001,Siti Aminah,1995-08-07\n");
    /* within the second the old data still answers (no stat on every check) */
    cr_assert_eq(civreg_check(cr, "3509154708950001", "Siti Nur'aini", "1995-08-07"),
                 CIVREG_MATCH);
    usleep(1100 * 1000);
    cr_assert_eq(wait_for(cr, "3509154708950001", "Siti Aminah", "1995-08-07", CIVREG_MATCH),
                 CIVREG_MATCH);
    cr_assert_eq(civreg_check(cr, "3509154708950001", "Siti Nur'aini", "1995-08-07"),
                 CIVREG_NAME_MISMATCH);
    cr_assert_eq(civreg_check(cr, "3509150101900002", "Agus, \"Jr.\"", "1990-01-01"),
                 CIVREG_NOT_FOUND);
    /* a malformed replacement is logged and ignored: the last good data stays */
    put(path, "nik,full_name,birth_date\n123,X,1995-08-07\n");
    usleep(1100 * 1000);
    for (double end = test_now() + 0.5; test_now() < end; usleep(20 * 1000))
        cr_assert_eq(civreg_check(cr, "3509154708950001", "Siti Aminah", "1995-08-07"),
                     CIVREG_MATCH);
    civreg_close(cr);
}

struct hammer {
    struct civreg *cr;
    int wrong;
    int done;
};

static void *hammer_run(void *arg)
{
    struct hammer *h = arg;
    double end = test_now() + 1.6;

    while (test_now() < end) {
        enum civreg_result r =
            civreg_check(h->cr, "3509154708950001", "Siti Nur'aini", "1995-08-07");
        if (r != CIVREG_MATCH)
            h->wrong++;
        h->done++;
    }
    return NULL;
}

Test(civreg, many_threads_check_while_the_file_is_replaced)
{
    const char *path = tmpdb_path("reg.csv");
    struct hammer h[4];
    pthread_t t[4];
    char big[64 * 2000 + 64];
    size_t off;

    tmpdb_keys(&keys);
    put(path, registry);
    struct civreg *cr = open_ok(path);
    for (int i = 0; i < 4; i++) {
        h[i] = (struct hammer){cr, 0, 0};
        cr_assert_eq(pthread_create(&t[i], NULL, hammer_run, &h[i]), 0);
    }
    /* a bigger file with the same person, swapped in while the threads run */
    off = (size_t)snprintf(big, sizeof big, "nik,full_name,birth_date\n"
                                            "3509154708950001,Siti Nur'aini,1995-08-07\n");
    for (int i = 1; i < 2000; i++)
        off += (size_t)snprintf(big + off, sizeof big - off, "35091501019%05d,P %d,1990-01-01\n",
                                i, i);
    usleep(200 * 1000);
    put(path, big);
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(pthread_join(t[i], NULL), 0);
        cr_assert_eq(h[i].wrong, 0, "thread %d got %d wrong answers", i, h[i].wrong);
        cr_assert_gt(h[i].done, 100);
    }
    /* the new file is in use */
    cr_assert_eq(wait_for(cr, "3509150101900007", "p 7", "1990-01-01", CIVREG_MATCH),
                 CIVREG_MATCH);
    civreg_close(cr);
}

Test(civreg, closing_while_a_reload_runs_waits_for_it)
{
    const char *path = tmpdb_path("reg.csv");
    FILE *f;

    tmpdb_keys(&keys);
    put(path, registry);
    struct civreg *cr = open_ok(path);
    f = fopen(path, "a");
    cr_assert_not_null(f);
    for (int i = 0; i < 200000; i++)
        fprintf(f, "3509%012d,Person %d,1990-01-01\n", i, i);
    fclose(f);
    usleep(1100 * 1000);
    civreg_check(cr, "3509154708950001", "Siti Nur'aini", "1995-08-07"); /* starts it */
    civreg_close(cr);                   /* must not free what the reload uses */
}

Test(civreg, default_path_and_null_adapter)
{
    char out[256];

    unsetenv("PRAKERJA_CIVREG");
    cr_assert_eq(civreg_default_path("data/prakerja.db", out, sizeof out), 0);
    cr_assert_str_eq(out, "data/prakerja.db.civreg.csv");
    cr_assert_eq(civreg_default_path("postgres://u@h/db", out, sizeof out), -1);
    setenv("PRAKERJA_CIVREG", "/srv/dukcapil.csv", 1);
    cr_assert_eq(civreg_default_path("data/prakerja.db", out, sizeof out), 0);
    cr_assert_str_eq(out, "/srv/dukcapil.csv");
    cr_assert_eq(civreg_default_path("postgres://u@h/db", out, sizeof out), 0);
    cr_assert_eq(civreg_default_path("data/prakerja.db", out, 5), -1);
    unsetenv("PRAKERJA_CIVREG");

    cr_assert_eq(civreg_check(NULL, "3509154708950001", "Siti", "1995-08-07"),
                 CIVREG_UNAVAILABLE);
    civreg_close(NULL);
}

/*
 * Tests for src/store/csvread.c, the CSV reading under the civil-registry and
 * exclusion-list imports: each record knows its line (where its first field ends,
 * when a quoted field spans lines; blank lines make no record), a callback's
 * failure stops the reading and the first failure is the one reported, a field
 * past 64 KiB is an error naming its line, and an empty file is read without a
 * record.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/csvread.h"

struct rec {
    long line;
    int nfields;
    char fields[4][32];
};

struct ctx {
    struct csvread csv;
    struct rec recs[8];
    int n, field;
    long start;
    int fail_on;                        /* record number (1-based) to fail at, or 0 */
    char err[128];
};

static void on_field(void *s, size_t len, void *data)
{
    struct ctx *c = data;
    if (c->field == 0)
        c->start = c->csv.line;
    if (c->field < 4 && c->n < 8)
        snprintf(c->recs[c->n].fields[c->field], 32, "%.*s", (int)len, (const char *)s);
    c->field++;
}

static void on_record(int term, void *data)
{
    struct ctx *c = data;
    (void)term;
    if (c->n < 8) {
        c->recs[c->n].line = c->start;
        c->recs[c->n].nfields = c->field;
    }
    c->n++;
    c->field = 0;
    if (c->n == c->fail_on) {
        csvread_fail(&c->csv, c->start, "bad record");
        csvread_fail(&c->csv, c->start, "a later failure");
    }
}

static FILE *file_of(const char *text, size_t len)
{
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(text, 1, len, f), len);
    rewind(f);
    return f;
}

static int read_text(struct ctx *c, const char *text, size_t len)
{
    FILE *f = file_of(text, len);
    int rc;

    c->csv.err = c->err;
    c->csv.errlen = sizeof c->err;
    rc = csvread_file(&c->csv, f, on_field, on_record, c);
    fclose(f);
    return rc;
}

Test(csvread, records_know_their_line)
{
    static const char text[] = "nik,name\r\n\"two\nlines\",x\n\n\"a \"\"quote\"\"\",y\nlast,z";
    struct ctx c = {0};

    cr_assert_eq(read_text(&c, text, sizeof text - 1), 0, "%s", c.err);
    cr_assert_eq(c.n, 4);
    cr_assert_eq(c.recs[0].line, 1);
    cr_assert_str_eq(c.recs[0].fields[1], "name");
    cr_assert_eq(c.recs[1].line, 3, "the line its first field ends on");
    cr_assert_str_eq(c.recs[1].fields[0], "two\nlines");
    cr_assert_eq(c.recs[2].line, 5, "after the quoted newline and the blank line");
    cr_assert_str_eq(c.recs[2].fields[0], "a \"quote\"");
    cr_assert_eq(c.recs[3].line, 6);
    cr_assert_str_eq(c.recs[3].fields[1], "z", "a last line without a newline");
    cr_assert_eq(c.csv.failed, 0);
}

Test(csvread, a_failure_stops_the_reading_and_the_first_one_counts)
{
    static const char text[] = "h\n1\n2\n3\n4\n";
    struct ctx c = {0};

    c.fail_on = 3;
    cr_assert_eq(read_text(&c, text, sizeof text - 1), -1);
    cr_assert_str_eq(c.err, "line 3: bad record");
    cr_assert_eq(c.n, 3, "nothing is read after the failing line");
    csvread_fail(&c.csv, 0, "too late");
    cr_assert_str_eq(c.err, "line 3: bad record");
}

Test(csvread, failure_without_a_line)
{
    struct csvread c = {0};
    char err[32];

    c.err = err;
    c.errlen = sizeof err;
    csvread_fail(&c, 0, "out of memory");
    cr_assert_eq(c.failed, 1);
    cr_assert_str_eq(err, "out of memory");
}

Test(csvread, a_field_past_the_cap_names_its_line)
{
    size_t big = CSVREAD_FIELD_MAX + 10;
    char *text = malloc(big + 16);
    struct ctx c = {0};

    cr_assert_not_null(text);
    memcpy(text, "h\n\"", 3);
    memset(text + 3, 'x', big);
    memcpy(text + 3 + big, "\"\n", 2);
    cr_assert_eq(read_text(&c, text, big + 5), -1);
    cr_assert_str_eq(c.err, "line 2: a field longer than 64 KiB");
    cr_assert_eq(c.n, 1, "only the header was read");
    free(text);
}

Test(csvread, an_empty_file_has_no_record)
{
    struct ctx c = {0};

    cr_assert_eq(read_text(&c, "", 0), 0);
    cr_assert_eq(c.n, 0);
    cr_assert_eq(c.csv.line, 1);
    cr_assert_eq(read_text(&c, "\n\n", 2), 0);
    cr_assert_eq(c.n, 0);
}

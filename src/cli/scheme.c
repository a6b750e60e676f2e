/*
 * scheme: `prakerja scheme list | show CODE | create`, the schemes of the program
 * (every amount and rule of a scheme is a row of the schemes table, never a
 * constant in C).
 *
 * `list` prints a table (code, name, training balance, incentive count x amount,
 * first-purchase deadline, ages); `show` every field of one scheme, one per line,
 * rupiah written the Indonesian way (Rp3.500.000). `create` takes one option per
 * column, named like the column with '-' for '_' (--training-balance ...). With
 * --like CODE it starts from that scheme's values and the options override them;
 * without it every column must be given. The row is checked by scheme_validate,
 * as the API would check it, and every bad field is printed on its own line
 * (column, message, code) before it exits 1; a taken code exits 1 too. The insert
 * and an audit entry share one transaction.
 *
 * The fields are described once, in the table `fields` below (column, kind and
 * offset into struct scheme), which drives parsing, `show` and --help.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/errors.h"
#include "core/scheme.h"
#include "core/text.h"
#include "store/audit.h"
#include "store/schemes.h"
#include "util/utc.h"

enum kind { K_TEXT, K_MONEY, K_INT, K_FLAG };

struct field {
    const char *column;
    enum kind kind;
    size_t off;
    size_t size;                    /* K_TEXT: buffer size */
    const char *help;
};

#define F(col, kind, help) \
    {#col, kind, offsetof(struct scheme, col), sizeof(((struct scheme *)0)->col), help}

static const struct field fields[] = {
    F(code, K_TEXT, "2-40 of a-z, 0-9, '-'"),
    F(name, K_TEXT, "1-120 bytes"),
    F(training_balance, K_MONEY, "rupiah, 0-1000000000"),
    F(incentive_amount, K_MONEY, "rupiah per payment"),
    F(incentive_count, K_INT, "payments, 0-120"),
    F(incentive_interval_days, K_INT, "days between payments, 0-366 (0 = one payment)"),
    F(survey_amount, K_MONEY, "rupiah per survey"),
    F(survey_count, K_INT, "surveys paid, 0-120"),
    F(purchase_deadline_days, K_INT, "days to buy the first training, 1-366"),
    F(age_min, K_INT, "years, 15-100"),
    F(age_max, K_INT, "years, age_min-100"),
    F(exclude_aid, K_FLAG, "yes|no: other-aid recipients are ineligible"),
    F(max_per_kk, K_INT, "beneficiaries per family card, 1-20"),
    F(min_course_hours, K_INT, "hours, 0-1000"),
    F(excluded_occupations, K_TEXT, "occupation codes \"a,b\" (\"\" = none)"),
    F(exclude_students, K_FLAG, "yes|no: occupation student is ineligible"),
    F(priority_tiers, K_TEXT, "groups \"a|b,c\" (\"\" = none)"),
    F(test_questions, K_INT, "questions per attempt, 1-100"),
    F(test_minutes, K_INT, "minutes per attempt, 1-240"),
    F(test_pass_mark, K_INT, "percent, 0-100"),
};

#define NFIELDS ((int)(sizeof fields / sizeof fields[0]))

static int64_t *money_at(struct scheme *s, const struct field *f)
{
    return (int64_t *)((char *)s + f->off);
}

static int *int_at(struct scheme *s, const struct field *f)
{
    return (int *)((char *)s + f->off);
}

static char *text_at(struct scheme *s, const struct field *f)
{
    return (char *)s + f->off;
}

/* Writes v as "Rp3.500.000" into out (at least 32 bytes). */
static void rupiah(int64_t v, char *out)
{
    char digits[24];
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int n = 0, o = 0;

    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        out[o++] = '-';
    out[o++] = 'R';
    out[o++] = 'p';
    for (int i = n - 1; i >= 0; i--) {
        out[o++] = digits[i];
        if (i > 0 && i % 3 == 0)
            out[o++] = '.';
    }
    out[o] = '\0';
}

/* The value of field f of s as shown by `show`, into out (at least 32 bytes for
 * numbers; text fields point into s). */
static const char *shown(struct scheme *s, const struct field *f, char *out, size_t outlen)
{
    switch (f->kind) {
    case K_MONEY:
        rupiah(*money_at(s, f), out);
        return out;
    case K_INT:
        snprintf(out, outlen, "%d", *int_at(s, f));
        return out;
    case K_FLAG:
        return *int_at(s, f) ? "yes" : "no";
    default:
        return text_at(s, f);
    }
}

/* Pads s (UTF-8) with spaces to width code points. */
static void put_cell(const char *s, size_t width)
{
    size_t w = text_utf8_count(s);

    fputs(s, stdout);
    for (; w < width; w++)
        putchar(' ');
}

struct rows {
    struct scheme *v;
    size_t n, cap;
};

static int collect(const struct scheme *s, void *ctx)
{
    struct rows *r = ctx;

    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 8;
        struct scheme *p = realloc(r->v, nc * sizeof *p);
        if (!p)
            return 1;               /* out of memory: stops schemes_each */
        r->v = p;
        r->cap = nc;
    }
    r->v[r->n++] = *s;
    return 0;
}

static void list_usage(FILE *f)
{
    fprintf(f, "Usage: prakerja scheme list [--db ADDR]\n\n"
               "Prints every scheme: code, name, training balance, incentive (payments x\n"
               "amount), first-purchase deadline and ages.\n\n"
               "  --db ADDR   database (default $PRAKERJA_DB or %s)\n",
            CLI_DEFAULT_DB);
}

static int cmd_list(int argc, char **argv)
{
    static const char *const head[6] = {"CODE", "NAME", "TRAINING BALANCE", "INCENTIVE",
                                        "DEADLINE", "AGES"};
    const char *db_opt = NULL;
    const struct cli_opt opts[] = {{"db", &db_opt, NULL}, {NULL, NULL, NULL}};
    struct rows r = {0};
    size_t width[6];
    char *pos[1], (*cells)[6][160];
    int npos, help, rc;
    db *d = NULL;

    if ((rc = cli_parse("scheme list", argc, argv, opts, pos, 0, &npos, &help)) != 0)
        return rc;
    if (help) {
        list_usage(stdout);
        return 0;
    }
    if (cli_open(cli_db_path(db_opt), 1, &d) < 0)
        return 1;
    rc = schemes_each(d, collect, &r);
    if (rc != DB_OK) {
        fprintf(stderr, "prakerja scheme list: %s\n", rc == 1 ? "out of memory" : db_errmsg(d));
        free(r.v);
        db_close(d);
        return 1;
    }
    db_close(d);
    cells = calloc(r.n ? r.n : 1, sizeof *cells);
    if (!cells) {
        free(r.v);
        fprintf(stderr, "prakerja scheme list: out of memory\n");
        return 1;
    }
    for (int c = 0; c < 6; c++)
        width[c] = strlen(head[c]);
    for (size_t i = 0; i < r.n; i++) {
        const struct scheme *s = &r.v[i];
        char amount[32];

        snprintf(cells[i][0], sizeof cells[i][0], "%s", s->code);
        snprintf(cells[i][1], sizeof cells[i][1], "%s", s->name);
        rupiah(s->training_balance, cells[i][2]);
        rupiah(s->incentive_amount, amount);
        snprintf(cells[i][3], sizeof cells[i][3], "%d x %s", s->incentive_count, amount);
        snprintf(cells[i][4], sizeof cells[i][4], "%d days", s->purchase_deadline_days);
        snprintf(cells[i][5], sizeof cells[i][5], "%d-%d", s->age_min, s->age_max);
        for (int c = 0; c < 6; c++) {
            size_t w = text_utf8_count(cells[i][c]);
            if (w > width[c])
                width[c] = w;
        }
    }
    for (int c = 0; c < 6; c++)
        put_cell(head[c], c < 5 ? width[c] + 2 : 0);
    putchar('\n');
    for (size_t i = 0; i < r.n; i++) {
        for (int c = 0; c < 6; c++)
            put_cell(cells[i][c], c < 5 ? width[c] + 2 : 0);
        putchar('\n');
    }
    free(cells);
    free(r.v);
    return fflush(stdout) == 0 ? 0 : 1;
}

static void show_usage(FILE *f)
{
    fprintf(f, "Usage: prakerja scheme show CODE [--db ADDR]\n\n"
               "Prints every field of the scheme CODE, one per line; rupiah as Rp3.500.000.\n\n"
               "  --db ADDR   database (default $PRAKERJA_DB or %s)\n",
            CLI_DEFAULT_DB);
}

static void print_scheme(struct scheme *s)
{
    char buf[64], when[32];

    for (int i = 0; i < NFIELDS; i++)
        printf("%-24s %s\n", fields[i].column, shown(s, &fields[i], buf, sizeof buf));
    utc_format(s->created_at, when, sizeof when);
    printf("%-24s %s\n", "created_at", when);
}

static int cmd_show(int argc, char **argv)
{
    const char *db_opt = NULL;
    const struct cli_opt opts[] = {{"db", &db_opt, NULL}, {NULL, NULL, NULL}};
    struct scheme s;
    char *pos[1];
    int npos, help, rc;
    db *d = NULL;

    if ((rc = cli_parse("scheme show", argc, argv, opts, pos, 1, &npos, &help)) != 0)
        return rc;
    if (help) {
        show_usage(stdout);
        return 0;
    }
    if (npos != 1)
        return cli_usage_error("scheme show", "give the scheme's code", NULL);
    if (cli_open(cli_db_path(db_opt), 1, &d) < 0)
        return 1;
    rc = schemes_by_code(d, pos[0], &s);
    if (rc == DB_ENOTFOUND)
        fprintf(stderr, "prakerja scheme show: no scheme has the code %s\n", pos[0]);
    else if (rc != DB_OK)
        fprintf(stderr, "prakerja scheme show: %s\n", db_errmsg(d));
    else
        print_scheme(&s);
    db_close(d);
    return rc == DB_OK ? 0 : 1;
}

static void create_usage(FILE *f)
{
    fprintf(f, "Usage: prakerja scheme create --code C --name N [--like CODE] [--COLUMN VALUE ...]\n"
               "                              [--db ADDR]\n\n"
               "Adds a scheme. Each column has its option, named like the column with '-'\n"
               "for '_'. --like CODE starts from that scheme's values and the options given\n"
               "override them; without --like every option is required. Amounts are whole\n"
               "rupiah (3500000); yes/no options take yes, no, 1 or 0.\n\n");
    for (int i = 0; i < NFIELDS; i++) {
        char opt[40];
        size_t j;
        for (j = 0; fields[i].column[j] && j + 1 < sizeof opt; j++)
            opt[j] = fields[i].column[j] == '_' ? '-' : fields[i].column[j];
        opt[j] = '\0';
        fprintf(f, "  --%-24s %s\n", opt, fields[i].help);
    }
    fprintf(f, "  --%-24s %s\n", "like CODE", "copy the values of scheme CODE first");
    fprintf(f, "  --%-24s database (default $PRAKERJA_DB or %s)\n", "db ADDR", CLI_DEFAULT_DB);
}

/* Parses a whole number with an optional sign; 0 or -1. */
static int parse_ll(const char *v, long long *out)
{
    char *end;

    if (!*v || !(*v == '-' || (*v >= '0' && *v <= '9')))
        return -1;
    errno = 0;
    *out = strtoll(v, &end, 10);
    return errno || *end ? -1 : 0;
}

/* Stores the option value v into field f of s; NULL, or what was wrong. */
static const char *set_field(struct scheme *s, const struct field *f, const char *v)
{
    long long n;

    switch (f->kind) {
    case K_TEXT:
        if (strlen(v) >= f->size)
            return "too long";
        memcpy(text_at(s, f), v, strlen(v) + 1);
        return NULL;
    case K_MONEY:
        if (parse_ll(v, &n) != 0)
            return "not a whole number of rupiah";
        *money_at(s, f) = n;
        return NULL;
    case K_INT:
        if (parse_ll(v, &n) != 0)
            return "not a whole number";
        /* beyond int: keep a value the range check refuses with the field's message */
        *int_at(s, f) = n > INT_MAX ? INT_MAX : n < INT_MIN ? INT_MIN : (int)n;
        return NULL;
    case K_FLAG:
        if (!strcmp(v, "yes") || !strcmp(v, "1") || !strcmp(v, "true"))
            *int_at(s, f) = 1;
        else if (!strcmp(v, "no") || !strcmp(v, "0") || !strcmp(v, "false"))
            *int_at(s, f) = 0;
        else
            return "not yes or no";
        return NULL;
    }
    return "unknown field";
}

struct create_ctx {
    struct scheme *s;
    int64_t now;
    int taken;
};

static int create_txn(db *d, void *vctx)
{
    struct create_ctx *c = vctx;
    struct scheme other;
    int rc = schemes_by_code(d, c->s->code, &other);

    c->taken = 0;
    if (rc == DB_OK) {
        c->taken = 1;
        return DB_OK;
    }
    if (rc != DB_ENOTFOUND)
        return rc;
    rc = schemes_insert(d, c->s);
    if (rc == DB_OK)
        rc = audit_append(d, c->now, "cli", "scheme.create", c->s->code, NULL);
    return rc;
}

static int cmd_create(int argc, char **argv)
{
    const char *db_opt = NULL, *like = NULL, *vals[NFIELDS] = {0};
    char names[NFIELDS][40], reported[NFIELDS] = {0};
    struct cli_opt opts[NFIELDS + 3];
    struct field_error errs[SCHEME_FIELDS];
    struct create_ctx c;
    struct scheme s;
    char *pos[1];
    int npos, help, rc, bad = 0, n;
    db *d = NULL;

    for (int i = 0; i < NFIELDS; i++) {
        size_t j;
        for (j = 0; fields[i].column[j] && j + 1 < sizeof names[i]; j++)
            names[i][j] = fields[i].column[j] == '_' ? '-' : fields[i].column[j];
        names[i][j] = '\0';
        opts[i] = (struct cli_opt){names[i], &vals[i], NULL};
    }
    opts[NFIELDS] = (struct cli_opt){"like", &like, NULL};
    opts[NFIELDS + 1] = (struct cli_opt){"db", &db_opt, NULL};
    opts[NFIELDS + 2] = (struct cli_opt){NULL, NULL, NULL};
    if ((rc = cli_parse("scheme create", argc, argv, opts, pos, 0, &npos, &help)) != 0)
        return rc;
    if (help) {
        create_usage(stdout);
        return 0;
    }
    if (!vals[0] || !vals[1])
        return cli_usage_error("scheme create", "--code and --name are required", NULL);
    if (cli_open(cli_db_path(db_opt), 1, &d) < 0)
        return 1;
    memset(&s, 0, sizeof s);
    if (like) {
        rc = schemes_by_code(d, like, &s);
        if (rc != DB_OK) {
            if (rc == DB_ENOTFOUND)
                fprintf(stderr, "prakerja scheme create: --like %s: no scheme has this code\n",
                        like);
            else
                fprintf(stderr, "prakerja scheme create: %s\n", db_errmsg(d));
            db_close(d);
            return 1;
        }
        s.id = 0;
    }
    for (int i = 0; i < NFIELDS; i++) {
        const char *why;
        if (!vals[i]) {
            if (!like) {
                fprintf(stderr, "prakerja scheme create: %s: required (give --%s, or --like "
                                "CODE)\n", fields[i].column, names[i]);
                reported[i] = 1;
            }
            continue;
        }
        if ((why = set_field(&s, &fields[i], vals[i])) != NULL) {
            fprintf(stderr, "prakerja scheme create: %s: %s: %s\n", fields[i].column, why,
                    vals[i]);
            reported[i] = 1;
        }
    }
    /* then what the validator finds in the fields that were read */
    n = scheme_validate(&s, errs, SCHEME_FIELDS);
    for (int i = 0; i < NFIELDS; i++)
        bad += reported[i];
    for (int i = 0; i < n; i++) {
        int f = 0;
        while (f < NFIELDS && strcmp(fields[f].column, errs[i].field) != 0)
            f++;
        if (f < NFIELDS && reported[f])
            continue;
        fprintf(stderr, "prakerja scheme create: %s: %s (%s)\n", errs[i].field,
                err_text(errs[i].code, "en"), errs[i].code);
        bad++;
    }
    if (bad) {
        db_close(d);
        return 1;
    }
    s.created_at = cli_now();
    c = (struct create_ctx){&s, s.created_at, 0};
    rc = db_txn(d, create_txn, &c);
    if (rc == DB_ECONSTRAINT) {     /* taken between the check and the insert */
        c.taken = 1;
        rc = DB_OK;
    }
    if (rc != DB_OK) {
        fprintf(stderr, "prakerja scheme create: %s\n", db_errmsg(d));
        db_close(d);
        return 1;
    }
    db_close(d);
    if (c.taken) {
        fprintf(stderr, "prakerja scheme create: code: %s (scheme.code_taken)\n",
                err_text("scheme.code_taken", "en"));
        return 1;
    }
    printf("created scheme %s\n", s.code);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "Usage: prakerja scheme list|show|create [OPTIONS]\n\n"
               "  list          every scheme, as a table\n"
               "  show CODE     every field of one scheme\n"
               "  create ...    add a scheme (see `prakerja scheme create --help`)\n");
}

int cli_scheme(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "show") == 0)
        return cmd_show(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "create") == 0)
        return cmd_create(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    return cli_usage_error("scheme", argc >= 2 ? "unknown subcommand" : "missing subcommand",
                           argc >= 2 ? argv[1] : NULL);
}

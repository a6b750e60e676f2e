/*
 * import: `prakerja import accounts FILE.csv`, bulk registration for an agency
 * moving from an older system. The CSV has a header row naming the columns
 * (email, full_name, nik, kk, birth_date, sex, phone, village_code, education,
 * occupation, in any order; other columns are ignored).
 *
 * The file is read in 1 MiB chunks and fed to libcsv one physical line at a time,
 * so the line number of every record is known (a quoted field spanning lines is
 * reported at the line where it ends). libcsv's buffer is capped through its
 * realloc hook, so no cell can make it grow without bound. Each cell is checked
 * for length, NUL bytes and UTF-8 before the row goes to bulk_add (bulk.c), which
 * validates it like the API, catches duplicates and queues it for the writer.
 * A first pass counts the lines so the progress bar knows its total.
 */
#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "core/account.h"

#define IMPORT_CELL_MAX 1024         /* bytes a cell may have before field.too_long */
#define IMPORT_CSV_BUF_MAX (64 * 1024)
#define IMPORT_MAX_COLS 64
#define IMPORT_CHUNK (1 << 20)

enum col { C_EMAIL, C_NAME, C_NIK, C_KK, C_BIRTH, C_SEX, C_PHONE, C_VILLAGE, C_EDU, C_OCC, C_N };

static const char *const col_names[C_N] = {
    "email", "full_name", "nik", "kk", "birth_date", "sex", "phone", "village_code", "education",
    "occupation",
};

struct reader {
    struct bulk *bulk;
    FILE *f;
    long line;                        /* physical line being fed, 1-based */
    long rec_line;                    /* line of the current record */
    int header_done;
    int map[IMPORT_MAX_COLS];         /* file column -> enum col, or -1 */
    int ncols;                        /* columns in the header */
    int field;                        /* index of the next field in this record */
    char cell[C_N][IMPORT_CELL_MAX + 1];
    const char *bad_code[C_N];        /* first cell problem per column */
    int present[C_N];
    int fatal;
    char errmsg[256];
};

static void *capped_realloc(void *p, size_t n)
{
    if (n > IMPORT_CSV_BUF_MAX)
        return NULL;
    return realloc(p, n);
}

static int utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            k = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + k >= n)
            return 0;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + j] & 0x3f);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += k + 1;
    }
    return 1;
}

static void header_cell(struct reader *r, const char *s, size_t len)
{
    int idx = r->field;
    if (idx >= IMPORT_MAX_COLS)
        return;
    if (idx == 0 && len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
        s += 3;
        len -= 3;
    }
    r->map[idx] = -1;
    for (int c = 0; c < C_N; c++)
        if (strlen(col_names[c]) == len && strncasecmp(col_names[c], s, len) == 0) {
            r->map[idx] = c;
            break;
        }
    r->ncols = idx + 1;
}

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    int c;

    if (r->field == 0)
        r->rec_line = r->line;
    if (!r->header_done) {
        header_cell(r, s, len);
        r->field++;
        return;
    }
    c = r->field < r->ncols && r->field < IMPORT_MAX_COLS ? r->map[r->field] : -1;
    r->field++;
    if (c < 0 || r->present[c] || r->bad_code[c])
        return;
    if (len > IMPORT_CELL_MAX)
        r->bad_code[c] = "field.too_long";
    else if (len && memchr(s, '\0', len))
        r->bad_code[c] = "field.nul_byte";
    else if (!utf8_valid(s, len))
        r->bad_code[c] = "field.invalid_utf8";
    if (r->bad_code[c])
        return;
    memcpy(r->cell[c], s, len);
    r->cell[c][len] = '\0';
    r->present[c] = len > 0;
}

static void on_record(int term, void *data)
{
    struct reader *r = data;
    struct field_error errs[C_N];
    struct bulk_input in;
    const char *v[C_N];
    int n = 0;

    if (r->fatal)
        return;
    if (r->field == 0)
        return;
    if (!r->header_done) {
        int seen[C_N] = {0};
        r->header_done = 1;
        r->field = 0;
        for (int i = 0; i < r->ncols && i < IMPORT_MAX_COLS; i++)
            if (r->map[i] >= 0) {
                if (seen[r->map[i]]) {
                    snprintf(r->errmsg, sizeof r->errmsg, "column %s appears twice in the header",
                             col_names[r->map[i]]);
                    r->fatal = 2;
                    return;
                }
                seen[r->map[i]] = 1;
            }
        for (int c = 0; c < C_N; c++)
            if (!seen[c]) {
                snprintf(r->errmsg, sizeof r->errmsg, "the header has no column %s",
                         col_names[c]);
                r->fatal = 2;
                return;
            }
        return;
    }
    for (int c = 0; c < C_N; c++) {
        if (r->bad_code[c])
            errs[n++] = (struct field_error){col_names[c], r->bad_code[c]};
        v[c] = r->present[c] ? r->cell[c] : NULL;
    }
    if (n > 0) {
        bulk_reject(r->bulk, r->rec_line, errs, n);
    } else {
        in = (struct bulk_input){v[C_EMAIL], v[C_NAME], v[C_NIK],   v[C_KK],  v[C_BIRTH],
                                 v[C_SEX],   v[C_PHONE], v[C_VILLAGE], v[C_EDU], v[C_OCC]};
        if (bulk_add(r->bulk, r->rec_line, &in, 0, 0) < 0)
            r->fatal = 1;
    }
    r->field = 0;
    memset(r->present, 0, sizeof r->present);
    memset(r->bad_code, 0, sizeof r->bad_code);
}

static long count_lines(FILE *f)
{
    static char chunk[IMPORT_CHUNK];
    long n = 0;
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        for (char *p = chunk, *e = chunk + got; (p = memchr(p, '\n', (size_t)(e - p))); p++)
            n++;
    rewind(f);
    return n;
}

static int produce(struct bulk *b, void *ctx)
{
    struct reader *r = ctx;
    struct csv_parser p;
    char *chunk = malloc(IMPORT_CHUNK);
    int rc = -1;
    size_t got;

    if (!chunk || csv_init(&p, CSV_APPEND_NULL) != 0) {
        free(chunk);
        snprintf(r->errmsg, sizeof r->errmsg, "out of memory");
        r->fatal = 2;
        return -1;
    }
    csv_set_realloc_func(&p, capped_realloc);
    r->line = 1;
    while (!r->fatal && (got = fread(chunk, 1, IMPORT_CHUNK, r->f)) > 0) {
        char *pos = chunk, *end = chunk + got;
        while (pos < end && !r->fatal) {
            char *nl = memchr(pos, '\n', (size_t)(end - pos));
            size_t len = nl ? (size_t)(nl - pos) + 1 : (size_t)(end - pos);
            if (csv_parse(&p, pos, len, on_field, on_record, r) != len) {
                snprintf(r->errmsg, sizeof r->errmsg, "line %ld: %s", r->line,
                         csv_error(&p) == CSV_ENOMEM ? "a field longer than 64 KiB"
                                                     : csv_strerror(csv_error(&p)));
                r->fatal = 2;
                break;
            }
            if (nl)
                r->line++;
            pos += len;
        }
    }
    if (!r->fatal && ferror(r->f)) {
        snprintf(r->errmsg, sizeof r->errmsg, "read error");
        r->fatal = 2;
    }
    if (!r->fatal)
        csv_fini(&p, on_field, on_record, r);
    if (!r->fatal && !r->header_done) {
        snprintf(r->errmsg, sizeof r->errmsg, "the file is empty (no header row)");
        r->fatal = 2;
    }
    rc = r->fatal ? -1 : 0;
    csv_free(&p);
    free(chunk);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f, "Usage: prakerja import accounts FILE.csv [--db PATH] [--key FILE]\n\n"
               "Registers participants in bulk from a CSV file whose header row names the\n"
               "columns email, full_name, nik, kk, birth_date, sex, phone, village_code,\n"
               "education, occupation (any order). Every row is validated like the API and\n"
               "checked for duplicates in the file and in the database; good rows are written\n"
               "without a password (people set one by reset), a bad row not at all. Each\n"
               "rejected row is reported on stderr as `line N: field code`.\n\n"
               "On SQLite, an import at least half the size of the accounts already stored\n"
               "is one transaction (the indexes are rebuilt at its end): a file error leaves\n"
               "the database as it was, and other writers wait until it commits; with no\n"
               "other connection open it runs with a rollback journal (the database goes\n"
               "back to WAL after it), and a process opening the database meanwhile may\n"
               "fail with \"database is locked\". A smaller import, and any import on\n"
               "PostgreSQL, commits batch by batch.\n\n"
               "  --db PATH   database (default $PRAKERJA_DB or %s)\n"
               "  --key FILE  PII key file (default the database path + .key)\n\n"
               "Exit status: 0 all rows imported, 1 some rejected, 2 usage or file error.\n",
               CLI_DEFAULT_DB);
}

int cli_import(int argc, char **argv)
{
    const char *db_opt = NULL, *key_opt = NULL, *file, *dbp;
    const struct cli_opt opts[] = {
        {"db", &db_opt, NULL}, {"key", &key_opt, NULL}, {NULL, NULL, NULL},
    };
    char *pos[2], keyp[4096], err[256];
    struct pii_keys keys;
    struct bulk *b = NULL;
    struct bulk_stats st;
    struct reader *r = NULL;
    db *d = NULL;
    int npos, help, rc, run_rc;

    if ((rc = cli_parse("import", argc, argv, opts, pos, 2, &npos, &help)) != 0)
        return rc;
    if (help) {
        usage(stdout);
        return 0;
    }
    if (npos < 1)
        return cli_usage_error("import", "what to import? (accounts)", NULL);
    if (strcmp(pos[0], "accounts") != 0)
        return cli_usage_error("import", "unknown kind (only accounts)", pos[0]);
    if (npos < 2)
        return cli_usage_error("import", "missing FILE.csv", NULL);
    file = pos[1];
    rc = 1;
    memset(&keys, 0, sizeof keys);

    dbp = cli_db_path(db_opt);
    if (cli_key_path(dbp, key_opt, keyp, sizeof keyp) < 0)
        return cli_usage_error("import", "key path too long", NULL);
    r = calloc(1, sizeof *r);
    if (!r)
        return 1;
    r->f = fopen(file, "rb");
    if (!r->f) {
        fprintf(stderr, "prakerja import: cannot open %s: %s\n", file, strerror(errno));
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    if (cli_open(dbp, 1, &d) < 0)
        goto out;
    if (pii_key_load(keyp, &keys, err, sizeof err) < 0) {
        fprintf(stderr, "prakerja import: key file %s: %s\n", keyp, err);
        goto out;
    }
    bulk_tune(d);
    if (bulk_open(&b, d, &keys) < 0)
        goto out;
    r->bulk = b;
    bulk_progress(b, "import", count_lines(r->f) - 1);
    run_rc = bulk_run(b, produce, r, &st);
    if (run_rc < 0 && r->fatal == 2) {
        fprintf(stderr, "prakerja import: %s: %s\n", file, r->errmsg);
        printf("imported %ld, rejected %ld\n", st.imported, st.rejected);
        rc = CLI_EXIT_USAGE;
        goto out;
    } else if (run_rc < 0 || r->fatal) {
        printf("imported %ld, rejected %ld\n", st.imported, st.rejected);
        rc = 1;
        goto out;
    }
    printf("imported %ld, rejected %ld\n", st.imported, st.rejected);
    rc = st.rejected ? 1 : 0;
out:
    sodium_memzero(&keys, sizeof keys);
    bulk_close(b);
    db_close(d);
    if (r && r->f)
        fclose(r->f);
    free(r);
    return rc;
}

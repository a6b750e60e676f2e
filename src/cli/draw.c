/*
 * draw: `prakerja draw verify FILE --seed HEX` and `prakerja draw simulate`.
 *
 * verify streams an audit file (format in docs/draw.md and core/drawfile.h) one
 * bounded line at a time, recomputes each key from the seed and the public id,
 * keeps the applications in memory (about 50 bytes each), reruns the draw of
 * core/draw.c over the recomputed keys with the file's quotas and rule, and
 * compares. The first wrong line (by line number) is reported, whether its key or
 * its selection is wrong. Exit 0 verified, 1 wrong, 2 malformed or usage.
 *
 * simulate makes a synthetic population skewed across the regencies (read from
 * the regions table of --db, or from regencies.csv in --regions DIR), with quotas
 * that differ from the applicant shares so every spill-over stage is used, runs
 * the draw and writes the audit file. Everything follows from the seed.
 */
#include "cli/draw.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/draw.h"
#include "core/drawfile.h"
#include "store/drawkey.h"
#include "util/progress.h"

#define NCODES 10000                /* regency codes "DD.DD" -> 0..9999 */

static int parse_seed(const char *hex, unsigned char *seed, size_t *len)
{
    size_t n = 0;
    if (!hex || sodium_hex2bin(seed, DRAWKEY_SEED_MAX, hex, strlen(hex), NULL, &n, NULL) != 0 ||
        n < DRAWKEY_SEED_MIN || n > DRAWKEY_SEED_MAX || strlen(hex) != 2 * n)
        return -1;
    *len = n;
    return 0;
}

/* The region tables shared by verify and simulate. */
struct regions {
    int idx[NCODES];                /* regency code -> index, -1 if absent */
    int pidx[100];                  /* province code -> index, -1 */
    int code[NCODES];               /* index -> regency code */
    int pcode[100];
    uint32_t nreg, nprov;
    uint64_t quota[NCODES];
    uint32_t prov[NCODES];          /* regency index -> province index */
};

static void regions_init(struct regions *r)
{
    memset(r, 0, sizeof *r);
    memset(r->idx, -1, sizeof r->idx);
    memset(r->pidx, -1, sizeof r->pidx);
}

/* Adds a regency; 0, or -1 if it is there already. */
static int regions_add(struct regions *r, int code, int pcode, uint64_t quota)
{
    if (r->idx[code] >= 0)
        return -1;
    if (r->pidx[pcode] < 0) {
        r->pcode[r->nprov] = pcode;
        r->pidx[pcode] = (int)r->nprov++;
    }
    r->code[r->nreg] = code;
    r->quota[r->nreg] = quota;
    r->prov[r->nreg] = (uint32_t)r->pidx[pcode];
    r->idx[code] = (int)r->nreg++;
    return 0;
}

/* ---- verify ---- */

struct vstate {
    struct draw_entry *e;
    unsigned char *fstage;          /* the file's stage per row */
    size_t n, cap;
};

static int verify_fail(int rc, const char *file, long line, const char *why)
{
    if (line > 0)
        fprintf(stderr, "%s: line %ld: %s\n", file, line, why);
    else
        fprintf(stderr, "%s: %s\n", file, why);
    return rc;
}

static int draw_verify(int argc, char **argv)
{
    const char *seed_hex = NULL;
    char *pos[1];
    int npos, help, rc;
    const struct cli_opt opts[] = {{"seed", &seed_hex, NULL}, {NULL, NULL, NULL}};
    if ((rc = cli_parse("draw verify", argc, argv, opts, pos, 1, &npos, &help)) != 0)
        return rc;
    if (help) {
        printf("Usage: prakerja draw verify FILE --seed HEX\n\n"
               "Recomputes every key of a draw audit file from the seed and every selection\n"
               "from the file's quotas and rule. Exit 0 when the file is exactly right, 1\n"
               "naming the first wrong line, 2 when the file is malformed.\n");
        return 0;
    }
    if (npos != 1)
        return cli_usage_error("draw verify", "needs the audit FILE", NULL);
    unsigned char seed[DRAWKEY_SEED_MAX];
    size_t seedlen;
    if (parse_seed(seed_hex, seed, &seedlen) < 0)
        return cli_usage_error("draw verify", "--seed needs 32..128 hex digits", seed_hex);

    const char *file = pos[0];
    FILE *f = fopen(file, "r");
    if (!f) {
        perror(file);
        return 2;
    }
    struct regions *reg = malloc(sizeof *reg);
    struct vstate v = {0};
    unsigned char *stage = NULL;
    struct progress pr;
    char buf[DRAWFILE_LINE_MAX + 2];
    long line = 0, first_row_line = 0, key_bad = 0, bad_line = 0;
    int have_version = 0, have_rule = 0, have_header = 0, have_end = 0;
    enum draw_rule rule = DRAW_RULE_REGENCY;
    struct stat sb;
    rc = 2;
    if (!reg)
        goto out;
    regions_init(reg);
    if (fstat(fileno(f), &sb) == 0 && sb.st_size > 0) {
        v.cap = (size_t)sb.st_size / 80 + 16;
        v.e = malloc(v.cap * sizeof *v.e);
        v.fstage = malloc(v.cap);
        if (!v.e || !v.fstage) {
            fprintf(stderr, "%s: out of memory\n", file);
            goto out;
        }
    }
    progress_start(&pr, "verifying (bytes)", (long)sb.st_size);
    while (fgets(buf, sizeof buf, f)) {
        struct drawfile_line l;
        const char *why;
        size_t len = strlen(buf);
        line++;
        if (len == 0 || buf[len - 1] != '\n') {
            rc = verify_fail(2, file, line, feof(f) ? "truncated line (no newline at the end)"
                                                    : "line too long");
            goto out_bar;
        }
        buf[--len] = '\0';
        if (len && buf[len - 1] == '\r')
            buf[--len] = '\0';
        if (have_end) {
            rc = verify_fail(2, file, line, "text after the #end row");
            goto out_bar;
        }
        if (drawfile_parse(buf, &l, &why) < 0) {
            rc = verify_fail(2, file, line, why);
            goto out_bar;
        }
        if (!have_version && l.kind != DRAWFILE_VERSION) {
            rc = verify_fail(2, file, line, "not a draw audit file (no #prakerja_draw,1 first)");
            goto out_bar;
        }
        switch (l.kind) {
        case DRAWFILE_VERSION:
            if (have_version) {
                rc = verify_fail(2, file, line, "a second #prakerja_draw row");
                goto out_bar;
            }
            have_version = 1;
            break;
        case DRAWFILE_RULE:
        case DRAWFILE_COMMITMENT:
        case DRAWFILE_QUOTA:
            if (have_header) {
                rc = verify_fail(2, file, line, "# rows must come before the header row");
                goto out_bar;
            }
            if (l.kind == DRAWFILE_RULE) {
                if (have_rule++) {
                    rc = verify_fail(2, file, line, "a second #rule row");
                    goto out_bar;
                }
                rule = l.rule;
            } else if (l.kind == DRAWFILE_COMMITMENT) {
                char want[65];
                drawkey_commitment(seed, seedlen, want);
                if (strcmp(want, l.commitment) != 0) {
                    fprintf(stderr, "%s: the seed does not match the commitment\n", file);
                    rc = 1;
                    goto out_bar;
                }
            } else if (regions_add(reg, l.regency, l.province, l.quota) < 0) {
                rc = verify_fail(2, file, line, "a second #quota row for this regency");
                goto out_bar;
            }
            break;
        case DRAWFILE_HEADER_ROW:
            if (have_header++ || !have_rule) {
                rc = verify_fail(2, file, line,
                                 have_rule ? "a second header row" : "no #rule row before the header");
                goto out_bar;
            }
            first_row_line = line + 1;
            break;
        case DRAWFILE_END:
            if (!have_header || l.quota != v.n) {
                rc = verify_fail(2, file, line, "the #end count is not the number of rows");
                goto out_bar;
            }
            have_end = 1;
            break;
        case DRAWFILE_ROW: {
            if (!have_header) {
                rc = verify_fail(2, file, line, "an application row before the header row");
                goto out_bar;
            }
            int ri = reg->idx[l.regency];
            if (ri < 0) {
                rc = verify_fail(2, file, line, "regency has no #quota row");
                goto out_bar;
            }
            if (reg->pcode[reg->prov[ri]] != l.province) {
                rc = verify_fail(2, file, line, "province is not the regency's province");
                goto out_bar;
            }
            if (v.n == v.cap) {
                size_t nc = v.cap ? v.cap * 2 : 1024;
                struct draw_entry *ne = realloc(v.e, nc * sizeof *ne);
                unsigned char *ns = ne ? realloc(v.fstage, nc) : NULL;
                if (ne)
                    v.e = ne;
                if (!ne || !ns) {
                    rc = verify_fail(2, file, line, "out of memory");
                    goto out_bar;
                }
                v.fstage = ns;
                v.cap = nc;
            }
            struct draw_entry *e = &v.e[v.n];
            drawkey_compute(seed, seedlen, l.public_id, e->key);
            if (!key_bad && memcmp(e->key, l.key, DRAW_KEY_LEN) != 0)
                key_bad = line;
            e->regency = (uint32_t)ri;
            e->province = reg->prov[ri];
            e->tier = l.tier;
            e->row = (uint32_t)v.n;
            v.fstage[v.n++] = (unsigned char)l.stage;
            if ((v.n & 0xffff) == 0)
                progress_update(&pr, ftell(f));
            break;
        }
        }
    }
    if (ferror(f)) {
        rc = verify_fail(2, file, 0, "read error");
        goto out_bar;
    }
    if (!have_end) {
        rc = verify_fail(2, file, line + 1, "truncated: no #end row");
        goto out_bar;
    }
    progress_update(&pr, (long)sb.st_size);
    progress_finish(&pr);

    struct draw_config cfg = {reg->nreg, reg->quota, reg->prov, reg->nprov, rule};
    struct draw_stats st;
    stage = malloc(v.n ? v.n : 1);
    if (!stage) {
        rc = verify_fail(2, file, 0, "out of memory");
        goto out;
    }
    int dr = draw_run(v.e, v.n, &cfg, stage, &st);
    if (dr == DRAW_EDUP) {
        rc = verify_fail(2, file, 0, "the same public id appears twice");
        goto out;
    }
    if (dr != DRAW_OK) {
        rc = verify_fail(2, file, 0, dr == DRAW_ENOMEM ? "out of memory" : "inconsistent regions");
        goto out;
    }
    size_t wrong = v.n;
    for (size_t i = 0; i < v.n; i++)
        if (stage[i] != v.fstage[i]) {
            wrong = i;
            break;
        }
    if (wrong < v.n)
        bad_line = first_row_line + (long)wrong;
    if (key_bad && (!bad_line || key_bad <= bad_line)) {
        rc = verify_fail(1, file, key_bad, "key does not match the seed");
    } else if (bad_line) {
        char why[160];
        int fs = v.fstage[wrong], ds = stage[wrong];
        if (fs == DRAW_NOT_SELECTED)
            snprintf(why, sizeof why, "selected is 0, the draw selects it (stage %s)",
                     draw_stage_name(ds));
        else if (ds == DRAW_NOT_SELECTED)
            snprintf(why, sizeof why, "selected is 1, the draw does not select it");
        else
            snprintf(why, sizeof why, "stage is %s, the draw selects it at stage %s",
                     draw_stage_name(fs), draw_stage_name(ds));
        rc = verify_fail(1, file, bad_line, why);
    } else {
        printf("verified: %zu applications, %llu selected\n", v.n,
               (unsigned long long)(v.n - st.selected[DRAW_NOT_SELECTED]));
        rc = 0;
    }
    goto out;
out_bar:
    progress_finish(&pr);
out:
    fclose(f);
    free(reg);
    free(v.e);
    free(v.fstage);
    free(stage);
    return rc;
}

/* ---- simulate ---- */

static uint64_t sm_state;
static uint64_t sm_next(void)   /* splitmix64 */
{
    uint64_t z = (sm_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static double sm_unit(void)
{
    return (double)(sm_next() >> 11) / 9007199254740992.0;
}

static int load_regions_csv(struct regions *reg, const char *dir)
{
    char path[4096], line[512];
    snprintf(path, sizeof path, "%s/regencies.csv", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    int first = 1;
    while (fgets(line, sizeof line, f)) {
        if (first) {
            first = 0;
            continue;
        }
        char *c = strchr(line, ',');
        if (!c)
            continue;
        *c = '\0';
        int code = drawfile_regency_code(line);
        if (code < 0) {
            fprintf(stderr, "%s: bad regency code %s\n", path, line);
            fclose(f);
            return -1;
        }
        regions_add(reg, code, code / 100, 0);
    }
    fclose(f);
    return 0;
}

static int load_regions_db(struct regions *reg, const char *addr)
{
    db *d;
    db_rows *rows;
    if (cli_open(addr, 0, &d) < 0)
        return -1;
    int rc = db_query(d, "SELECT code FROM regions WHERE level = 2 ORDER BY code", NULL, 0, &rows);
    if (rc == 0) {
        while ((rc = db_step(rows)) == DB_ROW) {
            int code = drawfile_regency_code(db_text(rows, 0));
            if (code >= 0)
                regions_add(reg, code, code / 100, 0);
        }
        rc = rc == DB_DONE ? 0 : -1;
        db_rows_free(rows);
    }
    if (rc < 0)
        fprintf(stderr, "prakerja draw simulate: reading regions: %s\n", db_errmsg(d));
    db_close(d);
    return rc;
}

static int draw_simulate(int argc, char **argv)
{
    const char *napps = NULL, *nseats = NULL, *seed_hex = NULL, *out = NULL, *dir = NULL,
               *dbopt = NULL, *rule_s = "regency_province_nation";
    char *pos[1];
    int npos, help, rc;
    const struct cli_opt opts[] = {
        {"applications", &napps, NULL}, {"seats", &nseats, NULL}, {"seed", &seed_hex, NULL},
        {"out", &out, NULL}, {"regions", &dir, NULL}, {"db", &dbopt, NULL},
        {"rule", &rule_s, NULL}, {NULL, NULL, NULL}};
    if ((rc = cli_parse("draw simulate", argc, argv, opts, pos, 0, &npos, &help)) != 0)
        return rc;
    if (help) {
        printf("Usage: prakerja draw simulate --applications N --seats S --seed HEX --out FILE\n"
               "                              [--regions DIR | --db ADDR] [--rule RULE]\n\n"
               "Makes N synthetic applications skewed across the regencies (from DIR/regencies.csv,\n"
               "or the regions table of the database), S seats in regency quotas, runs the draw\n"
               "with RULE (regency, regency_province, regency_province_nation: the default) and\n"
               "writes the audit file.\n");
        return 0;
    }
    long n, seats;
    enum draw_rule rule;
    unsigned char seed[DRAWKEY_SEED_MAX];
    size_t seedlen;
    if (!napps || cli_parse_long(napps, 0, 100000000, &n) < 0)
        return cli_usage_error("draw simulate", "--applications needs 0..100000000", napps);
    if (!nseats || cli_parse_long(nseats, 0, 100000000, &seats) < 0)
        return cli_usage_error("draw simulate", "--seats needs 0..100000000", nseats);
    if (parse_seed(seed_hex, seed, &seedlen) < 0)
        return cli_usage_error("draw simulate", "--seed needs 32..128 hex digits", seed_hex);
    if (!out)
        return cli_usage_error("draw simulate", "needs --out FILE", NULL);
    if (draw_rule_parse(rule_s, &rule) < 0)
        return cli_usage_error("draw simulate", "unknown rule", rule_s);

    struct regions *reg = malloc(sizeof *reg);
    double *cum = NULL;
    struct draw_entry *e = NULL;
    unsigned char *stage = NULL;
    FILE *f = NULL;
    rc = 1;
    if (!reg)
        goto done;
    regions_init(reg);
    if ((dir ? load_regions_csv(reg, dir) : load_regions_db(reg, cli_db_path(dbopt))) < 0)
        goto done;
    if (reg->nreg == 0) {
        fprintf(stderr, "prakerja draw simulate: no regencies\n");
        goto done;
    }
    memcpy(&sm_state, seed, 8);
    /* Applicant weights: heavy-tailed; quota weights: the square root of them plus a
       floor, so small regencies get more seats than applicants (spill-over). */
    cum = malloc(reg->nreg * sizeof *cum);
    e = malloc((n ? (size_t)n : 1) * sizeof *e);
    stage = malloc(n ? (size_t)n : 1);
    if (!cum || !e || !stage) {
        fprintf(stderr, "prakerja draw simulate: out of memory\n");
        goto done;
    }
    double tot = 0, qtot = 0;
    for (uint32_t r = 0; r < reg->nreg; r++) {
        double u = sm_unit(), w = 1 + 80 * u * u * u * u;
        tot += w;
        cum[r] = tot;
        qtot += w * 0.5 + 2;
    }
    uint64_t given = 0;
    for (uint32_t r = 0; r < reg->nreg; r++) {
        double w = cum[r] - (r ? cum[r - 1] : 0);
        reg->quota[r] = (uint64_t)((double)seats * (w * 0.5 + 2) / qtot);
        given += reg->quota[r];
    }
    for (uint32_t r = 0; given < (uint64_t)seats; r = (r + 1) % reg->nreg, given++)
        reg->quota[r]++;

    struct progress pr;
    char id[32];
    progress_start(&pr, "simulating", n);
    for (long i = 0; i < n; i++) {
        double x = sm_unit() * tot;
        uint32_t lo = 0, hi = reg->nreg - 1;
        while (lo < hi) {
            uint32_t mid = (lo + hi) / 2;
            if (cum[mid] < x)
                lo = mid + 1;
            else
                hi = mid;
        }
        snprintf(id, sizeof id, "sim-%09ld", i);
        drawkey_compute(seed, seedlen, id, e[i].key);
        e[i].regency = lo;
        e[i].province = reg->prov[lo];
        e[i].tier = sm_next() % 10 == 0 ? 0 : 1;
        e[i].row = (uint32_t)i;
        if ((i & 0xffff) == 0)
            progress_update(&pr, i);
    }
    progress_update(&pr, n);
    progress_finish(&pr);
    struct draw_config cfg = {reg->nreg, reg->quota, reg->prov, reg->nprov, rule};
    struct draw_stats st;
    if (draw_run(e, (size_t)n, &cfg, stage, &st) != DRAW_OK) {
        fprintf(stderr, "prakerja draw simulate: the draw failed\n");
        goto done;
    }
    if (!(f = fopen(out, "w"))) {
        perror(out);
        goto done;
    }
    char commit[65], row[DRAWFILE_LINE_MAX];
    drawkey_commitment(seed, seedlen, commit);
    fprintf(f, "#prakerja_draw,1\n#rule,%s\n#seed_commitment,%s\n", draw_rule_name(rule), commit);
    for (uint32_t r = 0; r < reg->nreg; r++)
        fprintf(f, "#quota,%02d.%02d,%02d,%llu\n", reg->code[r] / 100, reg->code[r] % 100,
                reg->pcode[reg->prov[r]], (unsigned long long)reg->quota[r]);
    fprintf(f, "%s\n", DRAWFILE_HEADER);
    for (long i = 0; i < n; i++) {
        snprintf(id, sizeof id, "sim-%09ld", i);
        int len = drawfile_format_row(row, sizeof row, id, reg->code[e[i].regency],
                                      reg->pcode[e[i].province], e[i].tier, e[i].key, stage[i]);
        fwrite(row, 1, (size_t)len, f);
    }
    fprintf(f, "#end,%ld\n", n);
    if (fclose(f) != 0) {
        f = NULL;
        perror(out);
        goto done;
    }
    f = NULL;
    printf("simulated: %ld applications, %ld seats, %llu selected (regency %llu, province %llu, "
           "nation %llu), %llu seats unfilled\n", n, seats,
           (unsigned long long)(st.selected[1] + st.selected[2] + st.selected[3]),
           (unsigned long long)st.selected[1], (unsigned long long)st.selected[2],
           (unsigned long long)st.selected[3], (unsigned long long)st.unfilled);
    rc = 0;
done:
    if (f)
        fclose(f);
    free(reg);
    free(cum);
    free(e);
    free(stage);
    return rc;
}

int cli_draw(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        printf("Usage: prakerja draw verify FILE --seed HEX\n"
               "       prakerja draw simulate --applications N --seats S --seed HEX --out FILE\n\n"
               "Checks a published selection draw, or makes a synthetic one. Each takes --help.\n");
        return argc < 2 ? CLI_EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "verify") == 0)
        return draw_verify(argc - 1, argv + 1);
    if (strcmp(argv[1], "simulate") == 0)
        return draw_simulate(argc - 1, argv + 1);
    return cli_usage_error("draw", "unknown subcommand", argv[1]);
}

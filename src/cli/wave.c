/*
 * wave: `prakerja wave create|list|show|open|close|draw|audit`, the program
 * office's hands on waves (store/waves.h), the same units of work the API runs.
 *
 * create commits to the draw's seed before anyone applies: given --seed it
 * stores only SHA-256(seed); given --commitment it stores that; given neither
 * it makes 32 random bytes, prints them once with a warning to keep them secret
 * until the draw, and stores the commitment. close and draw re-check
 * eligibility, so they open the civil-registry adapter (store/civreg.h): --civreg
 * FILE, else civreg_default_path of the database, and the PII key file. draw
 * shows a progress bar per stage and prints the draw's numbers; audit writes the
 * audit file of docs/draw.md, which `prakerja draw verify` checks.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/draw.h"
#include "core/quota.h"
#include "store/civreg.h"
#include "store/drawkey.h"
#include "store/beneficiaries.h"
#include "store/regions.h"
#include "store/waves.h"
#include "util/progress.h"
#include "util/utc.h"

static void iso(int64_t t, char out[21])
{
    if (utc_format(t, out, 21) != 0)
        strcpy(out, "?");
}

static int parse_number(const char *cmd, const char *s, int *out)
{
    long v;
    if (!s || cli_parse_long(s, 1, WAVES_NUMBER_MAX, &v) < 0) {
        cli_usage_error(cmd, "the wave number must be 1..1000000", s);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* Reports a failed store call; returns 1. */
static int store_fail(const char *cmd, db *d, int rc)
{
    const char *code = waves_code(rc);
    if (code)
        fprintf(stderr, "prakerja %s: %s (%s)\n", cmd, err_text(code, "en"), code);
    else
        fprintf(stderr, "prakerja %s: %s\n", cmd, db_errmsg(d));
    return 1;
}

/* What close and draw need besides the database: keys and the civil registry. */
struct env {
    struct pii_keys keys;
    struct civreg *cr;
    struct elig_env e;
};

/* Opens the database dbp into *d, then the env; -1 (said on stderr) with nothing
 * left open. */
static int env_open(const char *cmd, const char *dbp, const char *key_opt, const char *civ_opt,
                    db **d, struct env *v)
{
    char keyp[4096], civp[4096], err[512];

    memset(v, 0, sizeof *v);
    if (cli_open(dbp, 1, d) < 0)
        return -1;
    if (cli_key_path(dbp, key_opt, keyp, sizeof keyp) < 0)
        goto fail;
    if (pii_key_load(keyp, &v->keys, err, sizeof err) != 0) {
        fprintf(stderr, "prakerja %s: key file %s: %s\n", cmd, keyp, err);
        goto fail;
    }
    if (civ_opt && *civ_opt)
        snprintf(civp, sizeof civp, "%s", civ_opt);
    else if (civreg_default_path(dbp, civp, sizeof civp) != 0) {
        fprintf(stderr, "prakerja %s: name the civil-registry file with --civreg FILE or "
                        "PRAKERJA_CIVREG (a PostgreSQL database has no folder to find it in)\n",
                cmd);
        goto fail;
    }
    if (civreg_csv_open(civp, &v->keys, &v->cr, err, sizeof err) != 0) {
        fprintf(stderr, "prakerja %s: civil registry %s: %s\n", cmd, civp, err);
        goto fail;
    }
    v->e.keys = &v->keys;
    v->e.civreg = v->cr;
    return 0;
fail:
    sodium_memzero(&v->keys, sizeof v->keys);
    db_close(*d);
    *d = NULL;
    return -1;
}

static void env_close(struct env *v)
{
    civreg_close(v->cr);
    sodium_memzero(&v->keys, sizeof v->keys);
}

static void print_wave(db *d, const struct wave *w)
{
    struct wave_counts c;
    char o[21], cl[21], dr[21];

    iso(w->opens_at, o);
    iso(w->closes_at, cl);
    printf("wave %d\n  scheme          %s\n  status          %s\n  opens_at        %s\n"
           "  closes_at       %s\n  total_quota     %lld\n  quota_mode      %s\n"
           "  quota_floor     %lld\n  spill_rule      %s\n  refill_seats    %lld\n"
           "  seed_commitment %s\n",
           w->number, w->scheme, w->status, o, cl, (long long)w->total_quota, w->quota_mode,
           (long long)w->quota_floor, w->spill_rule, (long long)w->refill_seats,
           w->seed_commitment);
    if (w->drawn_at) {
        iso(w->drawn_at, dr);
        printf("  seed            %s\n  drawn_at        %s\n", w->seed, dr);
    }
    if (waves_counts(d, w->id, &c) == DB_OK)
        printf("  applications    %lld (eligible %lld, ineligible %lld, selected %lld)\n",
               (long long)c.applications, (long long)c.eligible, (long long)c.ineligible,
               (long long)c.selected);
}

/* ---- create ---- */

static int read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b;
    size_t n;

    if (!f) {
        perror(path);
        return -1;
    }
    b = malloc(QUOTA_CSV_MAX + 1);
    if (!b) {
        fclose(f);
        return -1;
    }
    n = fread(b, 1, QUOTA_CSV_MAX + 1, f);
    if (ferror(f) || n > QUOTA_CSV_MAX) {
        fprintf(stderr, "%s: %s\n", path, ferror(f) ? "read error" : "larger than 1 MiB");
        fclose(f);
        free(b);
        return -1;
    }
    fclose(f);
    b[n] = '\0';
    *out = b;
    *len = n;
    return 0;
}

struct regset {
    int64_t *codes;
    int n;
};

static int regset_has(void *ctx, int code)
{
    const struct regset *r = ctx;
    int lo = 0, hi = r->n;
    while (lo < hi) {
        int m = (lo + hi) / 2;
        if (r->codes[m] < code)
            lo = m + 1;
        else
            hi = m;
    }
    return lo < r->n && r->codes[lo] == code;
}

static int cmd_create(int argc, char **argv)
{
    const char *db_opt = NULL, *number_s = NULL, *scheme = NULL, *opens = NULL, *closes = NULL,
               *quota_s = NULL, *quotas = NULL, *floor_s = NULL, *spill = NULL, *seed = NULL,
               *commitment = NULL;
    int refill = 0;
    const struct cli_opt opts[] = {
        {"db", &db_opt, NULL},         {"number", &number_s, NULL}, {"scheme", &scheme, NULL},
        {"opens", &opens, NULL},       {"closes", &closes, NULL},   {"quota", &quota_s, NULL},
        {"quotas", &quotas, NULL},     {"floor", &floor_s, NULL},   {"spill", &spill, NULL},
        {"seed", &seed, NULL},         {"commitment", &commitment, NULL},
        {"refill", NULL, &refill},     {NULL, NULL, NULL},
    };
    static const char *const cmd = "wave create";
    char *pos[1], *text = NULL, seedhex[65] = "";
    int npos, help, rc, number;
    long total, floor = 0;
    size_t tlen = 0, nrows = 0;
    struct wave_new in;
    struct wave w;
    struct quota_row *rows = NULL;
    struct regset rs = {NULL, 0};
    enum draw_rule rule;
    db *d = NULL;

    if ((rc = cli_parse(cmd, argc, argv, opts, pos, 0, &npos, &help)) != 0)
        return rc;
    if (help) {
        printf("Usage: prakerja wave create --number N --scheme CODE --opens ISO --closes ISO\n"
               "         --quota N [--quotas FILE.csv | --floor N] [--spill RULE]\n"
               "         [--seed HEX | --commitment HEX] [--refill] [--db PATH]\n\n"
               "Creates wave N of scheme CODE, open from --opens to --closes (ISO 8601 with\n"
               "a zone, e.g. 2026-12-05T10:00:00Z or 2026-12-05T17:00:00+07:00), with --quota\n"
               "seats in total.\n\n"
               "  --quotas FILE  seats per regency: lines regency_code,quota (header optional)\n"
               "                 summing to --quota; without it the seats are shared at the\n"
               "                 draw in proportion to the eligible applicants per regency,\n"
               "                 each regency with applicants getting at least --floor N\n"
               "  --spill RULE   where seats a regency cannot fill go: regency (nowhere),\n"
               "                 regency_province, regency_province_nation (the default)\n"
               "  --seed HEX     the draw's seed (64 hex digits); only its SHA-256 is stored\n"
               "  --commitment HEX  the seed's SHA-256 when the seed is kept elsewhere\n"
               "                 (neither: a seed is made and printed once; keep it secret\n"
               "                 until the draw, which needs it)\n"
               "  --refill       also take every revoked seat not yet refilled\n");
        return 0;
    }
    if (!number_s || parse_number(cmd, number_s, &number) < 0)
        return number_s ? CLI_EXIT_USAGE : cli_usage_error(cmd, "needs --number N", NULL);
    if (!scheme || !*scheme)
        return cli_usage_error(cmd, "needs --scheme CODE", NULL);
    memset(&in, 0, sizeof in);
    if (!opens || utc_parse(opens, &in.opens_at) < 0)
        return cli_usage_error(cmd, "--opens needs an ISO 8601 time with a zone", opens);
    if (!closes || utc_parse(closes, &in.closes_at) < 0)
        return cli_usage_error(cmd, "--closes needs an ISO 8601 time with a zone", closes);
    if (in.closes_at <= in.opens_at)
        return cli_usage_error(cmd, "the wave must close after it opens", closes);
    if (!quota_s || cli_parse_long(quota_s, 0, (long)QUOTA_TOTAL_MAX, &total) < 0)
        return cli_usage_error(cmd, "--quota needs 0..100000000 seats", quota_s);
    if (quotas && floor_s)
        return cli_usage_error(cmd, "--floor is for proportional quotas, not with --quotas",
                               NULL);
    if (floor_s && cli_parse_long(floor_s, 0, total, &floor) < 0)
        return cli_usage_error(cmd, "--floor needs 0..the total quota", floor_s);
    if (spill && draw_rule_parse(spill, &rule) < 0)
        return cli_usage_error(cmd, "--spill must be regency, regency_province or "
                                    "regency_province_nation", spill);
    if (seed && commitment)
        return cli_usage_error(cmd, "give --seed or --commitment, not both", NULL);
    if (seed && !drawkey_hex_ok(seed, 64))
        return cli_usage_error(cmd, "--seed needs 64 hex digits (32 bytes)", NULL);
    if (commitment && !drawkey_hex_ok(commitment, 64))
        return cli_usage_error(cmd, "--commitment needs 64 hex digits", commitment);

    rc = 1;
    if (cli_open(cli_db_path(db_opt), 1, &d) < 0)
        goto out;
    if (quotas) {
        long line;
        const char *why;
        if (read_file(quotas, &text, &tlen) < 0) {
            rc = CLI_EXIT_USAGE;
            goto out;
        }
        if (regions_codes(d, REGION_REGENCY, &rs.codes, &rs.n) != DB_OK) {
            fprintf(stderr, "prakerja %s: reading regencies: %s\n", cmd, db_errmsg(d));
            goto out;
        }
        if (!(rows = malloc(10000 * sizeof *rows)))
            goto out;
        int qr = quota_csv_parse(text, tlen, regset_has, &rs, (uint64_t)total, rows, 10000,
                                 &nrows, &line, &why);
        if (qr != QUOTA_OK) {
            if (line > 0)
                fprintf(stderr, "%s: line %ld: %s\n", quotas, line, why);
            else
                fprintf(stderr, "%s: %s\n", quotas, why);
            rc = CLI_EXIT_USAGE;
            goto out;
        }
    }
    if (seed || commitment) {
        drawkey_commitment_hex(seed, commitment, in.seed_commitment);
    } else {
        unsigned char raw[32];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2hex(seedhex, sizeof seedhex, raw, sizeof raw);
        drawkey_commitment(raw, sizeof raw, in.seed_commitment);
        sodium_memzero(raw, sizeof raw);
    }
    in.number = number;
    in.scheme = scheme;
    in.total_quota = total;
    in.quota_mode = quotas ? "csv" : "proportional";
    in.quota_floor = floor;
    in.spill_rule = spill ? spill : "regency_province_nation";
    in.refill = refill;
    in.quotas = rows;
    in.nquotas = nrows;
    in.actor = "cli";
    int sr = waves_create(d, &in, cli_now(), &w);
    if (sr != DB_OK) {
        rc = store_fail(cmd, d, sr);
        goto out;
    }
    print_wave(d, &w);
    if (seedhex[0]) {
        printf("\nseed %s\n", seedhex);
        fprintf(stderr, "prakerja %s: the seed above is shown once and not stored. Keep it "
                        "secret until the draw (`prakerja wave draw %d --seed ...` needs it); "
                        "only its commitment is public.\n", cmd, number);
    }
    rc = 0;
out:
    sodium_memzero(seedhex, sizeof seedhex);
    free(text);
    free(rows);
    free(rs.codes);
    db_close(d);
    return rc;
}

/* ---- list, show, open, close ---- */

static int list_one(const struct wave *w, void *ctx)
{
    db *d = ctx;
    struct wave_counts c;
    char o[21], cl[21];
    iso(w->opens_at, o);
    iso(w->closes_at, cl);
    if (waves_counts(d, w->id, &c) != DB_OK)
        return -1;
    printf("%6d  %-18s %-9s %s  %s %10lld %12lld %10lld %10lld\n", w->number, w->scheme,
           w->status, o, cl, (long long)w->total_quota, (long long)c.applications,
           (long long)c.eligible, (long long)c.selected);
    return 0;
}

static int cmd_list(int argc, char **argv)
{
    const char *db_opt = NULL;
    const struct cli_opt opts[] = {{"db", &db_opt, NULL}, {NULL, NULL, NULL}};
    char *pos[1];
    int npos, help, rc;
    db *d = NULL;

    if ((rc = cli_parse("wave list", argc, argv, opts, pos, 0, &npos, &help)) != 0)
        return rc;
    if (help) {
        printf("Usage: prakerja wave list [--db PATH]\n\nEvery wave, newest first: number, "
               "scheme, status, opens, closes (UTC), total quota,\napplications, eligible, "
               "selected.\n");
        return 0;
    }
    if (cli_open(cli_db_path(db_opt), 1, &d) < 0)
        return 1;
    printf("%6s  %-18s %-9s %-20s  %-20s %10s %12s %10s %10s\n", "wave", "scheme", "status",
           "opens_at", "closes_at", "quota", "applications", "eligible", "selected");
    rc = waves_each(d, cli_now(), list_one, d);
    if (rc != DB_OK)
        fprintf(stderr, "prakerja wave list: %s\n", db_errmsg(d));
    db_close(d);
    return rc == DB_OK ? 0 : 1;
}

/* Parses `CMD N [--db PATH]` plus the options of close/draw. */
struct one_opts {
    const char *db, *key, *civreg, *seed, *out;
};

static int parse_one(const char *cmd, int argc, char **argv, struct one_opts *o, int with_env,
                     int with_seed, int with_out, int *number, const char *help_text)
{
    struct cli_opt opts[8];
    int k = 0, npos, help, rc;
    char *pos[1];

    memset(o, 0, sizeof *o);
    opts[k++] = (struct cli_opt){"db", &o->db, NULL};
    if (with_env) {
        opts[k++] = (struct cli_opt){"key", &o->key, NULL};
        opts[k++] = (struct cli_opt){"civreg", &o->civreg, NULL};
    }
    if (with_seed)
        opts[k++] = (struct cli_opt){"seed", &o->seed, NULL};
    if (with_out)
        opts[k++] = (struct cli_opt){"out", &o->out, NULL};
    opts[k] = (struct cli_opt){NULL, NULL, NULL};
    if ((rc = cli_parse(cmd, argc, argv, opts, pos, 1, &npos, &help)) != 0)
        return rc;
    if (help) {
        fputs(help_text, stdout);
        return -1;
    }
    if (npos != 1)
        return cli_usage_error(cmd, "needs the wave number N", NULL);
    if (parse_number(cmd, pos[0], number) < 0)
        return CLI_EXIT_USAGE;
    return 0;
}

static int cmd_show(int argc, char **argv)
{
    struct one_opts o;
    struct wave w;
    int n, rc = parse_one("wave show", argc, argv, &o, 0, 0, 0, &n,
                          "Usage: prakerja wave show N [--db PATH]\n\nPrints wave N: its "
                          "scheme, times, quotas, seed commitment, the seed once\ndrawn, and "
                          "its applications.\n");
    db *d = NULL;
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (cli_open(cli_db_path(o.db), 1, &d) < 0)
        return 1;
    rc = waves_get(d, n, cli_now(), &w);
    if (rc == DB_OK)
        print_wave(d, &w);
    else
        store_fail("wave show", d, rc == DB_ENOTFOUND ? WAVES_NOT_FOUND : rc);
    db_close(d);
    return rc == DB_OK ? 0 : 1;
}

static int cmd_open(int argc, char **argv)
{
    struct one_opts o;
    struct wave w;
    int n, rc = parse_one("wave open", argc, argv, &o, 0, 0, 0, &n,
                          "Usage: prakerja wave open N [--db PATH]\n\nOpens the scheduled wave "
                          "N now, before its opening time.\n");
    db *d = NULL;
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (cli_open(cli_db_path(o.db), 1, &d) < 0)
        return 1;
    rc = waves_open(d, n, cli_now(), "cli", &w);
    if (rc == DB_OK)
        print_wave(d, &w);
    else
        store_fail("wave open", d, rc);
    db_close(d);
    return rc == DB_OK ? 0 : 1;
}

static int cmd_close(int argc, char **argv)
{
    struct one_opts o;
    struct wave w;
    struct wave_counts c;
    struct env v;
    struct progress pr;
    int n, rc = parse_one("wave close", argc, argv, &o, 1, 0, 0, &n,
                          "Usage: prakerja wave close N [--db PATH] [--key FILE] "
                          "[--civreg FILE]\n\nCloses wave N now and checks the eligibility of "
                          "every application again\n(the civil registry: --civreg FILE, default "
                          "the database path + .civreg.csv).\n");
    db *d = NULL;
    const char *dbp = cli_db_path(o.db);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (env_open("wave close", dbp, o.key, o.civreg, &d, &v) < 0)
        return 1;
    rc = waves_get(d, n, cli_now(), &w);
    if (rc == DB_OK)
        rc = waves_counts(d, w.id, &c);
    if (rc == DB_OK) {
        progress_start(&pr, "re-checking eligibility", (long)c.applications);
        rc = waves_close(d, &v.e, n, cli_now(), "cli", &w);
        if (rc == DB_OK)
            progress_update(&pr, (long)c.applications);
        progress_finish(&pr);
    }
    if (rc == DB_OK && (rc = waves_counts(d, w.id, &c)) == DB_OK)
        printf("wave %d closed: %lld applications, %lld eligible, %lld ineligible\n", n,
               (long long)c.applications, (long long)c.eligible, (long long)c.ineligible);
    else
        store_fail("wave close", d, rc == DB_ENOTFOUND ? WAVES_NOT_FOUND : rc);
    env_close(&v);
    db_close(d);
    return rc == DB_OK ? 0 : 1;
}

/* ---- draw, audit ---- */

static int cmd_draw(int argc, char **argv)
{
    struct one_opts o;
    struct wave w;
    struct env v;
    struct waves_draw_stats st;
    struct progress_stages bar;
    unsigned char seed[DRAWKEY_SEED_MAX];
    size_t len = 0;
    int n, rc = parse_one("wave draw", argc, argv, &o, 1, 1, 0, &n,
                          "Usage: prakerja wave draw N --seed HEX [--db PATH] [--key FILE] "
                          "[--civreg FILE]\n\nRuns the selection draw of wave N with the seed "
                          "committed to at its creation\n(closing it first if it is still "
                          "open), makes a beneficiary of each selected\napplicant and prints "
                          "the draw's numbers. The audit file: `prakerja wave audit N`.\n");
    db *d = NULL;
    const char *dbp = cli_db_path(o.db);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (drawkey_seed_parse(o.seed, seed, &len) != 0)
        return cli_usage_error("wave draw", "--seed needs 32..128 hex digits", NULL);
    if (env_open("wave draw", dbp, o.key, o.civreg, &d, &v) < 0)
        return 1;
    progress_stages_init(&bar, "draw: ");
    rc = waves_draw(d, &v.e, n, seed, len, cli_now(), "cli", progress_stage, &bar, &st, &w);
    progress_stages_finish(&bar);
    sodium_memzero(seed, sizeof seed);
    if (rc == DB_OK)
        printf("wave %d drawn: %lld eligible, %lld seats, %lld selected (regency %lld, "
               "province %lld, nation %lld), %lld seats unfilled\n",
               n, (long long)st.eligible, (long long)st.seats, (long long)st.selected,
               (long long)st.by_stage[DRAW_STAGE_REGENCY],
               (long long)st.by_stage[DRAW_STAGE_PROVINCE],
               (long long)st.by_stage[DRAW_STAGE_NATION], (long long)st.unfilled);
    else
        store_fail("wave draw", d, rc);
    env_close(&v);
    db_close(d);
    return rc == DB_OK ? 0 : 1;
}

static int write_file(void *ctx, const char *p, size_t n)
{
    return fwrite(p, 1, n, ctx) == n ? 0 : -1;
}

static int cmd_audit(int argc, char **argv)
{
    struct one_opts o;
    int n, rc = parse_one("wave audit", argc, argv, &o, 0, 0, 1, &n,
                          "Usage: prakerja wave audit N [--out FILE] [--db PATH]\n\nWrites the "
                          "audit file of wave N's draw (docs/draw.md) to FILE or stdout;\n"
                          "`prakerja draw verify FILE --seed HEX` recomputes the draw from it.\n");
    FILE *f = stdout;
    db *d = NULL;
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (cli_open(cli_db_path(o.db), 1, &d) < 0)
        return 1;
    if (o.out && !(f = fopen(o.out, "w"))) {
        perror(o.out);
        db_close(d);
        return 1;
    }
    rc = waves_audit_file(d, n, write_file, f);
    if (rc != DB_OK)
        store_fail("wave audit", d, rc);
    if (o.out) {
        if (fclose(f) != 0 && rc == DB_OK) {
            perror(o.out);
            rc = DB_ERR;
        }
    } else if (fflush(f) != 0 && rc == DB_OK) {
        rc = DB_ERR;
    }
    if (rc != DB_OK && o.out)
        remove(o.out);
    db_close(d);
    return rc == DB_OK ? 0 : 1;
}

static int cmd_expire(int argc, char **argv)
{
    struct one_opts o;
    struct wave w;
    int64_t count = 0, returned = 0;
    int n, rc = parse_one("wave expire", argc, argv, &o, 0, 0, 0, &n,
                          "Usage: prakerja wave expire N [--db PATH]\n\nEnds the spending "
                          "of drawn wave N: every card of the wave gives its unspent\nbalance "
                          "back to the state (a ledger entry of kind expiry per card). Cards\n"
                          "stay active for the trainings already bought.\n");
    db *d = NULL;
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (cli_open(cli_db_path(o.db), 1, &d) < 0)
        return 1;
    rc = waves_get(d, n, cli_now(), &w);
    if (rc == DB_OK && strcmp(w.stored_status, "drawn") != 0)
        rc = WAVES_NOT_DRAWN;
    if (rc == DB_OK)
        rc = beneficiaries_expire_wave(d, w.id, cli_now(), "cli", &count, &returned);
    if (rc == DB_OK)
        printf("wave %d: %lld cards gave back Rp%lld to the state\n", n, (long long)count,
               (long long)returned);
    else
        store_fail("wave expire", d, rc == DB_ENOTFOUND ? WAVES_NOT_FOUND : rc);
    db_close(d);
    return rc == DB_OK ? 0 : 1;
}

int cli_wave(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"create", cmd_create}, {"list", cmd_list}, {"show", cmd_show},
                {"open", cmd_open},     {"close", cmd_close}, {"draw", cmd_draw},
                {"audit", cmd_audit}, {"expire", cmd_expire}};
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        printf("Usage: prakerja wave create|list|show|open|close|draw|audit|expire ...\n\n"
               "  create   a wave with its quotas and seed commitment\n"
               "  list     every wave\n"
               "  show N   one wave\n"
               "  open N   open a scheduled wave now\n"
               "  close N  close an open wave now (eligibility checked again)\n"
               "  draw N   run the selection draw with the committed seed\n"
               "  audit N  write the draw's audit file\n"
               "  expire N return the unspent balances of wave N's cards to the state\n\n"
               "Each takes --help. Waves also open and close by the clock (`prakerja serve`).\n");
        return argc < 2 ? CLI_EXIT_USAGE : 0;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(argv[1], cmds[i].name) == 0)
            return cmds[i].fn(argc - 1, argv + 1);
    return cli_usage_error("wave", "unknown subcommand", argv[1]);
}

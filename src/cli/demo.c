/*
 * demo: `prakerja demo`, a demo program full of synthetic participants.
 *
 * Weighting: participants are spread over the 514 regencies roughly by
 * population. The province shares come from BPS mid-2023 population estimates
 * (thousands, table below; the six Papua provinces from their 2023 split); within
 * a province each regency gets a share proportional to its number of districts,
 * a rough proxy since idn-area-data carries no population. District and village
 * are then drawn uniformly within the regency, so the village (domicile) and the
 * NIK's district agree.
 *
 * Every row is a function of its ordinal (a splitmix64 stream seeded with it), so
 * a second run regenerates the same people: they are found already registered
 * and skipped, which makes the command idempotent; it only tops up to N. Rows go
 * through the same bulk path as `import accounts` (validated, encrypted,
 * duplicate-checked), marked synthetic=1, emails under demo.prakerja.invalid.
 * The first ordinals take one regency each, so every regency has someone.
 * NIK serials 0001..9998 are used for them; 9999 is kept for the demo login.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/account.h"
#include "store/accounts.h"
#include "util/progress.h"

#define DEMO_DEFAULT 30000
#define DEMO_MAX 10000000

static const struct { int code; int thousands; } province_pop[] = {
    {11, 5482},  {12, 15387}, {13, 5758}, {14, 6728}, {15, 3680},  {16, 8744}, {17, 2086},
    {18, 9314},  {19, 1531},  {21, 2152}, {31, 10672}, {32, 49860}, {33, 37541}, {34, 3737},
    {35, 41416}, {36, 12308}, {51, 4433}, {52, 5560}, {53, 5569},  {61, 5623}, {62, 2741},
    {63, 4223},  {64, 3944},  {65, 740},  {71, 2660}, {72, 3122},  {73, 9363}, {74, 2749},
    {75, 1199},  {76, 1470},  {81, 1881}, {82, 1342}, {91, 1059},  {92, 563},  {93, 527},
    {94, 1451},  {95, 1453},  {96, 616},
};

static const char *const first_f[] = {"Siti", "Nur", "Dewi", "Sri", "Ayu", "Putri", "Rina",
                                      "Wulan", "Indah", "Fitri", "Lestari", "Ani", "Yuli",
                                      "Ratna", "Nurul", "Mega"};
static const char *const first_m[] = {"Budi", "Agus", "Ahmad", "Muhammad", "Rudi", "Eko", "Joko",
                                      "Andi", "Hendra", "Dedi", "Rizky", "Fajar", "Bambang",
                                      "Yusuf", "Arif", "Dimas"};
static const char *const last[] = {"Santoso", "Wijaya", "Saputra", "Hidayat", "Nugroho",
                                   "Lestari", "Pratama", "Siregar", "Nasution", "Kurniawan",
                                   "Setiawan", "Rahmawati", "Susanti", "Hasibuan", "Simanjuntak",
                                   "Wibowo", "Sulistyo", "Purnomo", "Harahap", "Manurung"};
static const char *const educations[] = {"sd", "smp", "sma", "sma", "smk", "smk", "diploma",
                                         "s1", "s1", "none"};
static const char *const occupations[] = {"unemployed", "unemployed", "unemployed", "laid_off",
                                          "informal_worker", "informal_worker", "farmer_fisher",
                                          "entrepreneur", "employee", "homemaker", "other"};

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct demo {
    long want, have;
    const int64_t *reg, *dis, *vil;
    int nreg, ndis, nvil;
    double *cum;                     /* cumulative regency weights */
    int *dis_lo, *dis_hi;            /* per regency: district index range */
    struct nik_date today;
    long added;
};

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static long pick(uint64_t *s, long n)
{
    return (long)(splitmix(s) % (uint64_t)n);
}

/* Index range [lo, hi) of sorted codes whose prefix (code / div) equals key. */
static void range_of(const int64_t *c, int n, int64_t key, int64_t div, int *lo, int *hi)
{
    int a = 0, b = n;
    while (a < b) {
        int m = (a + b) / 2;
        if (c[m] / div < key)
            a = m + 1;
        else
            b = m;
    }
    *lo = a;
    while (a < n && c[a] / div == key)
        a++;
    *hi = a;
}

static int setup(struct demo *dm, struct bulk *b)
{
    double total = 0;
    dm->reg = bulk_codes(b, 2, &dm->nreg);
    dm->dis = bulk_codes(b, 3, &dm->ndis);
    dm->vil = bulk_codes(b, 4, &dm->nvil);
    if (dm->nreg == 0 || dm->ndis == 0 || dm->nvil == 0)
        return -1;
    dm->cum = calloc((size_t)dm->nreg, sizeof *dm->cum);
    dm->dis_lo = calloc((size_t)dm->nreg, sizeof(int));
    dm->dis_hi = calloc((size_t)dm->nreg, sizeof(int));
    if (!dm->cum || !dm->dis_lo || !dm->dis_hi)
        return -1;
    for (int p = 0; p < NELEM(province_pop); p++) {
        int lo, hi, ndist = 0;
        range_of(dm->reg, dm->nreg, province_pop[p].code, 100, &lo, &hi);
        for (int r = lo; r < hi; r++) {
            range_of(dm->dis, dm->ndis, dm->reg[r], 100, &dm->dis_lo[r], &dm->dis_hi[r]);
            ndist += dm->dis_hi[r] - dm->dis_lo[r];
        }
        for (int r = lo; r < hi && ndist > 0; r++)
            dm->cum[r] = (double)province_pop[p].thousands * (dm->dis_hi[r] - dm->dis_lo[r]) /
                         ndist;
    }
    for (int r = 0; r < dm->nreg; r++) {
        total += dm->cum[r];
        dm->cum[r] = total;
    }
    return total > 0 ? 0 : -1;
}

/* One synthetic person from ordinal i. */
static int make_row(struct demo *dm, long i, struct bulk *b)
{
    uint64_t s = 0x5eed0000ULL ^ (uint64_t)i * 0x2545f4914f6cdd1dULL;
    char email[64], name[96], nik[40], kk[40], phone[32], village[32], birth[24], sex[2];
    double x = (double)(splitmix(&s) >> 11) / 9007199254740992.0 * dm->cum[dm->nreg - 1];
    int r = 0, lo = 0, hi = dm->nreg - 1, vlo, vhi, female, dd;
    int64_t dist, vil;
    struct nik_date bd;
    struct bulk_input in;

    while (lo < hi) {
        int m = (lo + hi) / 2;
        if (dm->cum[m] < x)
            lo = m + 1;
        else
            hi = m;
    }
    r = lo;
    if (i <= dm->nreg)
        r = (int)(i - 1);               /* the first 514 cover every regency once */
    if (dm->dis_hi[r] <= dm->dis_lo[r])
        return 0;
    dist = dm->dis[dm->dis_lo[r] + pick(&s, dm->dis_hi[r] - dm->dis_lo[r])];
    range_of(dm->vil, dm->nvil, dist, 10000, &vlo, &vhi);
    if (vhi <= vlo)
        return 0;
    vil = dm->vil[vlo + pick(&s, vhi - vlo)];

    /* a birth date between 18 years and 64 years 364 days ago, so ages are 18..64 */
    for (;;) {
        bd.year = dm->today.year - 65 + (int)pick(&s, 48);
        bd.month = 1 + (int)pick(&s, 12);
        bd.day = 1 + (int)pick(&s, 31);
        if (nik_date_valid(bd) && nik_age_on(bd, dm->today) >= 18 &&
            nik_age_on(bd, dm->today) <= 64)
            break;
    }
    female = (int)pick(&s, 2);
    dd = bd.day + (female ? 40 : 0);
    snprintf(nik, sizeof nik, "%06lld%02d%02d%02d%04ld", (long long)(dist % 1000000),
             dd % 100, bd.month % 100, bd.year % 100, 1 + (i % 9998));
    snprintf(kk, sizeof kk, "%06lld%06u%04u", (long long)(dist % 1000000),
             (unsigned)(splitmix(&s) % 1000000u), 1 + (unsigned)(splitmix(&s) % 9999u));
    snprintf(birth, sizeof birth, "%04d-%02d-%02d", bd.year % 10000, bd.month % 100,
             bd.day % 100);
    sex[0] = female ? 'F' : 'M';
    sex[1] = '\0';
    snprintf(email, sizeof email, "demo.%07ld@demo.prakerja.invalid", i);
    snprintf(phone, sizeof phone, "0899%08ld", i % 100000000);
    snprintf(village, sizeof village, "%02d.%02d.%02d.%04d", (int)(vil / 100000000 % 100),
             (int)(vil / 1000000 % 100), (int)(vil / 10000 % 100), (int)(vil % 10000));
    snprintf(name, sizeof name, "%s %s",
             female ? first_f[pick(&s, NELEM(first_f))] : first_m[pick(&s, NELEM(first_m))],
             last[pick(&s, NELEM(last))]);
    in = (struct bulk_input){email, name, nik, kk, birth, sex, phone, village,
                             educations[pick(&s, NELEM(educations))],
                             occupations[pick(&s, NELEM(occupations))]};
    return bulk_add(b, i, &in, 1, 1);
}

static int produce(struct bulk *b, void *ctx)
{
    struct demo *dm = ctx;
    long need = dm->want - dm->have, limit = dm->want * 2 + 1000;
    for (long i = 1; dm->added < need && i <= limit; i++) {
        int rc = make_row(dm, i, b);
        if (rc < 0)
            return -1;
        dm->added += rc;
    }
    return 0;
}

/* The demo login: a verified participant in Jember with a known password. */
static int demo_login(db *d, const struct pii_keys *keys, const struct demo *dm)
{
    struct account_row row;
    struct account_new in;
    char hash[crypto_pwhash_STRBYTES], nik[40], kk[40], nik_enc[PII_CT_MAX], kk_enc[PII_CT_MAX];
    char nik_bidx[PII_BIDX_LEN + 1], kk_bidx[PII_BIDX_LEN + 1], village[32];
    int lo, hi, vlo, vhi, rc;
    int64_t id, now = cli_now(), dist, vil;

    rc = accounts_by_email(d, "demo@prakerja.id", &row);
    if (rc == DB_OK)
        return 1;
    if (rc != DB_ENOTFOUND)
        return -1;
    range_of(dm->dis, dm->ndis, 3509, 100, &lo, &hi);
    if (hi <= lo)
        range_of(dm->dis, dm->ndis, dm->dis[0] / 100, 100, &lo, &hi);
    dist = dm->dis[lo];
    range_of(dm->vil, dm->nvil, dist, 10000, &vlo, &vhi);
    if (vhi <= vlo)
        return -1;
    vil = dm->vil[vlo];
    snprintf(nik, sizeof nik, "%06lld4708959999", (long long)(dist % 1000000));
    snprintf(kk, sizeof kk, "%06lld0101089999", (long long)(dist % 1000000));
    snprintf(village, sizeof village, "%02d.%02d.%02d.%04d", (int)(vil / 100000000 % 100),
             (int)(vil / 1000000 % 100), (int)(vil / 10000 % 100), (int)(vil % 10000));
    pii_blind_index(keys, "nik", nik, nik_bidx);
    pii_blind_index(keys, "kk", kk, kk_bidx);
    if (pii_encrypt(keys, nik, nik_enc) < 0 || pii_encrypt(keys, kk, kk_enc) < 0)
        return -1;
    if (crypto_pwhash_str(hash, "prakerja-demo", 13, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return -1;
    memset(&in, 0, sizeof in);
    in.role = "participant";
    in.email = "demo@prakerja.id";
    in.phone = "+6281200009999";
    in.password_hash = hash;
    in.full_name = "Siti Nur'aini (demo)";
    in.nik_enc = nik_enc;
    in.nik_bidx = nik_bidx;
    in.kk_enc = kk_enc;
    in.kk_bidx = kk_bidx;
    in.birth_date = "1995-08-07";
    in.sex = 'F';
    in.village_code = village;
    in.regency_code = "35.09";
    in.education = "sma";
    in.occupation = "unemployed";
    in.synthetic = 1;
    in.created_at = now;
    {
        char reg[8];
        snprintf(reg, sizeof reg, "%02d.%02d", (int)(dist / 10000 % 100), (int)(dist / 100 % 100));
        in.regency_code = reg;
        rc = accounts_insert(d, &in, &id, NULL);
    }
    if (rc != DB_OK || accounts_set_verified(d, id, "email", now) != DB_OK ||
        accounts_set_verified(d, id, "phone", now) != DB_OK) {
        fprintf(stderr, "prakerja demo: cannot create demo@prakerja.id: %s\n", db_errmsg(d));
        return -1;
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "Usage: prakerja demo [--db PATH] [--participants N] [--key FILE]\n\n"
               "Fills the database with N synthetic participants (default %d) spread over\n"
               "the 514 regencies roughly by population, plus a demo participant and an\n"
               "admin with known passwords. Running it again adds nothing already there.\n\n"
               "  --db PATH           database (default $PRAKERJA_DB or %s)\n"
               "  --participants N    how many synthetic participants in total\n"
               "  --key FILE          PII key file (default the database path + .key)\n",
               DEMO_DEFAULT, CLI_DEFAULT_DB);
}

int cli_demo(int argc, char **argv)
{
    const char *db_opt = NULL, *n_s = NULL, *key_opt = NULL;
    const struct cli_opt opts[] = {
        {"db", &db_opt, NULL}, {"participants", &n_s, NULL}, {"key", &key_opt, NULL},
        {NULL, NULL, NULL},
    };
    char *pos[1], keyp[4096], err[256];
    int npos, help, rc;
    long want = DEMO_DEFAULT;
    int64_t have = 0;
    const char *path;
    struct pii_keys keys;
    struct demo dm;
    struct bulk *b = NULL;
    struct bulk_stats st;
    time_t t = time(NULL);
    db *d = NULL;

    if ((rc = cli_parse("demo", argc, argv, opts, pos, 0, &npos, &help)) != 0)
        return rc;
    if (help) {
        usage(stdout);
        return 0;
    }
    if (n_s && cli_parse_long(n_s, 0, DEMO_MAX, &want) < 0)
        return cli_usage_error("demo", "--participants wants 0..10000000", n_s);
    path = cli_db_path(db_opt);
    if (cli_key_path(path, key_opt, keyp, sizeof keyp) < 0)
        return cli_usage_error("demo", "key path too long", NULL);
    memset(&dm, 0, sizeof dm);
    memset(&keys, 0, sizeof keys);
    rc = 1;
    if (cli_open(path, 1, &d) < 0)
        goto out;
    if (pii_key_load(keyp, &keys, err, sizeof err) < 0) {
        fprintf(stderr, "prakerja demo: key file %s: %s\n", keyp, err);
        goto out;
    }
    if (db_one_int(d, "SELECT COUNT(*) FROM accounts WHERE synthetic = 1 AND email LIKE "
                      "'%@demo.prakerja.invalid'", NULL, 0, &have) != DB_OK) {
        fprintf(stderr, "prakerja demo: %s\n", db_errmsg(d));
        goto out;
    }
    bulk_tune(d);
    if (bulk_open(&b, d, &keys) < 0)
        goto out;
    dm.today = nik_date_wib((int64_t)t);
    dm.want = want;
    dm.have = have;
    if (setup(&dm, b) < 0) {
        fprintf(stderr, "prakerja demo: the regions are missing; run `prakerja db init`\n");
        goto out;
    }
    if (have < want) {
        bulk_progress(b, "demo", want - have);
        if (bulk_run(b, produce, &dm, &st) < 0)
            goto out;
        printf("synthetic participants: added %ld, now %lld\n", st.imported,
               (long long)have + st.imported);
    } else {
        printf("synthetic participants: %lld already there, none added\n", (long long)have);
    }
    switch (demo_login(d, &keys, &dm)) {
    case 0: printf("created demo participant\n"); break;
    case 1: break;
    default: goto out;
    }
    switch (cli_staff_insert(d, "admin@prakerja.id", "Admin Demo", "admin", NULL,
                             "prakerja-admin", NULL)) {
    case 0: printf("created demo admin\n"); break;
    case 1: break;
    default: goto out;
    }
    printf("\nDemo logins:\n  participant  demo@prakerja.id   / prakerja-demo\n"
           "  admin        admin@prakerja.id  / prakerja-admin\n");
    rc = 0;
out:
    sodium_memzero(&keys, sizeof keys);
    free(dm.cum);
    free(dm.dis_lo);
    free(dm.dis_hi);
    bulk_close(b);
    db_close(d);
    return rc;
}

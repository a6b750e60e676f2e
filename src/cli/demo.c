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
 *
 * Then the program is made live (issue 4): the synthetic people are verified and
 * nine in ten get a passed basic test; the civil-registry file of the database
 * (civreg_default_path) is written from their stored NIKs, names and birth dates,
 * one in 97 under another name so that the reason shows; an aid exclusion list
 * (demo-bansos-lain) takes one in 50 of them. Wave 1 (semi-bansos-2020, April
 * 2020) and wave 2 (normal-2023, March 2023) get applications from many of them
 * and are drawn at once with a seed made at that moment (printed; their
 * eligibility is checked at the draw, against each wave's own close date), and
 * wave 3 (normal-2023) opens now for a month for demo@prakerja.id, who takes the
 * test and applies through the web app. The waves are made once: when wave 1
 * exists, this part is skipped.
 *
 * Last the marketplace (issue 5), made once (skipped when a demo partner exists):
 * three digital platforms and twelve training providers (contacts under
 * demo.prakerja.invalid), 300 approved courses over every category and mode, the
 * offline and hybrid ones spread over the regencies, with their sessions (live
 * ones in the coming weeks), staff logins for a provider and a platform, and
 * purchases by the first 90 active synthetic beneficiaries, made through the
 * store as a platform makes them (a code, then the purchase, so every balance
 * moves with its ledger entry): most exchanged, redeemed, completed and rated.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/account.h"
#include "core/scheme.h"
#include "store/accounts.h"
#include "store/civreg.h"
#include "store/courses.h"
#include "store/drawkey.h"
#include "store/exclusions.h"
#include "store/partners.h"
#include "store/purchases.h"
#include "store/schemes.h"
#include "store/waves.h"
#include "util/progress.h"
#include "util/utc.h"

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

/* ---- the live program: verified people, tests, the registry, waves ---- */

#define SYNTHETIC "synthetic = 1 AND email LIKE '%@demo.prakerja.invalid'"

/* Verification and a passed basic test (nine in ten) for the synthetic people. */
static int demo_ready(db *d, int64_t now)
{
    db_val p = DB_INT(now);
    int rc = db_run(d, "UPDATE accounts SET email_verified_at = $1, phone_verified_at = $1 "
                       "WHERE " SYNTHETIC " AND email_verified_at IS NULL", &p, 1, NULL);
    db_val t[] = {DB_INT(now), DB_INT(now + 1800), DB_INT(now + 900)};
    if (rc == DB_OK)
        rc = db_run(d,
            "INSERT INTO test_attempts (public_id, account_id, scheme_id, day, question_ids, "
            "started_at, deadline_at, submitted_at, answers, correct, total, score, passed) "
            "SELECT 'demo-' || a.public_id, a.id, s.id, '2020-04-01', '0', $1, $2, $3, '', 17, "
            "20, 85, 1 FROM accounts a JOIN schemes s ON s.code = 'normal-2023' WHERE a."
            SYNTHETIC " AND a.id % 10 <> 3 AND NOT EXISTS (SELECT 1 FROM test_attempts t "
            "WHERE t.account_id = a.id)", t, 3, NULL);
    if (rc != DB_OK)
        fprintf(stderr, "prakerja demo: preparing the participants: %s\n", db_errmsg(d));
    return rc == DB_OK ? 0 : -1;
}

/* Writes the civil-registry file (path) and the aid list's CSV (aid_path) from the
 * stored NIKs of every synthetic account (the demo login included). */
static int demo_registry(db *d, const struct pii_keys *keys, const char *path,
                         const char *aid_path, long *people, long *aid)
{
    char tmp[4200], nik[32];
    db_rows *r = NULL;
    FILE *f = NULL, *a = NULL;
    int rc;

    *people = *aid = 0;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!(f = fopen(tmp, "w")) || !(a = fopen(aid_path, "w"))) {
        perror(f ? aid_path : tmp);
        if (f)
            fclose(f);
        return -1;
    }
    fprintf(f, "nik,full_name,birth_date\n");
    fprintf(a, "nik\n");
    rc = db_query(d, "SELECT id, nik_enc, full_name, birth_date, email FROM accounts WHERE "
                     "synthetic = 1 AND nik_enc IS NOT NULL ORDER BY id", NULL, 0, &r);
    while (rc == DB_OK && (rc = db_step(r)) == DB_ROW) {
        int64_t id = db_int(r, 0);
        int demo = strcmp(db_text(r, 4), "demo@prakerja.id") == 0;
        rc = DB_OK;
        if (pii_decrypt(keys, db_text(r, 1), nik, sizeof nik) != 0)
            continue;
        fprintf(f, "%s,\"%s%s\",%s\n", nik, db_text(r, 2),
                !demo && id % 97 == 5 ? " Binti Lain" : "", db_text(r, 3));
        if (!demo && id % 50 == 8) {
            fprintf(a, "%s\n", nik);
            ++*aid;
        }
        ++*people;
        rc = DB_OK;
    }
    rc = rc == DB_DONE ? DB_OK : rc;
    db_rows_free(r);
    sodium_memzero(nik, sizeof nik);
    if (fclose(a) != 0)
        rc = DB_ERR;
    if (fclose(f) != 0 || rc != DB_OK || rename(tmp, path) != 0) {
        fprintf(stderr, "prakerja demo: writing %s: %s\n", path,
                rc != DB_OK ? db_errmsg(d) : "write failed");
        remove(tmp);
        return -1;
    }
    return 0;
}

/* Creates wave number with a seed made now; the seed goes into seed[32]. */
static int demo_wave(db *d, int number, const char *scheme, int64_t opens, int64_t closes,
                     int64_t quota, int64_t floor, unsigned char seed[32], struct wave *w)
{
    struct wave_new in;
    memset(&in, 0, sizeof in);
    randombytes_buf(seed, 32);
    in.number = number;
    in.scheme = scheme;
    in.opens_at = opens;
    in.closes_at = closes;
    in.total_quota = quota;
    in.quota_mode = "proportional";
    in.quota_floor = floor;
    in.spill_rule = "regency_province_nation";
    drawkey_commitment(seed, 32, in.seed_commitment);
    in.actor = "demo";
    int rc = waves_create(d, &in, cli_now(), w);
    if (rc != DB_OK)
        fprintf(stderr, "prakerja demo: creating wave %d: %s\n", number,
                waves_code(rc) ? waves_code(rc) : db_errmsg(d));
    return rc == DB_OK ? 0 : -1;
}

struct pick {
    int64_t id;
    uint32_t tier;
    char regency[8];
};

/* Applications to w from the synthetic people with id % mod != skip who have no
 * open application and were never beneficiaries; the first one in `every`. */
static int demo_apply(db *d, const struct wave *w, int mod, int skip, long *n)
{
    static const char *const cols[] = {"public_id", "wave_id", "account_id", "regency_code",
                                       "tier", "status", "is_open", "created_at"};
    struct scheme s;
    struct pick *pk = NULL;
    size_t np = 0, cap = 0;
    db_rows *r = NULL;
    db_copy *cp = NULL;
    db_val p[] = {DB_INT(mod), DB_INT(skip)};
    int rc = schemes_by_id(d, w->scheme_id, &s);

    *n = 0;
    if (rc == DB_OK)
        rc = db_query(d, "SELECT a.id, a.occupation, a.regency_code FROM accounts a WHERE a."
                         SYNTHETIC " AND a.regency_code IS NOT NULL AND a.id % $1 <> $2 AND "
                         "a.email <> 'demo@prakerja.id' AND NOT EXISTS (SELECT 1 FROM "
                         "applications x WHERE x.account_id = a.id AND x.is_open = 1) AND NOT "
                         "EXISTS (SELECT 1 FROM beneficiaries b WHERE b.account_id = a.id)",
                      p, 2, &r);
    while (rc == DB_OK && (rc = db_step(r)) == DB_ROW) {
        rc = DB_OK;
        if (np == cap) {
            size_t nc = cap ? cap * 2 : 4096;
            struct pick *g = realloc(pk, nc * sizeof *g);
            if (!g) {
                rc = DB_ERR;
                break;
            }
            pk = g;
            cap = nc;
        }
        pk[np].id = db_int(r, 0);
        pk[np].tier = scheme_tier(&s, db_text(r, 1));
        snprintf(pk[np].regency, sizeof pk[np].regency, "%s", db_text(r, 2));
        np++;
    }
    db_rows_free(r);
    if (rc == DB_DONE)
        rc = db_copy_begin(d, "applications", cols, 8, &cp);
    for (size_t i = 0; rc == DB_OK && i < np; i++) {
        char pid[ACCOUNTS_PUBLIC_ID_LEN + 1];
        accounts_new_public_id(pid);
        db_val v[] = {DB_TEXT(pid), DB_INT(w->id), DB_INT(pk[i].id), DB_TEXT(pk[i].regency),
                      DB_INT(pk[i].tier), DB_TEXT("submitted"), DB_INT(1),
                      DB_INT(w->opens_at + (int64_t)(i % 86400))};
        rc = db_copy_row(cp, v);
    }
    if (cp) {
        int erc = db_copy_end(cp, rc == DB_OK, NULL);
        if (rc == DB_OK)
            rc = erc;
    }
    free(pk);
    if (rc != DB_OK) {
        fprintf(stderr, "prakerja demo: applications to wave %d: %s\n", w->number,
                db_errmsg(d));
        return -1;
    }
    *n = (long)np;
    return 0;
}

static int demo_draw(db *d, const struct elig_env *env, const struct wave *w,
                     const unsigned char seed[32], long applied)
{
    struct waves_draw_stats st;
    struct wave out;
    struct progress_stages bar;
    char hex[65];

    progress_stages_init(&bar, "demo draw: ");
    int rc = waves_draw(d, env, w->number, seed, 32, cli_now(), "demo", progress_stage, &bar,
                        &st, &out);
    progress_stages_finish(&bar);
    if (rc != DB_OK) {
        fprintf(stderr, "prakerja demo: the draw of wave %d: %s\n", w->number,
                waves_code(rc) ? waves_code(rc) : db_errmsg(d));
        return -1;
    }
    sodium_bin2hex(hex, sizeof hex, seed, 32);
    printf("wave %d (%s): %ld applications, %lld eligible, %lld of %lld seats filled; seed %s\n",
           w->number, w->scheme, applied, (long long)st.eligible, (long long)st.selected,
           (long long)st.seats, hex);
    return 0;
}

/* 2020-04-11T00:00:00+07:00 and the like, as Unix seconds. */
static int64_t wib(const char *iso)
{
    int64_t t = 0;
    utc_parse(iso, &t);
    return t;
}

static int demo_program(db *d, const char *path, const struct pii_keys *keys, long people)
{
    char civp[4096], aidp[4200], err[512];
    struct civreg *cr = NULL;
    struct elig_env env = {keys, NULL};
    struct exclusions_import_opts xo;
    struct exclusions_import_stats xs;
    struct wave w;
    unsigned char seed[32];
    long n, nreg = 0, naid = 0;
    int64_t now = cli_now();
    int rc = -1;

    if (waves_get(d, 1, now, &w) == DB_OK) {
        printf("waves: already there, none added\n");
        return 0;
    }
    if (demo_ready(d, now) < 0)
        return -1;
    if (civreg_default_path(path, civp, sizeof civp) != 0) {
        fprintf(stderr, "prakerja demo: no civil-registry file for this database (set "
                        "PRAKERJA_CIVREG): the waves are not made\n");
        return 0;
    }
    snprintf(aidp, sizeof aidp, "%s.aid.csv", civp);
    if (demo_registry(d, keys, civp, aidp, &nreg, &naid) < 0)
        goto out;
    memset(&xo, 0, sizeof xo);
    xo.code = "demo-bansos-lain";
    xo.name = "Penerima bantuan sosial lain (demo)";
    xo.aid = 1;
    xo.now = now;
    if (exclusions_import(d, keys, aidp, &xo, &xs, err, sizeof err) != DB_OK) {
        fprintf(stderr, "prakerja demo: the aid list: %s\n", err[0] ? err : db_errmsg(d));
        goto out;
    }
    printf("civil registry: %ld people in %s; aid list: %ld\n", nreg, civp, naid);
    if (civreg_csv_open(civp, keys, &cr, err, sizeof err) != 0) {
        fprintf(stderr, "prakerja demo: civil registry %s: %s\n", civp, err);
        goto out;
    }
    env.civreg = cr;
    /* Wave 1: the first semi-bansos wave, April 2020, for half of the people. */
    if (demo_wave(d, 1, "semi-bansos-2020", wib("2020-04-11T00:00:00+07:00"),
                  wib("2020-04-16T00:00:00+07:00"), people / 8 + 600, 1, seed, &w) < 0 ||
        demo_apply(d, &w, 2, 1, &n) < 0 || demo_draw(d, &env, &w, seed, n) < 0)
        goto out;
    /* Wave 2: the first normal wave, March 2023, for those not yet selected. */
    if (demo_wave(d, 2, "normal-2023", wib("2023-03-20T00:00:00+07:00"),
                  wib("2023-03-31T00:00:00+07:00"), people / 10 + 600, 1, seed, &w) < 0 ||
        demo_apply(d, &w, 3, 0, &n) < 0 || demo_draw(d, &env, &w, seed, n) < 0)
        goto out;
    /* Wave 3: open now for a month; its seed is printed once, for the demo's draw. */
    if (demo_wave(d, 3, "normal-2023", now, now + 30 * 86400, people / 10 + 600, 1, seed, &w) < 0)
        goto out;
    sodium_bin2hex(err, 65, seed, 32);
    printf("wave 3 (normal-2023): open until %s for demo@prakerja.id; its seed (keep it for "
           "`prakerja wave draw 3 --seed ...`): %.64s\n", "a month from now", err);
    rc = 0;
out:
    sodium_memzero(seed, sizeof seed);
    civreg_close(cr);
    remove(aidp);
    return rc;
}

/* ---- the marketplace (issue 5): partners, courses, purchases ---- */

#define DEMO_COURSES 300
#define DEMO_BUYERS 90
#define DEMO_OTP "246810"

static const char *const demo_platforms[] = {"Toko Belajar (demo)", "Pasar Kursus (demo)",
                                             "Kelas Kerja (demo)"};
static const char *const demo_providers[] = {
    "Lembaga Pelatihan Maju Bersama (demo)", "Akademi Digital Nusantara (demo)",
    "Balai Kursus Terampil (demo)", "Sekolah Wirausaha Rakyat (demo)",
    "Pusat Pelatihan Kuliner Jawa (demo)", "Institut Bahasa Merdeka (demo)",
    "Rumah Kreatif Indonesia (demo)", "LPK Teknik Mandiri (demo)",
    "Kampus Keuangan Keluarga (demo)", "Pelatihan Agro Lestari (demo)",
    "Sentra Logistik Cerdas (demo)", "Salon Akademi Cantik (demo)"};
static const struct { const char *category, *titles[3]; } demo_topics[] = {
    {"sales_marketing", {"Pemasaran Digital untuk UMKM", "Teknik Penjualan Online",
                         "Strategi Konten Media Sosial"}},
    {"digital_tech", {"Dasar Pemrograman Web", "Analisis Data dengan Spreadsheet",
                      "Desain Antarmuka Aplikasi"}},
    {"food_beverage", {"Usaha Katering Rumahan", "Barista Profesional",
                       "Pengolahan Kue dan Roti"}},
    {"hospitality_tourism", {"Pemandu Wisata Lokal", "Pelayanan Tamu Hotel",
                             "Pengelolaan Homestay"}},
    {"office_admin", {"Administrasi Perkantoran Modern", "Pengarsipan Digital",
                      "Sekretaris Profesional"}},
    {"finance", {"Pembukuan Usaha Kecil", "Perpajakan untuk UMKM",
                 "Perencanaan Keuangan Keluarga"}},
    {"creative_arts", {"Fotografi Produk", "Desain Grafis untuk Pemula",
                       "Videografi dengan Ponsel"}},
    {"agriculture_fishery", {"Budidaya Ikan Lele", "Hidroponik Skala Rumah",
                             "Pertanian Organik"}},
    {"manufacturing_engineering", {"Teknisi Listrik Rumah", "Perawatan Sepeda Motor",
                                   "Pengelasan Dasar"}},
    {"health_beauty", {"Tata Rias Pengantin", "Perawatan Lansia di Rumah",
                       "Pijat Refleksi"}},
    {"language", {"Bahasa Inggris untuk Kerja", "Bahasa Jepang Dasar",
                  "Bahasa Korea untuk Pekerja Migran"}},
    {"entrepreneurship", {"Memulai Usaha dari Nol", "Mengurus NIB dan Izin Usaha",
                          "Membangun Merek UMKM"}},
    {"education_training", {"Menjadi Tutor Daring", "Pendidikan Anak Usia Dini",
                            "Pelatih Keterampilan Kerja"}},
    {"logistics_transport", {"Manajemen Gudang", "Pengemudi Logistik Profesional",
                             "Pengiriman Barang E-commerce"}},
    {"other", {"Keterampilan Kerja Abad 21", "Komunikasi di Tempat Kerja",
               "Persiapan Wawancara Kerja"}},
};
static const char *const demo_variants[] = {"untuk Pemula", "Tingkat Lanjut", "Praktis",
                                            "Intensif", "Bersertifikat", "Kelas Malam"};

/* Partners of kind (platform or provider) with a contact under demo.prakerja.invalid;
 * ids into out. Returns 0 or -1 (printed). */
static int demo_partners(db *d, const char *kind, const char *const *names, int n,
                         int64_t *ids, char (*pids)[27], int64_t now)
{
    for (int i = 0; i < n; i++) {
        char email[64], tax[40];
        struct partner_new in;
        struct partner_clean c;
        struct partner p;
        struct field_error errs[PARTNERS_FIELDS];
        snprintf(email, sizeof email, "%s%d@demo.prakerja.invalid", kind, i + 1);
        snprintf(tax, sizeof tax, "0%d.%03d.555.%d-123.000", i % 10, (100 + i) % 1000, i % 10);
        in = (struct partner_new){kind, names[i], strcmp(kind, "provider") == 0 ? names[i] : NULL,
                                  strcmp(kind, "provider") == 0 ? tax : NULL, email,
                                  "0215550000"};
        if (partners_validate(&in, &c, errs, PARTNERS_FIELDS) != 0 ||
            partners_insert(d, &c, now, &p) != DB_OK) {
            fprintf(stderr, "prakerja demo: partner %s: %s\n", names[i],
                    errs[0].code ? errs[0].code : db_errmsg(d));
            return -1;
        }
        ids[i] = p.id;
        snprintf(pids[i], 27, "%s", p.public_id);
    }
    return 0;
}

struct demo_catalog {
    const int64_t *reg;              /* regency codes as digits (3509) */
    int nreg;
    const int64_t *providers;
    int nproviders, min_hours;
    int64_t now;
    long courses, sessions;
};

/* DEMO_COURSES approved courses with their sessions, in one transaction. */
static int demo_catalog_txn(db *d, void *vctx)
{
    struct demo_catalog *c = vctx;
    uint64_t s = 0xca7a1060ULL;
    int rc = DB_OK;

    c->courses = c->sessions = 0;
    for (int i = 0; i < DEMO_COURSES && rc == DB_OK; i++) {
        int t = (int)pick(&s, NELEM(demo_topics)), k = (int)pick(&s, 10);
        const char *mode = k < 5 ? "self_paced" : k < 7 ? "webinar" : k < 9 ? "offline" : "hybrid";
        int located = k >= 7, live = k >= 5;
        char title[160], desc[400], regency[8], address[96];
        struct course_fields f;
        struct course co;
        int64_t r = c->reg[i % c->nreg == 0 ? 0 : pick(&s, c->nreg)];

        snprintf(title, sizeof title, "%s %s", demo_topics[t].titles[pick(&s, 3)],
                 demo_variants[pick(&s, NELEM(demo_variants))]);
        snprintf(regency, sizeof regency, "%02d.%02d", (int)(r / 100 % 100), (int)(r % 100));
        snprintf(address, sizeof address, "Jl. Pahlawan No. %d, kode wilayah %s",
                 1 + (int)pick(&s, 200), regency);
        memset(&f, 0, sizeof f);
        f.title = title;
        f.category = demo_topics[t].category;
        f.level = pick(&s, 3) == 0 ? "high_skill" : "basic";
        f.purpose = pick(&s, 3) == 0 ? "reskilling" : pick(&s, 2) ? "upskilling" : "new_skill";
        f.mode = mode;
        f.hours = c->min_hours + 5 * (int)pick(&s, 8);
        f.price = 100000 + 50000 * (int64_t)pick(&s, 24);
        f.regency_code = located ? regency : NULL;
        f.address = located ? address : NULL;
        snprintf(desc, sizeof desc, "Pelatihan %s selama %d jam (%s). Peserta belajar langsung "
                 "dari praktisi dan mendapat sertifikat setelah lulus.", title, f.hours,
                 live ? "jadwal langsung" : "belajar mandiri");
        f.description = desc;
        rc = courses_insert(d, c->providers[i % c->nproviders], &f, "approved", c->now, &co);
        if (rc != DB_OK)
            break;
        c->courses++;
        /* self-paced: one open session; live: three, a week apart, the first in 2..9 days */
        for (int j = 0; j < (live ? 3 : 1) && rc == DB_OK; j++) {
            int64_t at = live ? c->now + (2 + (int64_t)pick(&s, 8)) * 86400 + j * 7 * 86400 +
                                    (int64_t)(2 + pick(&s, 10)) * 3600
                              : 0;
            rc = courses_session_insert(d, co.id, at, live ? 30 + 10 * (int)pick(&s, 8) : 10000,
                                        c->now, NULL);
            c->sessions += rc == DB_OK;
        }
    }
    return rc;
}

/* The nth demo course of mode (by id) costing at most price into out: 1, or 0
 * when there is none. */
static int demo_course_under(db *d, const char *mode, int64_t price, int nth,
                             char out[COURSES_PUBLIC_ID_LEN + 1])
{
    db_val p[] = {DB_TEXT(mode), DB_INT(price), DB_INT(nth)};
    int rc = db_one_text(d, "SELECT c.public_id FROM courses c JOIN partners p ON p.id = "
                            "c.provider_id WHERE c.status = 'approved' AND c.mode = $1 AND "
                            "c.price <= $2 AND p.contact_email LIKE '%@demo.prakerja.invalid' "
                            "ORDER BY c.id LIMIT 1 OFFSET $3", p, 3, out,
                         COURSES_PUBLIC_ID_LEN + 1);
    return rc == DB_OK;
}

/* The public id of provider id among the demo's; "" when it is not one. */
static const char *demo_pid_of(int64_t id, const int64_t *ids, char (*pids)[27], int n)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == id)
            return pids[i];
    return "";
}

/* Purchases by DEMO_BUYERS beneficiaries through the store, each as a platform
 * would make it (a code by SMS, then the purchase), all at now: one in five a live
 * session still to come, the others self-paced, exchanged and redeemed; of those
 * most completed and many rated. Returns 0 or -1 (printed). */
static int demo_purchases(db *d, const struct pii_keys *keys, const int64_t *platforms,
                          char (*platform_pids)[27], int nplatforms, const int64_t *providers,
                          char (*provider_pids)[27], int nproviders, int64_t now)
{
    char hash[PURCHASES_OTP_HASH_LEN + 1], key[40], account[40], actor[64];
    struct { int64_t id; char card[CARD_LEN + 1]; int64_t balance; } b[DEMO_BUYERS];
    int nb = 0, bought = 0, redeemed = 0, completed = 0, rated = 0, refused = 0;
    const char *why = NULL;
    db_rows *r = NULL;
    int rc;

    purchases_otp_hash(keys, DEMO_OTP, hash);
    {
        db_val lim = DB_INT(DEMO_BUYERS);
        /* active cards whose ledger account holds their balance */
        rc = db_query(d, "SELECT b.id, b.card_number, b.balance FROM beneficiaries b JOIN "
                         "accounts a ON a.id = b.account_id JOIN ledger_accounts l ON l.code = "
                         "'card:' || b.card_number AND l.balance = b.balance WHERE b.status = "
                         "'active' AND b.balance > 0 AND a." SYNTHETIC " ORDER BY b.id LIMIT $1",
                      &lim, 1, &r);
    }
    while (rc == DB_OK && (rc = db_step(r)) == DB_ROW) {
        b[nb].id = db_int(r, 0);
        snprintf(b[nb].card, sizeof b[nb].card, "%s", db_text(r, 1));
        b[nb].balance = db_int(r, 2);
        nb++;
        rc = DB_OK;
    }
    db_rows_free(r);
    if (rc != DB_DONE && rc != DB_OK) {
        fprintf(stderr, "prakerja demo: the buyers: %s\n", db_errmsg(d));
        return -1;
    }
    for (int i = 0; i < nb; i++) {
        int pl = i % nplatforms;
        char course[COURSES_PUBLIC_ID_LEN + 1];
        struct purchase p, x;
        struct purchase_req in;
        struct redeem_code codes[PURCHASES_MAX_CODES], used;
        int ncodes = 0;
        int live = i % 5 == 4;
        int64_t t = now;

        char session[COURSES_PUBLIC_ID_LEN + 1] = "";
        if (!demo_course_under(d, live ? "webinar" : "self_paced", b[i].balance, i % 30, course) &&
            !demo_course_under(d, live ? "webinar" : "self_paced", b[i].balance, 0, course))
            continue;
        if (live) {                          /* its first session */
            db_val k = DB_TEXT(course);
            if (db_one_text(d, "SELECT s.public_id FROM course_sessions s JOIN courses c ON "
                               "c.id = s.course_id WHERE c.public_id = $1 ORDER BY s.starts_at "
                               "LIMIT 1", &k, 1, session, sizeof session) != DB_OK)
                continue;
        }
        snprintf(actor, sizeof actor, "partner:%s", platform_pids[pl]);
        snprintf(account, sizeof account, "demo-user-%d", i + 1);
        rc = purchases_otp_issue(d, platforms[pl], b[i].card, account, hash,
                                 "Prakerja: Kode pembelian pelatihan Anda (demo): " DEMO_OTP ".",
                                 actor, t, NULL);
        snprintf(key, sizeof key, "demo-%s", b[i].card);
        in = (struct purchase_req){.platform_id = platforms[pl],
                                   .platform_public_id = platform_pids[pl], .card_number = b[i].card,
                                   .course_public_id = course,
                                   .session_public_id = live ? session : NULL, .otp_hash = hash,
                                   .platform_account = account, .idempotency_key = key,
                                   .request_hash = key, .actor = actor, .now = t};
        if (rc == DB_OK)
            rc = purchases_buy(d, &in, &p, NULL);
        if (rc > 0) {                        /* a refusal (e.g. an unfinished training) */
            refused++;
            why = why ? why : purchases_code(rc);
            continue;
        }
        if (rc != DB_OK)
            break;
        bought++;
        if (live)                            /* the session is still to come */
            continue;
        snprintf(actor, sizeof actor, "partner:%s",
                 demo_pid_of(p.provider_id, providers, provider_pids, nproviders));
        rc = purchases_exchange(d, p.provider_id, p.voucher_code, actor, t, &x, codes, &ncodes);
        if (rc == DB_OK && ncodes > 0)
            rc = purchases_redeem(d, p.provider_id, codes[0].code, p.mode, actor, t, &x, &used);
        if (rc != DB_OK)
            break;
        redeemed++;
        if (i % 5 == 3)                      /* still learning */
            continue;
        {
            char cert[32], on[16];
            struct nik_date day = nik_date_wib(t);
            struct completion_in done = {60 + (i * 7) % 41, cert, on};
            snprintf(cert, sizeof cert, "DEMO/%04d/%05d", day.year % 10000, i + 1);
            snprintf(on, sizeof on, "%04d-%02d-%02d", day.year % 10000, day.month % 100,
                     day.day % 100);
            rc = purchases_complete(d, p.provider_id, p.public_id, &done, actor, t, &x);
        }
        if (rc != DB_OK)
            break;
        completed++;
        if (i % 3 == 2)                      /* not rated yet: no incentive yet */
            continue;
        rc = purchases_rate(d, p.account_id, p.public_id, 3 + i % 3,
                            i % 2 ? "Materinya jelas dan langsung bisa dipraktikkan."
                                  : "Pengajarnya sabar, tugasnya bermanfaat untuk usaha saya.",
                            t, NULL);
        if (rc != DB_OK)
            break;
        rated++;
    }
    if (rc != DB_OK && rc <= 0) {
        fprintf(stderr, "prakerja demo: purchases: %s\n",
                purchases_code(rc) ? purchases_code(rc) : db_errmsg(d));
        return -1;
    }
    printf("purchases: %d bought by demo beneficiaries (%d refused%s%s), %d redeemed, "
           "%d completed, %d rated\n", bought, refused, why ? ", first: " : "", why ? why : "",
           redeemed, completed, rated);
    if (nb == 0)
        printf("purchases: no card has a funded ledger account, so none were made\n");
    return 0;
}

struct demo_staff_ctx {
    int64_t partner_id, account_id;
};

static int demo_staff_txn(db *d, void *vctx)
{
    struct demo_staff_ctx *c = vctx;
    return partners_attach_account(d, c->account_id, c->partner_id);
}

/* The marketplace, made once: when a demo partner exists it is skipped. */
static int demo_market(db *d, const struct pii_keys *keys, const struct demo *dm)
{
    int64_t platforms[NELEM(demo_platforms)], providers[NELEM(demo_providers)], have = 0;
    char platform_pids[NELEM(demo_platforms)][27], provider_pids[NELEM(demo_providers)][27];
    struct demo_catalog cat;
    int64_t now = cli_now();
    int min_hours = 0;

    if (db_one_int(d, "SELECT COUNT(*) FROM partners WHERE contact_email LIKE "
                      "'%@demo.prakerja.invalid'", NULL, 0, &have) != DB_OK) {
        fprintf(stderr, "prakerja demo: %s\n", db_errmsg(d));
        return -1;
    }
    if (have > 0) {
        printf("marketplace: already there, none added\n");
        return 0;
    }
    if (courses_min_hours(d, &min_hours) != DB_OK || min_hours < 1)
        min_hours = 15;
    if (demo_partners(d, "platform", demo_platforms, NELEM(demo_platforms), platforms,
                      platform_pids, now) < 0 ||
        demo_partners(d, "provider", demo_providers, NELEM(demo_providers), providers,
                      provider_pids, now) < 0)
        return -1;
    cat = (struct demo_catalog){dm->reg, dm->nreg, providers, NELEM(demo_providers), min_hours,
                                now, 0, 0};
    if (db_txn(d, demo_catalog_txn, &cat) != DB_OK) {
        fprintf(stderr, "prakerja demo: the courses: %s\n", db_errmsg(d));
        return -1;
    }
    printf("marketplace: %d platforms, %d providers, %ld approved courses with %ld sessions\n",
           NELEM(demo_platforms), NELEM(demo_providers), cat.courses, cat.sessions);
    /* staff logins for the provider and platform pages */
    {
        static const struct { const char *email, *name, *role, *password; int provider; } staff[] = {
            {"provider@prakerja.id", "Staf Lembaga (demo)", "provider", "prakerja-provider", 1},
            {"platform@prakerja.id", "Staf Platform (demo)", "platform", "prakerja-platform", 0},
        };
        for (int i = 0; i < NELEM(staff); i++) {
            struct demo_staff_ctx sc = {staff[i].provider ? providers[0] : platforms[0], 0};
            int rc = cli_staff_insert(d, staff[i].email, staff[i].name, staff[i].role, NULL,
                                      staff[i].password, &sc.account_id);
            if (rc < 0)
                return -1;
            if (rc == 0 && db_txn(d, demo_staff_txn, &sc) != DB_OK) {
                fprintf(stderr, "prakerja demo: %s: %s\n", staff[i].email, db_errmsg(d));
                return -1;
            }
        }
    }
    return demo_purchases(d, keys, platforms, platform_pids, NELEM(demo_platforms), providers,
                          provider_pids, NELEM(demo_providers), now);
}

static void usage(FILE *f)
{
    fprintf(f, "Usage: prakerja demo [--db PATH] [--participants N] [--key FILE]\n\n"
               "Fills the database with N synthetic participants (default %d) spread over\n"
               "the 514 regencies roughly by population, plus a demo participant and an\n"
               "admin with known passwords. Running it again adds nothing already there.\n"
               "Then makes the program live: the people verified, most with a passed basic\n"
               "test, the civil-registry file (the database path + .civreg.csv, or\n"
               "$PRAKERJA_CIVREG), an aid exclusion list, waves 1 (2020) and 2 (2023) applied\n"
               "to and drawn, and wave 3 open for a month for the demo participant.\n"
               "Last the marketplace: platforms, training providers, 300 approved courses\n"
               "with their sessions, provider and platform staff logins, and purchases by\n"
               "some of the beneficiaries through completion and rating.\n\n"
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
    {
        int64_t people = 0;
        if (db_one_int(d, "SELECT COUNT(*) FROM accounts WHERE " SYNTHETIC, NULL, 0, &people) !=
                DB_OK ||
            demo_program(d, path, &keys, (long)people) < 0)
            goto out;
    }
    if (demo_market(d, &keys, &dm) < 0)
        goto out;
    printf("\nDemo logins:\n  participant  demo@prakerja.id   / prakerja-demo\n"
           "  admin        admin@prakerja.id  / prakerja-admin\n"
           "  provider     provider@prakerja.id / prakerja-provider\n"
           "  platform     platform@prakerja.id / prakerja-platform\n");
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

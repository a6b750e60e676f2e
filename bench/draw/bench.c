/*
 * bench/draw: times the selection draw of src/core/draw.c on N synthetic
 * applications over the regencies of REGIONS_DIR/regencies.csv (heavy-tailed
 * sizes, 10% in priority tier 0) with regency quotas totalling SEATS, then the
 * same regency-stage selection as one SQL statement on SQLite over the same rows,
 * and checks both select the same applications. Prints one "key: value" per line.
 * Usage: bench N SEATS REGIONS_DIR SQLITE_FILE
 */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/draw.h"
#include "store/drawkey.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t st = 42;
static uint64_t rnd(void)
{
    uint64_t z = (st += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static double unit(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench: %s: %s\n", what, db ? sqlite3_errmsg(db) : "failed");
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 5 || sodium_init() < 0) {
        fprintf(stderr, "usage: bench N SEATS REGIONS_DIR SQLITE_FILE\n");
        return 2;
    }
    size_t n = strtoul(argv[1], NULL, 10);
    uint64_t seats = strtoull(argv[2], NULL, 10);
    char path[4096], line[512];
    snprintf(path, sizeof path, "%s/regencies.csv", argv[3]);
    FILE *f = fopen(path, "r");
    if (!f)
        die(NULL, path);
    static int code[1000];
    static uint32_t prov[1000], pcode_idx[100];
    uint32_t nr = 0, np = 0;
    memset(pcode_idx, 0xff, sizeof pcode_idx);
    fgets(line, sizeof line, f);
    while (fgets(line, sizeof line, f) && nr < 1000) {
        int a, b;
        if (sscanf(line, "%d.%d,", &a, &b) != 2)
            continue;
        if (pcode_idx[a] == UINT32_MAX)
            pcode_idx[a] = np++;
        code[nr] = a * 100 + b;
        prov[nr++] = pcode_idx[a];
    }
    fclose(f);

    /* population: heavy-tailed regency sizes; quotas in proportion to sqrt-ish weights */
    static double cum[1000];
    static uint64_t quota[1000];
    double tot = 0, qtot = 0;
    for (uint32_t r = 0; r < nr; r++) {
        double u = unit(), w = 1 + 80 * u * u * u * u;
        tot += w;
        cum[r] = tot;
        qtot += w;
    }
    uint64_t given = 0;
    for (uint32_t r = 0; r < nr; r++) {
        quota[r] = (uint64_t)((double)seats * (cum[r] - (r ? cum[r - 1] : 0)) / qtot);
        given += quota[r];
    }
    for (uint32_t r = 0; given < seats; r = (r + 1) % nr, given++)
        quota[r]++;

    struct draw_entry *e = malloc(n * sizeof *e);
    unsigned char *stage = malloc(n), seed[32];
    randombytes_buf(seed, sizeof seed);
    char id[32];
    for (size_t i = 0; i < n; i++) {
        double x = unit() * tot;
        uint32_t lo = 0, hi = nr - 1;
        while (lo < hi) {
            uint32_t mid = (lo + hi) / 2;
            if (cum[mid] < x)
                lo = mid + 1;
            else
                hi = mid;
        }
        e[i].regency = lo;
        e[i].province = prov[lo];
        e[i].tier = rnd() % 10 == 0 ? 0 : 1;
        e[i].row = (uint32_t)i;
    }
    double t0 = now();
    for (size_t i = 0; i < n; i++) {
        snprintf(id, sizeof id, "app-%09zu", i);
        drawkey_compute(seed, sizeof seed, id, e[i].key);
    }
    double t1 = now();
    struct draw_config cfg = {nr, quota, prov, np, DRAW_RULE_NATION};
    struct draw_stats s;
    double t2 = now();
    if (draw_run(e, n, &cfg, stage, &s) != DRAW_OK)
        die(NULL, "draw_run");
    double t3 = now();
    cfg.rule = DRAW_RULE_REGENCY;
    struct draw_stats sr;
    double t4 = now();
    if (draw_run(e, n, &cfg, stage, &sr) != DRAW_OK)
        die(NULL, "draw_run");
    double t5 = now();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    uint64_t ours_sum = 0, ours_cnt = 0;
    for (size_t i = 0; i < n; i++)
        if (stage[i]) {
            ours_cnt++;
            ours_sum += e[i].row;
        }
    printf("applications: %zu\nregencies: %u\nprovinces: %u\nseats: %llu\n", n, nr, np,
           (unsigned long long)seats);
    printf("selected_full_rule: %llu (regency %llu, province %llu, nation %llu)\n",
           (unsigned long long)(s.selected[1] + s.selected[2] + s.selected[3]),
           (unsigned long long)s.selected[1], (unsigned long long)s.selected[2],
           (unsigned long long)s.selected[3]);
    printf("ours_keys_s: %.3f\nours_draw_full_rule_s: %.3f\nours_draw_regency_only_s: %.3f\n"
           "ours_total_with_keys_s: %.3f\nours_peak_rss_mib: %.0f\n",
           t1 - t0, t3 - t2, t5 - t4, (t1 - t0) + (t3 - t2), ru.ru_maxrss / 1024.0);
    fflush(stdout);

    /* The same regency-stage selection in SQLite. */
    sqlite3 *db;
    sqlite3_stmt *ins;
    if (sqlite3_open(argv[4], &db) != SQLITE_OK)
        die(db, "open");
    sqlite3_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;"
                     "CREATE TABLE apps(id INTEGER PRIMARY KEY, regency INTEGER, tier INTEGER, key BLOB);"
                     "CREATE TABLE quotas(regency INTEGER PRIMARY KEY, quota INTEGER); BEGIN",
                 NULL, NULL, NULL);
    if (sqlite3_prepare_v2(db, "INSERT INTO quotas VALUES (?1, ?2)", -1, &ins, NULL) != SQLITE_OK)
        die(db, "prepare");
    for (uint32_t r = 0; r < nr; r++) {
        sqlite3_bind_int(ins, 1, code[r]);
        sqlite3_bind_int64(ins, 2, (sqlite3_int64)quota[r]);
        sqlite3_step(ins);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    if (sqlite3_prepare_v2(db, "INSERT INTO apps VALUES (?1, ?2, ?3, ?4)", -1, &ins, NULL) != SQLITE_OK)
        die(db, "prepare");
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(ins, 1, (sqlite3_int64)i);
        sqlite3_bind_int(ins, 2, code[e[i].regency]);
        sqlite3_bind_int(ins, 3, (int)e[i].tier);
        sqlite3_bind_blob(ins, 4, e[i].key, 32, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE)
            die(db, "insert");
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    free(e);
    double t6 = now();
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db,
            "SELECT count(*), sum(id) FROM ("
            " SELECT a.id, q.quota, ROW_NUMBER() OVER (PARTITION BY a.regency ORDER BY a.tier, a.key) AS rn"
            " FROM apps a JOIN quotas q ON q.regency = a.regency) WHERE rn <= quota",
            -1, &q, NULL) != SQLITE_OK || sqlite3_step(q) != SQLITE_ROW)
        die(db, "select");
    uint64_t sql_cnt = (uint64_t)sqlite3_column_int64(q, 0), sql_sum = (uint64_t)sqlite3_column_int64(q, 1);
    sqlite3_finalize(q);
    double t7 = now();
    sqlite3_close(db);
    printf("sqlite_window_regency_only_s: %.3f\n", t7 - t6);
    printf("same_selection: %s (ours %llu rows, sqlite %llu rows)\n",
           sql_cnt == ours_cnt && sql_sum == ours_sum ? "yes" : "NO",
           (unsigned long long)ours_cnt, (unsigned long long)sql_cnt);
    printf("ratio_sqlite_over_ours_regency_only: %.1f\nratio_sqlite_over_ours_full_rule: %.1f\n",
           (t7 - t6) / (t5 - t4), (t7 - t6) / (t3 - t2));
    return sql_cnt == ours_cnt && sql_sum == ours_sum ? 0 : 1;
}

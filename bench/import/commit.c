/*
 * commit: what one small write costs a database of a given page size, for the
 * page-size decision in docs/import.md. Runs N transactions on DB, each inserting
 * one registration-like row into accounts (its six indexes take one random entry
 * each), in WAL mode with synchronous=FULL as prakerja runs, and prints the mean
 * time per commit and the WAL bytes each appended (autocheckpoint off for the run).
 * Use a copy of a database filled by `prakerja import accounts` (e.g. 1M rows of
 * bench/import/gen.c), made once with each page size:
 *
 *   sqlite3 x.db "PRAGMA page_size=16384; PRAGMA journal_mode=WAL"  # before db init
 *   cc -O2 -o commit commit.c -lsqlite3 && ./commit copy-of-x.db 500
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void hex(char *o, int n)
{
    static const char a[] = "0123456789abcdef";
    for (int i = 0; i < n; i++)
        o[i] = a[random() % 16];
    o[n] = '\0';
}

int main(int argc, char **argv)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    char wal[4096];
    struct stat sb;
    double t0, t1;
    int n;

    if (argc != 3 || (n = atoi(argv[2])) <= 0) {
        fprintf(stderr, "usage: commit DB N\n");
        return 2;
    }
    srandom((unsigned)time(NULL));
    if (sqlite3_open(argv[1], &h) != SQLITE_OK ||
        sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                        "PRAGMA wal_autocheckpoint=0; PRAGMA wal_checkpoint(TRUNCATE)",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h, "INSERT INTO accounts(public_id, email, phone, full_name, "
                              "nik_enc, nik_bidx, kk_enc, kk_bidx, birth_date, sex, "
                              "village_code, regency_code, education, occupation, created_at) "
                              "VALUES (?, ?, ?, 'Test Person', ?, ?, ?, ?, '1990-01-01', 'M', "
                              "'35.09.15.2001', '35.09', 'sma', 'unemployed', 1)",
                           -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "commit: %s\n", sqlite3_errmsg(h));
        return 1;
    }
    t0 = now();
    for (int i = 0; i < n; i++) {
        char pid[27], em[40], ph[24], ne[76], nb[33], ke[76], kb[33], x[16];
        hex(pid, 26);
        hex(x, 12);
        snprintf(em, sizeof em, "%s@example.id", x);
        hex(x, 10);
        snprintf(ph, sizeof ph, "+62%s", x);
        hex(ne, 75);
        hex(nb, 32);
        hex(ke, 75);
        hex(kb, 32);
        sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        sqlite3_bind_text(st, 1, pid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, em, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, ph, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, ne, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, nb, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, ke, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, kb, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "commit: %s\n", sqlite3_errmsg(h));
            return 1;
        }
        sqlite3_reset(st);
        if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            fprintf(stderr, "commit: %s\n", sqlite3_errmsg(h));
            return 1;
        }
    }
    t1 = now();
    snprintf(wal, sizeof wal, "%s-wal", argv[1]);
    if (stat(wal, &sb) != 0)
        sb.st_size = 0;
    printf("%.0f us/commit, %.0f KiB of WAL/commit\n", (t1 - t0) / n * 1e6,
           (double)sb.st_size / 1024.0 / n);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return 0;
}

/*
 * gen: writes N valid synthetic account rows as CSV (the header of `prakerja
 * import accounts`) to stdout, for bench/import/run. Deterministic (a fixed
 * xorshift seed): the same N gives the same file. Each row takes a village from
 * idn-area-data's villages.csv, so the NIK's district (its first six digits) and
 * the domicile both exist; birth dates give ages 20..59; women get DD+40; emails
 * and phones are unique by row number.
 *
 *   cc -O2 -o gen gen.c && ./gen 1000000 node_modules/idn-area-data/data > rows.csv
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long state = 0x9e3779b97f4a7c15ULL;

static unsigned long long next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

int main(int argc, char **argv)
{
    char path[4096], line[512], **vil = NULL;
    static const char *edu[] = {"sd", "smp", "sma", "smk", "diploma", "s1"};
    static const char *occ[] = {"unemployed", "laid_off", "informal_worker", "farmer_fisher",
                                "entrepreneur", "homemaker"};
    static const char *names[] = {"Siti Aminah", "Budi Santoso", "Nur'aini", "Agus Salim",
                                  "Dewi Lestari", "Ahmad Hidayat", "Rina Wijaya", "Eko Nugroho"};
    size_t nvil = 0, cap = 0;
    long n;
    FILE *f;

    if (argc != 3 || (n = atol(argv[1])) <= 0 || n > 99999999) {
        fprintf(stderr, "usage: gen N DATA_DIR\n");
        return 2;
    }
    snprintf(path, sizeof path, "%s/villages.csv", argv[2]);
    if (!(f = fopen(path, "r"))) {
        perror(path);
        return 1;
    }
    while (fgets(line, sizeof line, f)) {
        char *comma = strchr(line, ',');
        if (!comma || comma - line != 13)
            continue;                      /* header or malformed */
        *comma = '\0';
        if (nvil == cap) {
            cap = cap ? cap * 2 : 1024;
            vil = realloc(vil, cap * sizeof *vil);
            if (!vil)
                return 1;
        }
        vil[nvil++] = strdup(line);
    }
    fclose(f);
    if (!nvil)
        return 1;
    printf("email,full_name,nik,kk,birth_date,sex,phone,village_code,education,occupation\n");
    for (long i = 0; i < n; i++) {
        const char *v = vil[next() % nvil];
        char d6[7] = {v[0], v[1], v[3], v[4], v[6], v[7], 0};
        int year = 1966 + (int)(next() % 40), month = 1 + (int)(next() % 12),
            day = 1 + (int)(next() % 28), fem = (int)(next() & 1);
        printf("user%08ld@example.id,%s,%s%02d%02d%02d%04ld,%s%06d%04d,%04d-%02d-%02d,%c,"
               "0812%08ld,%s,%s,%s\n",
               i, names[i % 8], d6, day + (fem ? 40 : 0), month, year % 100, 1 + i % 9999, d6,
               (int)(next() % 1000000), 1 + (int)(next() % 9999), year, month, day,
               fem ? 'F' : 'M', i, v, edu[next() % 6], occ[next() % 6]);
    }
    return 0;
}

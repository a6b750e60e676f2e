/*
 * app: builds the process-wide context once at start. The PII keys come from the
 * key file; district and village codes are read from the regions table into two
 * sorted int64 arrays so that every NIK and address check during registration is
 * a bsearch in memory instead of a query. Settings have defaults that tests and
 * operators can override through the environment: PRAKERJA_VERIFY_TTL (seconds a
 * verification code lives) and PRAKERJA_PWHASH_MAX (password hashes at once).
 */
#include "api/app.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "store/regions.h"

static int env_int(const char *name, int lo, int hi, int *out)
{
    const char *s = getenv(name);
    char *end;
    long v;

    if (!s || !*s)
        return 0;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

int app_init(struct app *a, struct db *d, const char *key_path, char *err, size_t errlen)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int rc;

    memset(a, 0, sizeof *a);
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium could not start");
        return -1;
    }
    atomic_init(&a->pwhash_running, 0);
    a->pwhash_max = cores > 0 ? (int)cores : 1;
    a->session_ttl = 7 * 24 * 3600;
    a->verify_ttl = 15 * 60;
    a->verify_max_attempts = 5;
    if (env_int("PRAKERJA_VERIFY_TTL", 1, 7 * 24 * 3600, &a->verify_ttl) != 0) {
        snprintf(err, errlen, "PRAKERJA_VERIFY_TTL must be seconds between 1 and 604800");
        return -1;
    }
    if (env_int("PRAKERJA_PWHASH_MAX", 1, 1024, &a->pwhash_max) != 0) {
        snprintf(err, errlen, "PRAKERJA_PWHASH_MAX must be between 1 and 1024");
        return -1;
    }
    if (pii_key_load(key_path, &a->keys, err, errlen) != 0)
        return -1;
    rc = regions_codes(d, REGION_DISTRICT, &a->district_codes, &a->ndistrict_codes);
    if (rc == DB_OK)
        rc = regions_codes(d, REGION_VILLAGE, &a->village_codes, &a->nvillage_codes);
    if (rc != DB_OK) {
        snprintf(err, errlen, "cannot read region codes: %s", db_errmsg(d));
        app_free(a);
        return -1;
    }
    return 0;
}

void app_free(struct app *a)
{
    free(a->district_codes);
    free(a->village_codes);
    a->district_codes = a->village_codes = NULL;
    a->ndistrict_codes = a->nvillage_codes = 0;
    sodium_memzero(&a->keys, sizeof a->keys);
}

static int cmp64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

static int contains(const int64_t *codes, int n, int64_t key)
{
    return codes && n > 0 && bsearch(&key, codes, (size_t)n, sizeof *codes, cmp64) != NULL;
}

int app_district_exists(void *ctx, const char code6[7])
{
    const struct app *a = ctx;
    int64_t v = 0;

    for (int i = 0; i < 6; i++) {
        if (code6[i] < '0' || code6[i] > '9')
            return 0;
        v = v * 10 + (code6[i] - '0');
    }
    if (code6[6] != '\0')
        return 0;
    return contains(a->district_codes, a->ndistrict_codes, v);
}

int app_village_exists(void *ctx, const char *code)
{
    static const char shape[] = "99.99.99.9999";
    const struct app *a = ctx;
    int64_t v = 0;

    if (!code || strlen(code) != sizeof shape - 1)
        return 0;
    for (size_t i = 0; shape[i]; i++) {
        if (shape[i] == '.') {
            if (code[i] != '.')
                return 0;
        } else {
            if (code[i] < '0' || code[i] > '9')
                return 0;
            v = v * 10 + (code[i] - '0');
        }
    }
    return contains(a->village_codes, a->nvillage_codes, v);
}

/*
 * app: the process-wide context shared by every handler (read-only after start,
 * but for the atomic counters): PII keys, the set of district codes that NIKs are
 * checked against, and the bound on password hashes running at once.
 */
#ifndef PK_APP_H
#define PK_APP_H
#include <stdatomic.h>
#include <stdint.h>

#include "store/pii.h"

struct app {
    struct pii_keys keys;
    int *district_codes;          /* sorted 6-digit district codes (350901 ...) */
    int ndistrict_codes;
    int pwhash_max;               /* hashes at once; default the number of cores */
    atomic_int pwhash_running;
    int session_ttl;              /* seconds; default 7 days */
    int verify_ttl;               /* verification code lifetime; default 15 min */
    int verify_max_attempts;      /* default 5 */
};

/* Loads what handlers need from an open database and the key file.
 * Returns 0, or -1 with a message in err. app_free releases it. */
struct db;
int app_init(struct app *a, struct db *d, const char *key_path, char *err, size_t errlen);
void app_free(struct app *a);
/* 1 when code6 ("350901") is an existing district; ctx is the app. */
int app_district_exists(void *ctx, const char code6[7]);

/* The route table (api/routes.c), ended by a row with a NULL pattern. */
extern const struct http_route api_routes[];

#endif

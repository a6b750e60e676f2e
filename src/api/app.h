/*
 * app: the process-wide context shared by every handler (read-only after start,
 * but for the atomic counters): PII keys, the sets of district and village codes
 * that NIKs and addresses are checked against (sorted, searched with bsearch), and
 * the bound on password hashes running at once. Also declares the handlers of
 * the api/ files that the route table (api/routes.c) points at.
 */
#ifndef PK_APP_H
#define PK_APP_H
#include <stdatomic.h>
#include <stdint.h>

#include "http/http.h"
#include "store/pii.h"

struct app {
    struct pii_keys keys;
    int64_t *district_codes;      /* sorted district codes as digits (350901 ...) */
    int ndistrict_codes;
    int64_t *village_codes;       /* sorted village codes as digits (3509152001 ...) */
    int nvillage_codes;
    int pwhash_max;               /* hashes at once; default the number of cores */
    atomic_int pwhash_running;
    int session_ttl;              /* seconds; default 7 days */
    int verify_ttl;               /* verification code lifetime; default 15 min,
                                     PRAKERJA_VERIFY_TTL overrides */
    int verify_max_attempts;      /* default 5 */
    struct civreg *civreg;        /* civil-registry adapter (store/civreg.h); NULL = none,
                                     opened and closed by the caller of app_init */
};

/* Loads what handlers need from an open database and the key file.
 * Returns 0, or -1 with a message in err. app_free releases it. */
struct db;
int app_init(struct app *a, struct db *d, const char *key_path, char *err, size_t errlen);
void app_free(struct app *a);
/* 1 when code6 ("350901") is an existing district; ctx is the app. */
int app_district_exists(void *ctx, const char code6[7]);
/* 1 when code ("35.09.15.2001") is an existing village; ctx is the app. */
int app_village_exists(void *ctx, const char *code);

/* The route table (api/routes.c), ended by a row with a NULL pattern. */
extern const struct http_route api_routes[];

/* Handlers (api/accounts.c, api/sessions.c, api/regions.c). */
void api_accounts_create(struct http_req *req);
void api_accounts_verify(struct http_req *req);
void api_accounts_resend(struct http_req *req);
void api_sessions_create(struct http_req *req);
void api_sessions_delete(struct http_req *req);
void api_me(struct http_req *req);
void api_regions_list(struct http_req *req);
void api_regions_get(struct http_req *req);
/* api/schemes.c */
void api_schemes_list(struct http_req *req);
void api_schemes_get(struct http_req *req);
/* api/exam.c: the basic test */
void api_test_start(struct http_req *req);
void api_test_submit(struct http_req *req);
void api_me_test(struct http_req *req);
/* api/waves.c: waves, applications, the draw, the card */
void api_waves_list(struct http_req *req);
void api_waves_create(struct http_req *req);
void api_waves_get(struct http_req *req);
void api_waves_open(struct http_req *req);
void api_waves_close(struct http_req *req);
void api_waves_draw(struct http_req *req);
void api_waves_draw_file(struct http_req *req);
void api_applications_create(struct http_req *req);
void api_me_applications(struct http_req *req);
void api_applications_carry_over(struct http_req *req);
void api_me_card(struct http_req *req);
/* api/openapi.c */
void api_openapi(struct http_req *req);
void api_partner_whoami(struct http_req *req);   /* api/partner_auth.c */
/* api/courses.c: the catalog, providers' courses, curation */
void api_courses_list(struct http_req *req);
void api_courses_get(struct http_req *req);
void api_course_categories(struct http_req *req);
void api_partner_courses_list(struct http_req *req);
void api_partner_courses_create(struct http_req *req);
void api_partner_courses_update(struct http_req *req);
void api_partner_courses_submit(struct http_req *req);
void api_partner_sessions_create(struct http_req *req);
void api_admin_courses_list(struct http_req *req);
void api_admin_courses_approve(struct http_req *req);
void api_admin_courses_reject(struct http_req *req);
/* api/purchases.c: buying, vouchers, redemption, completion, ratings */
void api_partner_card_otp(struct http_req *req);
void api_partner_purchases_create(struct http_req *req);
void api_partner_purchases_get(struct http_req *req);
void api_partner_purchases_cancel(struct http_req *req);
void api_partner_vouchers_exchange(struct http_req *req);
void api_partner_redemptions(struct http_req *req);
void api_partner_completions(struct http_req *req);
void api_me_trainings(struct http_req *req);
void api_me_trainings_rate(struct http_req *req);

#endif

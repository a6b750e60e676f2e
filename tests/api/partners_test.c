/*
 * API tests of partner authentication (src/api/partner_auth.c) against the real
 * server started by the harness, with partners and keys made by `prakerja
 * partner` on the server's own database, as an operator would:
 *   - a correctly signed request passes (GET /api/v1/partner/whoami names the
 *     partner and key), also with a timestamp near either edge of the window;
 *   - each refusal has its own code: unsigned (no headers, or some missing), bad
 *     signature (wrong secret, malformed hex), stale timestamp (too old, too new,
 *     not a number), bad nonce, replayed nonce (also two requests racing with one
 *     nonce: exactly one gets in; another key may use the same nonce), unknown key
 *     (well-formed or not), revoked key (the partner's other key still works),
 *     suspended partner (and back after activate), wrong kind;
 *   - the signature covers the method, the path, the query string and the body:
 *     changing any of them after signing is a bad signature;
 *   - staff of a partner use their bearer token instead; an account that works for
 *     no partner is refused, and so is a staff account of a suspended partner.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "partner_sign.h"
#include "../support.h"

static struct harness H;

static void start(void)
{
    cr_assert_eq(harness_start(&H, NULL), 0, "server did not start");
}

static void stop(void)
{
    harness_stop(&H);
}

TestSuite(partners, .init = start, .fini = stop, .timeout = 120);

/* A partner and one of its keys, as `prakerja partner create` printed them. */
struct cred {
    char partner_id[32];
    char key_id[40];
    char secret[72];
};

/* The value after "name" at the start of a line of out. */
static void field(const char *out, const char *name, char *dst, size_t n)
{
    size_t len = strlen(name);
    const char *line = out;

    while (line && *line) {
        if (strncmp(line, name, len) == 0 && line[len] == ' ') {
            const char *v = line + len;
            while (*v == ' ')
                v++;
            size_t m = strcspn(v, "\n");
            cr_assert_lt(m, n, "%s too long", name);
            memcpy(dst, v, m);
            dst[m] = '\0';
            return;
        }
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    cr_assert_fail("no %s in:\n%s", name, out);
}

/* Runs `prakerja partner ARGS` on the server's database; returns the exit status. */
static int cli(const char *args, char *out, size_t outlen)
{
    char cmd[1024];

    snprintf(cmd, sizeof cmd, "'%s' partner %s --db '%s' %s%s%s 2>/dev/null",
             getenv("PRAKERJA_BIN"), args, H.db,
             strncmp(args, "create", 6) == 0 || strncmp(args, "key ", 4) == 0 ? "--key '" : "",
             strncmp(args, "create", 6) == 0 || strncmp(args, "key ", 4) == 0 ? H.key : "",
             strncmp(args, "create", 6) == 0 || strncmp(args, "key ", 4) == 0 ? "'" : "");
    return test_run(cmd, out, outlen);
}

static struct cred partner(const char *kind, const char *name)
{
    char args[512], out[2048];
    struct cred c;

    snprintf(args, sizeof args, "create --kind %s --name '%s'%s", kind, name,
             strcmp(kind, "provider") == 0
                 ? " --legal-name 'PT Contoh Pelatihan' --tax-id 01.234.567.8-901.000"
                 : "");
    cr_assert_eq(cli(args, out, sizeof out), 0, "partner create: %s", out);
    field(out, "partner_id", c.partner_id, sizeof c.partner_id);
    field(out, "key_id", c.key_id, sizeof c.key_id);
    field(out, "secret", c.secret, sizeof c.secret);
    return c;
}

struct reply {
    long status;
    json_t *json;
    char *raw;
};

static void reply_free(struct reply *r)
{
    json_decref(r->json);
    free(r->raw);
}

static const char *code_of(const struct reply *r)
{
    json_t *c = r->json ? json_object_get(r->json, "code") : NULL;
    return json_is_string(c) ? json_string_value(c) : "(none)";
}

static const char *str_of(const struct reply *r, const char *key)
{
    json_t *c = r->json ? json_object_get(r->json, key) : NULL;
    return json_is_string(c) ? json_string_value(c) : "(none)";
}

/* Sends method path with headers (NULL-ended) and body (NULL: none). */
static struct reply send_raw(const char *method, const char *path, const char *const *headers,
                             const char *body)
{
    struct harness_reply hr;
    struct reply r;

    cr_assert_eq(harness_request(&H, method, path, body ? "application/json" : NULL, body,
                                 body ? strlen(body) : 0, headers, &hr),
                 0);
    r.status = hr.status;
    r.raw = strdup(hr.body);
    r.json = json_loads(hr.body, 0, NULL);
    harness_reply_free(&hr);
    return r;
}

/* Signs (method, sign_path, sign_body, ts, nonce) with c's key and sends (method,
 * send_path, send_body): the two differ only in tests of tampering. */
static struct reply send_signed_as(const struct cred *c, const char *method, const char *sign_path,
                                   const char *sign_body, int64_t ts, const char *nonce,
                                   const char *send_path, const char *send_body)
{
    struct partner_sig s;

    cr_assert_eq(partner_sign(&s, c->key_id, c->secret, method, sign_path, sign_body,
                              sign_body ? strlen(sign_body) : 0, ts, nonce),
                 0);
    return send_raw(method, send_path, s.headers, send_body);
}

static struct reply whoami(const struct cred *c, const char *query)
{
    char path[256];

    snprintf(path, sizeof path, "/api/v1/partner/whoami%s", query ? query : "");
    return send_signed_as(c, "GET", path, NULL, 0, NULL, path, NULL);
}

static void expect(struct reply r, long status, const char *code, const char *what)
{
    cr_assert_eq(r.status, status, "%s: %ld %s", what, r.status, r.raw);
    cr_assert_str_eq(code_of(&r), code, "%s: %s", what, r.raw);
    reply_free(&r);
}

Test(partners, a_good_signature_passes_and_names_the_partner)
{
    struct cred p = partner("platform", "Toko Belajar");
    struct reply r = whoami(&p, NULL);

    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_str_eq(str_of(&r, "partner_id"), p.partner_id);
    cr_assert_str_eq(str_of(&r, "kind"), "platform");
    cr_assert_str_eq(str_of(&r, "name"), "Toko Belajar");
    cr_assert_str_eq(str_of(&r, "key_id"), p.key_id);
    reply_free(&r);

    /* the kind asked for in the query matches: the query is signed too */
    r = whoami(&p, "?kind=platform");
    cr_assert_eq(r.status, 200, "%s", r.raw);
    reply_free(&r);

    /* timestamps inside the window, on either side of the clock */
    int64_t now = (int64_t)time(NULL);
    r = send_signed_as(&p, "GET", "/api/v1/partner/whoami", NULL, now - 280, NULL,
                       "/api/v1/partner/whoami", NULL);
    cr_assert_eq(r.status, 200, "4'40\" old: %s", r.raw);
    reply_free(&r);
    r = send_signed_as(&p, "GET", "/api/v1/partner/whoami", NULL, now + 280, NULL,
                       "/api/v1/partner/whoami", NULL);
    cr_assert_eq(r.status, 200, "4'40\" ahead: %s", r.raw);
    reply_free(&r);
}

Test(partners, unsigned_and_malformed_requests_each_have_their_code)
{
    struct cred p = partner("platform", "Toko Belajar");
    struct partner_sig s;
    const char *hs[6];
    struct reply r;

    expect(send_raw("GET", "/api/v1/partner/whoami", NULL, NULL), 401, "partner.unsigned",
           "no headers");
    /* each of the four headers missing in turn */
    for (int miss = 0; miss < 4; miss++) {
        int n = 0;
        cr_assert_eq(
            partner_sign(&s, p.key_id, p.secret, "GET", "/api/v1/partner/whoami", NULL, 0, 0, NULL),
            0);
        for (int i = 0; i < 4; i++)
            if (i != miss)
                hs[n++] = s.headers[i];
        hs[n] = NULL;
        r = send_raw("GET", "/api/v1/partner/whoami", hs, NULL);
        cr_assert_eq(r.status, 401);
        cr_assert_str_eq(code_of(&r), "partner.unsigned", "header %d missing: %s", miss, r.raw);
        cr_assert(strstr(str_of(&r, "detail"), "X-Prakerja-"), "detail names it: %s", r.raw);
        reply_free(&r);
    }

    /* a nonce too short, too long, or with a character outside [A-Za-z0-9_-] */
    const char *nonces[] = {"abcdefghij01234",
                            "n123456789012345678901234567890123456789012345678901234567890123x",
                            "has space 0123456789", "tanda+tambah-0123456789"};
    cr_assert_eq(strlen(nonces[0]), 15);
    cr_assert_eq(strlen(nonces[1]), 65);
    for (size_t i = 0; i < sizeof nonces / sizeof nonces[0]; i++) {
        expect(send_signed_as(&p, "GET", "/api/v1/partner/whoami", NULL, 0, nonces[i],
                              "/api/v1/partner/whoami", NULL),
               401, "partner.bad_nonce", nonces[i]);
    }
    /* 16 and 64 characters are the bounds */
    r = send_signed_as(&p, "GET", "/api/v1/partner/whoami", NULL, 0, "abcdefghij012345",
                       "/api/v1/partner/whoami", NULL);
    cr_assert_eq(r.status, 200, "16-character nonce: %s", r.raw);
    reply_free(&r);
    r = send_signed_as(&p, "GET", "/api/v1/partner/whoami", NULL, 0,
                       "A123456789012345678901234567890123456789012345678901234567890_-z",
                       "/api/v1/partner/whoami", NULL);
    cr_assert_eq(r.status, 200, "64-character nonce: %s", r.raw);
    reply_free(&r);

    /* a signature that is not 64 hex digits */
    cr_assert_eq(
        partner_sign(&s, p.key_id, p.secret, "GET", "/api/v1/partner/whoami", NULL, 0, 0, NULL), 0);
    hs[0] = s.headers[0];
    hs[1] = s.headers[1];
    hs[2] = s.headers[2];
    hs[3] = "X-Prakerja-Signature: not-hex";
    hs[4] = NULL;
    expect(send_raw("GET", "/api/v1/partner/whoami", hs, NULL), 401, "partner.bad_signature",
           "signature not hex");

    /* English titles on request */
    hs[0] = "Accept-Language: en";
    hs[1] = NULL;
    r = send_raw("GET", "/api/v1/partner/whoami", hs, NULL);
    cr_assert_eq(r.status, 401);
    cr_assert(strstr(str_of(&r, "title"), "signed request"), "%s", r.raw);
    cr_assert_eq(strncmp(r.raw, "{", 1), 0);
    reply_free(&r);
}

Test(partners, bad_signature_stale_timestamp_and_unknown_key)
{
    struct cred p = partner("platform", "Toko Belajar");
    struct cred wrong = p;
    int64_t now = (int64_t)time(NULL);
    struct reply r;

    /* the right key id with another secret */
    memcpy(wrong.secret, "00", 2);
    if (strcmp(wrong.secret, p.secret) == 0)
        memcpy(wrong.secret, "11", 2);
    r = whoami(&wrong, NULL);
    cr_assert_eq(r.status, 401, "%s", r.raw);
    cr_assert_str_eq(code_of(&r), "partner.bad_signature");
    cr_assert(strstr(str_of(&r, "detail"), "GET\n/api/v1/partner/whoami\n"),
              "the detail shows the server's canonical string: %s", r.raw);
    reply_free(&r);

    /* stale: 6 minutes old, 6 minutes ahead, not a number, negative */
    expect(send_signed_as(&p, "GET", "/api/v1/partner/whoami", NULL, now - 360, NULL,
                          "/api/v1/partner/whoami", NULL),
           401, "partner.stale_timestamp", "6 minutes old");
    expect(send_signed_as(&p, "GET", "/api/v1/partner/whoami", NULL, now + 360, NULL,
                          "/api/v1/partner/whoami", NULL),
           401, "partner.stale_timestamp", "6 minutes ahead");
    {
        struct partner_sig s;
        const char *hs[5];
        cr_assert_eq(
            partner_sign(&s, p.key_id, p.secret, "GET", "/api/v1/partner/whoami", NULL, 0, 0, NULL),
            0);
        const char *bad[] = {"X-Prakerja-Timestamp: soon", "X-Prakerja-Timestamp: -5",
                             "X-Prakerja-Timestamp: 1e9", "X-Prakerja-Timestamp: "};
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            hs[0] = s.headers[0];
            hs[1] = bad[i];
            hs[2] = s.headers[2];
            hs[3] = s.headers[3];
            hs[4] = NULL;
            r = send_raw("GET", "/api/v1/partner/whoami", hs, NULL);
            cr_assert_eq(r.status, 401, "%s: %s", bad[i], r.raw);
            cr_assert(strcmp(code_of(&r), "partner.stale_timestamp") == 0 ||
                          (strcmp(code_of(&r), "partner.unsigned") == 0 && bad[i][22] == '\0'),
                      "%s: %s", bad[i], r.raw);
            reply_free(&r);
        }
    }
    r = send_signed_as(&p, "GET", "/api/v1/partner/whoami", NULL, now - 360, NULL,
                       "/api/v1/partner/whoami", NULL);
    {
        const char *d = strstr(str_of(&r, "detail"), "time is ");
        long long server = d ? atoll(d + 8) : 0;
        cr_assert(server >= now && server < now + 60, "the detail shows the server's time: %s",
                  r.raw);
    }
    reply_free(&r);

    /* unknown keys: well-formed and not */
    struct cred ghost = p;
    strcpy(ghost.key_id, "pk_aaaaaaaaaaaaaaaaaaaaaaaa");
    expect(whoami(&ghost, NULL), 401, "partner.unknown_key", "no such key");
    strcpy(ghost.key_id, "pk_AAAA");
    expect(whoami(&ghost, NULL), 401, "partner.unknown_key", "malformed key id");
    strcpy(ghost.key_id, "'; DROP TABLE partners; --");
    expect(whoami(&ghost, NULL), 401, "partner.unknown_key", "junk key id");

    /* nothing of that consumed the good key */
    r = whoami(&p, NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    reply_free(&r);
}

Test(partners, the_signature_covers_method_path_query_and_body)
{
    struct cred p = partner("provider", "Lembaga Kursus Jember");
    struct reply r;

    /* signed for one query, sent with another */
    expect(send_signed_as(&p, "GET", "/api/v1/partner/whoami?kind=provider", NULL, 0, NULL,
                          "/api/v1/partner/whoami?kind=platform", NULL),
           401, "partner.bad_signature", "query changed");
    /* signed without the query, sent with one, and the other way round */
    expect(send_signed_as(&p, "GET", "/api/v1/partner/whoami", NULL, 0, NULL,
                          "/api/v1/partner/whoami?kind=provider", NULL),
           401, "partner.bad_signature", "query added");
    expect(send_signed_as(&p, "GET", "/api/v1/partner/whoami?kind=provider", NULL, 0, NULL,
                          "/api/v1/partner/whoami", NULL),
           401, "partner.bad_signature", "query dropped");
    /* another path */
    expect(send_signed_as(&p, "GET", "/api/v1/partner/courses", NULL, 0, NULL,
                          "/api/v1/partner/whoami", NULL),
           401, "partner.bad_signature", "path changed");
    /* another method: signed as POST, sent as GET */
    {
        struct partner_sig s;
        cr_assert_eq(partner_sign(&s, p.key_id, p.secret, "POST", "/api/v1/partner/whoami", NULL, 0,
                                  0, NULL),
                     0);
        expect(send_raw("GET", "/api/v1/partner/whoami", s.headers, NULL), 401,
               "partner.bad_signature", "method changed");
    }
    /* the body: signed with one, sent with another; signed empty, sent with one */
    expect(send_signed_as(&p, "GET", "/api/v1/partner/whoami", "{\"price\":100000}", 0, NULL,
                          "/api/v1/partner/whoami", "{\"price\":900000}"),
           401, "partner.bad_signature", "body changed");
    expect(send_signed_as(&p, "GET", "/api/v1/partner/whoami", NULL, 0, NULL,
                          "/api/v1/partner/whoami", "{\"price\":900000}"),
           401, "partner.bad_signature", "body added");
    /* and the same body signed and sent passes */
    r = send_signed_as(&p, "GET", "/api/v1/partner/whoami", "{\"price\":100000}", 0, NULL,
                       "/api/v1/partner/whoami", "{\"price\":100000}");
    cr_assert_eq(r.status, 200, "body signed as sent: %s", r.raw);
    reply_free(&r);
}

struct race {
    const struct cred *c;
    const char *nonce;
    int64_t ts;
    long status;
    char code[64];
};

static void *race_one(void *arg)
{
    struct race *x = arg;
    struct reply r = send_signed_as(x->c, "GET", "/api/v1/partner/whoami", NULL, x->ts, x->nonce,
                                    "/api/v1/partner/whoami", NULL);
    x->status = r.status;
    snprintf(x->code, sizeof x->code, "%s", code_of(&r));
    reply_free(&r);
    return NULL;
}

Test(partners, a_nonce_is_accepted_once_per_key)
{
    struct cred p = partner("platform", "Toko Belajar");
    struct cred q = partner("platform", "Pasar Kursus");
    int64_t now = (int64_t)time(NULL);
    const char *nonce = "replay-me-0123456789";
    struct reply r;

    r = send_signed_as(&p, "GET", "/api/v1/partner/whoami", NULL, now, nonce,
                       "/api/v1/partner/whoami", NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    reply_free(&r);
    /* the same request again, byte for byte */
    expect(send_signed_as(&p, "GET", "/api/v1/partner/whoami", NULL, now, nonce,
                          "/api/v1/partner/whoami", NULL),
           401, "partner.replayed_nonce", "replay");
    /* the nonce in a new request (new timestamp, new query) */
    expect(send_signed_as(&p, "GET", "/api/v1/partner/whoami?kind=platform", NULL, now + 1, nonce,
                          "/api/v1/partner/whoami?kind=platform", NULL),
           401, "partner.replayed_nonce", "same nonce, other request");
    /* another key may use it */
    r = send_signed_as(&q, "GET", "/api/v1/partner/whoami", NULL, now, nonce,
                       "/api/v1/partner/whoami", NULL);
    cr_assert_eq(r.status, 200, "another key, same nonce: %s", r.raw);
    reply_free(&r);
    /* a refused request (bad signature) does not use the nonce up */
    struct cred wrong = p;
    wrong.secret[0] = wrong.secret[0] == 'a' ? 'b' : 'a';
    expect(send_signed_as(&wrong, "GET", "/api/v1/partner/whoami", NULL, now,
                          "fresh-nonce-000000001", "/api/v1/partner/whoami", NULL),
           401, "partner.bad_signature", "forged");
    r = send_signed_as(&p, "GET", "/api/v1/partner/whoami", NULL, now, "fresh-nonce-000000001",
                       "/api/v1/partner/whoami", NULL);
    cr_assert_eq(r.status, 200, "the forged request burnt no nonce: %s", r.raw);
    reply_free(&r);
    cr_assert_eq(harness_sql_value(&H, "SELECT COUNT(*) FROM partner_nonces WHERE nonce = $1",
                                   "fresh-nonce-000000001"),
                 1);

    /* eight copies of one request at once: exactly one is served */
    struct race xs[8];
    pthread_t th[8];
    for (int i = 0; i < 8; i++) {
        xs[i] = (struct race){.c = &p, .nonce = "racing-nonce-0123456789", .ts = now};
        cr_assert_eq(pthread_create(&th[i], NULL, race_one, &xs[i]), 0);
    }
    int ok = 0, replayed = 0;
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        ok += xs[i].status == 200;
        replayed += xs[i].status == 401 && strcmp(xs[i].code, "partner.replayed_nonce") == 0;
    }
    cr_assert_eq(ok, 1, "exactly one of the racing copies gets in (%d did)", ok);
    cr_assert_eq(replayed, 7);
}

Test(partners, revoked_keys_suspended_partners_and_wrong_kinds)
{
    struct cred p = partner("platform", "Toko Belajar");
    struct cred second = p;
    char out[2048], args[128];
    struct reply r;

    /* a second key for the partner, then the first revoked */
    snprintf(args, sizeof args, "key %s", p.partner_id);
    cr_assert_eq(cli(args, out, sizeof out), 0, "%s", out);
    field(out, "key_id", second.key_id, sizeof second.key_id);
    field(out, "secret", second.secret, sizeof second.secret);
    cr_assert_str_neq(second.key_id, p.key_id);
    snprintf(args, sizeof args, "revoke-key %s", p.key_id);
    cr_assert_eq(cli(args, out, sizeof out), 0, "%s", out);
    expect(whoami(&p, NULL), 401, "partner.revoked_key", "revoked key");
    r = whoami(&second, NULL);
    cr_assert_eq(r.status, 200, "the other key still works: %s", r.raw);
    cr_assert_str_eq(str_of(&r, "key_id"), second.key_id);
    reply_free(&r);

    /* suspended, then active again */
    snprintf(args, sizeof args, "suspend %s", p.partner_id);
    cr_assert_eq(cli(args, out, sizeof out), 0, "%s", out);
    expect(whoami(&second, NULL), 403, "partner.suspended", "suspended");
    snprintf(args, sizeof args, "activate %s", p.partner_id);
    cr_assert_eq(cli(args, out, sizeof out), 0, "%s", out);
    r = whoami(&second, NULL);
    cr_assert_eq(r.status, 200, "active again: %s", r.raw);
    reply_free(&r);

    /* a platform's key where a provider or a payment partner is wanted */
    expect(whoami(&second, "?kind=provider"), 403, "partner.wrong_kind", "platform as provider");
    expect(whoami(&second, "?kind=payment"), 403, "partner.wrong_kind", "platform as payment");
    struct cred pay = partner("payment", "Bank Contoh");
    r = whoami(&pay, "?kind=payment");
    cr_assert_eq(r.status, 200, "%s", r.raw);
    reply_free(&r);
    expect(whoami(&pay, "?kind=platform"), 403, "partner.wrong_kind", "payment as platform");
    r = whoami(&pay, "?kind=bank");
    cr_assert_eq(r.status, 400, "%s", r.raw);
    cr_assert_str_eq(code_of(&r), "validation");
    reply_free(&r);
}

/* Logs in; token gets the bearer token. */
static void login(const char *email, char token[65])
{
    char body[256];
    struct harness_json j;

    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"rahasia-staf-1\"}", email);
    j = harness_call(&H, "POST", "/api/v1/sessions", NULL, NULL, NULL, body);
    cr_assert_eq(j.status, 201, "login %s: %s", email, j.raw);
    snprintf(token, 65, "%s", harness_str(j.json, "token"));
    harness_json_free(&j);
}

static int admin_create(const char *extra, const char *email)
{
    char cmd[1024], out[1024];

    snprintf(cmd, sizeof cmd,
             "echo rahasia-staf-1 | '%s' admin create --db '%s' --email %s --name 'Staf Mitra' "
             "--password-stdin %s 2>&1",
             getenv("PRAKERJA_BIN"), H.db, email, extra);
    return test_run(cmd, out, sizeof out);
}

static struct reply bearer(const char *token, const char *query)
{
    char auth[128], path[128];
    const char *hs[2] = {auth, NULL};

    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    snprintf(path, sizeof path, "/api/v1/partner/whoami%s", query ? query : "");
    return send_raw("GET", path, hs, NULL);
}

Test(partners, staff_use_their_bearer_token)
{
    struct cred prov = partner("provider", "Lembaga Kursus Jember");
    char extra[128], tok[65], admin_tok[65], out[1024], args[128];
    struct reply r;

    snprintf(extra, sizeof extra, "--partner %s", prov.partner_id);
    cr_assert_eq(admin_create(extra, "staf@lkj.example.id"), 0);
    login("staf@lkj.example.id", tok);
    r = bearer(tok, NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_str_eq(str_of(&r, "partner_id"), prov.partner_id);
    cr_assert_str_eq(str_of(&r, "kind"), "provider");
    cr_assert(json_is_null(json_object_get(r.json, "key_id")), "no key for staff: %s", r.raw);
    reply_free(&r);
    r = bearer(tok, "?kind=provider");
    cr_assert_eq(r.status, 200, "%s", r.raw);
    reply_free(&r);
    expect(bearer(tok, "?kind=platform"), 403, "partner.wrong_kind", "provider staff as platform");

    /* an account that works for no partner */
    cr_assert_eq(admin_create("", "admin@pmo.example.id"), 0);
    login("admin@pmo.example.id", admin_tok);
    expect(bearer(admin_tok, NULL), 403, "auth.forbidden", "an admin is no partner");
    /* a token that is not one */
    expect(bearer("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", NULL), 401,
           "auth.invalid_token", "unknown token");

    /* staff of a suspended partner */
    snprintf(args, sizeof args, "suspend %s", prov.partner_id);
    cr_assert_eq(cli(args, out, sizeof out), 0, "%s", out);
    expect(bearer(tok, NULL), 403, "partner.suspended", "suspended partner's staff");

    /* signature headers win over a bearer token: a signed request with a token is
     * judged by its signature */
    {
        struct cred bad = prov;
        struct partner_sig s;
        char auth[128];
        const char *hs[6];
        bad.secret[0] = bad.secret[0] == 'a' ? 'b' : 'a';
        cr_assert_eq(partner_sign(&s, bad.key_id, bad.secret, "GET", "/api/v1/partner/whoami", NULL,
                                  0, 0, NULL),
                     0);
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin_tok);
        memcpy(hs, s.headers, 4 * sizeof hs[0]);
        hs[4] = auth;
        hs[5] = NULL;
        expect(send_raw("GET", "/api/v1/partner/whoami", hs, NULL), 401, "partner.bad_signature",
               "signature and token");
    }
}

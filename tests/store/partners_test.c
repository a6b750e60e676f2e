/*
 * Tests of partners, API keys and nonces in the store (src/store/partners.c) on a
 * migrated database of the engine under test (tmpdb.h):
 *   - validation: each rule of a new partner with its code (providers need a
 *     legal name and a 15- or 16-digit NPWP, written with or without dots;
 *     phones cleaned to +62...), and clean values for the good ones;
 *   - partners stored and read back, suspended and activated (idempotently),
 *     listed with their active keys;
 *   - keys: id shape, the secret never stored in clear, found again decrypted
 *     with the right PII key and refused with another, revoked once;
 *   - nonces: accepted once per key (other keys may reuse them), also when four
 *     connections race with the same nonces; pruned by age;
 *   - staff accounts attached to a partner and found from the account.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "tmpdb.h"
#include "store/accounts.h"
#include "store/db.h"
#include "store/partners.h"
#include "store/pii.h"

TestSuite(partners, .init = tmpdb_setup, .fini = tmpdb_teardown, .timeout = 120);

#define T0 1796083200LL

static struct pii_keys keys;

static db *open_migrated(void)
{
    char err[256] = "";
    db *d = tmpdb_open("p.db");

    cr_assert_eq(db_migrate(d, 0, NULL), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(pii_key_create(tmpdb_path("pii.key")), 0);
    cr_assert_eq(pii_key_load(tmpdb_path("pii.key"), &keys, err, sizeof err), 0, "%s", err);
    return d;
}

/* The codes partners_validate reports for in, joined as "field:code,...". */
static const char *codes(const struct partner_new *in, struct partner_clean *out)
{
    static char s[512];
    struct field_error errs[PARTNERS_FIELDS];
    struct partner_clean tmp;
    int n = partners_validate(in, out ? out : &tmp, errs, PARTNERS_FIELDS);
    size_t o = 0;

    s[0] = '\0';
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(s + o, sizeof s - o, "%s%s:%s", i ? "," : "", errs[i].field,
                              errs[i].code);
    return s;
}

Test(partners, validation)
{
    struct partner_clean c;
    struct partner_new in;

    in = (struct partner_new){.kind = "platform", .name = "Toko Belajar"};
    cr_assert_str_eq(codes(&in, &c), "");
    cr_assert_str_eq(c.kind, "platform");
    cr_assert_str_eq(c.name, "Toko Belajar");
    cr_assert_str_eq(c.legal_name, "");

    in = (struct partner_new){.kind = "provider",
                              .name = "LKP Jember",
                              .legal_name = "PT Kursus Jember",
                              .tax_id = "01.234.567.8-901.000",
                              .email = "Info@LKP.example.ID",
                              .phone = "(0331) 555-1234"};
    cr_assert_str_eq(codes(&in, &c), "");
    cr_assert_str_eq(c.tax_id, "012345678901000", "dots and hyphens dropped");
    cr_assert_str_eq(c.email, "info@lkp.example.id");
    cr_assert_str_eq(c.phone, "+623315551234");
    in.tax_id = "3509154708950001";
    in.phone = "+62 812-3456-7890";
    cr_assert_str_eq(codes(&in, &c), "");
    cr_assert_str_eq(c.tax_id, "3509154708950001", "16 digits (NIK-based NPWP)");
    cr_assert_str_eq(c.phone, "+6281234567890");

    in = (struct partner_new){.kind = "provider", .name = "LKP Jember"};
    cr_assert_str_eq(codes(&in, NULL),
                     "legal_name:partner.legal_name_required,tax_id:partner.tax_id_required");
    in = (struct partner_new){
        .kind = "provider", .name = "LKP", .legal_name = "PT X", .tax_id = "01234567890123"};
    cr_assert_str_eq(codes(&in, NULL), "tax_id:partner.tax_id_invalid", "14 digits");
    in.tax_id = "01234567890123456";
    cr_assert_str_eq(codes(&in, NULL), "tax_id:partner.tax_id_invalid", "17 digits");
    in.tax_id = "01.234.567.8/901.000";
    cr_assert_str_eq(codes(&in, NULL), "tax_id:partner.tax_id_invalid", "a slash");

    in = (struct partner_new){0};
    cr_assert_str_eq(codes(&in, NULL), "kind:field.required,name:field.required");
    in = (struct partner_new){.kind = "bank", .name = "Bank Contoh"};
    cr_assert_str_eq(codes(&in, NULL), "kind:partner.kind_invalid");
    in = (struct partner_new){.kind = "payment", .name = "Bank\tContoh"};
    cr_assert_str_eq(codes(&in, NULL), "name:partner.name_invalid", "a control character");
    in.name = "   ";
    cr_assert_str_eq(codes(&in, NULL), "name:partner.name_invalid", "blanks only");
    in.name = "\xc3\x28";
    cr_assert_str_eq(codes(&in, NULL), "name:partner.name_invalid", "not UTF-8");
    char long_name[PARTNERS_NAME_MAX + 2];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    in.name = long_name;
    cr_assert_str_eq(codes(&in, NULL), "name:partner.name_invalid", "121 bytes");
    long_name[PARTNERS_NAME_MAX] = '\0';
    cr_assert_str_eq(codes(&in, NULL), "", "120 bytes");

    in = (struct partner_new){
        .kind = "payment", .name = "Bank Contoh", .email = "no-at-sign", .phone = "12345"};
    cr_assert_str_eq(codes(&in, NULL), "email:email.invalid,phone:partner.phone_invalid");
    in.email = NULL;
    in.phone = "+1 555 123 4567";
    cr_assert_str_eq(codes(&in, NULL), "phone:partner.phone_invalid", "not Indonesian");
    in.phone = "0 0812 3456";
    cr_assert_str_eq(codes(&in, NULL), "phone:partner.phone_invalid", "00 prefix");
    in.phone = "021 5551234";
    cr_assert_str_eq(codes(&in, &c), "");
    cr_assert_str_eq(c.phone, "+62215551234");

    cr_assert_str_eq(partners_kind_role("payment"), "payment_partner");
    cr_assert_str_eq(partners_kind_role("provider"), "provider");
    cr_assert_str_eq(partners_kind_role("platform"), "platform");
    cr_assert_null(partners_kind_role("admin"));
}

static struct partner add(db *d, const char *kind, const char *name)
{
    struct partner_new in = {.kind = kind, .name = name};
    struct partner_clean c;
    struct partner p;

    if (strcmp(kind, "provider") == 0) {
        in.legal_name = "PT Contoh";
        in.tax_id = "012345678901000";
    }
    cr_assert_str_eq(codes(&in, &c), "");
    cr_assert_eq(partners_insert(d, &c, T0, &p), DB_OK, "%s", db_errmsg(d));
    return p;
}

static int collect(const struct partner *p, void *ctx)
{
    char *s = ctx;
    size_t n = strlen(s);
    snprintf(s + n, 512 - n, "%s%s/%s/%d", n ? "," : "", p->name, p->status, p->active_keys);
    return 0;
}

Test(partners, stored_read_back_suspended_and_listed)
{
    db *d = open_migrated();
    struct partner a = add(d, "provider", "LKP Jember"), b = add(d, "platform", "Toko Belajar"),
                   got;
    char list[512] = "", kid[PARTNERS_KEY_ID_LEN + 1], sec[PARTNERS_SECRET_HEX + 1];
    int changed = -1;

    cr_assert_eq(strlen(a.public_id), PARTNERS_PUBLIC_ID_LEN);
    cr_assert_str_neq(a.public_id, b.public_id);
    cr_assert_eq(partners_by_public_id(d, a.public_id, &got), DB_OK);
    cr_assert_eq(got.id, a.id);
    cr_assert_str_eq(got.kind, "provider");
    cr_assert_str_eq(got.legal_name, "PT Contoh");
    cr_assert_str_eq(got.tax_id, "012345678901000");
    cr_assert_str_eq(got.status, "active");
    cr_assert_eq(got.created_at, T0);
    cr_assert_eq(partners_by_id(d, b.id, &got), DB_OK);
    cr_assert_str_eq(got.public_id, b.public_id);
    cr_assert_str_eq(got.contact_email, "");
    cr_assert_eq(partners_by_public_id(d, "aaaaaaaaaaaaaaaaaaaaaaaaaa", &got), DB_ENOTFOUND);
    cr_assert_eq(partners_by_public_id(d, "short", &got), DB_ENOTFOUND);

    cr_assert_eq(partners_set_status(d, b.id, "suspended", &changed), DB_OK);
    cr_assert_eq(changed, 1);
    cr_assert_eq(partners_set_status(d, b.id, "suspended", &changed), DB_OK);
    cr_assert_eq(changed, 0, "already suspended");
    cr_assert_eq(partners_set_status(d, b.id, "deleted", &changed), DB_ERR);

    cr_assert_eq(partners_key_create(d, &keys, a.id, T0, kid, sec), DB_OK);
    cr_assert_eq(partners_key_create(d, &keys, a.id, T0 + 1, kid, sec), DB_OK);
    int already = -1;
    cr_assert_eq(partners_key_revoke(d, kid, T0 + 2, &already, NULL), DB_OK);
    cr_assert_eq(partners_each(d, collect, list), DB_OK);
    cr_assert_str_eq(list, "LKP Jember/active/1,Toko Belajar/suspended/0");
    db_close(d);
}

static int key_line(const struct partner_key *k, void *ctx)
{
    char *s = ctx;
    size_t n = strlen(s);
    snprintf(s + n, 512 - n, "%s%s:%lld", n ? "," : "", k->key_id, (long long)k->revoked_at);
    return 0;
}

Test(partners, keys_are_encrypted_found_and_revoked)
{
    db *d = open_migrated();
    struct partner a = add(d, "platform", "Toko Belajar"), got;
    char kid[PARTNERS_KEY_ID_LEN + 1], sec[PARTNERS_SECRET_HEX + 1], kid2[PARTNERS_KEY_ID_LEN + 1],
        sec2[PARTNERS_SECRET_HEX + 1], enc[PII_CT_MAX], err[256], hex[PARTNERS_SECRET_HEX + 1];
    struct partner_key k;
    struct pii_keys other;
    int already = -1;
    int64_t at = 0;

    cr_assert_eq(partners_key_create(d, &keys, a.id, T0, kid, sec), DB_OK);
    cr_assert(partners_key_id_valid(kid), "%s", kid);
    cr_assert_eq(strncmp(kid, "pk_", 3), 0);
    cr_assert_eq(strlen(sec), 64);
    cr_assert_eq(strspn(sec, "0123456789abcdef"), 64, "lower-case hex: %s", sec);
    cr_assert_eq(partners_key_create(d, &keys, a.id, T0 + 5, kid2, sec2), DB_OK);
    cr_assert_str_neq(kid, kid2);
    cr_assert_str_neq(sec, sec2);

    /* the secret is not in the row, in hex or in base64 */
    db_val p[] = {DB_TEXT(kid)};
    cr_assert_eq(db_one_text(d, "SELECT secret_enc FROM partner_keys WHERE key_id = $1", p, 1, enc,
                             sizeof enc),
                 DB_OK);
    cr_assert_null(strstr(enc, sec));
    {
        unsigned char raw[32];
        char b64[64];
        cr_assert_eq(sodium_hex2bin(raw, 32, sec, 64, NULL, NULL, NULL), 0);
        sodium_bin2base64(b64, sizeof b64, raw, 32, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
        cr_assert_null(strstr(enc, b64));
    }

    /* found with the secret decrypted */
    cr_assert_eq(partners_key_find(d, &keys, kid, &k, &got), DB_OK);
    sodium_bin2hex(hex, sizeof hex, k.secret, sizeof k.secret);
    cr_assert_str_eq(hex, sec);
    cr_assert_str_eq(k.key_id, kid);
    cr_assert_eq(k.partner_id, a.id);
    cr_assert_eq(k.created_at, T0);
    cr_assert_eq(k.revoked_at, 0);
    cr_assert_str_eq(got.public_id, a.public_id);
    cr_assert_str_eq(got.kind, "platform");
    cr_assert_eq(partners_key_find(d, &keys, "pk_aaaaaaaaaaaaaaaaaaaaaaaa", &k, &got),
                 DB_ENOTFOUND);
    cr_assert_eq(partners_key_find(d, &keys, "pk_AAAAAAAAAAAAAAAAAAAAAAAA", &k, &got), DB_ENOTFOUND,
                 "upper case is not a key id");
    cr_assert_eq(partners_key_find(d, &keys, "", &k, &got), DB_ENOTFOUND);
    /* another PII key cannot open it */
    cr_assert_eq(pii_key_create(tmpdb_path("other.key")), 0);
    cr_assert_eq(pii_key_load(tmpdb_path("other.key"), &other, err, sizeof err), 0, "%s", err);
    cr_assert_eq(partners_key_find(d, &other, kid, &k, &got), DB_ERR);
    cr_assert_eq(sodium_is_zero(k.secret, sizeof k.secret), 1, "nothing left in k.secret");

    /* revoked once; the time of the first revocation is kept */
    cr_assert_eq(partners_key_revoke(d, kid, T0 + 10, &already, &at), DB_OK);
    cr_assert_eq(already, 0);
    cr_assert_eq(at, T0 + 10);
    cr_assert_eq(partners_key_revoke(d, kid, T0 + 20, &already, &at), DB_OK);
    cr_assert_eq(already, 1);
    cr_assert_eq(at, T0 + 10);
    cr_assert_eq(partners_key_find(d, &keys, kid, &k, &got), DB_OK);
    cr_assert_eq(k.revoked_at, T0 + 10);
    cr_assert_eq(partners_key_revoke(d, "pk_aaaaaaaaaaaaaaaaaaaaaaaa", T0, &already, NULL),
                 DB_ENOTFOUND);

    char lines[512] = "", want[512];
    cr_assert_eq(partners_keys_each(d, a.id, key_line, lines), DB_OK);
    snprintf(want, sizeof want, "%s:%lld,%s:0", kid, (long long)(T0 + 10), kid2);
    cr_assert_str_eq(lines, want);
    db_close(d);
}

Test(partners, nonces_once_per_key_and_pruned)
{
    db *d = open_migrated();
    int replayed = -1;
    int64_t removed = -1;

    cr_assert_eq(partners_nonce_remember(d, "pk_a", "nonce-0000000001", T0, &replayed), DB_OK);
    cr_assert_eq(replayed, 0);
    cr_assert_eq(partners_nonce_remember(d, "pk_a", "nonce-0000000001", T0 + 1, &replayed), DB_OK);
    cr_assert_eq(replayed, 1);
    cr_assert_eq(partners_nonce_remember(d, "pk_b", "nonce-0000000001", T0 + 1, &replayed), DB_OK);
    cr_assert_eq(replayed, 0, "another key may use the nonce");
    cr_assert_eq(partners_nonce_remember(d, "pk_a", "nonce-0000000002", T0 + 700, &replayed),
                 DB_OK);
    cr_assert_eq(replayed, 0);

    /* pruned by age: what was seen before the cut goes, the rest stays */
    cr_assert_eq(partners_nonce_prune(d, T0 + 100, &removed), DB_OK);
    cr_assert_eq(removed, 2);
    cr_assert_eq(partners_nonce_remember(d, "pk_a", "nonce-0000000002", T0 + 701, &replayed),
                 DB_OK);
    cr_assert_eq(replayed, 1, "a recent nonce is still remembered");

    db_close(d);
}

/* One nonce remembered in its own db_txn, as api/partner_auth.c does. */
struct nonce_ctx {
    const char *nonce;
    int replayed;
};

static int nonce_txn(db *d, void *arg)
{
    struct nonce_ctx *c = arg;
    return partners_nonce_remember(d, "pk_race", c->nonce, T0, &c->replayed);
}

struct racer {
    const char *addr;
    int accepted;
    int failed;
};

static void *racer_run(void *arg)
{
    struct racer *r = arg;
    char err[256], nonce[32];
    db *d = NULL;

    if (db_open(r->addr, &d, err, sizeof err) != DB_OK) {
        r->failed = 1;
        return NULL;
    }
    for (int i = 0; i < 40; i++) {
        struct nonce_ctx c = {nonce, 0};
        snprintf(nonce, sizeof nonce, "racing-nonce-%06d", i);
        if (db_txn(d, nonce_txn, &c) != DB_OK)
            r->failed++;
        else if (!c.replayed)
            r->accepted++;
    }
    db_close(d);
    return NULL;
}

Test(partners, racing_connections_accept_each_nonce_once)
{
    db *d = open_migrated();
    struct racer rs[4];
    pthread_t th[4];
    char addr[640];
    int total = 0;

    snprintf(addr, sizeof addr, "%s", tmpdb_addr("p.db"));
    for (int i = 0; i < 4; i++) {
        rs[i] = (struct racer){.addr = addr};
        cr_assert_eq(pthread_create(&th[i], NULL, racer_run, &rs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        cr_assert_eq(rs[i].failed, 0, "racer %d failed %d times", i, rs[i].failed);
        total += rs[i].accepted;
    }
    cr_assert_eq(total, 40, "each of 40 nonces accepted exactly once, not %d times", total);
    int64_t n = 0;
    cr_assert_eq(db_one_int(d, "SELECT COUNT(*) FROM partner_nonces", NULL, 0, &n), DB_OK);
    cr_assert_eq(n, 40);
    db_close(d);
}

Test(partners, staff_accounts_belong_to_their_partner)
{
    db *d = open_migrated();
    struct partner a = add(d, "provider", "LKP Jember"), got;
    struct account_new staff = {.role = "provider",
                                .email = "staf@lkp.example.id",
                                .full_name = "Staf LKP",
                                .created_at = T0};
    struct account_new other = {.role = "admin",
                                .email = "admin@pmo.example.id",
                                .full_name = "Admin PMO",
                                .created_at = T0};
    int64_t sid = 0, oid = 0;

    cr_assert_eq(accounts_insert(d, &staff, &sid, NULL), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(accounts_insert(d, &other, &oid, NULL), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(partners_of_account(d, sid, &got), DB_ENOTFOUND);
    cr_assert_eq(partners_attach_account(d, sid, a.id), DB_OK);
    cr_assert_eq(partners_of_account(d, sid, &got), DB_OK);
    cr_assert_str_eq(got.public_id, a.public_id);
    cr_assert_str_eq(got.kind, "provider");
    cr_assert_eq(partners_of_account(d, oid, &got), DB_ENOTFOUND);
    cr_assert_eq(partners_attach_account(d, 999999, a.id), DB_ENOTFOUND);
    cr_assert_eq(partners_attach_account(d, oid, 999999), DB_ECONSTRAINT,
                 "no such partner: the foreign key refuses it");
    db_close(d);
}

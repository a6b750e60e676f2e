/*
 * Tests of NIK/KK protection at rest (src/store/pii.c): encryption round trip,
 * forged or foreign ciphertexts refused, blind index stable and key-dependent,
 * and the key file's permissions enforced both ways.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "tmpdb.h"
#include "store/pii.h"

TestSuite(pii, .init = tmpdb_setup, .fini = tmpdb_teardown);

static void load_new_keys(const char *name, struct pii_keys *k)
{
    char err[256] = "";

    cr_assert_eq(pii_key_create(tmpdb_path(name)), 0, "%s", strerror(errno));
    cr_assert_eq(pii_key_load(tmpdb_path(name), k, err, sizeof err), 0, "%s", err);
}

Test(pii, key_file_is_0600_hex_and_not_overwritten)
{
    struct stat st;
    char before[80] = "", after[80] = "";
    FILE *f;

    cr_assert_eq(pii_key_create(tmpdb_path("pii.key")), 0);
    cr_assert_eq(stat(tmpdb_path("pii.key"), &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0600, "mode is %o", st.st_mode & 07777);
    f = fopen(tmpdb_path("pii.key"), "r");
    cr_assert_not_null(fgets(before, sizeof before, f));
    fclose(f);
    cr_assert_eq(strlen(before), 65);
    cr_assert_eq(strspn(before, "0123456789abcdef"), 64);
    cr_assert_eq(pii_key_create(tmpdb_path("pii.key")), 0, "an existing key file is kept");
    f = fopen(tmpdb_path("pii.key"), "r");
    cr_assert_not_null(fgets(after, sizeof after, f));
    fclose(f);
    cr_assert_str_eq(before, after);
}

Test(pii, key_file_readable_by_others_is_refused)
{
    struct pii_keys k;
    char err[256] = "";

    cr_assert_eq(pii_key_create(tmpdb_path("pii.key")), 0);
    cr_assert_eq(chmod(tmpdb_path("pii.key"), 0644), 0);
    cr_assert_eq(pii_key_load(tmpdb_path("pii.key"), &k, err, sizeof err), -1);
    cr_assert_neq(strstr(err, "0600"), NULL, "%s", err);
    cr_assert_eq(chmod(tmpdb_path("pii.key"), 0640), 0);
    cr_assert_eq(pii_key_load(tmpdb_path("pii.key"), &k, err, sizeof err), -1);
    cr_assert_eq(chmod(tmpdb_path("pii.key"), 0600), 0);
    cr_assert_eq(pii_key_load(tmpdb_path("pii.key"), &k, err, sizeof err), 0, "%s", err);
}

Test(pii, missing_or_malformed_key_file_is_refused)
{
    struct pii_keys k;
    char err[256] = "";
    int fd;

    cr_assert_eq(pii_key_load(tmpdb_path("none.key"), &k, err, sizeof err), -1);
    fd = open(tmpdb_path("bad.key"), O_WRONLY | O_CREAT | O_EXCL, 0600);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, "abcd\n", 5), 5);
    close(fd);
    cr_assert_eq(pii_key_load(tmpdb_path("bad.key"), &k, err, sizeof err), -1);
    cr_assert_neq(strstr(err, "malformed"), NULL, "%s", err);
}

Test(pii, round_trip_with_random_nonces)
{
    struct pii_keys k;
    char ct1[PII_CT_MAX], ct2[PII_CT_MAX], plain[32];

    load_new_keys("pii.key", &k);
    cr_assert_eq(pii_encrypt(&k, "3509154712990001", ct1), 0);
    cr_assert_eq(pii_encrypt(&k, "3509154712990001", ct2), 0);
    cr_assert_str_neq(ct1, ct2, "each value gets its own nonce");
    cr_assert_null(strstr(ct1, "3509154712990001"));
    cr_assert_null(strchr(ct1, '='), "base64 without padding");
    cr_assert_lt(strlen(ct1), PII_CT_MAX);
    cr_assert_eq(pii_decrypt(&k, ct1, plain, sizeof plain), 0);
    cr_assert_str_eq(plain, "3509154712990001");
    cr_assert_eq(pii_decrypt(&k, ct2, plain, sizeof plain), 0);
    cr_assert_str_eq(plain, "3509154712990001");
    cr_assert_eq(pii_decrypt(&k, ct1, plain, 16), -1, "a buffer without room for the NUL");
}

Test(pii, forged_or_foreign_ciphertext_is_refused)
{
    struct pii_keys k, other;
    char ct[PII_CT_MAX], forged[PII_CT_MAX], plain[32];
    size_t mid;

    load_new_keys("a.key", &k);
    load_new_keys("b.key", &other);
    cr_assert_eq(pii_encrypt(&k, "3509154712990001", ct), 0);
    memcpy(forged, ct, sizeof ct);
    mid = strlen(forged) / 2;
    forged[mid] = forged[mid] == 'A' ? 'B' : 'A';
    cr_assert_eq(pii_decrypt(&k, forged, plain, sizeof plain), -1);
    cr_assert_eq(pii_decrypt(&other, ct, plain, sizeof plain), -1, "another key cannot open it");
    cr_assert_eq(pii_decrypt(&k, "", plain, sizeof plain), -1);
    cr_assert_eq(pii_decrypt(&k, "not base64 !!", plain, sizeof plain), -1);
    forged[10] = '\0';
    cr_assert_eq(pii_decrypt(&k, forged, plain, sizeof plain), -1, "truncated");
    cr_assert_str_eq(plain, "");
}

Test(pii, overlong_plaintext_is_refused)
{
    struct pii_keys k;
    char ct[PII_CT_MAX], big[200];

    load_new_keys("pii.key", &k);
    memset(big, '7', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cr_assert_eq(pii_encrypt(&k, big, ct), -1);
    big[16] = '\0';
    cr_assert_eq(pii_encrypt(&k, big, ct), 0);
}

Test(pii, blind_index_is_stable_domain_separated_and_keyed)
{
    struct pii_keys k, k2, other;
    char a[PII_BIDX_LEN + 1], b[PII_BIDX_LEN + 1], c[PII_BIDX_LEN + 1];
    char err[256];

    load_new_keys("a.key", &k);
    cr_assert_eq(pii_key_load(tmpdb_path("a.key"), &k2, err, sizeof err), 0);
    load_new_keys("b.key", &other);
    pii_blind_index(&k, "nik", "3509154712990001", a);
    pii_blind_index(&k2, "nik", "3509154712990001", b);
    cr_assert_str_eq(a, b, "same key file, same index");
    cr_assert_eq(strlen(a), PII_BIDX_LEN);
    cr_assert_eq(strspn(a, "0123456789abcdef"), PII_BIDX_LEN);
    pii_blind_index(&k, "kk", "3509154712990001", c);
    cr_assert_str_neq(a, c, "domains are separated");
    pii_blind_index(&other, "nik", "3509154712990001", c);
    cr_assert_str_neq(a, c, "depends on the key");
    pii_blind_index(&k, "nik", "3509154712990002", c);
    cr_assert_str_neq(a, c);
    cr_assert_eq(memcmp(k.enc, k.idx, sizeof k.enc) != 0, 1, "two distinct subkeys");
}

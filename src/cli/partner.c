/*
 * partner: `prakerja partner create | list | key | revoke-key | suspend |
 * activate`, partner organisations and their API keys (store/partners.h).
 *
 * A key's secret is printed exactly once, by `create` and `key`, on stdout
 * beside the partner and key ids (one "name value" pair per line, so a script
 * can read them), with a warning on stderr; the database keeps it only
 * encrypted under the PII key, so these commands need the key file (--key, else
 * PRAKERJA_KEY, else the SQLite path + ".key"). Each change is one db_txn
 * together with its audit entry (actor "cli"); nothing is written when a check
 * fails. Exit status: 0 done, 1 refused or failed (the reason on stderr), 2 usage.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/errors.h"
#include "store/audit.h"
#include "store/partners.h"

static const char *const WARNING =
    "WARNING: the secret above is shown only this once and cannot be shown again.\n"
    "Give it to the partner over a safe channel now. If it is lost, make a new key with\n"
    "`prakerja partner key PARTNER_ID` and revoke the old one with `prakerja partner\n"
    "revoke-key KEY_ID`.\n";

static void iso(int64_t t, char out[21])
{
    struct tm tm;
    time_t tt = (time_t)t;

    if (!gmtime_r(&tt, &tm) || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        strcpy(out, "?");
}

/* Opens the database (schema current) and, with keys, loads the PII key. */
static int open_db(const char *cmd, const char *db_opt, const char *key_opt, db **d,
                   struct pii_keys *keys)
{
    char keyp[1024], err[512];
    const char *path = cli_db_path(db_opt);

    if (keys) {
        if (cli_key_path(path, key_opt, keyp, sizeof keyp) < 0)
            return -1;
        if (pii_key_load(keyp, keys, err, sizeof err) < 0) {
            fprintf(stderr, "prakerja %s: %s\n", cmd, err);
            return -1;
        }
    }
    if (cli_open(path, 1, d) < 0) {
        if (keys)
            sodium_memzero(keys, sizeof *keys);
        return -1;
    }
    return 0;
}

static void print_key(const char *key_id, const char *secret_hex)
{
    printf("key_id      %s\n", key_id);
    printf("secret      %s\n", secret_hex);
    fflush(stdout);
    fputs(WARNING, stderr);
}

/* ---- create ---- */

struct create_ctx {
    const struct partner_clean *in;
    const struct pii_keys *keys;
    int64_t now;
    struct partner p;
    char key_id[PARTNERS_KEY_ID_LEN + 1];
    char secret[PARTNERS_SECRET_HEX + 1];
};

static int create_txn(db *d, void *arg)
{
    struct create_ctx *c = arg;
    int rc;

    if ((rc = partners_insert(d, c->in, c->now, &c->p)) != DB_OK ||
        (rc = audit_append(d, c->now, "cli", "partner.create", c->p.public_id, c->p.kind)) != DB_OK)
        return rc;
    if ((rc = partners_key_create(d, c->keys, c->p.id, c->now, c->key_id, c->secret)) != DB_OK)
        return rc;
    return audit_append(d, c->now, "cli", "partner.key_create", c->key_id, c->p.public_id);
}

static void create_usage(FILE *f)
{
    fprintf(f,
            "Usage: prakerja partner create --kind platform|provider|payment --name N\n"
            "           [--legal-name L] [--tax-id NPWP] [--email E] [--phone P]\n"
            "           [--db PATH] [--key FILE]\n\n"
            "Adds a partner (status active) with its first API key, and prints the partner\n"
            "id, the key id and the key's secret. The secret is shown only this once.\n\n"
            "  --kind K          platform (digital platform), provider (training provider)\n"
            "                    or payment (payment partner)\n"
            "  --name N          the name shown to participants (1..%d bytes)\n"
            "  --legal-name L    the registered legal name (required for providers)\n"
            "  --tax-id NPWP     15 or 16 digits, dots and hyphens allowed (required for\n"
            "                    providers)\n"
            "  --email E         contact email\n"
            "  --phone P         contact phone (Indonesian number)\n"
            "  --db PATH         database (default $PRAKERJA_DB or %s)\n"
            "  --key FILE        PII key file (default $PRAKERJA_KEY or the database + .key)\n",
            PARTNERS_NAME_MAX, CLI_DEFAULT_DB);
}

static int cmd_create(int argc, char **argv)
{
    const char *db_opt = NULL, *key_opt = NULL;
    struct partner_new in = {0};
    const struct cli_opt opts[] = {
        {"kind", &in.kind, NULL},
        {"name", &in.name, NULL},
        {"legal-name", &in.legal_name, NULL},
        {"tax-id", &in.tax_id, NULL},
        {"email", &in.email, NULL},
        {"phone", &in.phone, NULL},
        {"db", &db_opt, NULL},
        {"key", &key_opt, NULL},
        {NULL, NULL, NULL},
    };
    struct field_error errs[PARTNERS_FIELDS];
    struct partner_clean clean;
    struct pii_keys keys;
    struct create_ctx c;
    char *pos[1];
    int npos, help, n, rc;
    db *d = NULL;

    if ((rc = cli_parse("partner create", argc, argv, opts, pos, 0, &npos, &help)) != 0)
        return rc;
    if (help) {
        create_usage(stdout);
        return 0;
    }
    if (!in.kind || !in.name)
        return cli_usage_error("partner create", "--kind and --name are required", NULL);
    n = partners_validate(&in, &clean, errs, PARTNERS_FIELDS);
    if (n > 0) {
        for (int i = 0; i < n; i++)
            fprintf(stderr, "prakerja partner create: %s: %s (%s)\n", errs[i].field,
                    err_text(errs[i].code, "en"), errs[i].code);
        return 1;
    }
    if (open_db("partner create", db_opt, key_opt, &d, &keys) < 0)
        return 1;
    memset(&c, 0, sizeof c);
    c.in = &clean;
    c.keys = &keys;
    c.now = cli_now();
    rc = db_txn(d, create_txn, &c);
    sodium_memzero(&keys, sizeof keys);
    if (rc != DB_OK) {
        fprintf(stderr, "prakerja partner create: %s\n", db_errmsg(d));
        db_close(d);
        sodium_memzero(c.secret, sizeof c.secret);
        return 1;
    }
    db_close(d);
    printf("created %s partner %s\n", c.p.kind, c.p.name);
    printf("partner_id  %s\n", c.p.public_id);
    print_key(c.key_id, c.secret);
    sodium_memzero(c.secret, sizeof c.secret);
    return 0;
}

/* ---- list ---- */

struct list_ctx {
    db *d;
    int keys;
};

static int list_key(const struct partner_key *k, void *arg)
{
    char created[21], revoked[21];

    (void)arg;
    iso(k->created_at, created);
    if (k->revoked_at) {
        iso(k->revoked_at, revoked);
        printf("    %s  created %s  revoked %s\n", k->key_id, created, revoked);
    } else {
        printf("    %s  created %s  active\n", k->key_id, created);
    }
    return 0;
}

static int list_one(const struct partner *p, void *arg)
{
    struct list_ctx *c = arg;

    printf("%-26s  %-8s  %-9s  %4d  %s\n", p->public_id, p->kind, p->status, p->active_keys,
           p->name);
    if (c->keys)
        return partners_keys_each(c->d, p->id, list_key, NULL);
    return 0;
}

static int cmd_list(int argc, char **argv)
{
    const char *db_opt = NULL;
    int keys = 0, npos, help, rc;
    const struct cli_opt opts[] = {
        {"db", &db_opt, NULL},
        {"keys", NULL, &keys},
        {NULL, NULL, NULL},
    };
    struct list_ctx c;
    char *pos[1];
    db *d = NULL;

    if ((rc = cli_parse("partner list", argc, argv, opts, pos, 0, &npos, &help)) != 0)
        return rc;
    if (help) {
        printf("Usage: prakerja partner list [--keys] [--db PATH]\n\n"
               "Every partner: id, kind, status, number of active keys and name, in the\n"
               "order they were added. --keys lists each partner's keys below it.\n");
        return 0;
    }
    if (open_db("partner list", db_opt, NULL, &d, NULL) < 0)
        return 1;
    printf("%-26s  %-8s  %-9s  %4s  %s\n", "PARTNER_ID", "KIND", "STATUS", "KEYS", "NAME");
    c = (struct list_ctx){d, keys};
    rc = partners_each(d, list_one, &c);
    if (rc != DB_OK)
        fprintf(stderr, "prakerja partner list: %s\n", db_errmsg(d));
    db_close(d);
    return rc == DB_OK ? 0 : 1;
}

/* ---- key ---- */

struct key_ctx {
    const char *partner_pid;
    const struct pii_keys *keys;
    int64_t now;
    struct partner p;
    char key_id[PARTNERS_KEY_ID_LEN + 1];
    char secret[PARTNERS_SECRET_HEX + 1];
};

static int key_txn(db *d, void *arg)
{
    struct key_ctx *c = arg;
    int rc;

    if ((rc = partners_by_public_id(d, c->partner_pid, &c->p)) != DB_OK)
        return rc;
    if ((rc = partners_key_create(d, c->keys, c->p.id, c->now, c->key_id, c->secret)) != DB_OK)
        return rc;
    return audit_append(d, c->now, "cli", "partner.key_create", c->key_id, c->p.public_id);
}

static int cmd_key(int argc, char **argv)
{
    const char *db_opt = NULL, *key_opt = NULL;
    const struct cli_opt opts[] = {
        {"db", &db_opt, NULL},
        {"key", &key_opt, NULL},
        {NULL, NULL, NULL},
    };
    struct pii_keys keys;
    struct key_ctx c;
    char *pos[1];
    int npos, help, rc;
    db *d = NULL;

    if ((rc = cli_parse("partner key", argc, argv, opts, pos, 1, &npos, &help)) != 0)
        return rc;
    if (help) {
        printf("Usage: prakerja partner key PARTNER_ID [--db PATH] [--key FILE]\n\n"
               "Makes another API key for the partner and prints its id and secret, shown\n"
               "only this once. The partner's other keys keep working until revoked.\n");
        return 0;
    }
    if (npos != 1)
        return cli_usage_error("partner key", "give the PARTNER_ID", NULL);
    if (open_db("partner key", db_opt, key_opt, &d, &keys) < 0)
        return 1;
    memset(&c, 0, sizeof c);
    c.partner_pid = pos[0];
    c.keys = &keys;
    c.now = cli_now();
    rc = db_txn(d, key_txn, &c);
    sodium_memzero(&keys, sizeof keys);
    if (rc == DB_ENOTFOUND)
        fprintf(stderr, "prakerja partner key: no partner has the id %s\n", pos[0]);
    else if (rc != DB_OK)
        fprintf(stderr, "prakerja partner key: %s\n", db_errmsg(d));
    db_close(d);
    if (rc != DB_OK) {
        sodium_memzero(c.secret, sizeof c.secret);
        return 1;
    }
    printf("new key for %s partner %s\n", c.p.kind, c.p.name);
    printf("partner_id  %s\n", c.p.public_id);
    print_key(c.key_id, c.secret);
    sodium_memzero(c.secret, sizeof c.secret);
    return 0;
}

/* ---- revoke-key ---- */

struct revoke_ctx {
    const char *key_id;
    int64_t now, at;
    int already;
};

static int revoke_txn(db *d, void *arg)
{
    struct revoke_ctx *c = arg;
    int rc = partners_key_revoke(d, c->key_id, c->now, &c->already, &c->at);

    if (rc != DB_OK || c->already)
        return rc;
    return audit_append(d, c->now, "cli", "partner.key_revoke", c->key_id, NULL);
}

static int cmd_revoke(int argc, char **argv)
{
    const char *db_opt = NULL;
    const struct cli_opt opts[] = {{"db", &db_opt, NULL}, {NULL, NULL, NULL}};
    struct revoke_ctx c;
    char *pos[1], when[21];
    int npos, help, rc;
    db *d = NULL;

    if ((rc = cli_parse("partner revoke-key", argc, argv, opts, pos, 1, &npos, &help)) != 0)
        return rc;
    if (help) {
        printf("Usage: prakerja partner revoke-key KEY_ID [--db PATH]\n\n"
               "Revokes an API key at once: requests signed with it are refused with\n"
               "partner.revoked_key. A revoked key cannot be used again.\n");
        return 0;
    }
    if (npos != 1)
        return cli_usage_error("partner revoke-key", "give the KEY_ID", NULL);
    if (open_db("partner revoke-key", db_opt, NULL, &d, NULL) < 0)
        return 1;
    c = (struct revoke_ctx){.key_id = pos[0], .now = cli_now()};
    rc = db_txn(d, revoke_txn, &c);
    if (rc == DB_ENOTFOUND)
        fprintf(stderr, "prakerja partner revoke-key: no key has the id %s\n", pos[0]);
    else if (rc != DB_OK)
        fprintf(stderr, "prakerja partner revoke-key: %s\n", db_errmsg(d));
    db_close(d);
    if (rc != DB_OK)
        return 1;
    iso(c.at, when);
    if (c.already)
        printf("key %s was already revoked at %s\n", c.key_id, when);
    else
        printf("revoked key %s\n", c.key_id);
    return 0;
}

/* ---- suspend / activate ---- */

struct status_ctx {
    const char *partner_pid, *status;
    int64_t now;
    struct partner p;
    int changed;
};

static int status_txn(db *d, void *arg)
{
    struct status_ctx *c = arg;
    int rc;

    if ((rc = partners_by_public_id(d, c->partner_pid, &c->p)) != DB_OK ||
        (rc = partners_set_status(d, c->p.id, c->status, &c->changed)) != DB_OK || !c->changed)
        return rc;
    return audit_append(d, c->now, "cli",
                        strcmp(c->status, "suspended") == 0 ? "partner.suspend"
                                                            : "partner.activate",
                        c->p.public_id, NULL);
}

static int cmd_status(const char *cmd, const char *status, int argc, char **argv)
{
    const char *db_opt = NULL;
    const struct cli_opt opts[] = {{"db", &db_opt, NULL}, {NULL, NULL, NULL}};
    char *pos[1], full[32];
    struct status_ctx c;
    int npos, help, rc;
    db *d = NULL;

    snprintf(full, sizeof full, "partner %s", cmd);
    if ((rc = cli_parse(full, argc, argv, opts, pos, 1, &npos, &help)) != 0)
        return rc;
    if (help) {
        if (strcmp(status, "suspended") == 0)
            printf("Usage: prakerja partner suspend PARTNER_ID [--db PATH]\n\n"
                   "Suspends a partner: its signed requests and its staff are refused with\n"
                   "partner.suspended until `prakerja partner activate`. Keys are kept.\n");
        else
            printf("Usage: prakerja partner activate PARTNER_ID [--db PATH]\n\n"
                   "Lets a suspended partner in again, with the keys it had.\n");
        return 0;
    }
    if (npos != 1)
        return cli_usage_error(full, "give the PARTNER_ID", NULL);
    if (open_db(full, db_opt, NULL, &d, NULL) < 0)
        return 1;
    c = (struct status_ctx){.partner_pid = pos[0], .status = status, .now = cli_now()};
    rc = db_txn(d, status_txn, &c);
    if (rc == DB_ENOTFOUND)
        fprintf(stderr, "prakerja %s: no partner has the id %s\n", full, pos[0]);
    else if (rc != DB_OK)
        fprintf(stderr, "prakerja %s: %s\n", full, db_errmsg(d));
    db_close(d);
    if (rc != DB_OK)
        return 1;
    if (c.changed)
        printf("partner %s (%s) is now %s\n", c.p.public_id, c.p.name, status);
    else
        printf("partner %s (%s) was already %s\n", c.p.public_id, c.p.name, status);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "Usage: prakerja partner COMMAND [OPTIONS]\n\n"
               "  create --kind K --name N ...   add a partner and its first API key\n"
               "  list [--keys]                  every partner (and its keys)\n"
               "  key PARTNER_ID                 another API key for a partner\n"
               "  revoke-key KEY_ID              revoke an API key\n"
               "  suspend PARTNER_ID             refuse the partner's requests\n"
               "  activate PARTNER_ID            accept them again\n\n"
               "Each command has --help. Secrets are printed once, by create and key.\n");
}

int cli_partner(int argc, char **argv)
{
    const char *sub = argc >= 2 ? argv[1] : NULL;

    if (!sub)
        return cli_usage_error("partner", "missing subcommand", NULL);
    if (strcmp(sub, "create") == 0)
        return cmd_create(argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (strcmp(sub, "key") == 0)
        return cmd_key(argc - 1, argv + 1);
    if (strcmp(sub, "revoke-key") == 0)
        return cmd_revoke(argc - 1, argv + 1);
    if (strcmp(sub, "suspend") == 0)
        return cmd_status("suspend", "suspended", argc - 1, argv + 1);
    if (strcmp(sub, "activate") == 0)
        return cmd_status("activate", "active", argc - 1, argv + 1);
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    return cli_usage_error("partner", "unknown subcommand", sub);
}

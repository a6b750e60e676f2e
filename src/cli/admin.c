/*
 * admin: `prakerja admin create`, staff accounts (admin, analyst, coordinator),
 * which have no NIK. The password comes from stdin (--password-stdin, one line)
 * or is asked twice on the terminal with echo off; it is hashed with argon2id
 * (crypto_pwhash_str, interactive limits, as the API does) and never printed.
 * Staff emails count as verified: the operator vouches for them.
 *
 * With --partner PARTNER_ID the account is staff of a partner (issue 5): its
 * role is the partner kind's (provider, platform, payment_partner; --role may
 * name it, nothing else), and accounts.partner_id is set in the same
 * transaction as the insert, so the web app's partner pages act for that partner.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/account.h"
#include "store/accounts.h"
#include "store/audit.h"
#include "store/partners.h"
#include "store/regions.h"

static int utf8_count(const char *s)
{
    int n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

int cli_password_ok(const char *pw)
{
    size_t len = strlen(pw);
    return len <= ACCOUNT_PASSWORD_MAX && utf8_count(pw) >= ACCOUNT_PASSWORD_MIN;
}

int cli_staff_insert(db *d, const char *email, const char *name, const char *role,
                     const char *scope, const char *password, int64_t *id_out)
{
    char hash[crypto_pwhash_STRBYTES], pid[ACCOUNTS_PUBLIC_ID_LEN + 1];
    struct account_new in;
    int64_t id = 0, now = cli_now();
    int rc;

    if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        fprintf(stderr, "prakerja: out of memory hashing the password\n");
        return -1;
    }
    memset(&in, 0, sizeof in);
    in.role = role;
    in.email = email;
    in.password_hash = hash;
    in.full_name = name;
    in.scope_code = scope;
    in.created_at = now;
    rc = accounts_insert(d, &in, &id, pid);
    sodium_memzero(hash, sizeof hash);
    if (rc == DB_ECONSTRAINT)
        return 1;
    if (rc != DB_OK || accounts_set_verified(d, id, "email", now) != DB_OK) {
        fprintf(stderr, "prakerja: cannot create the account: %s\n", db_errmsg(d));
        return -1;
    }
    if (id_out)
        *id_out = id;
    return 0;
}

/* Reads one line (without its newline) into out; -1 on EOF or when too long. */
static int read_line(FILE *f, char *out, size_t outlen)
{
    size_t n;
    if (!fgets(out, (int)outlen, f))
        return -1;
    n = strlen(out);
    if (n && out[n - 1] == '\n')
        out[--n] = '\0';
    else if (!feof(f))
        return -1;
    if (n && out[n - 1] == '\r')
        out[--n] = '\0';
    return 0;
}

static int prompt(const char *what, char *out, size_t outlen)
{
    FILE *tty = fopen("/dev/tty", "r+");
    struct termios old, quiet;
    int rc;
    if (!tty) {
        fprintf(stderr, "prakerja admin create: no terminal to ask for the password; "
                        "use --password-stdin\n");
        return -1;
    }
    fprintf(tty, "%s", what);
    fflush(tty);
    tcgetattr(fileno(tty), &old);
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
    rc = read_line(tty, out, outlen);
    tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fprintf(tty, "\n");
    fclose(tty);
    return rc;
}

struct partner_staff_ctx {
    const char *email, *name, *role, *password;
    const struct partner *p;
};

enum { STAFF_TAKEN = 1, STAFF_FAILED = 2 };  /* partner_staff_txn's own statuses */

static int partner_staff_txn(db *d, void *arg)
{
    struct partner_staff_ctx *c = arg;
    int64_t id = 0;
    int rc;

    switch (cli_staff_insert(d, c->email, c->name, c->role, NULL, c->password, &id)) {
    case 0:
        break;
    case 1:
        return STAFF_TAKEN;
    default:
        return STAFF_FAILED;              /* cli_staff_insert said why */
    }
    if ((rc = partners_attach_account(d, id, c->p->id)) != DB_OK)
        return rc;
    return audit_append(d, cli_now(), "cli", "partner.staff_create", c->p->public_id, c->role);
}

/* A staff account of partner p, made and attached in one transaction. 0 or 1. */
static int staff_of_partner(db *d, const char *email, const char *name, const char *role,
                            const char *password, const struct partner *p)
{
    struct partner_staff_ctx c = {email, name, role, password, p};
    int rc = db_txn(d, partner_staff_txn, &c);

    if (rc == DB_OK) {
        printf("created %s %s for partner %s (%s)\n", role, email, p->public_id, p->name);
        return 0;
    }
    if (rc == STAFF_TAKEN)
        fprintf(stderr, "prakerja admin create: an account with email %s already exists\n",
                email);
    else if (rc != STAFF_FAILED)
        fprintf(stderr, "prakerja admin create: %s\n", db_errmsg(d));
    return 1;
}

static void usage(FILE *f)
{
    fprintf(f, "Usage: prakerja admin create --email E --name N [--role admin|analyst|coordinator]\n"
               "                             [--scope CODE] [--partner PARTNER_ID]\n"
               "                             [--password-stdin] [--db PATH]\n\n"
               "Creates a staff account. Without --password-stdin the password is asked twice\n"
               "on the terminal; it needs at least %d characters.\n\n"
               "  --role R          admin (default), analyst or coordinator; with --partner the\n"
               "                    partner kind's role: provider, platform or payment_partner\n"
               "  --scope CODE      limit the account to a province or regency (\"35\", \"35.09\")\n"
               "  --partner ID      a person working for that partner (see prakerja partner list)\n"
               "  --password-stdin  read the password from the first line of stdin\n"
               "  --db PATH         database (default $PRAKERJA_DB or %s)\n",
               ACCOUNT_PASSWORD_MIN, CLI_DEFAULT_DB);
}

static int cmd_create(int argc, char **argv)
{
    const char *db_opt = NULL, *email = NULL, *name = NULL, *role = NULL, *scope = NULL;
    const char *partner_opt = NULL;
    int from_stdin = 0;
    const struct cli_opt opts[] = {
        {"db", &db_opt, NULL},       {"email", &email, NULL}, {"name", &name, NULL},
        {"role", &role, NULL},       {"scope", &scope, NULL}, {"password-stdin", NULL, &from_stdin},
        {"partner", &partner_opt, NULL}, {NULL, NULL, NULL},
    };
    struct partner partner;
    char *pos[1], pw[ACCOUNT_PASSWORD_MAX + 2], pw2[ACCOUNT_PASSWORD_MAX + 2], lower[256];
    int npos, help, rc;
    struct region reg;
    db *d = NULL;

    if ((rc = cli_parse("admin create", argc, argv, opts, pos, 0, &npos, &help)) != 0)
        return rc;
    if (help) {
        usage(stdout);
        return 0;
    }
    if (!email || !name)
        return cli_usage_error("admin create", "--email and --name are required", NULL);
    if (strlen(email) >= sizeof lower || !email_valid(email))
        return cli_usage_error("admin create", "not a valid email address", email);
    for (size_t i = 0; i <= strlen(email); i++)
        lower[i] = (char)((email[i] >= 'A' && email[i] <= 'Z') ? email[i] + 32 : email[i]);
    if (!*name || strlen(name) > ACCOUNT_NAME_MAX)
        return cli_usage_error("admin create", "--name must have 1..150 bytes", NULL);
    if (partner_opt && scope)
        return cli_usage_error("admin create", "--scope does not go with --partner", NULL);
    if (!partner_opt && !role)
        role = "admin";
    if (!partner_opt && strcmp(role, "admin") && strcmp(role, "analyst") &&
        strcmp(role, "coordinator"))
        return cli_usage_error("admin create", "--role must be admin, analyst or coordinator",
                               role);
    if (partner_opt && role && strcmp(role, "provider") && strcmp(role, "platform") &&
        strcmp(role, "payment_partner"))
        return cli_usage_error("admin create", "with --partner, --role must be provider, "
                               "platform or payment_partner", role);

    if (from_stdin) {
        if (read_line(stdin, pw, sizeof pw) < 0) {
            fprintf(stderr, "prakerja admin create: no password on stdin (or over %d bytes)\n",
                    ACCOUNT_PASSWORD_MAX);
            return 1;
        }
    } else {
        if (prompt("Password: ", pw, sizeof pw) < 0 || prompt("Again: ", pw2, sizeof pw2) < 0)
            return 1;
        if (strcmp(pw, pw2) != 0) {
            fprintf(stderr, "prakerja admin create: the passwords differ\n");
            rc = 1;
            goto out;
        }
    }
    rc = 1;
    if (!cli_password_ok(pw)) {
        fprintf(stderr, "prakerja admin create: the password needs %d..%d characters\n",
                ACCOUNT_PASSWORD_MIN, ACCOUNT_PASSWORD_MAX);
        goto out;
    }
    if (cli_open(cli_db_path(db_opt), 1, &d) < 0)
        goto out;
    if (partner_opt) {
        int prc = partners_by_public_id(d, partner_opt, &partner);
        if (prc != DB_OK) {
            if (prc == DB_ENOTFOUND)
                fprintf(stderr, "prakerja admin create: no partner has the id %s\n", partner_opt);
            else
                fprintf(stderr, "prakerja admin create: %s\n", db_errmsg(d));
            goto out;
        }
        if (role && strcmp(role, partners_kind_role(partner.kind)) != 0) {
            fprintf(stderr, "prakerja admin create: partner %s is a %s; its staff have the role "
                            "%s, not %s\n", partner.public_id, partner.kind,
                    partners_kind_role(partner.kind), role);
            goto out;
        }
        role = partners_kind_role(partner.kind);
        rc = staff_of_partner(d, lower, name, role, pw, &partner);
        goto out;
    }
    if (scope) {
        if (regions_get(d, scope, &reg) != DB_OK ||
            (reg.level != REGION_PROVINCE && reg.level != REGION_REGENCY)) {
            fprintf(stderr, "prakerja admin create: --scope %s is not a province or regency "
                            "code\n", scope);
            goto out;
        }
    }
    switch (cli_staff_insert(d, lower, name, role, scope, pw, NULL)) {
    case 0:
        printf("created %s %s\n", role, lower);
        rc = 0;
        break;
    case 1:
        fprintf(stderr, "prakerja admin create: an account with email %s already exists\n", lower);
        break;
    default:
        break;
    }
out:
    sodium_memzero(pw, sizeof pw);
    sodium_memzero(pw2, sizeof pw2);
    db_close(d);
    return rc;
}

int cli_admin(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "create") == 0)
        return cmd_create(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("Usage: prakerja admin create [OPTIONS]\n\nSee `prakerja admin create --help`.\n");
        return 0;
    }
    return cli_usage_error("admin", argc >= 2 ? "unknown subcommand" : "missing subcommand",
                           argc >= 2 ? argv[1] : NULL);
}

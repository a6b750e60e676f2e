/*
 * cli: the commands of the prakerja binary, one file per group (serve.c, db.c,
 * admin.c, outbox.c, import.c, demo.c), and the helpers they share (common.c):
 * where the database and key file are, opening the database with a schema check,
 * and the bulk account writer that `import accounts` and `demo` both use.
 *
 * Each command takes its own argv (argv[0] is the command name), prints --help
 * to stdout and exits 0, reports a usage error on stderr and returns 2, and
 * otherwise returns the process exit status (0 ok, 1 failed).
 */
#ifndef PK_CLI_H
#define PK_CLI_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/db.h"
#include "store/pii.h"

#define CLI_DEFAULT_DB "data/prakerja.db"
#define CLI_EXIT_USAGE 2

int cli_serve(int argc, char **argv);
int cli_db(int argc, char **argv);
int cli_admin(int argc, char **argv);
int cli_outbox(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_scheme(int argc, char **argv);        /* scheme.c */
int cli_exclusion(int argc, char **argv);     /* exclusion.c */
int cli_wave(int argc, char **argv);          /* wave.c */
int cli_revoke_expired(int argc, char **argv); /* revoke.c */
int cli_partner(int argc, char **argv);       /* partner.c */
int cli_course(int argc, char **argv);        /* course.c */
int cli_ledger(int argc, char **argv);        /* ledger.c */

/* The database address: opt when given, else $PRAKERJA_DB, else CLI_DEFAULT_DB. */
const char *cli_db_path(const char *opt);
/* The key file: opt when given, else the database path + ".key". 0, or -1 if too long. */
int cli_key_path(const char *db_path, const char *opt, char *out, size_t outlen);
/* Opens the database; with need_current, fails unless every migration is applied
 * (telling the user to run `prakerja db migrate`). Prints the reason on failure.
 * Returns 0 or -1. */
int cli_open(const char *path, int need_current, db **out);
/* A usage error: prints "prakerja CMD: MSG" and a pointer to --help on stderr;
 * returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *msg, const char *arg);
/* One long option: val (takes a value) or flag (a switch), exactly one non-NULL. */
struct cli_opt {
    const char *name;                /* without the leading "--" */
    const char **val;
    int *flag;
};
/* Parses argv[1..] as --name VALUE, --name=VALUE, --flag and up to maxpos
 * positional arguments (into pos). Sets *help on --help/-h and stops. Returns 0,
 * or CLI_EXIT_USAGE after printing what was wrong (unknown option, missing value,
 * too many arguments). opts ends with a row whose name is NULL. */
int cli_parse(const char *cmd, int argc, char **argv, const struct cli_opt *opts, char **pos,
              int maxpos, int *npos, int *help);
/* Parses a decimal integer in [min, max]; 0 or -1. */
int cli_parse_long(const char *s, long min, long max, long *out);
/* 1 when pw has ACCOUNT_PASSWORD_MIN..ACCOUNT_PASSWORD_MAX characters/bytes. */
int cli_password_ok(const char *pw);
/* Creates a staff (or, with role "participant", a plain) account with an argon2id
 * hash of password and its email marked verified. Returns 0 created (id in
 * *id_out, may be NULL), 1 when the email is taken, -1 on failure (printed). */
int cli_staff_insert(db *d, const char *email, const char *name, const char *role,
                     const char *scope, const char *password, int64_t *id_out);
/* Current time as int64 Unix seconds UTC. */
int64_t cli_now(void);

/*
 * Bulk account writer. Rows are prepared (validated, encrypted, checked for
 * duplicates) by a producer thread and written by the calling thread, either in
 * one transaction with the indexes rebuilt at the end or in batches; see bulk.c.
 */
enum bulk_text {                     /* the text fields of a bulk_row, for len[] */
    BULK_PUBLIC_ID, BULK_EMAIL, BULK_PHONE, BULK_FULL_NAME, BULK_NIK_ENC, BULK_NIK_BIDX,
    BULK_KK_ENC, BULK_KK_BIDX, BULK_BIRTH_DATE, BULK_SEX, BULK_VILLAGE, BULK_REGENCY,
    BULK_EDUCATION, BULK_OCCUPATION, BULK_NTEXT
};
struct bulk_row {
    long line;                       /* source line (CSV) or ordinal (demo) */
    unsigned short len[BULK_NTEXT];  /* byte length of each text field */
    char public_id[27];
    char email[256];
    char phone[17];
    char full_name[256];
    char nik_enc[PII_CT_MAX];
    char nik_bidx[PII_BIDX_LEN + 1];
    char kk_enc[PII_CT_MAX];
    char kk_bidx[PII_BIDX_LEN + 1];
    char birth_date[11];
    char sex[2];
    char village_code[16];
    char regency_code[8];
    char education[16];
    char occupation[24];
    char nik[17], kk[17];            /* plaintext until encrypted, then wiped */
    int synthetic;
};

struct bulk;
/* The producer: called on its own thread; fills rows through bulk_add and
 * returns 0, or -1 on a fatal error (the whole run then fails). */
typedef int (*bulk_producer_fn)(struct bulk *b, void *ctx);

struct bulk_stats {
    long imported;
    long rejected;                   /* counted by the producer through bulk_reject */
};

/* Prepares the shared state: loads the district and village codes, and makes
 * libsodium draw its random bytes from a pool until bulk_close (see bulk.c).
 * Returns 0, or -1 with a message printed. */
int bulk_open(struct bulk **out, db *d, const struct pii_keys *keys);
void bulk_close(struct bulk *b);
/* Sets the connection up for a bulk load: a 2 GiB page cache, rarer checkpoints,
 * and no foreign key checks (bulk_add has already checked each village against
 * the regions). Commits stay synchronous=FULL: every row bulk_run reports as
 * imported is durable when it returns. */
void bulk_tune(db *d);
/* Runs producer on a second thread while this thread writes what it emits. The
 * NIK blind indexes, emails and phones already stored are loaded first (for
 * duplicate checks). On SQLite, when the rows expected (the bulk_progress total)
 * are at least half the rows already there, the whole load is one transaction
 * that drops the indexes of accounts and builds them again at the end, and any
 * failure (including a fatal producer error) rolls all of it back; otherwise
 * each batch is its own transaction. Returns 0 when the producer and every write
 * succeeded, else -1. */
int bulk_run(struct bulk *b, bulk_producer_fn producer, void *ctx, struct bulk_stats *st);

/* For producers. Validation input: NULL fields are absent. */
struct bulk_input {
    const char *email, *full_name, *nik, *kk, *birth_date, *sex, *phone, *village_code,
        *education, *occupation;
};
/* Validates in (like the API, without a password), checks duplicates against the
 * database and earlier rows, encrypts, and queues the row. Returns 1 when queued,
 * 0 when rejected (reported on stderr as "line N: field code, ..." unless quiet),
 * -1 on a fatal error. */
int bulk_add(struct bulk *b, long line, const struct bulk_input *in, int synthetic, int quiet);
/* Reports and counts a row rejected before validation (e.g. a malformed cell). */
struct field_error;
void bulk_reject(struct bulk *b, long line, const struct field_error *errs, int n);
/* District/regency lookups for the demo generator (sorted digit codes). */
const int64_t *bulk_codes(struct bulk *b, int level, int *n);
/* Progress shown by the producer; total 0 = unknown. total is also the number of
 * rows bulk_run expects, which picks how it writes. */
void bulk_progress(struct bulk *b, const char *what, long total);

#endif

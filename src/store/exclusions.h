/*
 * exclusions (store): NIK exclusion lists from other programs (migration 0003:
 * exclusion_lists, exclusion_entries), such as recipients of other aid (DTKS,
 * BSU, BPUM) that the 2020-2022 scheme barred, or any list an agency must keep
 * out of the program. Entries are NIK blind indexes (pii.h); no NIK is stored.
 *
 * A list is imported from a CSV file with a header row that has a `nik` column
 * (other columns are ignored). A NIK that is not 16 digits is reported with its
 * line number and skipped; a NIK given twice in the file is kept once. Importing
 * a code that exists replaces its entries in one transaction: a failure leaves
 * the old list whole. Functions return DB_OK or a negative DB_E*.
 */
#ifndef PK_STORE_EXCLUSIONS_H
#define PK_STORE_EXCLUSIONS_H
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "store/pii.h"

#define EXCLUSION_CODE_MAX 40           /* bytes: [a-z0-9_-], 2..40 */
#define EXCLUSION_NAME_MAX 120          /* bytes of UTF-8 */

struct exclusion_list {
    int64_t id;
    char code[EXCLUSION_CODE_MAX + 1];
    char name[EXCLUSION_NAME_MAX + 1];
    int aid;                            /* 0/1: a list of other-aid recipients */
    int64_t entries;
    int64_t imported_at;
};

/* 1 when code is a valid list code, else 0. */
int exclusions_code_valid(const char *code);
/* 1 when name is a valid list name (1..EXCLUSION_NAME_MAX bytes of UTF-8 without
 * control characters), else 0. */
int exclusions_name_valid(const char *name);

/* Called for each rejected line (why is static English text, e.g. "nik is not 16
 * digits"); never given the value. */
typedef void (*exclusions_reject_fn)(void *ctx, long line, const char *why);
/* Called now and then while reading ("read", lines done of total) and writing
 * ("write", entries done of total); total 0 = unknown. */
typedef void (*exclusions_progress_fn)(void *ctx, const char *phase, long done, long total);

struct exclusions_import_opts {
    const char *code;                   /* checked with exclusions_code_valid */
    const char *name;                   /* NULL = the code */
    int aid;
    int64_t now;                        /* imported_at */
    exclusions_reject_fn reject;        /* may be NULL */
    exclusions_progress_fn progress;    /* may be NULL */
    void *ctx;                          /* for both callbacks */
};

struct exclusions_import_stats {
    long taken;                         /* distinct NIKs now on the list */
    long rejected;                      /* lines that were not a 16-digit NIK */
    long duplicates;                    /* lines whose NIK an earlier line gave */
    int replaced;                       /* 1 when the code existed before */
    int file_error;                     /* 1 when the import failed because of the
                                           file or the options, not the database */
};

/* Reads path and makes the list o->code hold exactly its NIKs, creating the list
 * or replacing its entries, name and aid flag, in one db_txn of its own (not
 * inside a caller's). A file error (missing, no `nik` column in the header, a CSV
 * syntax error, a field over 64 KiB) fails the whole import with a message in err
 * naming the line, and so does a database error; the list is then as it was.
 * Returns DB_OK, DB_ERR (err filled) or a DB_E*. */
int exclusions_import(db *d, const struct pii_keys *keys, const char *path,
                      const struct exclusions_import_opts *o,
                      struct exclusions_import_stats *st, char *err, size_t errlen);

/* Every list in code order into a malloc'ed array (*out, freed by the caller;
 * NULL when none), *n the count. */
int exclusions_list(db *d, struct exclusion_list **out, int *n);
/* One list by code; DB_ENOTFOUND when there is none. */
int exclusions_get(db *d, const char *code, struct exclusion_list *out);

/* The check: *on_aid (may be NULL) 1 when nik_bidx is on any list marked aid,
 * *on_other (may be NULL) 1 when it is on any other list; else 0. */
int exclusions_lookup(db *d, const char *nik_bidx, int *on_aid, int *on_other);
/* The same, one question at a time. */
int exclusions_on_aid_list(db *d, const char *nik_bidx, int *on);
int exclusions_on_other_list(db *d, const char *nik_bidx, int *on);

#endif

/*
 * account: validation of a participant registration, shared by the JSON API and
 * the bulk CSV import. It checks every field, reports one stable code per bad field
 * (codes in docs/api.md), cross-checks birth date and sex against the NIK, and hands
 * back the cleaned values to store (lower-cased email, +62 phone, parsed NIK). Built
 * for the import's hot path: no allocation, no regex, bounded reads of every input.
 */
#ifndef PK_CORE_ACCOUNT_H
#define PK_CORE_ACCOUNT_H

#include "core/errors.h"
#include "core/nik.h"

#define ACCOUNT_FIELDS 11         /* errs needs this many slots to hold every error */
#define ACCOUNT_EMAIL_MAX 254     /* bytes */
#define ACCOUNT_PASSWORD_MIN 8    /* code points */
#define ACCOUNT_PASSWORD_MAX 128  /* bytes */
#define ACCOUNT_NAME_MAX 150      /* bytes */

struct account_input {
    const char *email, *password, *full_name, *nik, *kk, *birth_date, *sex, *phone,
        *village_code, *education, *occupation;   /* NUL-terminated; NULL = absent */
};

struct account_checks {
    nik_region_fn district_exists;                       /* "350901"; NULL: not checked */
    int (*village_exists)(void *ctx, const char *code);  /* "35.09.15.2001"; NULL: not checked */
    void *ctx;
    int require_password;                                /* 0 for bulk imports */
};

struct account_clean {
    char email[255];             /* lower-cased */
    char phone[17];              /* "+62812..." */
    struct nik_info nik;
    char kk_district[7];
    struct nik_date birth;
    char sex;                    /* 'F' | 'M' */
    char regency_code[6];        /* "35.09", from the village */
};

/* Checks every field of in and appends one field_error per bad field, in the order
   email, password, full_name, nik, kk, birth_date, sex, phone, village_code, education,
   occupation, at most max of them (give ACCOUNT_FIELDS to see them all). Returns how
   many it appended: 0 means the registration is valid and out is complete. An absent
   or empty field is field.required (the password only when chk->require_password; a
   password given to a bulk import is still checked). birth_date.nik_mismatch and
   sex.nik_mismatch are reported only when both sides parsed. The field_error strings
   are static. out is always zeroed first; fields are filled as they pass. */
int account_validate(const struct account_input *in, struct nik_date today,
                     const struct account_checks *chk, struct account_clean *out,
                     struct field_error *errs, int max);

/* Normalises an Indonesian mobile number: "0812...", "62812...", "+62812...", with
   spaces, hyphens or dots between digits, to "+628" followed by 7..12 digits. Returns 0
   and fills out, or -1 (out then holds ""). */
int phone_normalize(const char *in, char out[17]);

/* 1 for a pragmatic local@domain.tld address of at most 254 bytes, ASCII only: local part
   1..64 of letters, digits and !#$%&'*+/=?^_`{|}~.- without leading, trailing or double
   dots; domain of two or more labels (letters, digits, inner hyphens, 1..63 each) ending
   in a top-level label of at least two letters. Else 0. */
int email_valid(const char *email);

/* 1 if s is one of the education values of docs/api.md (none, sd, ... s3), else 0. */
int account_education_valid(const char *s);
/* 1 if s is one of the occupation values of docs/api.md, else 0. */
int account_occupation_valid(const char *s);

/* Parses "YYYY-MM-DD" into a real calendar date; 0, or -1 if it is anything else. */
int account_parse_date(const char *s, struct nik_date *out);

#endif

/*
 * errors: the one table of stable error codes. Every code the API can answer with
 * is here, with its HTTP status and its text in English and Bahasa Indonesia.
 * Codes never change once released; clients match on them.
 */
#ifndef PK_ERRORS_H
#define PK_ERRORS_H

struct err_def {
    const char *code;      /* "nik.bad_birth_date" */
    int status;            /* HTTP status when it is the reply's own code */
    const char *en;
    const char *id;
};

/* A problem with one input field. */
struct field_error {
    const char *field;     /* "nik" */
    const char *code;      /* "nik.bad_birth_date" */
};

/* The row for code, or NULL for an unknown code. */
const struct err_def *err_lookup(const char *code);
/* Text in lang ("en" or "id"; anything else gives "id"); the code itself if unknown. */
const char *err_text(const char *code, const char *lang);
/* The whole table, for tests and docs. */
const struct err_def *err_table(int *n);

#endif

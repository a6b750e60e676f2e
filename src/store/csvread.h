/*
 * csvread: reading a CSV file (RFC 4180, libcsv) for the store's file imports
 * (civreg's civil-registry stand-in, exclusions' NIK lists). The file is fed to
 * libcsv one physical line at a time, so a callback knows the line a field ends
 * on (c->line when the field arrives: a record's line, unless a quoted field
 * spans lines), and libcsv's field buffer is capped at CSVREAD_FIELD_MAX, so a
 * runaway quoted field is an error instead of unbounded memory. Errors name their
 * line: "line 12: why".
 *
 * The caller keeps a struct csvread in its own reader state and passes that state
 * to the callbacks as data; a callback that finds the file bad calls csvread_fail,
 * and the reading stops after the current line.
 */
#ifndef PK_STORE_CSVREAD_H
#define PK_STORE_CSVREAD_H
#include <stddef.h>
#include <stdio.h>

#define CSVREAD_FIELD_MAX (64 * 1024)   /* bytes of one field */

struct csvread {
    long line;                          /* the physical line being fed, 1-based */
    int failed;                         /* set by csvread_fail */
    char *err;                          /* the first failure goes here */
    size_t errlen;
};

/* Records a failure, unless one is recorded already: "line N: why" into c->err,
 * or just why when line is 0 (not about one line). */
void csvread_fail(struct csvread *c, long line, const char *why);

/* Reads f from where it stands to its end: every field goes to on_field(s, len,
 * data), NUL-terminated, and the end of every record to on_record(term, data), as
 * libcsv calls them (empty lines make no record). Sets c->line to 1 first. Stops
 * at the first failure: one a callback recorded, a CSV syntax error, a field over
 * CSVREAD_FIELD_MAX, a read error, no memory. Returns 0, or -1 with c->err filled.
 * f stays open. */
int csvread_file(struct csvread *c, FILE *f, void (*on_field)(void *s, size_t len, void *data),
                 void (*on_record)(int term, void *data), void *data);

#endif

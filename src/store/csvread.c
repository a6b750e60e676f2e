/*
 * csvread: see csvread.h. The file is read in 1 MiB chunks; each chunk is cut at
 * its newlines and every piece handed to csv_parse on its own, with the line count
 * moved on after a piece that ends in a newline. A quoted field may span lines:
 * libcsv keeps its state across pieces, so only the line numbers are by piece.
 */
#include "store/csvread.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#define CSVREAD_CHUNK (1 << 20)

void csvread_fail(struct csvread *c, long line, const char *why)
{
    if (c->failed)
        return;
    c->failed = 1;
    if (line > 0)
        snprintf(c->err, c->errlen, "line %ld: %s", line, why);
    else
        snprintf(c->err, c->errlen, "%s", why);
}

static void *capped_realloc(void *p, size_t n)
{
    if (n > CSVREAD_FIELD_MAX)
        return NULL;
    return realloc(p, n);
}

int csvread_file(struct csvread *c, FILE *f, void (*on_field)(void *s, size_t len, void *data),
                 void (*on_record)(int term, void *data), void *data)
{
    struct csv_parser p;
    char *chunk = malloc(CSVREAD_CHUNK);
    size_t got;

    c->line = 1;
    if (!chunk || csv_init(&p, CSV_APPEND_NULL) != 0) {
        free(chunk);
        csvread_fail(c, 0, "out of memory");
        return -1;
    }
    csv_set_realloc_func(&p, capped_realloc);
    while (!c->failed && (got = fread(chunk, 1, CSVREAD_CHUNK, f)) > 0) {
        char *pos = chunk, *end = chunk + got;
        while (pos < end && !c->failed) {
            char *nl = memchr(pos, '\n', (size_t)(end - pos));
            size_t len = nl ? (size_t)(nl - pos) + 1 : (size_t)(end - pos);
            if (csv_parse(&p, pos, len, on_field, on_record, data) != len) {
                csvread_fail(c, c->line,
                             csv_error(&p) == CSV_ENOMEM ? "a field longer than 64 KiB"
                                                         : csv_strerror(csv_error(&p)));
                break;
            }
            if (nl)
                c->line++;
            pos += len;
        }
    }
    if (!c->failed && ferror(f))
        csvread_fail(c, 0, "read error");
    if (!c->failed && csv_fini(&p, on_field, on_record, data) != 0)
        csvread_fail(c, c->line, csv_strerror(csv_error(&p)));
    csv_free(&p);
    free(chunk);
    return c->failed ? -1 : 0;
}

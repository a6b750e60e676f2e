/*
 * buf: a growable byte buffer with a hard cap (curl's dynbuf). Appends past the
 * cap fail with -1 and leave the buffer as it was, so input from outside can be
 * collected without trusting its size. The data is always NUL-terminated.
 */
#ifndef PK_BUF_H
#define PK_BUF_H
#include <stddef.h>

typedef struct {
    char *data;
    size_t len, cap, max;
} buf;

void buf_init(buf *b, size_t max);                       /* max 0 = unbounded */
int buf_append(buf *b, const void *p, size_t n);        /* 0, or -1 past the cap */
int buf_puts(buf *b, const char *s);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(buf *b);                                  /* length 0, memory kept */
char *buf_steal(buf *b);                                 /* caller frees; buffer emptied */
void buf_free(buf *b);

#endif

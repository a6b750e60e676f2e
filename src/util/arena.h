/*
 * arena: a region allocator for work with one lifetime, such as one HTTP request.
 * Allocations are carved from large blocks and freed all at once with arena_free
 * (h2o's req->pool). Nothing allocated here is freed one by one. Allocation never
 * returns NULL: running out of memory aborts, as there is no sane way on.
 */
#ifndef PK_ARENA_H
#define PK_ARENA_H
#include <stddef.h>
#include <stdarg.h>

typedef struct arena arena;

arena *arena_new(size_t block_size);          /* 0 picks a default of 16 KiB */
void *arena_alloc(arena *a, size_t n);        /* 16-byte aligned, zeroed */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_reset(arena *a);                   /* keep the first block, drop the rest */
void arena_free(arena *a);                    /* NULL is fine */

#endif

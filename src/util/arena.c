/*
 * arena: blocks chained in a list; each allocation bumps a pointer in the newest
 * block, and a request larger than a block gets a block of its own. Freeing walks
 * the list once.
 */
#include "util/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct block {
    struct block *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

struct arena {
    struct block *head;
    size_t block_size;
};

static struct block *block_new(size_t size)
{
    struct block *b = malloc(sizeof *b + size);
    if (!b) {
        fputs("out of memory\n", stderr);
        abort();
    }
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

arena *arena_new(size_t block_size)
{
    arena *a = malloc(sizeof *a);
    if (!a) {
        fputs("out of memory\n", stderr);
        abort();
    }
    a->block_size = block_size ? block_size : 16 * 1024;
    a->head = block_new(a->block_size);
    return a;
}

void *arena_alloc(arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct block *b = a->head;
    if (b->size - b->used < n) {
        b = block_new(n > a->block_size ? n : a->block_size);
        if (n > a->block_size && a->head) { /* keep the bump block at the head */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

/* gcc's -Wformat-truncation misreads the sizing call under -fsanitize at -O2. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation"
char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
    if (n > 0)
        vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}
#pragma GCC diagnostic pop

void arena_reset(arena *a)
{
    struct block *b = a->head;
    while (b->next) {
        struct block *next = b->next->next;
        free(b->next);
        b->next = next;
    }
    b->used = 0;
}

void arena_free(arena *a)
{
    if (!a)
        return;
    for (struct block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

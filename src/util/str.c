/*
 * str: see str.h. One memcpy and a terminator; no allocation.
 */
#include "util/str.h"

#include <string.h>

size_t str_copyn(char *dst, size_t cap, const char *s, size_t len)
{
    if (len >= cap)
        len = cap - 1;
    memcpy(dst, s, len);
    dst[len] = '\0';
    return len;
}

size_t str_copy(char *dst, size_t cap, const char *s)
{
    return str_copyn(dst, cap, s, strlen(s));
}

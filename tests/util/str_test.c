/*
 * Tests for src/util/str.c: a copy that fits is whole, a longer one is cut to the
 * array and still terminated, and str_copyn reads only the bytes it is given.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "util/str.h"

Test(str, copy_fits_or_is_cut_and_terminated)
{
    char dst[6];

    memset(dst, 'x', sizeof dst);
    cr_assert_eq(str_copy(dst, sizeof dst, "35.09"), 5);
    cr_assert_str_eq(dst, "35.09");
    memset(dst, 'x', sizeof dst);
    cr_assert_eq(str_copy(dst, sizeof dst, "35.09.15"), 5);
    cr_assert_str_eq(dst, "35.09");
    cr_assert_eq(str_copy(dst, sizeof dst, ""), 0);
    cr_assert_str_eq(dst, "");
    cr_assert_eq(str_copy(dst, 1, "abc"), 0);
    cr_assert_str_eq(dst, "");
}

Test(str, copyn_takes_only_the_bytes_given)
{
    const char text[] = {'a', 'b', 'c', 'd'};           /* no terminator */
    char dst[8];

    cr_assert_eq(str_copyn(dst, sizeof dst, text, 3), 3);
    cr_assert_str_eq(dst, "abc");
    cr_assert_eq(str_copyn(dst, 3, text, 4), 2);
    cr_assert_str_eq(dst, "ab");
}

/*
 * Tests for the stage bars of src/util/progress.c (progress_stage): the first
 * report starts a bar labelled prefix + stage, reports of the same stage move it
 * and raise its total, a new stage ends it and starts another, and finishing ends
 * the last one. Plain-line mode, so nothing waits on a terminal.
 */
#include <criterion/criterion.h>

#include "util/progress.h"

Test(progress, a_bar_per_stage)
{
    struct progress_stages s;

    progress_force_tty(0);
    progress_stages_init(&s, "draw: ");
    cr_assert_eq(s.on, 0);
    progress_stages_finish(&s);                       /* nothing shown: nothing to end */
    cr_assert_eq(s.on, 0);

    progress_stage(&s, "keys", 0, 0);
    cr_assert_eq(s.on, 1);
    cr_assert_str_eq(s.what, "draw: keys");
    cr_assert_str_eq(s.p.what, "draw: keys");
    progress_stage(&s, "keys", 500, 1000);
    cr_assert_eq(s.p.total, 1000, "a larger total raises the bar's");
    cr_assert_eq(s.p.done, 500);
    progress_stage(&s, "keys", 600, 10);
    cr_assert_eq(s.p.total, 1000, "a smaller one does not lower it");
    cr_assert_eq(s.p.done, 600);

    progress_stage(&s, "cards", 0, 40);
    cr_assert_str_eq(s.what, "draw: cards");
    cr_assert_eq(s.p.total, 40);
    cr_assert_eq(s.p.done, 0, "a new stage starts a new bar");
    progress_stages_finish(&s);
    cr_assert_eq(s.on, 0);
    progress_force_tty(-1);
}

/*
 * Tests for src/core/exam.c: the draw is balanced over the categories, never
 * repeats, stays within the pool, depends on the random bytes (and only on them),
 * reaches every question; scoring rounds down and applies the pass mark; the
 * deadline grace; the comma lists and option texts round-trip and refuse
 * malformed input; the WIB day.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/exam.h"

#define POOL 45

static struct exam_item pool[POOL];
static unsigned char rnd[EXAM_RANDOM_BYTES(POOL)];

/* 15 questions per category, ids 100.., categories interleaved as a bank is. */
static void make_pool(void)
{
    for (int i = 0; i < POOL; i++) {
        pool[i].id = 100 + i;
        pool[i].category = i % 3;
    }
}

/* Deterministic "random" bytes from a seed (xorshift), enough for tests. */
static void fill(unsigned char *b, size_t n, uint64_t seed)
{
    uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        b[i] = (unsigned char)(x >> 24);
    }
}

static int category_of(int64_t id)
{
    return (int)((id - 100) % 3);
}

Test(exam, draw_is_balanced_round_robin_without_repeats)
{
    int64_t out[EXAM_MAX_QUESTIONS];

    make_pool();
    for (uint64_t seed = 1; seed <= 50; seed++) {
        int count[3] = {0};
        fill(rnd, sizeof rnd, seed);
        cr_assert_eq(exam_pick(pool, POOL, 20, rnd, sizeof rnd, out), 20);
        for (int i = 0; i < 20; i++) {
            cr_assert_geq(out[i], 100);
            cr_assert_lt(out[i], 100 + POOL);
            cr_assert_eq(category_of(out[i]), i % 3, "position %d is round-robin", i);
            count[category_of(out[i])]++;
            for (int j = 0; j < i; j++)
                cr_assert_neq(out[i], out[j], "question %lld twice", (long long)out[i]);
        }
        cr_assert_eq(count[0], 7);
        cr_assert_eq(count[1], 7);
        cr_assert_eq(count[2], 6);
    }
}

Test(exam, draw_depends_on_the_bytes_and_reaches_every_question)
{
    int64_t a[20], b[20];
    int seen[POOL] = {0};

    make_pool();
    fill(rnd, sizeof rnd, 7);
    exam_pick(pool, POOL, 20, rnd, sizeof rnd, a);
    exam_pick(pool, POOL, 20, rnd, sizeof rnd, b);
    cr_assert_eq(memcmp(a, b, sizeof a), 0, "same bytes, same draw");
    fill(rnd, sizeof rnd, 8);
    exam_pick(pool, POOL, 20, rnd, sizeof rnd, b);
    cr_assert_neq(memcmp(a, b, sizeof a), 0, "other bytes, another draw");

    for (uint64_t seed = 1; seed <= 200; seed++) {
        fill(rnd, sizeof rnd, seed);
        exam_pick(pool, POOL, 20, rnd, sizeof rnd, a);
        for (int i = 0; i < 20; i++)
            seen[a[i] - 100]++;
    }
    /* each question is drawn with probability 7/15 or 6/15: ~80-95 times in 200 */
    for (int i = 0; i < POOL; i++)
        cr_assert(seen[i] > 40 && seen[i] < 140, "question %d drawn %d times", i, seen[i]);
}

Test(exam, small_or_uneven_pools)
{
    struct exam_item p[5] = {{1, EXAM_VERBAL}, {2, EXAM_VERBAL}, {3, EXAM_VERBAL},
                             {4, EXAM_QUANTITATIVE}, {5, 9}};
    int64_t out[EXAM_MAX_QUESTIONS];
    unsigned char r[EXAM_RANDOM_BYTES(5)];

    fill(r, sizeof r, 3);
    /* asks for 20, gets the 4 usable ones: category 9 is never drawn */
    cr_assert_eq(exam_pick(p, 5, 20, r, sizeof r, out), 4);
    cr_assert(out[0] >= 1 && out[0] <= 3, "round 0 starts with a verbal question");
    cr_assert(out[1] == 4, "round 0: verbal, then quantitative; got %lld", (long long)out[1]);
    cr_assert(out[2] >= 1 && out[2] <= 3 && out[3] >= 1 && out[3] <= 3);
    cr_assert(out[0] != out[2] && out[0] != out[3] && out[2] != out[3]);
    cr_assert_eq(exam_pick(p, 5, 2, r, sizeof r, out), 2);
    cr_assert_eq(exam_pick(p, 0, 20, r, sizeof r, out), 0);
    cr_assert_eq(exam_pick(p, 5, 0, r, sizeof r, out), 0);
    cr_assert_eq(exam_pick(p, 5, -1, r, sizeof r, out), -1);
    cr_assert_eq(exam_pick(p, 5, EXAM_MAX_QUESTIONS + 1, r, sizeof r, out), -1);
}

Test(exam, score_rounds_down_and_applies_the_pass_mark)
{
    int key[20], ans[20];
    struct exam_result r;

    for (int i = 0; i < 20; i++)
        key[i] = i % 4;
    for (int i = 0; i < 20; i++)
        ans[i] = i < 12 ? key[i] : (key[i] + 1) % 4;
    r = exam_score(key, ans, 20, 60);
    cr_assert_eq(r.correct, 12);
    cr_assert_eq(r.total, 20);
    cr_assert_eq(r.score, 60);
    cr_assert(r.passed, "60 is a pass at 60");
    ans[0] = -1;                                   /* unanswered is wrong */
    r = exam_score(key, ans, 20, 60);
    cr_assert_eq(r.correct, 11);
    cr_assert_eq(r.score, 55);
    cr_assert_not(r.passed);

    int k3[3] = {0, 1, 2}, a3[3] = {0, 1, 3};
    r = exam_score(k3, a3, 3, 66);
    cr_assert_eq(r.score, 66, "200/3 rounds down to 66");
    cr_assert(r.passed);
    r = exam_score(k3, a3, 3, 67);
    cr_assert_not(r.passed);
    r = exam_score(k3, k3, 3, 100);
    cr_assert_eq(r.score, 100);
    cr_assert(r.passed);
    r = exam_score(NULL, NULL, 0, 60);
    cr_assert_eq(r.total, 0);
    cr_assert_eq(r.score, 0);
    cr_assert_not(r.passed);
}

Test(exam, deadline_grace)
{
    cr_assert(exam_in_time(1000, 1000));
    cr_assert(exam_in_time(1000 + EXAM_GRACE_SECONDS, 1000));
    cr_assert_not(exam_in_time(1001 + EXAM_GRACE_SECONDS, 1000));
    cr_assert(exam_in_time(0, 1000));
}

Test(exam, comma_lists_round_trip_and_refuse_garbage)
{
    int64_t v[5] = {12, 5, 33, -1, 9000000000LL}, back[8];
    char buf[64], tiny[8];

    cr_assert_eq(exam_list_format(v, 5, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "12,5,33,-1,9000000000");
    cr_assert_eq(exam_list_parse(buf, back, 8), 5);
    cr_assert_eq(memcmp(v, back, sizeof v), 0);
    cr_assert_eq(exam_list_format(v, 0, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "");
    cr_assert_eq(exam_list_parse("", back, 8), 0);
    cr_assert_eq(exam_list_format(v, 5, tiny, sizeof tiny), -1);
    cr_assert_str_eq(tiny, "");
    cr_assert_eq(exam_list_format(v, 2, tiny, 5), 0, "\"12,5\" fits in 5 bytes");
    cr_assert_eq(exam_list_format(v, 2, tiny, 4), -1);

    const char *bad[] = {",", "1,", ",1", "1,,2", "1 ,2", "a", "-", "--1", "1-2",
                         "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(exam_list_parse(bad[i], back, 8), -1, "%s", bad[i]);
    cr_assert_eq(exam_list_parse("1,2,3", back, 2), -1, "more than max");
    cr_assert_eq(exam_list_parse(NULL, back, 2), -1);
}

Test(exam, options_split)
{
    struct exam_span sp[EXAM_MAX_OPTIONS];

    cr_assert_eq(exam_options_split("Sekolah\nMurid\nBuku\nKapur", sp, EXAM_MAX_OPTIONS), 4);
    cr_assert_eq(sp[1].len, 5);
    cr_assert_eq(strncmp(sp[1].s, "Murid", 5), 0);
    cr_assert_eq(sp[3].len, 5);
    cr_assert_eq(exam_options_split("a\n\nb", sp, EXAM_MAX_OPTIONS), -1);
    cr_assert_eq(exam_options_split("a\nb\n", sp, EXAM_MAX_OPTIONS), -1);
    cr_assert_eq(exam_options_split("", sp, EXAM_MAX_OPTIONS), -1);
    cr_assert_eq(exam_options_split("a\nb\nc", sp, 2), -1);
}

Test(exam, categories_and_wib_day)
{
    char day[11];

    cr_assert_str_eq(exam_category_name(EXAM_MOTIVATION), "motivation");
    cr_assert_str_eq(exam_category_name(EXAM_QUANTITATIVE), "quantitative");
    cr_assert_null(exam_category_name(3));
    cr_assert_eq(exam_category_parse("verbal"), EXAM_VERBAL);
    cr_assert_eq(exam_category_parse("Verbal"), -1);
    cr_assert_eq(exam_category_parse(NULL), -1);

    exam_day_wib(1764867599, day);     /* 2025-12-04T16:59:59Z = 23:59:59 WIB */
    cr_assert_str_eq(day, "2025-12-04");
    exam_day_wib(1764867600, day);     /* 17:00Z = midnight WIB */
    cr_assert_str_eq(day, "2025-12-05");
}

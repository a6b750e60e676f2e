/*
 * draw_test: the selection draw of src/core/draw.c on small hand-built draws:
 * the quota of each regency is filled by (tier, key), lower tiers first; a
 * regency's unfilled seats go to its province, then the nation, as the rule says;
 * the result does not depend on input order; a regency with fewer applicants
 * than seats and zero quotas behave. A brute-force reference (full sort) checks
 * random draws against the fast path.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "core/draw.h"
#include "core/drawfile.h"

/* Keys whose order is the id's order: key[0..3] = id big-endian, rest filler. */
static struct draw_entry ent(uint32_t id, uint32_t regency, uint32_t province, uint32_t tier)
{
    struct draw_entry e;
    memset(&e, 0xab, sizeof e.key);
    e.key[0] = (unsigned char)(id >> 24);
    e.key[1] = (unsigned char)(id >> 16);
    e.key[2] = (unsigned char)(id >> 8);
    e.key[3] = (unsigned char)id;
    e.regency = regency;
    e.province = province;
    e.tier = tier;
    e.row = id;
    return e;
}

/* Two provinces: regencies 0, 1 in province 0; regency 2 in province 1. */
static const uint32_t prov3[] = {0, 0, 1};


static struct draw_config cfg3(const uint64_t *quota, enum draw_rule rule)
{
    struct draw_config c = {3, quota, prov3, 2, rule};
    return c;
}

/* The stage of the entry whose row is id. */
static int stage_of(const struct draw_entry *e, const unsigned char *st, size_t n, uint32_t id)
{
    for (size_t i = 0; i < n; i++)
        if (e[i].row == id)
            return st[i];
    return -1;
}

Test(draw, fills_quota_in_key_order)
{
    struct draw_entry e[] = {ent(5, 0, 0, 0), ent(3, 0, 0, 0), ent(9, 0, 0, 0), ent(1, 0, 0, 0),
                             ent(7, 0, 0, 0)};
    uint64_t q[] = {2, 0, 0};
    struct draw_config c = cfg3(q, DRAW_RULE_NATION);
    unsigned char st[5];
    struct draw_stats s;
    cr_assert_eq(draw_run(e, 5, &c, st, &s), DRAW_OK);
    cr_assert_eq(stage_of(e, st, 5, 1), DRAW_STAGE_REGENCY);
    cr_assert_eq(stage_of(e, st, 5, 3), DRAW_STAGE_REGENCY);
    cr_assert_eq(stage_of(e, st, 5, 5), DRAW_NOT_SELECTED);
    cr_assert_eq(stage_of(e, st, 5, 7), DRAW_NOT_SELECTED);
    cr_assert_eq(stage_of(e, st, 5, 9), DRAW_NOT_SELECTED);
    cr_assert_eq(s.selected[DRAW_STAGE_REGENCY], 2);
    cr_assert_eq(s.selected[DRAW_NOT_SELECTED], 3);
    cr_assert_eq(s.unfilled, 0);
}

Test(draw, lower_tier_first)
{
    struct draw_entry e[] = {ent(1, 0, 0, 1), ent(2, 0, 0, 1), ent(900, 0, 0, 0),
                             ent(800, 0, 0, 2)};
    uint64_t q[] = {2, 0, 0};
    struct draw_config c = cfg3(q, DRAW_RULE_REGENCY);
    unsigned char st[4];
    cr_assert_eq(draw_run(e, 4, &c, st, NULL), DRAW_OK);
    cr_assert_eq(stage_of(e, st, 4, 900), DRAW_STAGE_REGENCY);
    cr_assert_eq(stage_of(e, st, 4, 1), DRAW_STAGE_REGENCY);
    cr_assert_eq(stage_of(e, st, 4, 2), DRAW_NOT_SELECTED);
    cr_assert_eq(stage_of(e, st, 4, 800), DRAW_NOT_SELECTED);
}

/* Regency 0 has 3 seats and 1 applicant; regency 1 (same province) 1 seat and 4;
   regency 2 (province 1) 1 seat and 3 applicants. */
static struct draw_entry spill[] = {
    {{0}, 0, 0, 0, 0}, {{0}, 0, 0, 0, 0}, {{0}, 0, 0, 0, 0}, {{0}, 0, 0, 0, 0},
    {{0}, 0, 0, 0, 0}, {{0}, 0, 0, 0, 0}, {{0}, 0, 0, 0, 0}, {{0}, 0, 0, 0, 0}};
static void spill_init(void)
{
    spill[0] = ent(50, 0, 0, 0);
    spill[1] = ent(13, 1, 0, 0);
    spill[2] = ent(10, 1, 0, 0);
    spill[3] = ent(12, 1, 0, 0);
    spill[4] = ent(11, 1, 0, 1);        /* tier 1: last in province 0 */
    spill[5] = ent(22, 2, 1, 0);
    spill[6] = ent(21, 2, 1, 0);
    spill[7] = ent(20, 2, 1, 0);
}

Test(draw, regency_rule_leaves_seats_empty)
{
    spill_init();
    uint64_t q[] = {3, 1, 1};
    struct draw_config c = cfg3(q, DRAW_RULE_REGENCY);
    unsigned char st[8];
    struct draw_stats s;
    cr_assert_eq(draw_run(spill, 8, &c, st, &s), DRAW_OK);
    cr_assert_eq(stage_of(spill, st, 8, 50), DRAW_STAGE_REGENCY);  /* fewer applicants than seats */
    cr_assert_eq(stage_of(spill, st, 8, 10), DRAW_STAGE_REGENCY);
    cr_assert_eq(stage_of(spill, st, 8, 20), DRAW_STAGE_REGENCY);
    cr_assert_eq(s.selected[DRAW_STAGE_REGENCY], 3);
    cr_assert_eq(s.unfilled, 2);
}

Test(draw, spills_to_province)
{
    spill_init();
    uint64_t q[] = {3, 1, 1};
    struct draw_config c = cfg3(q, DRAW_RULE_PROVINCE);
    unsigned char st[8];
    struct draw_stats s;
    cr_assert_eq(draw_run(spill, 8, &c, st, &s), DRAW_OK);
    cr_assert_eq(stage_of(spill, st, 8, 12), DRAW_STAGE_PROVINCE);
    cr_assert_eq(stage_of(spill, st, 8, 13), DRAW_STAGE_PROVINCE);
    cr_assert_eq(stage_of(spill, st, 8, 11), DRAW_NOT_SELECTED);   /* tier 1 loses */
    cr_assert_eq(stage_of(spill, st, 8, 21), DRAW_NOT_SELECTED);   /* other province */
    cr_assert_eq(s.unfilled, 0);
}

Test(draw, spills_to_nation)
{
    spill_init();
    uint64_t q[] = {6, 1, 1};           /* province 0 is 2 seats short after stage 2 */
    struct draw_config c = cfg3(q, DRAW_RULE_PROVINCE);
    unsigned char st[8];
    struct draw_stats s;
    cr_assert_eq(draw_run(spill, 8, &c, st, &s), DRAW_OK);
    cr_assert_eq(stage_of(spill, st, 8, 11), DRAW_STAGE_PROVINCE);
    cr_assert_eq(stage_of(spill, st, 8, 21), DRAW_NOT_SELECTED);
    cr_assert_eq(s.unfilled, 2);
    c.rule = DRAW_RULE_NATION;
    cr_assert_eq(draw_run(spill, 8, &c, st, &s), DRAW_OK);
    cr_assert_eq(stage_of(spill, st, 8, 21), DRAW_STAGE_NATION);
    cr_assert_eq(stage_of(spill, st, 8, 22), DRAW_STAGE_NATION);
    cr_assert_eq(stage_of(spill, st, 8, 20), DRAW_STAGE_REGENCY);
    cr_assert_eq(s.selected[DRAW_STAGE_NATION], 2);
    cr_assert_eq(s.unfilled, 0);
}

Test(draw, zero_quotas_select_nobody)
{
    spill_init();
    uint64_t q[] = {0, 0, 0};
    struct draw_config c = cfg3(q, DRAW_RULE_NATION);
    unsigned char st[8];
    struct draw_stats s;
    cr_assert_eq(draw_run(spill, 8, &c, st, &s), DRAW_OK);
    for (int i = 0; i < 8; i++)
        cr_assert_eq(st[i], DRAW_NOT_SELECTED);
    cr_assert_eq(s.seats, 0);
    cr_assert_eq(s.selected[DRAW_NOT_SELECTED], 8);
}

Test(draw, rejects_bad_input_and_duplicates)
{
    uint64_t q[] = {1, 0, 0};
    struct draw_config c = cfg3(q, DRAW_RULE_NATION);
    unsigned char st[2];
    struct draw_entry bad[] = {ent(1, 0, 1, 0)};              /* wrong province */
    cr_assert_eq(draw_run(bad, 1, &c, st, NULL), DRAW_EINVAL);
    struct draw_entry out[] = {ent(1, 3, 0, 0)};              /* no such regency */
    cr_assert_eq(draw_run(out, 1, &c, st, NULL), DRAW_EINVAL);
    struct draw_entry dup[] = {ent(7, 0, 0, 0), ent(7, 0, 0, 0)};
    dup[1].row = 99;
    cr_assert_eq(draw_run(dup, 2, &c, st, NULL), DRAW_EDUP);
}

/* ---- random draws: a full-sort reference, and shuffling ---- */

static uint64_t rs = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}

static const struct draw_entry *ref_e;
static int ref_cmp(const void *a, const void *b)
{
    const struct draw_entry *x = &ref_e[*(const size_t *)a], *y = &ref_e[*(const size_t *)b];
    if (x->tier != y->tier)
        return x->tier < y->tier ? -1 : 1;
    return memcmp(x->key, y->key, DRAW_KEY_LEN);
}

/* The definition of draw.h, literally: sort everything, walk it per stage. */
static void reference(const struct draw_entry *e, size_t n, const struct draw_config *c,
                      unsigned char *st)
{
    size_t *ord = malloc(n * sizeof *ord);
    uint64_t *left = calloc(c->nregencies, sizeof *left), *ppool = calloc(c->nprovinces, 8);
    uint64_t npool = 0;
    for (size_t i = 0; i < n; i++)
        ord[i] = i;
    ref_e = e;
    qsort(ord, n, sizeof *ord, ref_cmp);
    memset(st, 0, n);
    memcpy(left, c->quota, c->nregencies * 8);
    for (size_t k = 0; k < n; k++)
        if (left[e[ord[k]].regency] > 0) {
            left[e[ord[k]].regency]--;
            st[ord[k]] = DRAW_STAGE_REGENCY;
        }
    for (uint32_t r = 0; r < c->nregencies; r++)
        ppool[c->regency_province[r]] += left[r];
    if (c->rule >= DRAW_RULE_PROVINCE) {
        for (size_t k = 0; k < n; k++)
            if (!st[ord[k]] && ppool[e[ord[k]].province] > 0) {
                ppool[e[ord[k]].province]--;
                st[ord[k]] = DRAW_STAGE_PROVINCE;
            }
        for (uint32_t p = 0; p < c->nprovinces; p++)
            npool += ppool[p];
        if (c->rule >= DRAW_RULE_NATION)
            for (size_t k = 0; k < n && npool; k++)
                if (!st[ord[k]]) {
                    npool--;
                    st[ord[k]] = DRAW_STAGE_NATION;
                }
    }
    free(ord);
    free(left);
    free(ppool);
}

#define NR 40
static uint32_t rprov[NR];
static uint64_t rquota[NR];

static struct draw_entry *random_draw(size_t n)
{
    struct draw_entry *e = malloc(n * sizeof *e);
    for (uint32_t r = 0; r < NR; r++) {
        rprov[r] = r % 7;
        rquota[r] = rnd() % 4 == 0 ? 0 : rnd() % 60;
    }
    for (size_t i = 0; i < n; i++) {
        for (int b = 0; b < DRAW_KEY_LEN; b++)
            e[i].key[b] = (unsigned char)rnd();
        if (rnd() % 8 == 0)
            memset(e[i].key, 0x42, 8);      /* equal first 8 bytes: exercise the full compare */
        uint32_t r = (uint32_t)(rnd() % 13 == 0 ? rnd() % NR : rnd() % 10); /* skewed */
        e[i].regency = r;
        e[i].province = rprov[r];
        e[i].tier = (uint32_t)(rnd() % 3);
        e[i].row = (uint32_t)i;
    }
    return e;
}

Test(draw, matches_full_sort_reference)
{
    for (int round = 0; round < 30; round++) {
        size_t n = 1 + rnd() % 3000;
        struct draw_entry *e = random_draw(n);
        struct draw_config c = {NR, rquota, rprov, 7, (enum draw_rule)(round % 3)};
        unsigned char *a = malloc(n), *b = malloc(n);
        cr_assert_eq(draw_run(e, n, &c, a, NULL), DRAW_OK);
        reference(e, n, &c, b);
        cr_assert(memcmp(a, b, n) == 0, "round %d (n %zu, rule %d) differs", round, n, round % 3);
        free(e);
        free(a);
        free(b);
    }
}

Test(draw, shuffled_input_same_selection)
{
    size_t n = 5000;
    struct draw_entry *e = random_draw(n);
    struct draw_config c = {NR, rquota, rprov, 7, DRAW_RULE_NATION};
    unsigned char *first = malloc(n), *st = malloc(n), *byrow = malloc(n);
    cr_assert_eq(draw_run(e, n, &c, first, NULL), DRAW_OK);
    for (int round = 0; round < 10; round++) {
        for (size_t i = n - 1; i > 0; i--) {
            size_t j = rnd() % (i + 1);
            struct draw_entry t = e[i];
            e[i] = e[j];
            e[j] = t;
        }
        cr_assert_eq(draw_run(e, n, &c, st, NULL), DRAW_OK);
        for (size_t i = 0; i < n; i++)
            byrow[e[i].row] = st[i];
        cr_assert(memcmp(first, byrow, n) == 0, "shuffle %d changed the selection", round);
    }
    free(e);
    free(first);
    free(st);
    free(byrow);
}

/* ---- the audit file's lines ---- */

Test(drawfile, row_round_trip)
{
    struct draw_entry x = ent(0x01020304, 0, 0, 3);
    char buf[DRAWFILE_LINE_MAX];
    int len = drawfile_format_row(buf, sizeof buf, "app-1_X", 3509, 35, 3, x.key,
                                  DRAW_STAGE_PROVINCE);
    cr_assert_gt(len, 0);
    cr_assert_eq(buf[len - 1], '\n');
    buf[len - 1] = '\0';
    struct drawfile_line l;
    const char *why = NULL;
    cr_assert_eq(drawfile_parse(buf, &l, &why), 0, "%s", why);
    cr_assert_eq(l.kind, DRAWFILE_ROW);
    cr_assert_str_eq(l.public_id, "app-1_X");
    cr_assert_eq(l.regency, 3509);
    cr_assert_eq(l.province, 35);
    cr_assert_eq(l.tier, 3);
    cr_assert_eq(l.selected, 1);
    cr_assert_eq(l.stage, DRAW_STAGE_PROVINCE);
    cr_assert(memcmp(l.key, x.key, 32) == 0);
}

Test(drawfile, header_rows)
{
    struct drawfile_line l;
    const char *why;
    char a[] = "#quota,35.09,35,1234", b[] = "#rule,regency_province", c[] = "#end,7";
    cr_assert_eq(drawfile_parse(a, &l, &why), 0);
    cr_assert_eq(l.kind, DRAWFILE_QUOTA);
    cr_assert_eq(l.regency, 3509);
    cr_assert_eq(l.quota, 1234);
    cr_assert_eq(drawfile_parse(b, &l, &why), 0);
    cr_assert_eq(l.rule, DRAW_RULE_PROVINCE);
    cr_assert_eq(drawfile_parse(c, &l, &why), 0);
    cr_assert_eq(l.kind, DRAWFILE_END);
    cr_assert_eq(l.quota, 7);
}

Test(drawfile, malformed_lines)
{
    const char *bad[] = {
        "#quota,35.09,36,1",            /* province not the regency's */
        "#quota,3509,35,1",
        "#quota,35.09,35,-1",
        "#rule,everywhere",
        "#whatever,1",
        "a,35.09,35,0,00,0,none",       /* short key */
        "a b,35.09,35,0," "0000000000000000000000000000000000000000000000000000000000000000,0,none",
        "a,35.09,35,0," "0000000000000000000000000000000000000000000000000000000000000000,1,none",
        "a,35.09,35,0," "0000000000000000000000000000000000000000000000000000000000000000,0,regency",
        "a,35.09,35,01," "0000000000000000000000000000000000000000000000000000000000000000,0,none",
        "a,35.09,35,0," "000000000000000000000000000000000000000000000000000000000000000A,0,none",
        "a,35.09,35,0," "0000000000000000000000000000000000000000000000000000000000000000,0,none,x",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char buf[300];
        struct drawfile_line l;
        const char *why = NULL;
        strcpy(buf, bad[i]);
        cr_assert_eq(drawfile_parse(buf, &l, &why), -1, "accepted %s", bad[i]);
        cr_assert_not_null(why);
    }
}

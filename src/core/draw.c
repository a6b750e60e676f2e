/*
 * draw: see draw.h for the definition of the draw. This file keeps one array of
 * 16-byte records (tier, first 8 key bytes as a big-endian integer, entry index),
 * grouped by a counting pass into regency buckets laid out province by province.
 * Taking the best Q of a bucket is a Hoare quickselect: afterwards the bucket's
 * first Q records are exactly its Q smallest in (tier, key) order, in no
 * particular order among themselves, which is all the draw needs. The remainder
 * of each bucket is then slid down (memmove) so that the unselected records of a
 * province, and later of the nation, are contiguous for the next stage.
 */
#include "core/draw.h"

#include <stdlib.h>
#include <string.h>

struct rec {
    uint64_t k;                     /* key bytes 0..7, big-endian */
    uint32_t tier;
    uint32_t idx;                   /* into the entries */
};

struct sel {
    const struct draw_entry *e;
    int dup;
};

static uint64_t be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

/* (tier, key) order; notes equal keys of two different entries. */
static int rec_cmp(struct sel *s, const struct rec *a, const struct rec *b)
{
    if (a->tier != b->tier)
        return a->tier < b->tier ? -1 : 1;
    if (a->k != b->k)
        return a->k < b->k ? -1 : 1;
    if (a->idx == b->idx)
        return 0;
    int r = memcmp(s->e[a->idx].key + 8, s->e[b->idx].key + 8, DRAW_KEY_LEN - 8);
    if (r == 0)
        s->dup = 1;
    return r;
}

static void rec_swap(struct rec *a, struct rec *b)
{
    struct rec t = *a;
    *a = *b;
    *b = t;
}

/* Rearranges a[0..n-1] so that a[0..q-1] are its q smallest; returns how many
   are selected: min(q, n). */
static size_t select_top(struct sel *s, struct rec *a, size_t n, uint64_t q)
{
    if (q >= n)
        return n;
    if (q == 0)
        return 0;
    size_t lo = 0, hi = n - 1, t = (size_t)q - 1;
    while (hi > lo) {
        if (hi - lo < 16) {
            for (size_t i = lo + 1; i <= hi; i++)
                for (size_t j = i; j > lo && rec_cmp(s, &a[j - 1], &a[j]) > 0; j--)
                    rec_swap(&a[j - 1], &a[j]);
            break;
        }
        size_t mid = lo + (hi - lo) / 2;
        if (rec_cmp(s, &a[mid], &a[lo]) < 0)
            rec_swap(&a[mid], &a[lo]);
        if (rec_cmp(s, &a[hi], &a[lo]) < 0)
            rec_swap(&a[hi], &a[lo]);
        if (rec_cmp(s, &a[hi], &a[mid]) < 0)
            rec_swap(&a[hi], &a[mid]);
        struct rec p = a[mid];
        size_t i = lo, j = hi;
        /* Hoare partition over [lo, hi] with sentinels a[lo] <= p <= a[hi]. */
        for (;;) {
            while (rec_cmp(s, &a[i], &p) < 0)
                i++;
            while (rec_cmp(s, &a[j], &p) > 0)
                j--;
            if (i >= j)
                break;
            rec_swap(&a[i], &a[j]);
            i++;
            j--;
        }
        /* now a[lo..j] <= p <= a[j+1..hi], lo <= j < hi */
        if (t <= j)
            hi = j;
        else
            lo = j + 1;
    }
    return (size_t)q;
}

static void mark(unsigned char *stage, const struct rec *a, size_t n, unsigned char v)
{
    for (size_t i = 0; i < n; i++)
        stage[a[i].idx] = v;
}

int draw_run(const struct draw_entry *e, size_t n, const struct draw_config *cfg,
             unsigned char *stage_out, struct draw_stats *st)
{
    uint32_t nr = cfg->nregencies, np = cfg->nprovinces;
    int rc = DRAW_ENOMEM;
    struct rec *recs = NULL;
    size_t *cnt = calloc(nr + 1, sizeof *cnt), *off = calloc(nr + 1, sizeof *off);
    uint32_t *order = malloc((nr + 1) * sizeof *order);
    size_t *pcnt = calloc(np + 1, sizeof *pcnt);
    uint64_t *ppool = calloc(np + 1, sizeof *ppool);
    struct sel s = {e, 0};
    struct draw_stats local;
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    if (!cnt || !off || !order || !pcnt || !ppool)
        goto out;
    rc = DRAW_EINVAL;
    for (uint32_t r = 0; r < nr; r++) {
        if (cfg->regency_province[r] >= np)
            goto out;
        st->seats += cfg->quota[r];
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t r = e[i].regency;
        if (r >= nr || e[i].province != cfg->regency_province[r])
            goto out;
        cnt[r]++;
    }
    rc = DRAW_ENOMEM;
    if (n > UINT32_MAX || !(recs = malloc((n ? n : 1) * sizeof *recs)))
        goto out;

    /* Regencies in province order (a stable counting sort), then bucket offsets. */
    {
        size_t *pos = pcnt;         /* reused: regencies per province, then cursor */
        for (uint32_t r = 0; r < nr; r++)
            pos[cfg->regency_province[r]]++;
        size_t acc = 0;
        for (uint32_t p = 0; p < np; p++) {
            size_t c = pos[p];
            pos[p] = acc;
            acc += c;
        }
        for (uint32_t r = 0; r < nr; r++)
            order[pos[cfg->regency_province[r]]++] = r;
        acc = 0;
        for (uint32_t k = 0; k < nr; k++) {
            off[order[k]] = acc;
            acc += cnt[order[k]];
        }
        memset(pcnt, 0, (np + 1) * sizeof *pcnt);
    }
    {
        size_t *cur = malloc((nr + 1) * sizeof *cur);
        if (!cur)
            goto out;
        memcpy(cur, off, nr * sizeof *cur);
        for (size_t i = 0; i < n; i++) {
            struct rec *x = &recs[cur[e[i].regency]++];
            x->k = be64(e[i].key);
            x->tier = e[i].tier;
            x->idx = (uint32_t)i;
        }
        free(cur);
    }
    memset(stage_out, DRAW_NOT_SELECTED, n);

    /* 1. Regency stage, compacting the rest province by province. */
    size_t w = 0;
    for (uint32_t k = 0; k < nr; k++) {
        uint32_t r = order[k], p = cfg->regency_province[r];
        struct rec *b = recs + off[r];
        size_t got = select_top(&s, b, cnt[r], cfg->quota[r]);
        mark(stage_out, b, got, DRAW_STAGE_REGENCY);
        st->selected[DRAW_STAGE_REGENCY] += got;
        ppool[p] += cfg->quota[r] - got;
        memmove(recs + w, b + got, (cnt[r] - got) * sizeof *recs);
        w += cnt[r] - got;
        pcnt[p] += cnt[r] - got;
    }
    size_t left = w;
    uint64_t npool = 0;
    if (cfg->rule >= DRAW_RULE_PROVINCE) {
        /* 2. Province stage: province p's candidates are contiguous, in order. */
        size_t start = 0;
        w = 0;
        for (uint32_t p = 0; p < np; p++) {
            struct rec *b = recs + start;
            size_t got = select_top(&s, b, pcnt[p], ppool[p]);
            mark(stage_out, b, got, DRAW_STAGE_PROVINCE);
            st->selected[DRAW_STAGE_PROVINCE] += got;
            npool += ppool[p] - got;
            memmove(recs + w, b + got, (pcnt[p] - got) * sizeof *recs);
            w += pcnt[p] - got;
            start += pcnt[p];
        }
        left = w;
        if (cfg->rule >= DRAW_RULE_NATION) {
            /* 3. Nation stage. */
            size_t got = select_top(&s, recs, left, npool);
            mark(stage_out, recs, got, DRAW_STAGE_NATION);
            st->selected[DRAW_STAGE_NATION] += got;
            left -= got;
        }
    }
    st->selected[DRAW_NOT_SELECTED] = left;
    st->unfilled = st->seats - st->selected[1] - st->selected[2] - st->selected[3];
    rc = s.dup ? DRAW_EDUP : DRAW_OK;
out:
    free(recs);
    free(cnt);
    free(off);
    free(order);
    free(pcnt);
    free(ppool);
    return rc;
}

static const char *const rule_names[] = {"regency", "regency_province",
                                         "regency_province_nation"};
static const char *const stage_names[] = {"none", "regency", "province", "nation"};

const char *draw_rule_name(enum draw_rule r)
{
    return (unsigned)r < 3 ? rule_names[r] : "?";
}

int draw_rule_parse(const char *s, enum draw_rule *out)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(s, rule_names[i]) == 0) {
            *out = (enum draw_rule)i;
            return 0;
        }
    return -1;
}

const char *draw_stage_name(int stage)
{
    return stage >= 0 && stage < 4 ? stage_names[stage] : "?";
}

int draw_stage_parse(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, stage_names[i]) == 0)
            return i;
    return -1;
}

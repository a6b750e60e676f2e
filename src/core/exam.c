/*
 * exam: drawing, scoring and the stored text forms of the basic test (exam.h).
 *
 * The draw shuffles each category's questions with Fisher-Yates, taking 8 random
 * bytes per swap as a 64-bit number reduced modulo the range (a bias below
 * 2^-50 for any pool a test bank will hold), then deals them round-robin over the
 * categories. It works on one array of pool indexes (malloc'd, npool ints, freed
 * before it returns), grouped by category; every category is shuffled in full so
 * each question of a category is equally likely to come first.
 */
#include "core/exam.h"

#include <stdlib.h>
#include <string.h>

#include "core/nik.h"

static const char *const names[EXAM_NCATEGORIES] = {"motivation", "verbal", "quantitative"};

const char *exam_category_name(int category)
{
    if (category < 0 || category >= EXAM_NCATEGORIES)
        return NULL;
    return names[category];
}

int exam_category_parse(const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < EXAM_NCATEGORIES; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static uint64_t take64(const unsigned char *rnd, size_t rndlen, size_t *pos)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++) {
        v = (v << 8) | (*pos < rndlen ? rnd[*pos] : 0);
        (*pos)++;
    }
    return v;
}

int exam_pick(const struct exam_item *pool, int npool, int n, const unsigned char *rnd,
              size_t rndlen, int64_t *out)
{
    int *idx, count[EXAM_NCATEGORIES] = {0}, start[EXAM_NCATEGORIES], fill[EXAM_NCATEGORIES];
    int got = 0, total = 0;
    size_t pos = 0;

    if (n < 0 || npool < 0 || n > EXAM_MAX_QUESTIONS)
        return -1;
    if (n == 0 || npool == 0)
        return 0;
    for (int i = 0; i < npool; i++)
        if (pool[i].category >= 0 && pool[i].category < EXAM_NCATEGORIES)
            count[pool[i].category]++;
    idx = malloc(sizeof *idx * (size_t)npool);
    if (!idx)
        return -1;
    for (int c = 0; c < EXAM_NCATEGORIES; c++) {
        start[c] = total;
        fill[c] = total;
        total += count[c];
    }
    for (int i = 0; i < npool; i++) {
        int c = pool[i].category;
        if (c >= 0 && c < EXAM_NCATEGORIES)
            idx[fill[c]++] = i;
    }
    for (int c = 0; c < EXAM_NCATEGORIES; c++) {
        int *a = idx + start[c];
        for (int i = count[c] - 1; i > 0; i--) {
            int j = (int)(take64(rnd, rndlen, &pos) % (uint64_t)(i + 1));
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
    for (int round = 0; got < n; round++) {
        int dealt = 0;
        for (int c = 0; c < EXAM_NCATEGORIES && got < n; c++) {
            if (round < count[c]) {
                out[got++] = pool[idx[start[c] + round]].id;
                dealt = 1;
            }
        }
        if (!dealt)
            break;
    }
    free(idx);
    return got;
}

struct exam_result exam_score(const int *key, const int *answers, int n, int pass_mark)
{
    struct exam_result r = {0, n > 0 ? n : 0, 0, 0};

    for (int i = 0; i < n; i++)
        if (answers[i] >= 0 && answers[i] == key[i])
            r.correct++;
    if (r.total > 0)
        r.score = (int)((100LL * r.correct) / r.total);
    r.passed = r.score >= pass_mark;
    return r;
}

int exam_in_time(int64_t now, int64_t deadline_at)
{
    return now <= deadline_at + EXAM_GRACE_SECONDS;
}

void exam_day_wib(int64_t t, char out[11])
{
    struct nik_date d = nik_date_wib(t);
    unsigned y = (unsigned)d.year % 10000, m = (unsigned)d.month % 100, dd = (unsigned)d.day % 100;

    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + dd / 10);
    out[9] = (char)('0' + dd % 10);
    out[10] = '\0';
}

int exam_list_format(const int64_t *v, int n, char *out, size_t outlen)
{
    size_t o = 0;

    if (outlen == 0)
        return -1;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        char tmp[24];
        int64_t x = v[i];
        uint64_t u = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
        size_t t = sizeof tmp;

        do {
            tmp[--t] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (x < 0)
            tmp[--t] = '-';
        if (o + (i > 0) + (sizeof tmp - t) + 1 > outlen) {
            out[0] = '\0';
            return -1;
        }
        if (i > 0)
            out[o++] = ',';
        memcpy(out + o, tmp + t, sizeof tmp - t);
        o += sizeof tmp - t;
    }
    out[o] = '\0';
    return 0;
}

int exam_list_parse(const char *s, int64_t *v, int max)
{
    int n = 0;

    if (!s)
        return -1;
    if (!*s)
        return 0;
    for (;;) {
        int neg = 0, digits = 0;
        uint64_t u = 0;

        if (*s == '-') {
            neg = 1;
            s++;
        }
        while (*s >= '0' && *s <= '9') {
            if (u > (uint64_t)INT64_MAX / 10)
                return -1;
            u = u * 10 + (uint64_t)(*s - '0');
            if (u > (uint64_t)INT64_MAX)
                return -1;
            s++;
            digits++;
        }
        if (!digits || n >= max)
            return -1;
        v[n++] = neg ? -(int64_t)u : (int64_t)u;
        if (*s == '\0')
            return n;
        if (*s != ',')
            return -1;
        s++;
    }
}

int exam_options_split(const char *s, struct exam_span *out, int max)
{
    int n = 0;
    const char *p = s;

    if (!s)
        return -1;
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);

        if (len == 0 || n >= max)
            return -1;
        out[n].s = p;
        out[n].len = len;
        n++;
        if (!nl)
            return n;
        p = nl + 1;
    }
}

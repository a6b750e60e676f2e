/*
 * draw: the selection draw of a wave, in pure C (libc only, no I/O).
 *
 * Each entry is one eligible application: a 32-byte key (keyed BLAKE2b of the
 * application's public id under the wave's seed, computed by the caller), the
 * index of its regency and of its province, a priority tier (lower goes first)
 * and the caller's row number. Applications are ordered by (tier, key), the key
 * compared as 32 unsigned bytes (memcmp order); this order is total because keys
 * of different public ids never collide, so the result does not depend on the
 * order of the input. The draw, exactly (this is what an auditor recomputes):
 *
 *   1. Regency stage. For each regency r with quota Q_r and applicants A_r:
 *      the first min(Q_r, |A_r|) of A_r in (tier, key) order are selected
 *      (stage "regency"). U_r = Q_r - that number is r's unfilled seats.
 *   2. Province stage (rules PROVINCE and NATION). For each province p:
 *      P_p = sum of U_r over the regencies r of p (a regency belongs to the
 *      province given for it in cfg->regency_province, whether or not it has
 *      applicants). Of the applicants of p's regencies not yet selected, the
 *      first min(P_p, count) in (tier, key) order are selected (stage
 *      "province"). V_p = P_p - that number.
 *   3. Nation stage (rule NATION). N = sum of V_p over all provinces (under
 *      rule PROVINCE nothing spills further). Of all applicants not yet
 *      selected, the first min(N, count) in (tier, key) order are selected
 *      (stage "nation").
 *
 * How: one counting pass groups 16-byte records (tier, first 8 key bytes as a
 * big-endian uint64, entry index) by regency, with regencies laid out province
 * by province; each regency's quota is taken with a quickselect (expected linear
 * time), comparing the full 32 key bytes only when the first 8 are equal. The
 * unselected rest is compacted in place, so each province's candidates are
 * contiguous for stage 2, and all of them for stage 3. Memory: 16 bytes per
 * entry plus small per-region arrays; no full sort.
 */
#ifndef PK_CORE_DRAW_H
#define PK_CORE_DRAW_H
#include <stddef.h>
#include <stdint.h>

#define DRAW_KEY_LEN 32

enum draw_rule {
    DRAW_RULE_REGENCY = 0,          /* regency only: unfilled seats stay empty */
    DRAW_RULE_PROVINCE = 1,         /* regency, then province */
    DRAW_RULE_NATION = 2,           /* regency, then province, then nation */
};

enum draw_stage {                   /* stage_out values */
    DRAW_NOT_SELECTED = 0,
    DRAW_STAGE_REGENCY = 1,
    DRAW_STAGE_PROVINCE = 2,
    DRAW_STAGE_NATION = 3,
};

enum draw_status {
    DRAW_OK = 0,
    DRAW_EINVAL = -1,               /* a regency or province index out of range, or an
                                       entry's province not its regency's province */
    DRAW_ENOMEM = -2,
    DRAW_EDUP = -3,                 /* two entries with the same tier and key (the same
                                       application twice) where their order matters */
};

struct draw_entry {
    unsigned char key[DRAW_KEY_LEN];
    uint32_t regency;               /* < cfg->nregencies */
    uint32_t province;              /* == cfg->regency_province[regency] */
    uint32_t tier;                  /* lower first */
    uint32_t row;                   /* the caller's; not used by the draw */
};

struct draw_config {
    uint32_t nregencies;
    const uint64_t *quota;          /* [nregencies] seats per regency */
    const uint32_t *regency_province; /* [nregencies] province index of each regency */
    uint32_t nprovinces;            /* every regency_province[r] < nprovinces */
    enum draw_rule rule;
};

struct draw_stats {
    uint64_t seats;                 /* sum of the quotas */
    uint64_t selected[4];           /* by enum draw_stage; [0] = not selected */
    uint64_t unfilled;              /* seats left empty at the end */
};

/* Runs the draw over the n entries e and writes one enum draw_stage per entry into
   stage_out[0..n-1] (stage_out[i] belongs to e[i]). e is not modified. st may be
   NULL. Returns DRAW_OK, or a negative enum draw_status (stage_out is then
   unspecified). Allocates about 16 * n bytes while it runs and frees them. */
int draw_run(const struct draw_entry *e, size_t n, const struct draw_config *cfg,
             unsigned char *stage_out, struct draw_stats *st);

/* The rule's name in audit files ("regency", "regency_province",
   "regency_province_nation"), and back: 0 and *out, or -1 for an unknown name. */
const char *draw_rule_name(enum draw_rule r);
int draw_rule_parse(const char *s, enum draw_rule *out);
/* The stage's name in audit files: "none", "regency", "province", "nation";
   and back: 0..3, or -1. */
const char *draw_stage_name(int stage);
int draw_stage_parse(const char *s);

#endif

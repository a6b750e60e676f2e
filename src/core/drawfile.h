/*
 * drawfile: one line of a draw audit file, parsed or formatted (pure C, no I/O;
 * the format is documented in docs/draw.md). A file is, line by line:
 *
 *   #prakerja_draw,1                       format version, first line
 *   #rule,regency_province_nation          the spill-over rule (draw.h)
 *   #seed_commitment,HEX64                 optional: hex SHA-256 of the seed
 *   #quota,35.09,35,1234                   one per regency: code, province, seats
 *   public_id,regency,province,tier,key,selected,stage      the header row
 *   A1b2...,35.09,35,0,HEX64,1,regency     one per application
 *   #end,1000                              the number of application rows, last line
 *
 * No field ever needs CSV quoting: public ids are 1..64 of [A-Za-z0-9_-],
 * regency codes are "DD.DD", province codes "DD", numbers are decimal, keys 64
 * lower-case hex digits. Lines end in "\n" (a "\r" before it is tolerated).
 */
#ifndef PK_CORE_DRAWFILE_H
#define PK_CORE_DRAWFILE_H
#include <stddef.h>
#include <stdint.h>

#include "core/draw.h"

#define DRAWFILE_LINE_MAX 256       /* bytes, newline included: longer is malformed */
#define DRAWFILE_HEADER "public_id,regency,province,tier,key,selected,stage"
#define DRAWFILE_PUBLIC_ID_MAX 64

enum drawfile_kind {
    DRAWFILE_VERSION, DRAWFILE_RULE, DRAWFILE_COMMITMENT, DRAWFILE_QUOTA, DRAWFILE_HEADER_ROW,
    DRAWFILE_ROW, DRAWFILE_END,
};

struct drawfile_line {
    enum drawfile_kind kind;
    const char *public_id;          /* ROW: points into the parsed line */
    int regency;                    /* ROW, QUOTA: "35.09" -> 3509 */
    int province;                   /* ROW, QUOTA: "35" -> 35 */
    uint32_t tier;                  /* ROW */
    unsigned char key[DRAW_KEY_LEN];/* ROW */
    int selected;                   /* ROW: 0 | 1 */
    int stage;                      /* ROW: enum draw_stage */
    uint64_t quota;                 /* QUOTA; END: the row count */
    enum draw_rule rule;            /* RULE */
    char commitment[65];            /* COMMITMENT, lower case */
};

/* Parses one line (NUL-terminated, newline removed; it is cut at commas in place).
   Returns 0 and fills out, or -1 with *why set to a static reason such as "bad
   key". A ROW whose selected flag and stage disagree (1 with "none", 0 with a
   stage) is malformed. */
int drawfile_parse(char *line, struct drawfile_line *out, const char **why);

/* Formats an application row with its newline into buf. Returns its length, or -1
   if it does not fit in len bytes. */
int drawfile_format_row(char *buf, size_t len, const char *public_id, int regency, int province,
                        uint32_t tier, const unsigned char key[DRAW_KEY_LEN], int stage);

/* 1 if s is a valid public id for the file, else 0. */
int drawfile_public_id_ok(const char *s);
/* "35.09" -> 3509 and "35" -> 35; -1 if malformed. */
int drawfile_regency_code(const char *s);
int drawfile_province_code(const char *s);

#endif

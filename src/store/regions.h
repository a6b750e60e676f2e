/*
 * regions: Indonesia's provinces, regencies/cities, districts and villages with
 * their official codes ("35", "35.09", "35.09.15", "35.09.15.2001"), imported from
 * the CSV files of the pinned npm package idn-area-data and read back by code,
 * by level and parent, or as sorted integer codes for fast membership checks.
 */
#ifndef PK_REGIONS_H
#define PK_REGIONS_H
#include <stddef.h>
#include <stdint.h>
#include "store/db.h"

enum region_level { REGION_PROVINCE = 1, REGION_REGENCY, REGION_DISTRICT, REGION_VILLAGE };

struct region {
    char code[16];
    int level;
    char parent_code[16];      /* "" for a province */
    char name[128];
};

typedef void (*regions_progress_fn)(void *ctx, const char *what, long done, long total);

/* Reads provinces.csv, regencies.csv, districts.csv, villages.csv from dir with libcsv
 * and upserts them in one transaction (idempotent; one prepared INSERT ... ON CONFLICT).
 * Header rows skipped; a malformed row fails the whole import with the file and line
 * in err. counts[0..3] get the rows per level. progress (may be NULL) is called now
 * and then with the file name, rows done and rows in the file. */
int regions_import(db *d, const char *dir, regions_progress_fn progress, void *ctx,
                   long counts[4], char *err, size_t errlen);
/* DB_ENOTFOUND when there is no such code. */
int regions_get(db *d, const char *code, struct region *out);
/* The region and its ancestors, nearest first (out[0] is code itself), read in one
 * snapshot; *n gets how many (1..4). DB_ENOTFOUND for an unknown code. */
int regions_get_path(db *d, const char *code, struct region out[4], int *n);
/* Items of a level ordered by code, limit at most (items has room for limit);
 * parent NULL = all of that level. *total = all matching rows. */
int regions_list(db *d, int level, const char *parent, int64_t offset, int limit,
                 struct region *items, int *n, int64_t *total);
/* All codes of a level as integers of their digits ("35.09.15" -> 350915), sorted;
 * caller frees *codes with free(). */
int regions_codes(db *d, int level, int64_t **codes, int *n);
int regions_level_parse(const char *s);      /* "province".."village" -> 1..4, else 0 */
const char *regions_level_name(int level);   /* NULL for a bad level */

#endif

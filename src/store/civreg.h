/*
 * civreg: the civil-registry check (Dukcapil in the real program) behind an
 * adapter interface, so a deploying agency plugs in its own client. The one
 * implementation here is CSV-backed, standing in for the real registry: a file
 * of `nik,full_name,birth_date` rows (header row required), read into memory
 * keyed by the NIK's blind index (no plaintext NIK is kept), and read again when
 * the file's modification time changes. Names match after trimming, collapsing
 * inner spaces and ignoring case (ASCII); birth dates are YYYY-MM-DD.
 * An adapter is shared by all worker threads: check must be thread-safe.
 */
#ifndef PK_STORE_CIVREG_H
#define PK_STORE_CIVREG_H
#include <stddef.h>

#include "core/eligibility.h"
#include "store/pii.h"

struct civreg {
    /* Looks the person up: CIVREG_MATCH, NOT_FOUND, NAME_MISMATCH,
     * BIRTH_MISMATCH, or UNAVAILABLE when the registry cannot answer. */
    enum civreg_result (*check)(struct civreg *cr, const char *nik, const char *full_name,
                                const char *birth_date);
    void (*close)(struct civreg *cr);
};

/* Opens the CSV adapter on path with the keys for blind indexes. A missing file
 * is not an error: every check then answers CIVREG_UNAVAILABLE until it appears.
 * Returns 0, or -1 with a message in err (a malformed file names its line). */
int civreg_csv_open(const char *path, const struct pii_keys *keys, struct civreg **out,
                    char *err, size_t errlen);

/* Default file: the database path + ".civreg.csv" (PRAKERJA_CIVREG overrides). */
int civreg_default_path(const char *db_path, char *out, size_t outlen);

/* cr->check / cr->close, NULL-safe (a NULL adapter answers UNAVAILABLE). */
enum civreg_result civreg_check(struct civreg *cr, const char *nik, const char *full_name,
                                const char *birth_date);
void civreg_close(struct civreg *cr);

#endif

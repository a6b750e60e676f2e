/*
 * eligibility (store): gathers the facts core/eligibility.c judges an
 * application on (account, KK, test attempts, beneficiaries, exclusion lists,
 * civil registry), records every rule's outcome in eligibility_results and sets
 * the application's status to eligible or ineligible. Used when a participant
 * applies and again when the wave closes. All functions run inside the caller's
 * db_txn and return DB_OK or a negative DB_E*.
 */
#ifndef PK_STORE_ELIGIBILITY_H
#define PK_STORE_ELIGIBILITY_H
#include <stdint.h>

#include "core/eligibility.h"
#include "store/civreg.h"
#include "store/db.h"
#include "store/pii.h"

struct elig_env {
    const struct pii_keys *keys;    /* to decrypt the NIK for the registry */
    struct civreg *civreg;          /* may be NULL: civil_registry fails as unavailable */
};

/* Checks application_id (status submitted, eligible or ineligible) against its
 * wave's scheme at time now; writes one eligibility_results row per rule
 * (replacing earlier ones), sets status and checked_at. out (may be NULL)
 * receives the results; *eligible_out (may be NULL) 1 or 0. DB_ENOTFOUND when
 * there is no such application or its status is none of those three. */
int elig_check_application(db *d, const struct elig_env *env, int64_t application_id,
                           int64_t now, struct elig_result out[ELIG_NRULES], int *eligible_out);

/* At close: checks every submitted/eligible/ineligible application of wave_id
 * again, then enforces the KK limit within the wave: where a KK's beneficiaries
 * plus its eligible applications in this wave exceed max_per_kk, the later
 * applications (by created_at, then id) beyond the limit become ineligible with
 * kk_limit failed (elig.kk_limit). Counts go to the out-params (may be NULL).
 * DB_ENOTFOUND when there is no such wave. */
int elig_check_wave(db *d, const struct elig_env *env, int64_t wave_id, int64_t now,
                    int64_t *eligible_out, int64_t *ineligible_out);

#endif

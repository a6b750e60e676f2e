/*
 * beneficiaries (store): the people a draw selected (migration 0003), their
 * Kartu Prakerja number and training balance, and revocation. A person is a
 * beneficiary at most once, ever: a revoked row stays, bars the person from the
 * program (the eligibility rule not_revoked) and leaves a seat that a later
 * wave created with refill takes over.
 *
 * Card numbers: BENEFICIARIES_CARD_PREFIX (ISO/IEC 7812 national-use major
 * industry identifier 9 and Indonesia's ISO 3166 numeric code 360), 11 random
 * digits and a Luhn check digit (core/card.h).
 *
 * Returns DB_OK or a negative DB_E*; lookups DB_ENOTFOUND when there is no row.
 */
#ifndef PK_STORE_BENEFICIARIES_H
#define PK_STORE_BENEFICIARIES_H
#include <stdint.h>

#include "core/card.h"
#include "core/scheme.h"
#include "store/db.h"

#define BENEFICIARIES_CARD_PREFIX "9360"

struct beneficiary {
    int64_t id;
    char card_number[CARD_LEN + 1];
    int64_t account_id, application_id, wave_id;
    int wave;                            /* the wave's number */
    char scheme[SCHEME_CODE_MAX + 1];    /* the scheme's code */
    int64_t training_balance;            /* the scheme's, rupiah */
    char regency_code[8];
    int64_t balance;                     /* left to spend, rupiah */
    int64_t purchase_deadline;
    int64_t first_purchase_at;           /* 0 = no purchase yet */
    char status[12];                     /* active | revoked */
    int64_t revoked_at;                  /* 0 = not revoked */
    int64_t returned_balance;
    int64_t created_at;
};

int beneficiaries_by_account(db *d, int64_t account_id, struct beneficiary *out);

/* Inside the caller's db_txn (the draw): makes a beneficiary of every selected
 * application of wave_id that has none yet, with a fresh unique card number
 * (drawn again on the rare clash with an existing or another new one), balance =
 * the scheme's training_balance, purchase_deadline = drawn_at +
 * purchase_deadline_days days, the KK blind index and the regency copied. Uses
 * the connection's temporary table beneficiaries_new. The ledger gets one "fund"
 * entry of the total (ref "wave:N") and one "credit" entry program:budget ->
 * card:X per new card (store/ledger.h). *issued (may be NULL) gets how many. */
int beneficiaries_issue(db *d, int64_t wave_id, const struct scheme *s, int64_t drawn_at,
                        int64_t *issued);

/* [own db_txn] Revokes every active beneficiary whose purchase_deadline is before
 * now with no purchase: status revoked, revoked_at = now, returned_balance =
 * balance, balance = 0, and one "revocation" entry card:X -> state:returned per
 * card with a balance in the ledger; appends one audit entry (action
 * beneficiary.revoke_expired, detail "count=N returned=R") even when nothing was
 * due. *count and *returned
 * (rupiah; each may be NULL) say how many and how much went back. */
int beneficiaries_revoke_expired(db *d, int64_t now, const char *actor, int64_t *count,
                                 int64_t *returned);

/* Revoked seats no later wave has refilled yet. */
int beneficiaries_refill_pending(db *d, int64_t *count);

/* [own db_txn] Ends the spending of wave_id's cards: every active beneficiary of
 * the wave with a balance left gives it back to the state (ledger entry of kind
 * expiry, card:X -> state:returned), returned_balance grows by it and balance
 * becomes 0; the cards stay active (trainings already bought go on). One audit
 * entry (beneficiary.expire, subject "wave:N", detail "count=N returned=R").
 * *count and *returned (each may be NULL) say how many cards and how much. */
int beneficiaries_expire_wave(db *d, int64_t wave_id, int64_t now, const char *actor,
                              int64_t *count, int64_t *returned);

/* Inside the caller's db_txn (wave creation): marks every revoked seat not yet
 * refilled as refilled by wave_id; *count gets how many. */
int beneficiaries_refill_take(db *d, int64_t wave_id, int64_t *count);

#endif

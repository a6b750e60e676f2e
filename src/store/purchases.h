/*
 * purchases (store): buying a course with the card balance and what follows it
 * (migration 0006): one-time purchase codes (OTPs), platform bindings, purchases
 * with their voucher codes, redeem codes, completion and ratings.
 *
 * Buying is one transaction (purchases_buy): the idempotency lookup, every check,
 * the seat, the binding, the OTP, the voucher, the ledger entry card:X ->
 * platform:P (store/ledger.h) together with beneficiaries.balance and
 * first_purchase_at, the purchase row and an audit entry. A refusal writes
 * nothing, except that a wrong OTP counts an attempt (see below). Entries of one
 * card are numbered in the order they commit on both engines: SQLite has one
 * writer, and on PostgreSQL (SERIALIZABLE) of two transactions moving the same
 * card the later one fails and runs again, with a new entry id. So the
 * balance_after of a purchase is the card account's sum up to its entry, which is
 * how a retried request gets the very reply of the first without storing it.
 *
 * The OTP rule. A platform asks for a code for a card (purchases_otp_issue); the
 * participant gets it by SMS and tells the platform, which sends it with one
 * purchase. A code is single-use: it authorises exactly one successful purchase
 * by that platform for that card, within PURCHASES_OTP_TTL seconds of being
 * issued. A purchase refused for any other reason (balance, seat, ...) leaves the
 * code unused, and a retry with the same Idempotency-Key after success returns
 * the first reply without looking at the code again. Several codes may be live at
 * once (one per purchase the platform is preparing). A code matching none of the
 * live codes of this card and platform is a wrong attempt: it counts one attempt
 * on every live code of the pair, in a transaction of its own that commits, and a
 * code with PURCHASES_OTP_MAX_ATTEMPTS attempts is dead; so at most that many
 * guesses are possible per batch of codes issued, each of which the participant
 * sees arrive by SMS. Codes are stored as a keyed hash (purchases_otp_hash).
 *
 * Functions marked [txn] run their own db_txn (joining the caller's when nested)
 * and return DB_OK, a negative DB_E*, or a positive PURCHASES_* outcome naming a
 * stable API code (purchases_code). Times are Unix seconds UTC.
 */
#ifndef PK_STORE_PURCHASES_H
#define PK_STORE_PURCHASES_H
#include <stdint.h>

#include "core/card.h"
#include "core/voucher.h"
#include "store/db.h"
#include "store/pii.h"

#define PURCHASES_PUBLIC_ID_LEN 26
#define PURCHASES_OTP_TTL 600               /* seconds a purchase code lives */
#define PURCHASES_OTP_MAX_ATTEMPTS 5
#define PURCHASES_OTP_HASH_LEN PII_BIDX_LEN
#define PURCHASES_LIVE_WINDOW 3600          /* redeem codes of live sessions work from
                                               starts_at - this to starts_at + this */
#define PURCHASES_ACCOUNT_MAX 64            /* platform_account: 1..64 bytes */
#define PURCHASES_CERT_MAX 64
#define PURCHASES_REVIEW_MIN 10             /* characters (UTF-8 code points) */
#define PURCHASES_REVIEW_MAX 2000
#define PURCHASES_LIST_MAX 500              /* trainings listed for one participant */

enum purchases_outcome {                    /* > 0, so never a DB_* status */
    PURCHASES_CARD_NOT_FOUND = 200,         /* card.not_found */
    PURCHASES_CARD_INACTIVE_OTP,            /* card.not_active (asking for a code) */
    PURCHASES_CARD_NOT_ACTIVE,              /* purchase.card_not_active */
    PURCHASES_DEADLINE_PASSED,              /* purchase.deadline_passed */
    PURCHASES_INSUFFICIENT_BALANCE,         /* purchase.insufficient_balance */
    PURCHASES_COURSE_NOT_FOUND,             /* purchase.course_not_found */
    PURCHASES_SESSION_NOT_FOUND,            /* purchase.session_not_found */
    PURCHASES_SESSION_REQUIRED,             /* purchase.session_required */
    PURCHASES_NOT_ON_SALE,                  /* purchase.not_on_sale */
    PURCHASES_SOLD_OUT,                     /* purchase.sold_out */
    PURCHASES_UNFINISHED_TRAINING,          /* purchase.unfinished_training */
    PURCHASES_BINDING_CONFLICT,             /* purchase.binding_conflict */
    PURCHASES_OTP_INVALID,                  /* purchase.otp_invalid */
    PURCHASES_OTP_EXPIRED,                  /* purchase.otp_expired */
    PURCHASES_IDEMPOTENCY_CONFLICT,         /* purchase.idempotency_conflict */
    PURCHASES_NOT_FOUND,                    /* purchase.not_found */
    PURCHASES_NOT_CANCELLABLE,              /* purchase.not_cancellable */
    PURCHASES_REDEEM_NOT_FOUND,             /* redeem.not_found */
    PURCHASES_REDEEM_WRONG_TYPE,            /* redeem.wrong_type */
    PURCHASES_REDEEM_OTHER_PROVIDER,        /* redeem.other_provider */
    PURCHASES_REDEEM_CANCELLED_CODE,        /* redeem.cancelled_code */
    PURCHASES_REDEEM_CANCELLED_TRANSACTION, /* redeem.cancelled_transaction */
    PURCHASES_REDEEM_ALREADY_USED,          /* redeem.already_used */
    PURCHASES_REDEEM_OUTSIDE_WINDOW,        /* redeem.outside_window */
    PURCHASES_COMPLETION_ALREADY,           /* completion.already */
    PURCHASES_COMPLETION_NOT_REDEEMED,      /* completion.not_redeemed */
    PURCHASES_RATING_NOT_COMPLETED,         /* rating.not_completed */
    PURCHASES_RATING_ALREADY,               /* rating.already */
};

/* The API code of a PURCHASES_* outcome; NULL for anything else. */
const char *purchases_code(int outcome);

/* The stored form of a purchase code: keyed BLAKE2b (pii_blind_index, domain
 * "purchase-otp") as hex. */
void purchases_otp_hash(const struct pii_keys *k, const char *code,
                        char out[PURCHASES_OTP_HASH_LEN + 1]);

/* [txn] A new purchase code for the card, asked for by platform_id for its
 * account platform_account (written to the audit entry): checks the card
 * (PURCHASES_CARD_NOT_FOUND, PURCHASES_CARD_INACTIVE_OTP), stores code_hash with
 * expires_at = now + PURCHASES_OTP_TTL and queues sms_body (which holds the code in
 * clear) to the beneficiary's phone. *expires_at (may be NULL) gets the expiry. */
int purchases_otp_issue(db *d, int64_t platform_id, const char *card_number,
                        const char *platform_account, const char *code_hash,
                        const char *sms_body, const char *actor, int64_t now,
                        int64_t *expires_at);

struct purchase {
    int64_t id;
    char public_id[PURCHASES_PUBLIC_ID_LEN + 1];
    int64_t beneficiary_id;
    int64_t account_id;                     /* the beneficiary's account */
    char card_number[CARD_LEN + 1];
    int64_t platform_id;
    char platform_public_id[27];
    int64_t course_id;
    char course_public_id[27];
    int64_t provider_id;
    char mode[16];                          /* the course's */
    int64_t session_id;
    char session_public_id[27];
    int64_t starts_at;                      /* the session's; 0 for self-paced */
    int64_t price;
    char voucher_code[VOUCHER_LEN + 1];
    char status[12];                        /* paid | cancelled | completed */
    int64_t balance_after;                  /* the card's balance right after it */
    int64_t created_at, cancelled_at;       /* 0 = not cancelled */
};

struct purchase_req {
    int64_t platform_id;
    const char *platform_public_id;         /* for the ledger account platform:<id> */
    const char *card_number;
    const char *course_public_id;
    const char *session_public_id;          /* NULL: the course's only session */
    const char *otp_hash;                   /* purchases_otp_hash of the code sent */
    const char *platform_account;           /* the participant's account on the platform */
    const char *idempotency_key;
    const char *request_hash;               /* identifies the request's content */
    const char *actor;                      /* audit actor */
    int64_t now;
};

/* [txn] Buys, as the file comment says. Checks, in order: the idempotency key
 * (same request_hash: DB_OK with *replayed = 1 and out as first answered, status
 * "paid"; another: PURCHASES_IDEMPOTENCY_CONFLICT), the card (CARD_NOT_FOUND,
 * CARD_NOT_ACTIVE, DEADLINE_PASSED when it has no purchase and now is past its
 * deadline), the course and session (COURSE_NOT_FOUND, SESSION_NOT_FOUND,
 * SESSION_REQUIRED, NOT_ON_SALE unless approved and, for a live session, before
 * the end of its redeem window), INSUFFICIENT_BALANCE, SOLD_OUT,
 * UNFINISHED_TRAINING (the scheme's concurrent_trainings is 0 and a paid purchase
 * is open), BINDING_CONFLICT, then the OTP (OTP_INVALID, after counting the
 * attempt; OTP_EXPIRED). A price of 0 moves no money, so writes no ledger entry. */
int purchases_buy(db *d, const struct purchase_req *in, struct purchase *out, int *replayed);

/* A purchase by public id, with balance_after; DB_ENOTFOUND when none. */
int purchases_get(db *d, const char *public_id, struct purchase *out);

/* [txn] Cancels a paid purchase of platform_id (PURCHASES_NOT_FOUND for another
 * platform's): refund entry platform:P -> card:X, the balance back, the seat
 * released, issued redeem codes cancelled, first_purchase_at moved to the oldest
 * purchase still standing (NULL when none, so the deadline applies again).
 * PURCHASES_NOT_CANCELLABLE once completed or a redeem code was used. Cancelling a
 * cancelled purchase changes nothing and answers it as it is. */
int purchases_cancel(db *d, int64_t platform_id, const char *public_id, const char *actor,
                     int64_t now, struct purchase *out);

struct redeem_code {
    char code[VOUCHER_LEN + 1];
    char session_public_id[27];
    int64_t starts_at;                      /* 0 for self-paced */
    char status[12];                        /* issued | used | cancelled */
    int64_t used_at;                        /* 0 = not used */
};

#define PURCHASES_MAX_CODES 8

/* [txn] Exchanges a voucher (canonical form) at provider_id for the redeem code of
 * the purchase's session, made on the first exchange and the same afterwards.
 * PURCHASES_REDEEM_NOT_FOUND, PURCHASES_REDEEM_OTHER_PROVIDER,
 * PURCHASES_REDEEM_CANCELLED_TRANSACTION. out gets the purchase, codes[] the codes
 * (*ncodes of them). */
int purchases_exchange(db *d, int64_t provider_id, const char *voucher_code,
                       const char *actor, int64_t now, struct purchase *out,
                       struct redeem_code codes[PURCHASES_MAX_CODES], int *ncodes);

/* [txn] Uses a redeem code (canonical form) at provider_id for a training of type
 * training_type. Refusals in this order: REDEEM_NOT_FOUND, REDEEM_OTHER_PROVIDER,
 * REDEEM_WRONG_TYPE, REDEEM_CANCELLED_TRANSACTION (the purchase was cancelled),
 * REDEEM_CANCELLED_CODE, REDEEM_ALREADY_USED, REDEEM_OUTSIDE_WINDOW (a webinar,
 * offline or hybrid session outside [starts_at - 3600, starts_at + 3600]).
 * out gets the purchase and *code the code as used. */
int purchases_redeem(db *d, int64_t provider_id, const char *redeem_code,
                     const char *training_type, const char *actor, int64_t now,
                     struct purchase *out, struct redeem_code *code);

struct completion_in {
    int score;                              /* 0..100 */
    const char *certificate_no;             /* 1..PURCHASES_CERT_MAX bytes */
    const char *completed_on;               /* YYYY-MM-DD, checked by the caller */
};

/* [txn] The provider reports a purchase finished: PURCHASES_NOT_FOUND (none, or
 * another provider's course), PURCHASES_COMPLETION_ALREADY,
 * PURCHASES_COMPLETION_NOT_REDEEMED (no redeem code used yet). */
int purchases_complete(db *d, int64_t provider_id, const char *public_id,
                       const struct completion_in *in, const char *actor, int64_t now,
                       struct purchase *out);

/* [txn] The participant (account_id) rates a finished purchase 1..5 stars with a
 * review: PURCHASES_NOT_FOUND (none, or someone else's), RATING_NOT_COMPLETED,
 * RATING_ALREADY. The course's published stars grow by it, and the first rated
 * purchase of the beneficiary becomes its incentive_purchase_id. *incentive (may
 * be NULL) is 1 when this rating was that one. */
int purchases_rate(db *d, int64_t account_id, const char *public_id, int stars,
                   const char *review, int64_t now, int *incentive);

/* One training as the participant sees it. Strings are valid during the call. */
struct training {
    const struct purchase *p;               /* balance_after is not filled here */
    const char *title, *provider_public_id, *provider_name, *category, *level, *purpose;
    int hours;
    int64_t course_price;                   /* the course's price now */
    const char *regency_code;               /* NULL when none */
    int64_t rating_sum, rating_count;       /* the course's */
    const struct redeem_code *codes;
    int ncodes;
    int completed;                          /* the certificate fields below are set */
    int score;
    const char *certificate_no, *completed_on;
    int rated;                              /* stars and review are set */
    int stars;
    const char *review;
    int incentive_eligible;                 /* this is the beneficiary's incentive purchase */
};

/* Calls fn for each purchase of the participant account_id, newest first (at most
 * PURCHASES_LIST_MAX). A non-zero return from fn stops the walk and is returned. */
int purchases_of_account(db *d, int64_t account_id,
                         int (*fn)(const struct training *t, void *ctx), void *ctx);

#endif

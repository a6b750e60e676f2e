/*
 * exam (store): the basic test's question bank and attempts (migration 0003).
 * Being completed for issue 4; the contract other modules rely on is below.
 */
#ifndef PK_STORE_EXAM_H
#define PK_STORE_EXAM_H
#include <stdint.h>

#include "store/db.h"

/* *passed_out = 1 when account_id has a submitted attempt whose score (percent)
 * is at least pass_mark, else 0. DB_OK or a negative DB_E*. */
int exam_passed(db *d, int64_t account_id, int pass_mark, int *passed_out);

#endif

#!/bin/sh
# scheme_test: `prakerja scheme list | show | create` end to end against a freshly
# migrated database: the two shipped schemes in the table and in `show` (rupiah as
# Rp3.500.000), a scheme created from every option and one with --like, each bad
# field reported on its own line (exit 1, nothing written), a taken code (exit 1),
# an unknown --like, and --help / usage errors (exit 2).
# Usage: scheme_test.sh PRAKERJA_BINARY
# The engine is SQLite (a file) unless PRAKERJA_TEST_PG holds a PostgreSQL base URL:
# then the database is s_<pid> on that server, made and dropped here with psql.
set -u
BIN=${1:?usage: scheme_test.sh PRAKERJA_BINARY}
NAME=scheme_test PGPREFIX=s
. "$(dirname "$0")/lib.sh"
run() { "$BIN" scheme "$@" --db "$DB" >"$T/out" 2>"$T/err"; }

"$BIN" db migrate --db "$DB" >/dev/null 2>&1 || { echo "FAIL: db migrate" >&2; exit 1; }

# list: a header and one row per scheme, in id order
run list
check "scheme list exits 0" "[ $? -eq 0 ]"
check "list has a header" "head -1 '$T/out' | grep -q '^CODE  *NAME  *TRAINING BALANCE  *INCENTIVE  *DEADLINE  *AGES'"
check "list shows semi-bansos" \
  "sed -n 2p '$T/out' | grep -Eq '^semi-bansos-2020 +Semi-bansos 2020-2022 +Rp1\.000\.000 +4 x Rp600\.000 +30 days +18-64$'"
check "list shows normal-2023" \
  "sed -n 3p '$T/out' | grep -Eq '^normal-2023 +Normal 2023\+ +Rp3\.500\.000 +1 x Rp600\.000 +15 days +18-64$'"
check "list has 3 lines" "[ \$(wc -l <'$T/out') -eq 3 ]"

# show: every field, one per line
run show normal-2023
check "scheme show exits 0" "[ $? -eq 0 ]"
check "show has 21 lines" "[ \$(wc -l <'$T/out') -eq 21 ]"
for line in 'code +normal-2023' 'training_balance +Rp3\.500\.000' 'incentive_amount +Rp600\.000' \
            'survey_amount +Rp50\.000' 'survey_count +2' 'purchase_deadline_days +15' \
            'exclude_aid +no' 'exclude_students +yes' 'priority_tiers +laid_off\|unemployed' \
            'excluded_occupations +civil_servant,military_police,village_official,legislator,soe_director' \
            'test_pass_mark +60' 'created_at +2023-01-01T00:00:00Z'; do
  check "show: $line" "grep -Eq '^$line\$' '$T/out'"
done
run show nope
check "show of an unknown code exits 1" "[ $? -eq 1 ] && grep -q 'no scheme has the code nope' '$T/err'"
run show
check "show without a code exits 2" "[ $? -eq 2 ]"

# create with every option
run create --code padat-karya-2026 --name "Padat Karya 2026" --training-balance 2500000 \
  --incentive-amount 300000 --incentive-count 3 --incentive-interval-days 30 \
  --survey-amount 25000 --survey-count 1 --purchase-deadline-days 21 --age-min 21 --age-max 55 \
  --exclude-aid yes --max-per-kk 1 --min-course-hours 20 \
  --excluded-occupations civil_servant,legislator --exclude-students no \
  --priority-tiers 'laid_off,unemployed|informal_worker' --test-questions 12 --test-minutes 20 \
  --test-pass-mark 75
check "create with every option exits 0" "[ $? -eq 0 ] && grep -q 'created scheme padat-karya-2026' '$T/out'"
check "created row holds every value" \
  "[ \"\$(q \"SELECT training_balance, incentive_amount, incentive_count, incentive_interval_days, survey_amount, survey_count, purchase_deadline_days, age_min, age_max, exclude_aid, max_per_kk, min_course_hours, excluded_occupations, exclude_students, priority_tiers, test_questions, test_minutes, test_pass_mark FROM schemes WHERE code = 'padat-karya-2026'\")\" = '2500000|300000|3|30|25000|1|21|21|55|1|1|20|civil_servant,legislator|0|laid_off,unemployed|informal_worker|12|20|75' ]"
check "create is audited" \
  "[ \"\$(q \"SELECT actor || ' ' || action FROM audit_log WHERE subject = 'padat-karya-2026'\")\" = 'cli scheme.create' ]"
run show padat-karya-2026
check "show of the new scheme" "grep -Eq '^incentive_count +3$' '$T/out' && grep -Eq '^training_balance +Rp2\.500\.000$' '$T/out'"

# --like copies, options override
run create --code normal-2026 --name "Normal 2026" --like normal-2023 --training-balance 4000000 \
  --excluded-occupations ''
check "create --like exits 0" "[ $? -eq 0 ]"
check "--like copies and overrides" \
  "[ \"\$(q \"SELECT training_balance || '|' || incentive_amount || '|' || purchase_deadline_days || '|' || excluded_occupations || '|' || priority_tiers FROM schemes WHERE code = 'normal-2026'\")\" = '4000000|600000|15||laid_off|unemployed' ]"

# bad fields: each on its own line, nothing written
COUNT=$(q "SELECT COUNT(*) FROM schemes")
run create --code Bad_Code --name x --like normal-2023 --training-balance -1 --age-min 30 \
  --age-max 20 --exclude-aid maybe --priority-tiers 'laid_off|pilot' --test-questions 3e2 \
  --incentive-count 4 --incentive-interval-days 0
check "bad fields exit 1" "[ $? -eq 1 ]"
for f in 'code: .*scheme.code_invalid' 'training_balance: .*scheme.amount_invalid' \
         'age_max: .*scheme.age_order' 'exclude_aid: not yes or no: maybe' \
         'priority_tiers: .*scheme.tiers_invalid' 'test_questions: not a whole number: 3e2' \
         'incentive_interval_days: .*scheme.interval_needed'; do
  check "reports $f" "grep -Eq '^prakerja scheme create: $f' '$T/err'"
done
check "seven errors, one a line" "[ \$(wc -l <'$T/err') -eq 7 ]"
run create --code partial --name Partial --training-balance 1
check "no --like: missing columns exit 1" \
  "[ $? -eq 1 ] && grep -q 'incentive_amount: required' '$T/err' && grep -q 'test_pass_mark: required' '$T/err' && ! grep -q 'training_balance' '$T/err'"
run create --code normal-2023 --name "Again" --like normal-2023
check "taken code exits 1" "[ $? -eq 1 ] && grep -q 'scheme.code_taken' '$T/err'"
run create --code fresh --name Fresh --like nope
check "unknown --like exits 1" "[ $? -eq 1 ] && grep -q 'no scheme has this code' '$T/err'"
check "nothing written by the failures" "[ \"\$(q 'SELECT COUNT(*) FROM schemes')\" = '$COUNT' ]"

# usage
run create --name "No code"
check "create without --code exits 2" "[ $? -eq 2 ]"
run create --code x --name y --bogus 1
check "unknown option exits 2" "[ $? -eq 2 ] && grep -q 'unknown option' '$T/err'"
"$BIN" scheme frobnicate >/dev/null 2>&1
check "unknown subcommand exits 2" "[ $? -eq 2 ]"
"$BIN" scheme >/dev/null 2>&1
check "missing subcommand exits 2" "[ $? -eq 2 ]"
for c in "" list show create; do
  # shellcheck disable=SC2086
  "$BIN" scheme $c --help >"$T/h" 2>&1
  check "scheme $c --help" "[ $? -eq 0 ] && grep -q Usage '$T/h'"
done
"$BIN" scheme create --help | grep -q -- '--purchase-deadline-days'
check "create --help names every option" "[ $? -eq 0 ]"

echo "scheme: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

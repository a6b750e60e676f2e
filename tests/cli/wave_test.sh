#!/bin/sh
# wave_test: `prakerja wave create|list|show|open|close|draw|audit` and
# `prakerja revoke-expired` end to end. 60 people in five regencies of two
# provinces are imported, made ready (verified, a passed test, known to the civil
# registry file, 3 of them under another name there) and apply to wave 1 (the
# applications go in with SQL: applying is the API's); `wave close` re-checks
# them (the 3 become ineligible for the registry), `wave draw` selects with
# spill-over, `wave audit` writes a file that `draw verify` accepts (exit 0) and
# rejects with a flipped flag or a wrong seed (exit 1); selected people get
# cards; revoke-expired takes back the balances of those past their deadline; a
# refill wave takes their seats. Usage errors exit 2 without changing anything.
#
# The same scenario runs on SQLite and, when PRAKERJA_TEST_PG names a server, on
# PostgreSQL as well, with the same public ids and seed: both must select exactly
# the same applications. Usage: wave_test.sh PRAKERJA_BINARY [REGIONS_DIR]
set -u
BIN=${1:?usage: wave_test.sh PRAKERJA_BINARY [REGIONS_DIR]}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
REGIONS=${2:-${PRAKERJA_REGIONS_DIR:-$SRC/node_modules/idn-area-data/data}}
if [ ! -f "$REGIONS/districts.csv" ]; then
  echo "wave_test: no region data in $REGIONS; skipped" >&2
  exit 77
fi
command -v sqlite3 >/dev/null || { echo "wave_test: sqlite3 missing; skipped" >&2; exit 77; }
T=$(mktemp -d)
PG=${PRAKERJA_TEST_PG:-}
PGNAME=w_$$
cleanup() {
  [ -n "${KEEP:-}" ] && { echo "kept $T" >&2; return; }
  rm -rf "$T"
  [ -n "$PG" ] && psql -qX "$PG/postgres" -c "DROP DATABASE IF EXISTS $PGNAME WITH (FORCE)" >/dev/null 2>&1
}
trap cleanup EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

SEED=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
WRONG=ff112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
NOW=$(date +%s)
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# scenario NAME DB KEYF: runs everything on one database; q() must be set.
scenario() {
  name=$1 DB=$2 KEYF=$3
  D=$T/$name; mkdir -p "$D"
  CIV=$D/civreg.csv
  W="--db $DB --key $KEYF --civreg $CIV"
  "$BIN" db init --db "$DB" --key "$KEYF" --regions "$REGIONS" >"$D/init" 2>&1 ||
    { bad "$name: db init"; cat "$D/init" >&2; return; }

  # 60 people: 12 in each of five regencies (3 of Jawa Timur, 2 of Jawa Barat)
  echo "email,full_name,nik,kk,birth_date,sex,phone,village_code,education,occupation" >"$D/p.csv"
  echo "nik,full_name,birth_date" >"$CIV"
  i=0
  for reg in 35.09 35.10 35.11 32.01 32.02; do
    vil=$(q "SELECT code FROM regions WHERE level = 4 AND code LIKE '$reg.%' ORDER BY code LIMIT 1")
    dis=$(echo "$vil" | cut -c1-8 | tr -d .)
    for k in 1 2 3 4 5 6 7 8 9 10 11 12; do
      i=$((i + 1))
      nik=$(printf '%s010190%04d' "$dis" "$i")
      kk=$(printf '%s010108%04d' "$dis" "$i")
      occ=unemployed; [ $((i % 4)) -eq 0 ] && occ=laid_off
      printf 'p%d@example.id,Budi %d,%s,%s,1990-01-01,M,0812345%05d,%s,sma,%s\n' \
        "$i" "$i" "$nik" "$kk" "$i" "$vil" "$occ" >>"$D/p.csv"
      nm="Budi $i"; [ $((i % 20)) -eq 7 ] && nm="Someone Else"
      printf '%s,%s,1990-01-01\n' "$nik" "$nm" >>"$CIV"
    done
  done
  "$BIN" import accounts "$D/p.csv" --db "$DB" --key "$KEYF" >"$D/imp" 2>&1
  check "$name: import 60 people" "grep -q 'imported 60, rejected 0' '$D/imp'"
  q "UPDATE accounts SET email_verified_at = 1, phone_verified_at = 1" >/dev/null
  q "INSERT INTO test_attempts (public_id, account_id, scheme_id, day, question_ids, started_at,
       deadline_at, submitted_at, answers, correct, total, score, passed)
     SELECT 'ta-' || email, id, (SELECT id FROM schemes WHERE code = 'normal-2023'), '2026-01-01',
       '1', 1, 2, 2, '0', 18, 20, 90, 1 FROM accounts" >/dev/null

  # wave 1: csv quotas. Eligible after close: 11, 12, 11, 11, 12. 35.11 leaves 4
  # seats to Jawa Timur; 32.02 leaves 8 to Jawa Barat, which has 2 left, so 6 go to
  # the nation: 38 + 6 + 6 = 50.
  printf 'regency_code,quota\n35.09,3\n35.10,3\n35.11,15\n32.01,9\n32.02,20\n' >"$D/q.csv"
  "$BIN" wave create --db "$DB" --number 1 --scheme normal-2023 --opens "$(iso $((NOW - 86400)))" \
    --closes "$(iso $((NOW + 86400)))" --quota 50 --quotas "$D/q.csv" --seed $SEED >"$D/c1" 2>&1
  check "$name: wave create exits 0" "[ $? -eq 0 ] && grep -q 'status *open' '$D/c1'"
  check "$name: the seed is not stored" "! q 'SELECT seed FROM waves' | grep -q $SEED"
  # a wave without a seed prints one, once, and stores its commitment
  "$BIN" wave create --db "$DB" --number 5 --scheme normal-2023 --opens "$(iso $((NOW + 86400 * 30)))" \
    --closes "$(iso $((NOW + 86400 * 40)))" --quota 10 >"$D/c5" 2>"$D/c5.err"
  S5=$(sed -n 's/^seed \([0-9a-f]\{64\}\)$/\1/p' "$D/c5")
  check "$name: a generated seed is printed once with a warning" \
    "[ \${#S5} -eq 64 ] && grep -q 'keep it secret\\|Keep it secret' '$D/c5.err'"
  check "$name: its commitment is SHA-256 of it" \
    "[ \"\$(python3 -c 'import hashlib,sys; print(hashlib.sha256(bytes.fromhex(sys.argv[1])).hexdigest())' '$S5')\" = \"\$(q 'SELECT seed_commitment FROM waves WHERE number = 5')\" ]"
  "$BIN" wave create --db "$DB" --number 1 --scheme normal-2023 --opens "$(iso $NOW)" \
    --closes "$(iso $((NOW + 9)))" --quota 1 >/dev/null 2>"$D/dup"
  check "$name: a taken number exits 1" "[ $? -eq 1 ] && grep -q 'wave.number_taken' '$D/dup'"

  # applications, deterministic public ids, as the API would insert them
  q "INSERT INTO applications (public_id, wave_id, account_id, regency_code, tier, status,
       is_open, created_at)
     SELECT 'app-' || replace(email, '@example.id', ''), (SELECT id FROM waves WHERE number = 1),
       id, regency_code, CASE WHEN occupation = 'laid_off' THEN 0 ELSE 1 END, 'submitted', 1, 1
     FROM accounts" >/dev/null
  "$BIN" wave close 1 $W >"$D/close" 2>&1
  check "$name: wave close re-checks (3 registry mismatches)" \
    "grep -q '60 applications, 57 eligible, 3 ineligible' '$D/close'"
  check "$name: the mismatch reason is recorded" \
    "[ \"\$(q \"SELECT COUNT(*) FROM eligibility_results WHERE reason = 'elig.civreg_name_mismatch'\")\" = 3 ]"
  "$BIN" wave close 1 $W >/dev/null 2>"$D/close2"
  check "$name: closing a closed wave exits 1" "[ $? -eq 1 ] && grep -q wave.bad_state '$D/close2'"
  "$BIN" wave draw 1 $W --seed $WRONG >/dev/null 2>"$D/wrong"
  check "$name: a wrong seed is refused" "[ $? -eq 1 ] && grep -q wave.seed_mismatch '$D/wrong'"
  "$BIN" wave draw 1 $W --seed $SEED >"$D/draw" 2>"$D/draw.err"
  check "$name: wave draw exits 0 with its numbers" \
    "[ $? -eq 0 ] && grep -q 'wave 1 drawn: 57 eligible, 50 seats, 50 selected' '$D/draw'"
  check "$name: every stage is used" \
    "grep -q 'province [1-9]' '$D/draw' && grep -q 'nation [1-9]' '$D/draw'"
  check "$name: a progress bar on stderr" "grep -q 'draw: ' '$D/draw.err'"
  "$BIN" wave draw 1 $W --seed $SEED >/dev/null 2>"$D/again"
  check "$name: a second draw is refused" "[ $? -eq 1 ] && grep -q wave.already_drawn '$D/again'"
  "$BIN" wave show 1 --db "$DB" >"$D/show"
  check "$name: wave show reveals the seed once drawn" "grep -q 'seed  *$SEED' '$D/show'"
  "$BIN" wave list --db "$DB" >"$D/list"
  check "$name: wave list shows both waves" \
    "grep -q '^ *5 .*scheduled' '$D/list' && grep -q '^ *1 .*drawn .* 60 .* 57 .* 50\$' '$D/list'"
  check "$name: 50 cards" "[ \"\$(q 'SELECT COUNT(*) FROM beneficiaries')\" = 50 ]"

  "$BIN" wave audit 1 --db "$DB" --out "$D/audit.csv" >/dev/null 2>&1
  check "$name: wave audit exits 0" "[ $? -eq 0 ] && grep -q '^#end,57\$' '$D/audit.csv'"
  check "$name: a quota row for all 514 regencies" "[ \"\$(grep -c '^#quota,' '$D/audit.csv')\" = 514 ]"
  "$BIN" draw verify "$D/audit.csv" --seed $SEED >"$D/v" 2>&1
  check "$name: draw verify accepts it" "[ $? -eq 0 ] && grep -q 'verified: 57 applications, 50 selected' '$D/v'"
  L=$(grep -n ',1,regency$' "$D/audit.csv" | head -1 | cut -d: -f1)
  sed "${L}s/,1,regency\$/,0,none/" "$D/audit.csv" >"$D/flip.csv"
  "$BIN" draw verify "$D/flip.csv" --seed $SEED >/dev/null 2>&1
  check "$name: draw verify rejects a flipped flag" "[ $? -eq 1 ]"
  "$BIN" draw verify "$D/audit.csv" --seed $WRONG >/dev/null 2>&1
  check "$name: draw verify rejects a wrong seed" "[ $? -eq 1 ]"
  "$BIN" wave audit 5 --db "$DB" >/dev/null 2>"$D/nd"
  check "$name: no audit file before the draw" "[ $? -eq 1 ] && grep -q wave.not_drawn '$D/nd'"
  grep -v '^#' "$D/audit.csv" | awk -F, '$6 == 1 { print $1 "," $7 }' | sort >"$T/$name.selected"

  # revocation: 10 of the 50 are past their deadline, one of them bought already
  q "UPDATE beneficiaries SET purchase_deadline = 100 WHERE id IN
       (SELECT id FROM beneficiaries ORDER BY card_number LIMIT 10)" >/dev/null
  q "UPDATE beneficiaries SET first_purchase_at = 50 WHERE id =
       (SELECT id FROM beneficiaries ORDER BY card_number LIMIT 1)" >/dev/null
  "$BIN" revoke-expired --db "$DB" >"$D/rev" 2>&1
  check "$name: revoke-expired revokes 9 and returns their balance" \
    "grep -q 'revoked 9 beneficiaries, Rp31.500.000 returned' '$D/rev'"
  "$BIN" revoke-expired --db "$DB" >"$D/rev2" 2>&1
  check "$name: a second run revokes none" "grep -q 'revoked 0 beneficiaries, Rp0 returned' '$D/rev2'"
  check "$name: an audit entry per run" \
    "[ \"\$(q \"SELECT COUNT(*) FROM audit_log WHERE action = 'beneficiary.revoke_expired'\")\" = 2 ]"
  "$BIN" wave create --db "$DB" --number 6 --scheme normal-2023 --opens "$(iso $((NOW + 86400 * 50)))" \
    --closes "$(iso $((NOW + 86400 * 60)))" --quota 5 --floor 1 --refill --seed $SEED >"$D/c6" 2>&1
  check "$name: a refill wave takes the 9 seats" \
    "grep -q 'total_quota *14' '$D/c6' && grep -q 'refill_seats *9' '$D/c6'"
}

# usage errors first (nothing is opened)
for c in "wave" "wave create" "wave list" "wave show" "wave open" "wave close" "wave draw" \
         "wave audit" "revoke-expired"; do
  # shellcheck disable=SC2086
  "$BIN" $c --help >"$T/h" 2>&1
  check "prakerja $c --help exits 0" "[ $? -eq 0 ] && grep -q Usage '$T/h'"
done
"$BIN" wave create --number 0 --scheme x --opens 2026-01-01T00:00:00Z --closes 2026-01-02T00:00:00Z \
  --quota 1 --db "$T/none.db" >/dev/null 2>&1
check "wave create --number 0 exits 2" "[ $? -eq 2 ]"
"$BIN" wave create --number 1 --scheme x --opens 2026-01-02 --closes 2026-01-03T00:00:00Z \
  --quota 1 --db "$T/none.db" >/dev/null 2>&1
check "wave create with a date without time and zone exits 2" "[ $? -eq 2 ]"
"$BIN" wave create --number 1 --scheme x --opens 2026-01-02T00:00:00Z --closes 2026-01-01T00:00:00Z \
  --quota 1 --db "$T/none.db" >/dev/null 2>&1
check "wave create closing before opening exits 2" "[ $? -eq 2 ]"
"$BIN" wave create --number 1 --scheme x --opens 2026-01-01T00:00:00Z --closes 2026-01-02T00:00:00Z \
  --quota 1 --seed abc --db "$T/none.db" >/dev/null 2>&1
check "wave create with a short seed exits 2" "[ $? -eq 2 ]"
"$BIN" wave draw 1 --seed xyz --db "$T/none.db" >/dev/null 2>&1
check "wave draw with a bad seed exits 2" "[ $? -eq 2 ]"
"$BIN" wave frobnicate >/dev/null 2>&1
check "unknown wave subcommand exits 2" "[ $? -eq 2 ]"
check "nothing was created by usage errors" "[ ! -e '$T/none.db' ]"

q() { sqlite3 "$T/s.db" "$1"; }
mkdir -p "$T/k"
scenario sqlite "$T/s.db" "$T/s.db.key"
if [ -n "$PG" ]; then
  command -v psql >/dev/null || { echo "wave_test: psql missing" >&2; exit 1; }
  PGOPTIONS='-c client_min_messages=warning' psql -qX -v ON_ERROR_STOP=1 "$PG/postgres" \
    -c "DROP DATABASE IF EXISTS $PGNAME WITH (FORCE)" -c "CREATE DATABASE $PGNAME" >/dev/null || exit 1
  q() { psql -qAtX -v ON_ERROR_STOP=1 "$PG/$PGNAME" -c "$1"; }
  scenario pg "$PG/$PGNAME" "$T/k/pg.key"
  check "SQLite and PostgreSQL select the same applications at the same stages" \
    "[ -s '$T/sqlite.selected' ] && cmp -s '$T/sqlite.selected' '$T/pg.selected'"
fi

echo "wave: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

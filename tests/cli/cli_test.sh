#!/bin/sh
# cli_test: the prakerja command line end to end against a throwaway database:
# `db init` twice (second run changes nothing, key file mode 0600), `import
# accounts` of a CSV with good and bad rows (the right lines and codes on stderr,
# only the good rows in the database, exit 1), and --help / unknown options of
# every command. Usage: cli_test.sh PRAKERJA_BINARY [REGIONS_DIR]
# The engine is SQLite (a file) unless PRAKERJA_TEST_PG holds a PostgreSQL base URL
# (scripts/pg-cluster prints one): then the database is c_<pid> on that server,
# made and dropped here with psql, and the key file is given with --key.
set -u
BIN=${1:?usage: cli_test.sh PRAKERJA_BINARY [REGIONS_DIR]}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
REGIONS=${2:-${PRAKERJA_REGIONS_DIR:-$SRC/node_modules/idn-area-data/data}}
if [ ! -f "$REGIONS/districts.csv" ]; then
  echo "cli_test: no region data in $REGIONS (run npm ci or set PRAKERJA_REGIONS_DIR); skipped" >&2
  exit 77
fi
T=$(mktemp -d)
[ -z "${KEEP:-}" ] || echo "keeping $T" >&2
PG=${PRAKERJA_TEST_PG:-}
if [ -n "$PG" ]; then
  command -v psql >/dev/null || { echo "cli_test: psql missing; skipped" >&2; exit 77; }
  PGNAME=c_$$
  PGOPTIONS='-c client_min_messages=warning' psql -qX -v ON_ERROR_STOP=1 "$PG/postgres" \
    -c "DROP DATABASE IF EXISTS $PGNAME WITH (FORCE)" \
    -c "CREATE DATABASE $PGNAME" >/dev/null || exit 1
  trap '[ -n "${KEEP:-}" ] || { rm -rf "$T"; psql -qX "$PG/postgres" -c "DROP DATABASE IF EXISTS $PGNAME WITH (FORCE)" >/dev/null; }' EXIT
  DB=$PG/$PGNAME
  KEYF=$T/data/p.key
  mkdir -p "$T/data"
  q() { psql -qAtX -F'|' -v ON_ERROR_STOP=1 "$DB" -c "$1"; }
else
  command -v sqlite3 >/dev/null || { echo "cli_test: sqlite3 missing; skipped" >&2; exit 77; }
  trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
  DB=$T/data/p.db
  KEYF=$DB.key
  q() { sqlite3 "$DB" "$1"; }
fi
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

# db init, twice
"$BIN" db init --db "$DB" --key "$KEYF" --regions "$REGIONS" >"$T/init1" 2>"$T/init1.err"
check "db init exits 0" "[ $? -eq 0 ]"
check "db init makes the key file mode 0600" "[ \"\$(stat -c %a '$KEYF')\" = 600 ]"
check "db init imports 514 regencies" \
  "[ \"\$(q 'SELECT COUNT(*) FROM regions WHERE level = 2')\" = 514 ]"
KEY1=$(cat "$KEYF")
SUMQ="SELECT (SELECT COUNT(*) FROM schema_migrations), (SELECT MAX(version) FROM schema_migrations), (SELECT COUNT(*) FROM regions)"
SUM1=$(q "$SUMQ")
"$BIN" db init --db "$DB" --key "$KEYF" --regions "$REGIONS" >"$T/init2" 2>&1
check "second db init exits 0" "[ $? -eq 0 ]"
check "second db init says nothing changed" "grep -q 'nothing changed' '$T/init2'"
check "second db init keeps the key" "[ \"\$(cat '$KEYF')\" = '$KEY1' ]"
check "second db init changes no rows" \
  "[ \"\$(q \"\$SUMQ\")\" = '$SUM1' ]"
"$BIN" db migrate --db "$DB" >"$T/mig" 2>&1
check "db migrate on a current db exits 0" "[ $? -eq 0 ] && grep -q 'nothing to do' '$T/mig'"

# import: line 2 good, 3 bad NIK date, 4 duplicate NIK of line 2, 5 good, 6 bad
# email and phone, 7 duplicate email of line 5, 8 sex disagrees with NIK, 9 good
# with columns in another order handled by the header, 10 unknown village
cat >"$T/a.csv" <<'CSV'
full_name,email,nik,kk,birth_date,sex,phone,village_code,education,occupation
Siti Nur'aini,siti@example.id,3509154708950001,3509150101080003,1995-08-07,F,081234567890,35.09.15.2001,sma,unemployed
Budi,budi@example.id,3509153213950001,3509150101080003,1995-13-32,M,081234567891,35.09.15.2001,sma,unemployed
Ani,ani@example.id,3509154708950001,3509150101080003,1995-08-07,F,081234567892,35.09.15.2001,sma,unemployed
"Agus, Jr.",agus@example.id,3509150101900002,3509150101080004,1990-01-01,M,081234567893,35.09.15.2001,smk,laid_off
Eko,not-an-email,3509150101900003,3509150101080004,1990-01-01,M,12,35.09.15.2001,smk,laid_off
Dewi,AGUS@example.id,3509154101900004,3509150101080004,1990-01-01,F,081234567895,35.09.15.2001,s1,employee
Rina,rina@example.id,3509150101900005,3509150101080004,1990-01-01,F,081234567896,35.09.15.2001,s1,employee
Joko,joko@example.id,3509150202910006,3509150101080004,1991-02-02,M,+62 812-3456-7897,35.09.15.2001,s1,farmer_fisher
Yuli,yuli@example.id,3509154202910007,3509150101080004,1991-02-02,F,081234567898,99.99.99.9999,s1,employee
CSV
"$BIN" import accounts "$T/a.csv" --db "$DB" --key "$KEYF" >"$T/imp.out" 2>"$T/imp.err"
rc=$?
check "import with rejected rows exits 1" "[ $rc -eq 1 ]"
check "import summary" "grep -q 'imported 3, rejected 6' '$T/imp.out'"
check "line 3 bad birth date" "grep -q '^line 3: .*nik nik.bad_birth_date' '$T/imp.err'"
check "line 4 duplicate NIK in file" "grep -q '^line 4: nik row.duplicate_nik' '$T/imp.err'"
check "line 6 bad email" "grep -q '^line 6: email email.invalid' '$T/imp.err'"
check "line 6 bad phone" "grep -q '^line 6: .*phone phone.invalid' '$T/imp.err'"
check "line 7 duplicate email (case-insensitive)" "grep -q '^line 7: email row.duplicate_email' '$T/imp.err'"
check "line 8 sex disagrees with NIK" "grep -q '^line 8: sex sex.nik_mismatch' '$T/imp.err'"
check "line 10 unknown village" "grep -q '^line 10: village_code village.unknown' '$T/imp.err'"
check "good lines not reported" "! grep -qE '^line (2|5|9):' '$T/imp.err'"
check "only good rows written" \
  "[ \"\$(q 'SELECT email FROM accounts ORDER BY email' | paste -sd, -)\" = 'agus@example.id,joko@example.id,siti@example.id' ]"
check "phone normalised, name kept" \
  "[ \"\$(q \"SELECT phone || '|' || full_name FROM accounts WHERE email = 'agus@example.id'\")\" = '+6281234567893|Agus, Jr.' ]"
check "NIK stored encrypted" "! q 'SELECT nik_enc FROM accounts' | grep -q 3509154708950001"
check "imported without password" \
  "[ \"\$(q 'SELECT COUNT(*) FROM accounts WHERE password_hash IS NULL')\" = 3 ]"

# the same file again: every row now rejected, the good ones as already registered
"$BIN" import accounts "$T/a.csv" --db "$DB" --key "$KEYF" >"$T/imp2.out" 2>"$T/imp2.err"
check "re-import rejects taken NIK" "grep -q '^line 2: nik account.nik_taken' '$T/imp2.err'"
check "re-import writes nothing" "[ \"\$(q 'SELECT COUNT(*) FROM accounts')\" = 3 ]"

# On SQLite a whole-table import (rows at least half of those stored: one
# transaction with the indexes of accounts dropped and rebuilt; alone on the
# database, with a rollback journal instead of the WAL) that hits a file error on
# its last line (a cell over 64 KiB) leaves the database as it was: no new account,
# every index of accounts back, the database in WAL mode, no journal left over.
# (PostgreSQL commits batch by batch, so there only the error itself is checked.)
if [ -n "$PG" ]; then
  IDXQ="SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'accounts'"
else
  IDXQ="SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'accounts' ORDER BY name)"
fi
IDX0=$(q "$IDXQ")
good_rows() {   # good_rows FIRST LAST: rows with unique NIK, email and phone
  i=$1
  while [ "$i" -le "$2" ]; do
    printf 'Peserta %d,p%d@example.id,350915010191%04d,3509150101080004,1991-01-01,M,08129%07d,35.09.15.2001,sma,unemployed\n' "$i" "$i" "$i" "$i"
    i=$((i + 1))
  done
}
{ echo "full_name,email,nik,kk,birth_date,sex,phone,village_code,education,occupation"
  good_rows 1 20
  printf 'Long,long@example.id,3509150101990001,3509150101080004,1990-01-01,M,081299999999,35.09.15.2001,sma,'
  head -c 70000 /dev/zero | tr '\0' x
  echo; } >"$T/c.csv"
"$BIN" import accounts "$T/c.csv" --db "$DB" --key "$KEYF" >"$T/c.out" 2>"$T/c.err"
rc=$?
check "import failing on its last line exits 2" "[ $rc -eq 2 ] && grep -q 'line 22: a field longer than 64 KiB' '$T/c.err'"
check "failed whole-table import keeps every index of accounts" "[ \"\$(q \"\$IDXQ\")\" = '$IDX0' ]"
check "accounts has six indexes besides its key" \
  "[ \"\$(echo '$IDX0' | tr ',' '\\n' | grep -c '^accounts_[a-z_]*\$')\" -ge 6 ]"
if [ -z "$PG" ]; then
  check "failed whole-table import writes nothing" "[ \"\$(q 'SELECT COUNT(*) FROM accounts')\" = 3 ]"
  check "failed import leaves the database in WAL mode" "[ \"\$(q 'PRAGMA journal_mode')\" = wal ]"
  check "failed import leaves no rollback journal" "[ ! -e '$DB-journal' ]"
else
  q "DELETE FROM accounts WHERE email LIKE 'p%@example.id'" >/dev/null
fi
# the same rows without the bad line: all imported, indexes rebuilt and enforced
head -n 21 "$T/c.csv" >"$T/d.csv"
"$BIN" import accounts "$T/d.csv" --db "$DB" --key "$KEYF" >"$T/d.out" 2>"$T/d.err"
check "whole-table import exits 0" "[ $? -eq 0 ] && grep -q 'imported 20, rejected 0' '$T/d.out'"
check "whole-table import wrote the rows" "[ \"\$(q 'SELECT COUNT(*) FROM accounts')\" = 23 ]"
check "whole-table import rebuilt every index" "[ \"\$(q \"\$IDXQ\")\" = '$IDX0' ]"
check "rebuilt unique index on email is enforced" \
  "! q \"INSERT INTO accounts(public_id, email, full_name, created_at) VALUES ('dup', 'p7@example.id', 'X', 1)\" 2>/dev/null"
check "rebuilt index finds a row" \
  "[ \"\$(q \"SELECT full_name FROM accounts WHERE email = 'p20@example.id'\")\" = 'Peserta 20' ]"
if [ -z "$PG" ]; then
  check "whole-table import leaves the database in WAL mode" "[ \"\$(q 'PRAGMA journal_mode')\" = wal ]"
  # with another connection open SQLite cannot leave WAL: the import stays in WAL,
  # does not wait for the other connection, and succeeds
  { echo 'SELECT COUNT(*) FROM accounts;'; sleep 3; } | sqlite3 "$DB" >/dev/null &
  reader=$!
  sleep 1
  { echo "full_name,email,nik,kk,birth_date,sex,phone,village_code,education,occupation"
    good_rows 21 40; } >"$T/e.csv"
  "$BIN" import accounts "$T/e.csv" --db "$DB" --key "$KEYF" >"$T/e.out" 2>"$T/e.err"
  check "whole-table import beside an open connection exits 0" \
    "[ $? -eq 0 ] && grep -q 'imported 20, rejected 0' '$T/e.out'"
  wait "$reader"
  check "import beside an open connection wrote the rows" "[ \"\$(q 'SELECT COUNT(*) FROM accounts')\" = 43 ]"
  check "import beside an open connection leaves WAL mode" "[ \"\$(q 'PRAGMA journal_mode')\" = wal ]"
  # killed during a whole-table load in rollback-journal mode (as soon as the
  # journal file appears): the next connection plays the journal back, so the
  # database holds none of the rows, is intact, and is in WAL mode again
  awk 'BEGIN { print "full_name,email,nik,kk,birth_date,sex,phone,village_code,education,occupation"
    for (i = 0; i < 60000; i++) { d = 1 + i % 28; s = 1 + int(i / 28)
      printf "K %d,k%d@example.id,350915%02d0192%04d,3509150101080004,1992-01-%02d,M,0813%08d,35.09.15.2001,sma,unemployed\n", i, i, d, s, d, i } }' >"$T/k.csv"
  "$BIN" import accounts "$T/k.csv" --db "$DB" --key "$KEYF" >/dev/null 2>&1 &
  imp=$!
  k=0
  while [ ! -e "$DB-journal" ] && [ $k -lt 500 ]; do sleep 0.01; k=$((k + 1)); done
  check "a whole-table import alone on the database uses a rollback journal" "[ -e '$DB-journal' ]"
  kill -9 "$imp" 2>/dev/null
  wait "$imp" 2>/dev/null
  "$BIN" db migrate --db "$DB" >/dev/null 2>&1
  check "import killed mid-load leaves none of its rows" "[ \"\$(q 'SELECT COUNT(*) FROM accounts')\" = 43 ]"
  check "import killed mid-load leaves an intact database" "[ \"\$(q 'PRAGMA integrity_check')\" = ok ]"
  check "after a killed import the database is in WAL mode again" "[ \"\$(q 'PRAGMA journal_mode')\" = wal ]"
  check "after a killed import every index of accounts is there" "[ \"\$(q \"\$IDXQ\")\" = '$IDX0' ]"
fi

# file and usage errors exit 2
printf 'email,full_name\nx@y.id,X\n' >"$T/b.csv"
"$BIN" import accounts "$T/b.csv" --db "$DB" --key "$KEYF" >/dev/null 2>"$T/b.err"
check "missing column is a file error (exit 2)" "[ $? -eq 2 ] && grep -q 'no column nik' '$T/b.err'"
"$BIN" import accounts "$T/none.csv" --db "$DB" --key "$KEYF" >/dev/null 2>&1
check "missing file exits 2" "[ $? -eq 2 ]"
"$BIN" import accounts "$T/a.csv" --db "$DB" --key "$KEYF" --bogus >/dev/null 2>&1
check "unknown import option exits 2" "[ $? -eq 2 ]"

# outbox on an empty outbox
"$BIN" outbox --db "$DB" --json >"$T/ob" 2>&1
check "outbox --json on empty outbox" "[ $? -eq 0 ] && [ ! -s '$T/ob' ]"

# admin create
printf 'short\n' | "$BIN" admin create --db "$DB" --email a@b.id --name A --password-stdin >/dev/null 2>&1
check "admin create rejects a short password" "[ $? -eq 1 ]"
printf 'long enough pw\n' | "$BIN" admin create --db "$DB" --email Boss@Example.id --name Boss \
  --role analyst --scope 35 --password-stdin >/dev/null 2>&1
check "admin create exits 0" "[ $? -eq 0 ]"
check "admin stored with argon2id" \
  "q \"SELECT role || password_hash FROM accounts WHERE email = 'boss@example.id'\" | grep -q '^analyst\\\$argon2id'"

# --help everywhere, unknown options exit 2
for c in "" "serve" "db" "db init" "db migrate" "admin" "admin create" "outbox" \
         "import" "demo" "version"; do
  # shellcheck disable=SC2086
  "$BIN" $c --help >"$T/h" 2>&1
  check "prakerja $c --help exits 0" "[ $? -eq 0 ] && grep -q Usage '$T/h'"
done
for c in "serve" "db init" "db migrate" "admin create" "outbox" "demo"; do
  # shellcheck disable=SC2086
  "$BIN" $c --no-such-option >/dev/null 2>"$T/u"
  check "prakerja $c --no-such-option exits 2" "[ $? -eq 2 ] && grep -q 'unknown option' '$T/u'"
done
"$BIN" frobnicate >/dev/null 2>&1
check "unknown command exits 2" "[ $? -eq 2 ]"
"$BIN" version | grep -q '^prakerja [0-9]'
check "version prints" "[ $? -eq 0 ]"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

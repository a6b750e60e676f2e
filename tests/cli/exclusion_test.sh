#!/bin/sh
# exclusion_test: `prakerja exclusion import` and `exclusion list` end to end
# against a throwaway database: bad lines reported by line number and skipped
# (exit 1), the summary counts, NIKs stored only as blind indexes, a re-import
# that replaces the list (name and aid flag too), a file error that changes
# nothing (exit 2), usage errors (exit 2), --help, and the progress bar on a
# big file. Usage: exclusion_test.sh PRAKERJA_BINARY [REGIONS_DIR]
# The engine is SQLite (a file) unless PRAKERJA_TEST_PG holds a PostgreSQL base
# URL: then the database is x_<pid> on that server, made and dropped here.
set -u
BIN=${1:?usage: exclusion_test.sh PRAKERJA_BINARY [REGIONS_DIR]}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
REGIONS=${2:-${PRAKERJA_REGIONS_DIR:-$SRC/node_modules/idn-area-data/data}}
if [ ! -f "$REGIONS/districts.csv" ]; then
  echo "exclusion_test: no region data in $REGIONS (run npm ci); skipped" >&2
  exit 77
fi
NAME=exclusion_test PGPREFIX=x
. "$(dirname "$0")/lib.sh"
if [ -n "$PG" ]; then KEYF=$T/p.key; else KEYF=$DB.key; fi
X() { "$BIN" exclusion "$@" --db "$DB"; }

"$BIN" db init --db "$DB" --key "$KEYF" --regions "$REGIONS" >/dev/null 2>&1
check "db init" "[ $? -eq 0 ]"

# line 2 good, 3 short, 4 quoted with blanks (good), 5 duplicate of 2, 6 a letter,
# 7 empty, 8 good with a comma in another quoted column
cat >"$T/dtks.csv" <<'CSV'
name,nik,note
Siti,3509154708950001,x
Budi,350915470895000,short
Ani," 3509150101900002 ",padded
Eko,3509154708950001,again
Dewi,35091547089500O1,letter
Rina,,empty
"Agus, Jr.",3509150202910006,ok
CSV
X import dtks-2022 "$T/dtks.csv" --key "$KEYF" --name "DTKS 2022" --aid >"$T/o" 2>"$T/e"
check "import with bad lines exits 1" "[ $? -eq 1 ]"
check "summary counts" \
  "grep -q 'exclusion list dtks-2022 created: taken 3, rejected 3, duplicates 1' '$T/o'"
check "line 3 reported" "grep -q '^line 3: nik is not 16 digits' '$T/e'"
check "line 6 reported" "grep -q '^line 6: nik is not 16 digits' '$T/e'"
check "line 7 reported" "grep -q '^line 7: nik is missing' '$T/e'"
check "good lines not reported" "! grep -qE '^line (2|4|5|8):' '$T/e'"
check "no progress bar for a small file" "! grep -q 'exclusion read' '$T/e'"
check "three entries stored" "[ \"\$(q 'SELECT COUNT(*) FROM exclusion_entries')\" = 3 ]"
check "entries as blind indexes only" \
  "! q 'SELECT nik_bidx FROM exclusion_entries' | grep -q 3509154708950001"
check "list row" \
  "[ \"\$(q \"SELECT name || '|' || aid || '|' || entries FROM exclusion_lists WHERE code = 'dtks-2022'\")\" = 'DTKS 2022|1|3' ]"

X list >"$T/l" 2>&1
check "list exits 0" "[ $? -eq 0 ]"
check "list shows the list" "grep -qE '^dtks-2022	aid	3	[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z	DTKS 2022$' '$T/l'"

# re-import: replaced, without --aid now, other NIKs
printf 'nik\n3509150303930009\n3509150404940008\n' >"$T/dtks2.csv"
X import dtks-2022 "$T/dtks2.csv" --key "$KEYF" >"$T/o" 2>"$T/e"
check "clean re-import exits 0" "[ $? -eq 0 ]"
check "re-import says replaced" "grep -q 'dtks-2022 replaced: taken 2, rejected 0' '$T/o'"
check "re-import replaces the entries" "[ \"\$(q 'SELECT COUNT(*) FROM exclusion_entries')\" = 2 ]"
check "re-import resets name and aid" \
  "[ \"\$(q \"SELECT name || '|' || aid || '|' || entries FROM exclusion_lists WHERE code = 'dtks-2022'\")\" = 'dtks-2022|0|2' ]"
BEFORE=$(q 'SELECT nik_bidx FROM exclusion_entries ORDER BY nik_bidx' | paste -sd, -)

# file errors change nothing and exit 2
printf 'id,name\n1,Siti\n' >"$T/nonik.csv"
X import dtks-2022 "$T/nonik.csv" --key "$KEYF" >/dev/null 2>"$T/e"
check "no nik column exits 2" "[ $? -eq 2 ] && grep -q 'line 1: the header row has no column nik' '$T/e'"
printf 'nik\n12\nabc\n' >"$T/allbad.csv"
X import dtks-2022 "$T/allbad.csv" --key "$KEYF" >/dev/null 2>"$T/e"
check "only bad lines exits 2" "[ $? -eq 2 ] && grep -q 'no valid NIK' '$T/e'"
X import dtks-2022 "$T/none.csv" --key "$KEYF" >/dev/null 2>&1
check "missing file exits 2" "[ $? -eq 2 ]"
check "failed imports left the list whole" \
  "[ \"\$(q 'SELECT nik_bidx FROM exclusion_entries ORDER BY nik_bidx' | paste -sd, -)\" = '$BEFORE' ]"

# usage errors
X import "Bad Code" "$T/dtks2.csv" --key "$KEYF" >/dev/null 2>"$T/e"
check "bad code exits 2" "[ $? -eq 2 ] && grep -q 'CODE must be' '$T/e'"
X import dtks-2022 --key "$KEYF" >/dev/null 2>&1
check "missing file argument exits 2" "[ $? -eq 2 ]"
X import dtks-2022 "$T/dtks2.csv" --key "$KEYF" --bogus >/dev/null 2>"$T/e"
check "unknown option exits 2" "[ $? -eq 2 ] && grep -q 'unknown option' '$T/e'"
"$BIN" exclusion frob >/dev/null 2>&1
check "unknown subcommand exits 2" "[ $? -eq 2 ]"
"$BIN" exclusion >/dev/null 2>&1
check "missing subcommand exits 2" "[ $? -eq 2 ]"
for c in "" "import" "list"; do
  # shellcheck disable=SC2086
  "$BIN" exclusion $c --help >"$T/h" 2>&1
  check "exclusion $c --help" "[ $? -eq 0 ] && grep -q Usage '$T/h'"
done

# a big file: the progress bar (plain lines when stderr is not a terminal)
awk 'BEGIN { print "nik"; for (i = 0; i < 30000; i++) printf "3509%012d\n", i }' >"$T/big.csv"
X import big "$T/big.csv" --key "$KEYF" >"$T/o" 2>"$T/e"
check "big import exits 0" "[ $? -eq 0 ] && grep -q 'taken 30000, rejected 0' '$T/o'"
check "progress while reading" "grep -q '^exclusion read: 100.0% 30000/30000' '$T/e'"
check "progress while writing" "grep -q '^exclusion write: 100.0% 30000/30000' '$T/e'"
check "big list stored" \
  "[ \"\$(q \"SELECT entries FROM exclusion_lists WHERE code = 'big'\")\" = 30000 ]"
X list >"$T/l" 2>&1
check "list in code order" "[ \"\$(cut -f1 '$T/l' | paste -sd, -)\" = 'big,dtks-2022' ]"

echo "exclusion: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

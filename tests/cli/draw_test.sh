#!/bin/sh
# draw_test: `prakerja draw simulate` then `draw verify` end to end: a simulated
# draw verifies (exit 0); one selected flag flipped, one key changed, a wrong
# seed, a wrong rule each fail with exit 1 naming the right line or reason; a
# truncated file and a garbled row are malformed (exit 2).
# Usage: draw_test.sh PRAKERJA_BINARY [REGIONS_DIR]
set -u
BIN=${1:?usage: draw_test.sh PRAKERJA_BINARY [REGIONS_DIR]}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
REGIONS=${2:-${PRAKERJA_REGIONS_DIR:-$SRC/node_modules/idn-area-data/data}}
if [ ! -f "$REGIONS/regencies.csv" ]; then
  echo "draw_test: no region data in $REGIONS; skipped" >&2
  exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
SEED=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
WRONG=ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
pass=0 fail=0
check() {  # check NAME WANT_RC GREP_PATTERN FILE [--seed S]
  name=$1 want=$2 pat=$3 f=$4 s=${5:-$SEED}
  "$BIN" draw verify "$f" --seed "$s" >"$T/out" 2>"$T/err"
  rc=$?
  if [ "$rc" -eq "$want" ] && grep -q -- "$pat" "$T/out" "$T/err"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name: exit $rc (want $want), output:" >&2
    cat "$T/out" "$T/err" >&2
  fi
}

"$BIN" draw simulate --applications 3000 --seats 2600 --seed "$SEED" --out "$T/d.csv" \
  --regions "$REGIONS" >"$T/sim" 2>/dev/null || { echo "FAIL simulate" >&2; exit 1; }
# every stage is used
grep -q 'province [1-9]' "$T/sim" && grep -q 'nation [1-9]' "$T/sim" || {
  echo "FAIL simulate uses every stage:" >&2; cat "$T/sim" >&2; fail=$((fail + 1)); }
check good 0 "verified: 3000 applications, 2600 selected" "$T/d.csv"

# flip the first selected row to 0/none
L=$(grep -n ',1,regency$' "$T/d.csv" | head -1 | cut -d: -f1)
sed "${L}s/,1,regency\$/,0,none/" "$T/d.csv" >"$T/flip.csv"
check flip 1 "line $L: selected is 0, the draw selects it" "$T/flip.csv"

# an unselected row claimed selected
L2=$(grep -n ',0,none$' "$T/d.csv" | sed -n 5p | cut -d: -f1)
sed "${L2}s/,0,none\$/,1,nation/" "$T/d.csv" >"$T/claim.csv"
check claim 1 "line $L2: selected is 1, the draw does not select it" "$T/claim.csv"

# a changed key (one hex digit) on a later line
L3=$(grep -n '^sim-' "$T/d.csv" | sed -n 100p | cut -d: -f1)
awk -F, -v OFS=, -v l="$L3" 'NR == l { k = $5; c = substr(k, 1, 1); $5 = (c == "0" ? "1" : "0") substr(k, 2) } 1' \
  "$T/d.csv" >"$T/key.csv"
check key 1 "line $L3: key does not match the seed" "$T/key.csv"

# wrong seed: the commitment catches it; without the commitment, the first row does
check seed 1 "the seed does not match the commitment" "$T/d.csv" "$WRONG"
grep -v '^#seed_commitment' "$T/d.csv" >"$T/nocommit.csv"
F=$(grep -n '^sim-' "$T/nocommit.csv" | head -1 | cut -d: -f1)
check seed2 1 "line $F: key does not match the seed" "$T/nocommit.csv" "$WRONG"

# a different rule: the file's selection is then wrong somewhere
sed 's/^#rule,regency_province_nation$/#rule,regency/' "$T/d.csv" >"$T/rule.csv"
check rule 1 "selected is 1, the draw does not select it" "$T/rule.csv"

# truncated: cut mid-line, and cut at a line end (no #end row)
head -c 150000 "$T/d.csv" >"$T/cut.csv"
check cut 2 "truncated" "$T/cut.csv"
head -n 1000 "$T/d.csv" >"$T/cut2.csv"
check cut2 2 "line 1001: truncated: no #end row" "$T/cut2.csv"

# a garbled row
awk -F, -v OFS=, -v l="$L3" 'NR == l { $6 = "x" } 1' "$T/d.csv" >"$T/garble.csv"
check garble 2 "line $L3: selected is not 0 or 1" "$T/garble.csv"

echo "draw_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

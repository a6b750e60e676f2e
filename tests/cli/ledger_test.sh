#!/bin/sh
# ledger_test: `prakerja ledger check | balance | accounts` end to end on a demo
# database: db init, demo with a small number of participants (its waves drawn:
# every card credited through the ledger, wave 1's expired cards revoked), then
# `ledger check` passes (exit 0) and the balances agree with the beneficiaries;
# rows corrupted by SQL (a beneficiary balance, an entry's line, a stored account
# balance) each make it fail (exit 1) naming the difference, and repairing them
# makes it pass again. Usage errors exit 2.
# Usage: ledger_test.sh PRAKERJA_BINARY [REGIONS_DIR]
# The engine is SQLite (a file) unless PRAKERJA_TEST_PG holds a PostgreSQL base URL:
# then the database is l_<pid> on that server, made and dropped here with psql.
set -u
BIN=${1:?usage: ledger_test.sh PRAKERJA_BINARY [REGIONS_DIR]}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
REGIONS=${2:-${PRAKERJA_REGIONS_DIR:-$SRC/node_modules/idn-area-data/data}}
if [ ! -f "$REGIONS/districts.csv" ]; then
  echo "ledger_test: no region data in $REGIONS; skipped" >&2
  exit 77
fi
NAME=ledger_test PGPREFIX=l
. "$(dirname "$0")/lib.sh"
check() { if eval "$2"; then ok; else bad "$1"; cat "$T/out" "$T/err" >&2; fi; }
KEYF=$T/p.key
# the demo writes its civil-registry stand-in here (on PostgreSQL there is no
# database file to put it beside)
export PRAKERJA_CIVREG=$T/p.civreg.csv
run() { "$BIN" ledger "$@" --db "$DB" >"$T/out" 2>"$T/err"; }

# usage errors, before any database exists
"$BIN" ledger >"$T/out" 2>"$T/err"
check "ledger without a subcommand exits 2" "[ $? -eq 2 ] && grep -q 'give a subcommand' '$T/err'"
"$BIN" ledger frobnicate --db "$T/none.db" >"$T/out" 2>"$T/err"
check "unknown subcommand exits 2" "[ $? -eq 2 ] && grep -q 'unknown subcommand' '$T/err'"
"$BIN" ledger balance card:12 --db "$T/none.db" >"$T/out" 2>"$T/err"
check "a malformed account code exits 2" "[ $? -eq 2 ] && grep -q 'not an account code' '$T/err'"
"$BIN" ledger balance --db "$T/none.db" >"$T/out" 2>"$T/err"
check "balance without an account exits 2" "[ $? -eq 2 ]"
"$BIN" ledger check --cards --db "$T/none.db" >"$T/out" 2>"$T/err"
check "--cards outside accounts exits 2" "[ $? -eq 2 ]"
check "usage errors create nothing" "[ ! -e '$T/none.db' ]"
"$BIN" ledger --help >"$T/out" 2>"$T/err"
check "ledger --help exits 0" "[ $? -eq 0 ] && grep -q 'prakerja ledger check' '$T/out'"

"$BIN" db init --db "$DB" --key "$KEYF" --regions "$REGIONS" >"$T/init" 2>&1 ||
  { echo "FAIL: db init" >&2; cat "$T/init" >&2; exit 1; }
run check
check "an empty ledger checks" "[ $? -eq 0 ] && grep -q '^ledger: 0 entries, 0 accounts, all balanced$' '$T/out'"

start=$(date +%s)
"$BIN" demo --db "$DB" --key "$KEYF" --participants 3000 >"$T/demo" 2>&1 ||
  { echo "FAIL: demo" >&2; cat "$T/demo" >&2; exit 1; }
echo "ledger_test: demo took $(( $(date +%s) - start )) s" >&2
NB=$(q "SELECT COUNT(*) FROM beneficiaries")
check "the demo made beneficiaries" "[ '$NB' -gt 0 ]"

run check
check "ledger check passes on the demo" "[ $? -eq 0 ] && grep -Eq '^ledger: [0-9]+ entries, [0-9]+ accounts, all balanced$' '$T/out'"
NE=$(q "SELECT COUNT(*) FROM ledger_entries")
check "the check counts the entries" "grep -q '^ledger: $NE entries' '$T/out'"
check "one credit per card" "[ \$(q \"SELECT COUNT(*) FROM ledger_entries WHERE kind = 'credit'\") -eq $NB ]"
check "every card account equals its beneficiary" \
  "[ \$(q \"SELECT COUNT(*) FROM beneficiaries b JOIN ledger_accounts a ON a.code = 'card:' || b.card_number AND a.balance = b.balance\") -eq $NB ]"

# balance: the funding source is what the program put in, negative
FUND=$(q "SELECT SUM(l.amount) FROM ledger_lines l JOIN ledger_entries e ON e.id = l.entry_id JOIN ledger_accounts a ON a.id = l.account_id WHERE e.kind = 'fund' AND a.code = 'program:budget'")
run balance state:funding
check "balance of state:funding" "[ $? -eq 0 ] && [ \"\$(tr -d . <'$T/out')\" = 'state:funding -Rp$FUND' ]"
CARD=$(q "SELECT card_number FROM beneficiaries ORDER BY id LIMIT 1")
CB=$(q "SELECT balance FROM beneficiaries ORDER BY id LIMIT 1")
run balance "card:$CARD"
check "balance of a card is its beneficiary's" "[ $? -eq 0 ] && [ \"\$(tr -d . <'$T/out')\" = 'card:$CARD Rp$CB' ]"
run balance platform:never-used
check "an account never used is 0" "[ $? -eq 0 ] && grep -q '^platform:never-used Rp0$' '$T/out'"

# accounts: the fixed accounts, cards folded, and a zero total
run accounts
check "ledger accounts exits 0" "[ $? -eq 0 ] && head -1 '$T/out' | grep -Eq '^ACCOUNT +KIND +BALANCE$'"
check "accounts lists state:funding" "grep -Eq '^state:funding +funding +-Rp[0-9.]+$' '$T/out'"
check "accounts lists program:budget" "grep -Eq '^program:budget +budget +Rp[0-9.]+$' '$T/out'"
NC=$(q "SELECT COUNT(*) FROM ledger_accounts WHERE kind = 'card'")
check "card accounts are folded into one line" "grep -Eq '^card:\\* \\($NC accounts\\) +card +Rp[0-9.]+$' '$T/out' && ! grep -q '^card:[0-9]' '$T/out'"
check "the balances sum to zero" "tail -1 '$T/out' | grep -Eq '^total \\(0 when balanced\\) +Rp0$'"
run accounts --cards
check "accounts --cards lists every card" "[ \$(grep -c '^card:[0-9]' '$T/out') -eq $NC ]"

# corruptions, each caught, each repaired
q "UPDATE beneficiaries SET balance = balance + 1 WHERE card_number = '$CARD'" >/dev/null
run check
check "a beneficiary balance off by one: exit 1" "[ $? -eq 1 ] && grep -q \"(card $CARD): balance $((CB + 1)) differs from its ledger account card:$CARD $CB\" '$T/out'"
q "UPDATE beneficiaries SET balance = balance - 1 WHERE card_number = '$CARD'" >/dev/null
run check
check "repaired: exit 0" "[ $? -eq 0 ]"

EID=$(q "SELECT MAX(id) FROM ledger_entries WHERE kind = 'credit'")
q "UPDATE ledger_lines SET amount = amount + 100 WHERE entry_id = $EID AND amount > 0" >/dev/null
run check
check "an unbalanced entry: exit 1" "[ $? -eq 1 ] && grep -q \"entry $EID (credit beneficiary:[0-9]*) sums to 100, not 0\" '$T/out'"
q "UPDATE ledger_lines SET amount = amount - 100 WHERE entry_id = $EID AND amount > 0" >/dev/null

q "UPDATE ledger_accounts SET balance = balance - 5 WHERE code = 'program:budget'" >/dev/null
run check
check "a stored balance off its lines: exit 1" "[ $? -eq 1 ] && grep -q 'account program:budget: stored balance' '$T/out'"
q "UPDATE ledger_accounts SET balance = balance + 5 WHERE code = 'program:budget'" >/dev/null
run check
check "repaired again: exit 0" "[ $? -eq 0 ]"

# expiry: wave 2's unspent balances go back to the state, one entry per card
W2=$(q "SELECT COUNT(*) FROM beneficiaries b JOIN waves w ON w.id = b.wave_id WHERE w.number = 2 AND b.status = 'active' AND b.balance > 0")
W2SUM=$(q "SELECT COALESCE(SUM(b.balance), 0) FROM beneficiaries b JOIN waves w ON w.id = b.wave_id WHERE w.number = 2 AND b.status = 'active'")
RET0=$(q "SELECT COALESCE(SUM(balance), 0) FROM ledger_accounts WHERE code = 'state:returned'")
"$BIN" wave expire 2 --db "$DB" >"$T/out" 2>"$T/err"
check "wave expire 2 exits 0 and says how much" "[ $? -eq 0 ] && grep -q '^wave 2: $W2 cards gave back Rp$W2SUM to the state$' '$T/out'"
check "one expiry entry per card" "[ \$(q \"SELECT COUNT(*) FROM ledger_entries WHERE kind = 'expiry'\") -eq $W2 ]"
check "state:returned grew by the balances" "[ \$(q \"SELECT balance FROM ledger_accounts WHERE code = 'state:returned'\") -eq $((RET0 + W2SUM)) ]"
check "wave 2's cards hold nothing" "[ \$(q \"SELECT COALESCE(SUM(b.balance), 0) FROM beneficiaries b JOIN waves w ON w.id = b.wave_id WHERE w.number = 2\") -eq 0 ]"
run check
check "the ledger checks after expiry" "[ $? -eq 0 ]"
"$BIN" wave expire 2 --db "$DB" >"$T/out" 2>"$T/err"
check "expiring again moves nothing" "[ $? -eq 0 ] && grep -q '^wave 2: 0 cards gave back Rp0' '$T/out'"
"$BIN" wave expire 99 --db "$DB" >"$T/out" 2>"$T/err"
check "an unknown wave exits 1" "[ $? -eq 1 ]"

# a database that cannot be opened
"$BIN" ledger check --db "$T/nodir/x.db" >"$T/out" 2>"$T/err"
check "an unusable database exits 1" "[ $? -eq 1 ]"

echo "ledger: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

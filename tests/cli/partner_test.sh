#!/bin/sh
# partner_test: `prakerja partner create | list | key | revoke-key | suspend |
# activate` and `prakerja admin create --partner` end to end against a freshly
# migrated database and a PII key file made here:
#   - create prints the partner id, key id and a 64-hex secret once (the warning
#     on stderr), stores the partner with clean values and the secret only
#     encrypted, and audits it; each bad field is reported with its code (exit 1,
#     nothing written); providers need a legal name and an NPWP;
#   - list (with and without --keys), key, revoke-key (twice), suspend and
#     activate (twice), each with unknown ids refused (exit 1);
#   - admin create --partner makes a staff account of the partner's role, tied to
#     it; a mismatched role, --scope or an unknown partner are refused;
#   - the shell signing function of docs/partners.md, run against `prakerja serve`
#     with a key printed by create: 200 from /api/v1/partner/whoami, and refusals
#     once the key is revoked and the partner suspended;
#   - --help of every subcommand, usage errors (exit 2).
# Usage: partner_test.sh PRAKERJA_BINARY
# The engine is SQLite (a file) unless PRAKERJA_TEST_PG holds a PostgreSQL base URL:
# then the database is pt_<pid> on that server, made and dropped here with psql.
set -u
BIN=${1:?usage: partner_test.sh PRAKERJA_BINARY}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
PG=${PRAKERJA_TEST_PG:-}
SERVER=
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  rm -rf "$T"
  [ -n "$PG" ] && psql -qX "$PG/postgres" -c "DROP DATABASE IF EXISTS $PGNAME WITH (FORCE)" >/dev/null
}
if [ -n "$PG" ]; then
  command -v psql >/dev/null || { echo "partner_test: psql missing; skipped" >&2; exit 77; }
  PGNAME=pt_$$
  PGOPTIONS='-c client_min_messages=warning' psql -qX -v ON_ERROR_STOP=1 "$PG/postgres" \
    -c "DROP DATABASE IF EXISTS $PGNAME WITH (FORCE)" \
    -c "CREATE DATABASE $PGNAME" >/dev/null || exit 1
  DB=$PG/$PGNAME
  q() { psql -qAtX -F'|' -v ON_ERROR_STOP=1 "$DB" -c "$1"; }
else
  command -v sqlite3 >/dev/null || { echo "partner_test: sqlite3 missing; skipped" >&2; exit 77; }
  DB=$T/p.db
  q() { sqlite3 "$DB" "$1"; }
fi
trap cleanup EXIT
for tool in openssl curl; do
  command -v $tool >/dev/null || { echo "partner_test: $tool missing; skipped" >&2; exit 77; }
done
KEYF=$T/p.key
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }
run() { "$BIN" partner "$@" --db "$DB" >"$T/out" 2>"$T/err"; }
runk() { "$BIN" partner "$@" --db "$DB" --key "$KEYF" >"$T/out" 2>"$T/err"; }
val() { sed -n "s/^$1  *//p" "$T/out"; }

"$BIN" db migrate --db "$DB" >/dev/null 2>&1 || { echo "FAIL: db migrate" >&2; exit 1; }
(umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$KEYF")

# create: a platform
runk create --kind platform --name "Toko Belajar"
check "create exits 0" "[ $? -eq 0 ]"
PLAT=$(val partner_id) KEY1=$(val key_id) SEC1=$(val secret)
check "partner id is 26 base32 characters" "echo '$PLAT' | grep -Eq '^[a-z2-7]{26}\$'"
check "key id is pk_ + 24 base32 characters" "echo '$KEY1' | grep -Eq '^pk_[a-z2-7]{24}\$'"
check "secret is 64 lower-case hex digits" "echo '$SEC1' | grep -Eq '^[0-9a-f]{64}\$'"
check "the secret is not on stderr" "! grep -q '$SEC1' '$T/err'"
check "the warning is on stderr" "grep -q 'shown only this once' '$T/err'"
check "the warning is not on stdout" "! grep -q WARNING '$T/out'"
check "partner row" "[ \"\$(q \"SELECT kind || '|' || name || '|' || status FROM partners WHERE public_id = '$PLAT'\")\" = 'platform|Toko Belajar|active' ]"
check "the secret is stored encrypted, not in clear" \
  "[ \"\$(q \"SELECT COUNT(*) FROM partner_keys WHERE key_id = '$KEY1' AND secret_enc NOT LIKE '%$SEC1%' AND LENGTH(secret_enc) > 60\")\" = 1 ]"
check "create is audited" \
  "[ \"\$(q \"SELECT action FROM audit_log WHERE actor = 'cli' AND subject IN ('$PLAT', '$KEY1') ORDER BY id\" | tr '\n' ' ')\" = 'partner.create partner.key_create ' ]"

# create: a provider with every field, cleaned
runk create --kind provider --name "LKP Maju Jember" --legal-name "PT Maju Bersama Jember" \
  --tax-id 01.234.567.8-901.000 --email Kontak@LKPMaju.example.ID --phone "(0331) 555-1234"
check "provider create exits 0" "[ $? -eq 0 ]"
PROV=$(val partner_id)
check "provider row, cleaned" "[ \"\$(q \"SELECT legal_name || '|' || tax_id || '|' || contact_email || '|' || contact_phone FROM partners WHERE public_id = '$PROV'\")\" = 'PT Maju Bersama Jember|012345678901000|kontak@lkpmaju.example.id|+623315551234' ]"

# refusals: nothing written
N0=$(q "SELECT COUNT(*) FROM partners")
runk create --kind provider --name "LKP Tanpa Data"
check "provider without legal name and NPWP exits 1" "[ $? -eq 1 ]"
check "legal name reported" "grep -q 'legal_name: .*(partner.legal_name_required)' '$T/err'"
check "NPWP reported" "grep -q 'tax_id: .*(partner.tax_id_required)' '$T/err'"
runk create --kind provider --name "LKP" --legal-name "PT X" --tax-id 12345
check "short NPWP exits 1" "[ $? -eq 1 ] && grep -q 'partner.tax_id_invalid' '$T/err'"
runk create --kind bank --name "Bank Contoh" --email nope --phone 12
check "bad kind, email and phone exit 1" "[ $? -eq 1 ]"
check "each bad field on its own line" "[ \$(wc -l <'$T/err') -eq 3 ] && grep -q 'partner.kind_invalid' '$T/err' && grep -q 'email.invalid' '$T/err' && grep -q 'partner.phone_invalid' '$T/err'"
check "nothing written by refused creates" "[ \"\$(q 'SELECT COUNT(*) FROM partners')\" = '$N0' ]"
check "no secret printed when refused" "[ ! -s '$T/out' ]"
run create --kind platform
check "create without --name exits 2" "[ $? -eq 2 ]"
"$BIN" partner create --kind platform --name X --db "$DB" --key "$T/missing.key" >"$T/out" 2>"$T/err"
check "create without the PII key file exits 1" "[ $? -eq 1 ] && grep -q 'missing.key' '$T/err'"
check "nothing written without the key" "[ \"\$(q 'SELECT COUNT(*) FROM partners')\" = '$N0' ]"

# key: a second key; revoke-key
runk key "$PLAT"
check "key exits 0" "[ $? -eq 0 ]"
KEY2=$(val key_id) SEC2=$(val secret)
check "a new key and secret" "[ -n '$KEY2' ] && [ '$KEY2' != '$KEY1' ] && [ '$SEC2' != '$SEC1' ] && echo '$SEC2' | grep -Eq '^[0-9a-f]{64}\$'"
check "key warns on stderr" "grep -q 'shown only this once' '$T/err'"
runk key aaaaaaaaaaaaaaaaaaaaaaaaaa
check "key for an unknown partner exits 1" "[ $? -eq 1 ] && grep -q 'no partner has the id' '$T/err'"
run key
check "key without an id exits 2" "[ $? -eq 2 ]"

# list
run list
check "list exits 0" "[ $? -eq 0 ]"
check "list header" "head -1 '$T/out' | grep -Eq '^PARTNER_ID +KIND +STATUS +KEYS +NAME\$'"
check "list shows the platform with 2 keys" "grep -Eq '^$PLAT +platform +active +2 +Toko Belajar\$' '$T/out'"
check "list shows the provider" "grep -Eq '^$PROV +provider +active +1 +LKP Maju Jember\$' '$T/out'"
check "list has 3 lines" "[ \$(wc -l <'$T/out') -eq 3 ]"
check "list shows no secret" "! grep -q '$SEC1' '$T/out'"

# admin create --partner
echo "rahasia-staf-1" | "$BIN" admin create --db "$DB" --email staf@lkpmaju.example.id \
  --name "Staf LKP" --partner "$PROV" --password-stdin >"$T/out" 2>"$T/err"
check "admin create --partner exits 0" "[ $? -eq 0 ] && grep -q 'created provider staf@lkpmaju.example.id for partner $PROV' '$T/out'"
check "the staff account has the provider role and partner" \
  "[ \"\$(q \"SELECT a.role || '|' || p.public_id FROM accounts a JOIN partners p ON p.id = a.partner_id WHERE a.email = 'staf@lkpmaju.example.id'\")\" = 'provider|$PROV' ]"
echo "rahasia-staf-1" | "$BIN" admin create --db "$DB" --email staf2@lkpmaju.example.id \
  --name "Staf LKP" --partner "$PROV" --role platform --password-stdin >"$T/out" 2>"$T/err"
check "another kind's role exits 1" "[ $? -eq 1 ] && grep -q 'its staff have the role provider' '$T/err'"
echo "rahasia-staf-1" | "$BIN" admin create --db "$DB" --email staf2@lkpmaju.example.id \
  --name "Staf LKP" --partner "$PROV" --role admin --password-stdin >"$T/out" 2>"$T/err"
check "--role admin with --partner exits 2" "[ $? -eq 2 ]"
echo "rahasia-staf-1" | "$BIN" admin create --db "$DB" --email staf2@lkpmaju.example.id \
  --name "Staf LKP" --partner "$PROV" --scope 35 --password-stdin >"$T/out" 2>"$T/err"
check "--scope with --partner exits 2" "[ $? -eq 2 ]"
echo "rahasia-staf-1" | "$BIN" admin create --db "$DB" --email staf2@lkpmaju.example.id \
  --name "Staf LKP" --partner aaaaaaaaaaaaaaaaaaaaaaaaaa --password-stdin >"$T/out" 2>"$T/err"
check "an unknown partner exits 1" "[ $? -eq 1 ] && grep -q 'no partner has the id' '$T/err'"
check "no account made by the refusals" "[ \"\$(q \"SELECT COUNT(*) FROM accounts WHERE email = 'staf2@lkpmaju.example.id'\")\" = 0 ]"
echo "rahasia-staf-1" | "$BIN" admin create --db "$DB" --email staf@lkpmaju.example.id \
  --name "Staf LKP" --partner "$PROV" --password-stdin >"$T/out" 2>"$T/err"
check "a taken email exits 1" "[ $? -eq 1 ] && grep -q 'already exists' '$T/err'"
echo "rahasia-admin-1" | "$BIN" admin create --db "$DB" --email admin@pmo.example.id \
  --name "Admin" --password-stdin >"$T/out" 2>"$T/err"
check "admin create without --partner still makes an admin" \
  "[ $? -eq 0 ] && [ \"\$(q \"SELECT role || '|' || COALESCE(partner_id, 0) FROM accounts WHERE email = 'admin@pmo.example.id'\")\" = 'admin|0' ]"

# the signing function of docs/partners.md against a running server
sed -n '/^prakerja_call() {$/,/^}$/p' "$SRC/docs/partners.md" >"$T/sign.sh"
check "docs/partners.md has prakerja_call" "[ \$(wc -l <'$T/sign.sh') -gt 10 ]"
. "$T/sign.sh"
"$BIN" serve --db "$DB" --key "$KEYF" --port 0 --bind 127.0.0.1 --threads 2 --loops 1 \
  2>"$T/server.log" >/dev/null &
SERVER=$!
PORT=
i=0
while [ $i -lt 100 ] && [ -z "$PORT" ]; do
  PORT=$(sed -n 's/.*"http.listening".*"port":"\([0-9]*\)".*/\1/p' "$T/server.log" | head -1)
  [ -z "$PORT" ] && sleep 0.1
  i=$((i + 1))
done
check "server listening" "[ -n '$PORT' ]"
PARTNER_URL=http://127.0.0.1:$PORT PARTNER_KEY_ID=$KEY1 PARTNER_SECRET=$SEC1
prakerja_call GET /api/v1/partner/whoami >"$T/who" 2>&1
check "docs' shell signing passes" "grep -q '\"partner_id\":\"$PLAT\"' '$T/who' && grep -q '\"key_id\":\"$KEY1\"' '$T/who'"
prakerja_call GET '/api/v1/partner/whoami?kind=platform' >"$T/who" 2>&1
check "a signed query passes" "grep -q '\"kind\":\"platform\"' '$T/who'"
prakerja_call GET '/api/v1/partner/whoami?kind=provider' >"$T/who" 2>&1
check "the wrong kind is refused" "grep -q '\"code\":\"partner.wrong_kind\"' '$T/who'"
PARTNER_SECRET=$SEC2
prakerja_call GET /api/v1/partner/whoami >"$T/who" 2>&1
check "another key's secret is a bad signature" "grep -q '\"code\":\"partner.bad_signature\"' '$T/who'"
PARTNER_SECRET=$SEC1

run revoke-key "$KEY1"
check "revoke-key exits 0" "[ $? -eq 0 ] && grep -q 'revoked key $KEY1' '$T/out'"
check "revoked_at set" "[ \"\$(q \"SELECT COUNT(*) FROM partner_keys WHERE key_id = '$KEY1' AND revoked_at IS NOT NULL\")\" = 1 ]"
run revoke-key "$KEY1"
check "revoking again says so" "[ $? -eq 0 ] && grep -q 'already revoked' '$T/out'"
run revoke-key pk_aaaaaaaaaaaaaaaaaaaaaaaa
check "revoking an unknown key exits 1" "[ $? -eq 1 ] && grep -q 'no key has the id' '$T/err'"
check "revocation audited once" "[ \"\$(q \"SELECT COUNT(*) FROM audit_log WHERE action = 'partner.key_revoke' AND subject = '$KEY1'\")\" = 1 ]"
prakerja_call GET /api/v1/partner/whoami >"$T/who" 2>&1
check "a revoked key is refused at once" "grep -q '\"code\":\"partner.revoked_key\"' '$T/who'"
PARTNER_KEY_ID=$KEY2 PARTNER_SECRET=$SEC2
prakerja_call GET /api/v1/partner/whoami >"$T/who" 2>&1
check "the second key works" "grep -q '\"key_id\":\"$KEY2\"' '$T/who'"

run list --keys
check "list --keys shows both keys under the platform" \
  "grep -Eq '^ +$KEY1 +created [0-9T:Z-]+ +revoked [0-9T:Z-]+\$' '$T/out' && grep -Eq '^ +$KEY2 +created [0-9T:Z-]+ +active\$' '$T/out'"
check "list counts active keys only" "grep -Eq '^$PLAT +platform +active +1 ' '$T/out'"

# suspend and activate
run suspend "$PLAT"
check "suspend exits 0" "[ $? -eq 0 ] && grep -q 'is now suspended' '$T/out'"
check "status suspended" "[ \"\$(q \"SELECT status FROM partners WHERE public_id = '$PLAT'\")\" = suspended ]"
prakerja_call GET /api/v1/partner/whoami >"$T/who" 2>&1
check "a suspended partner is refused" "grep -q '\"code\":\"partner.suspended\"' '$T/who'"
run suspend "$PLAT"
check "suspending again says so" "[ $? -eq 0 ] && grep -q 'was already suspended' '$T/out'"
run activate "$PLAT"
check "activate exits 0" "[ $? -eq 0 ] && grep -q 'is now active' '$T/out'"
prakerja_call GET /api/v1/partner/whoami >"$T/who" 2>&1
check "active again" "grep -q '\"partner_id\":\"$PLAT\"' '$T/who'"
run activate nope
check "activating an unknown partner exits 1" "[ $? -eq 1 ]"
check "suspend and activate audited" \
  "[ \"\$(q \"SELECT COUNT(*) FROM audit_log WHERE action IN ('partner.suspend', 'partner.activate') AND subject = '$PLAT'\")\" = 2 ]"
kill "$SERVER" 2>/dev/null
wait "$SERVER" 2>/dev/null
SERVER=

# help and usage
for c in "" create list key revoke-key suspend activate; do
  # shellcheck disable=SC2086
  "$BIN" partner $c --help >"$T/h" 2>&1
  check "partner $c --help" "[ $? -eq 0 ] && grep -q Usage '$T/h'"
done
"$BIN" partner frobnicate >/dev/null 2>&1
check "unknown subcommand exits 2" "[ $? -eq 2 ]"
"$BIN" partner >/dev/null 2>&1
check "missing subcommand exits 2" "[ $? -eq 2 ]"
run list --bogus
check "unknown option exits 2" "[ $? -eq 2 ]"
"$BIN" admin create --help | grep -q -- '--partner'
check "admin create --help names --partner" "[ $? -eq 0 ]"

echo "partner: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

# lib.sh: the set-up the CLI test scripts share, sourced after they set
#   NAME     the script's name for messages ("scheme_test")
#   PGPREFIX the prefix of its PostgreSQL database name ("s")
# It gives them
#   T        a temporary directory, removed on exit
#   PG       $PRAKERJA_TEST_PG (a PostgreSQL base URL) or ""
#   DB       the database: $T/p.db (SQLite), or PGPREFIX_<pid> on the PG server,
#            created here and dropped on exit
#   q SQL    runs SQL on DB and prints its rows as col|col lines
#   pass, fail, ok, bad MSG, check NAME EXPR: the counters of the script's checks
#            (check evaluates EXPR; a script may define its own check after this)
# and exit 77 (skipped) when the engine's command-line client is missing.
T=$(mktemp -d)
PG=${PRAKERJA_TEST_PG:-}
if [ -n "$PG" ]; then
  command -v psql >/dev/null || { echo "$NAME: psql missing; skipped" >&2; exit 77; }
  PGNAME=${PGPREFIX}_$$
  PGOPTIONS='-c client_min_messages=warning' psql -qX -v ON_ERROR_STOP=1 "$PG/postgres" \
    -c "DROP DATABASE IF EXISTS $PGNAME WITH (FORCE)" \
    -c "CREATE DATABASE $PGNAME" >/dev/null || exit 1
  trap 'rm -rf "$T"; psql -qX "$PG/postgres" -c "DROP DATABASE IF EXISTS $PGNAME WITH (FORCE)" >/dev/null' EXIT
  DB=$PG/$PGNAME
  q() { psql -qAtX -F'|' -v ON_ERROR_STOP=1 "$DB" -c "$1"; }
else
  command -v sqlite3 >/dev/null || { echo "$NAME: sqlite3 missing; skipped" >&2; exit 77; }
  trap 'rm -rf "$T"' EXIT
  DB=$T/p.db
  q() { sqlite3 "$DB" "$1"; }
fi
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

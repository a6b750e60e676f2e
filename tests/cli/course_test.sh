#!/bin/sh
# course_test: `prakerja course list | show | approve | reject` end to end against a
# freshly migrated database holding one provider and three courses written by SQL
# (A pending with a session, B pending without one, C a draft): the list (all, by
# status), show, approval only of a pending course with a session, rejection only
# with a reason of 5..500 characters, each decision in the audit log with actor
# "cli" and nothing written when refused (exit 1 with the stable code), and
# --help / usage errors (exit 2).
# Usage: course_test.sh PRAKERJA_BINARY
# The engine is SQLite (a file) unless PRAKERJA_TEST_PG holds a PostgreSQL base URL:
# then the database is c_<pid> on that server, made and dropped here with psql.
set -u
BIN=${1:?usage: course_test.sh PRAKERJA_BINARY}
NAME=course_test PGPREFIX=c
. "$(dirname "$0")/lib.sh"
run() { "$BIN" course "$@" --db "$DB" >"$T/out" 2>"$T/err"; }

"$BIN" db migrate --db "$DB" >/dev/null 2>&1 || { echo "FAIL: db migrate" >&2; exit 1; }

P=pppppppppppppppppppppppppp
A=aaaaaaaaaaaaaaaaaaaaaaaaaa
B=bbbbbbbbbbbbbbbbbbbbbbbbbb
C=cccccccccccccccccccccccccc
q "INSERT INTO partners (public_id, kind, name, legal_name, tax_id, status, created_at)
   VALUES ('$P', 'provider', 'Lembaga Uji', 'PT Lembaga Uji', '0123456789012345', 'active', 1)" || exit 1
for row in "$A|Barista Pemula|pending|750000" "$B|Desain Grafis Dasar|pending|1200000" \
           "$C|Excel untuk Kantor|draft|300000"; do
  IFS='|' read -r id title status price <<ROW
$row
ROW
  q "INSERT INTO courses (public_id, provider_id, title, description, category, level, purpose,
       mode, hours, price, status, created_at, updated_at)
     VALUES ('$id', (SELECT id FROM partners WHERE public_id = '$P'), '$title',
       'Deskripsi pelatihan $title.', 'food_beverage', 'basic', 'new_skill', 'self_paced', 16,
       $price, '$status', 1, 1)" || exit 1
done
q "INSERT INTO course_sessions (public_id, course_id, starts_at, capacity, seats_taken, created_at)
   VALUES ('ssssssssssssssssssssssssss', (SELECT id FROM courses WHERE public_id = '$A'), NULL, 30, 4, 1)" || exit 1

# list: a header, then every course in creation order; --status filters
run list
check "list exits 0" "[ $? -eq 0 ]"
check "list has a header" "head -1 '$T/out' | grep -Eq '^COURSE_ID +STATUS +PRICE +MODE +PROVIDER_ID +TITLE$'"
check "list row A" "sed -n 2p '$T/out' | grep -Eq '^$A +pending +750000 +self_paced +$P +Barista Pemula$'"
check "list row C" "sed -n 4p '$T/out' | grep -Eq '^$C +draft +300000 +self_paced +$P +Excel untuk Kantor$'"
check "list has 4 lines" "[ \$(wc -l <'$T/out') -eq 4 ] && grep -q '^3 courses$' '$T/err'"
run list --status pending
check "list --status pending" "[ $? -eq 0 ] && [ \$(wc -l <'$T/out') -eq 3 ] && ! grep -q '$C' '$T/out'"
run list --status lost
check "a bad --status is a usage error" "[ $? -eq 2 ] && grep -q 'status must be' '$T/err'"

# show
run show "$A"
check "show exits 0" "[ $? -eq 0 ]"
for line in "course_id +$A" 'title +Barista Pemula' 'status +pending' "provider +$P  Lembaga Uji" \
            'price +750000' 'hours +16' 'description +Deskripsi pelatihan Barista Pemula\.' \
            'sessions +1' '  ssssssssssssssssssssssssss +self-paced +4 of 30 seats taken' \
            'rating +none yet'; do
  check "show: $line" "grep -Eq '^$line\$' '$T/out'"
done
run show zzzzzzzzzzzzzzzzzzzzzzzzzz
check "show of an unknown id exits 1" "[ $? -eq 1 ] && grep -q 'course.not_found' '$T/err'"
run show
check "show without an id exits 2" "[ $? -eq 2 ]"

# approve: pending and with a session only; audited
run approve "$B"
check "approving a course without sessions exits 1" "[ $? -eq 1 ] && grep -q 'course.no_sessions' '$T/err'"
check "B is still pending" "[ \"\$(q \"SELECT status FROM courses WHERE public_id = '$B'\")\" = pending ]"
run approve "$A"
check "approve exits 0" "[ $? -eq 0 ] && grep -q \"^approved $A: Barista Pemula\$\" '$T/out'"
check "A is approved" "[ \"\$(q \"SELECT status FROM courses WHERE public_id = '$A'\")\" = approved ]"
check "approval is audited" \
  "[ \"\$(q \"SELECT actor || ' ' || action FROM audit_log WHERE subject = '$A'\")\" = 'cli course.approve' ]"
run approve "$A"
check "approving twice exits 1" "[ $? -eq 1 ] && grep -q 'course.bad_state' '$T/err'"
run approve "$C"
check "approving a draft exits 1" "[ $? -eq 1 ] && grep -q 'course.bad_state' '$T/err'"

# reject: a reason of 5..500 characters, pending only; audited with the reason
run reject "$B"
check "reject without --reason exits 2" "[ $? -eq 2 ] && grep -q 'reason is required' '$T/err'"
run reject "$B" --reason "abc"
check "a short reason exits 1" "[ $? -eq 1 ] && grep -q 'course.reason_invalid' '$T/err'"
run reject "$B" --reason "$(printf '%0501d' 0)"
check "a reason of 501 characters exits 1" "[ $? -eq 1 ] && grep -q 'course.reason_invalid' '$T/err'"
check "nothing written by refusals" \
  "[ \"\$(q \"SELECT status || '|' || COALESCE(reject_reason, '-') FROM courses WHERE public_id = '$B'\")\" = 'pending|-' ]"
run reject "$B" --reason "Silabus kurang jelas"
check "reject exits 0" "[ $? -eq 0 ] && grep -q \"^rejected $B: Desain Grafis Dasar\$\" '$T/out'"
check "B is rejected with its reason" \
  "[ \"\$(q \"SELECT status || '|' || reject_reason FROM courses WHERE public_id = '$B'\")\" = 'rejected|Silabus kurang jelas' ]"
check "rejection is audited with its reason" \
  "[ \"\$(q \"SELECT actor || ' ' || action || ' ' || detail FROM audit_log WHERE subject = '$B'\")\" = 'cli course.reject Silabus kurang jelas' ]"
run show "$B"
check "show prints the reason" "grep -Eq '^reject_reason +Silabus kurang jelas$' '$T/out'"
run reject "$B" --reason "Sekali lagi ditolak"
check "rejecting twice exits 1" "[ $? -eq 1 ] && grep -q 'course.bad_state' '$T/err'"

# help and usage
"$BIN" course --help >"$T/out" 2>&1
check "course --help exits 0" "[ $? -eq 0 ] && grep -q 'approve COURSE_ID' '$T/out'"
run reject --help
check "reject --help exits 0" "[ $? -eq 0 ] && grep -q -- '--reason R' '$T/out'"
"$BIN" course frobnicate >"$T/out" 2>"$T/err"
check "an unknown subcommand exits 2" "[ $? -eq 2 ]"
"$BIN" course >"$T/out" 2>"$T/err"
check "no subcommand exits 2" "[ $? -eq 2 ]"

echo "course_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

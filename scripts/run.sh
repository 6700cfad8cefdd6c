#!/usr/bin/env bash
# The main job: install what is missing, build, validate the bundled sample records of every setting
# (findings printed like a compiler), audit the sample caseloads into build/audit-report/, list what is due in
# them on a date of their period (each worker's calendar in build/due-calendars/, the worklist PDF beside the
# audit report), and start the
# service on loopback, validate one sample over HTTP with curl and stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
status=0
for setting in plugins/*/samples; do
  echo "== $(basename "$(dirname "$setting")"): valid samples"
  build/bin/casedoc validate "$setting/valid" || status=$?
  echo "== $(basename "$(dirname "$setting")"): invalid samples (each breaks the rules it names)"
  build/bin/casedoc validate "$setting/invalid" || true
done
echo "== audit of the sample caseloads of every setting, 2025-07-01..2025-12-31"
build/bin/casedoc audit plugins/*/samples/caseload --period 2025-07-01..2025-12-31 \
  --reviewer "Sample reviewer" -o build/audit-report || status=$?
echo "== what is due in the sample caseloads as of 2025-12-10, within 14 days (docs/due.md)"
# Exit 1 means something is overdue: the samples plant late and missing items on purpose.
rc=0; build/bin/casedoc due plugins/*/samples/caseload --as-of 2025-12-10 || rc=$?
[ $rc -le 1 ] || status=$rc
rc=0; build/bin/casedoc due plugins/*/samples/caseload --as-of 2025-12-10 --format ics -o build/due-calendars || rc=$?
[ $rc -le 1 ] || status=$rc
rc=0; build/bin/casedoc due plugins/*/samples/caseload --as-of 2025-12-10 --format pdf -o build/audit-report/due.pdf || rc=$?
[ $rc -le 1 ] || status=$rc
echo "(one calendar per worker in build/due-calendars/; the worklist PDF in build/audit-report/due.pdf)"
echo "== casedoc serve: a child welfare record validated over HTTP (docs/service.md)"
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
secret=$(build/bin/casedoc serve token add sample-agency --settings child_welfare --scopes validate,render \
         --tokens "$work/tokens.json" 2>/dev/null)
build/bin/casedoc serve --listen 127.0.0.1:0 --tokens "$work/tokens.json" >"$work/out" 2>"$work/requests.log" &
server=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/out" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/out")
echo "listening on $url"
curl -sS --fail-with-body -H "Authorization: Bearer $secret" -H 'Content-Type: application/xml' \
  --data-binary @plugins/child_welfare/samples/invalid/w4-plan-after-60-days.xml "$url/v1/validate?format=text&name=w4-plan-after-60-days.xml" ||
  status=$?
kill -TERM "$server"
wait "$server" || status=$?
echo "request log:"
cat "$work/requests.log"
exit $status

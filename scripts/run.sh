#!/usr/bin/env bash
# The main job: install what is missing, build, validate the bundled sample records of every setting
# (findings printed like a compiler), and audit the sample caseloads into build/audit-report/.
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
exit $status

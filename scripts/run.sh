#!/usr/bin/env bash
# The main job: install what is missing, build, and validate the bundled sample records of every
# setting. Prints findings like a compiler; exits 1 because the invalid samples are not compliant.
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
exit $status

#!/bin/bash
# Every output casedoc writes for the bundled samples, into one folder, so that two builds can be compared
# byte for byte (a refactoring promises the same bytes):
#   bench/outputs.sh CASEDOC OUT_DIR    (bench/compare_outputs.sh runs it for two builds and compares)
# Each sample record validated as text, JSON and SVRL (with the exit status), rendered (final or draft), the
# vocational export, the sample audit, scripts/run.sh's validation output, and schema test and plugin check.
set -uo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 CASEDOC OUT_DIR" >&2
    exit 2
fi
bin=$(realpath "$1") out=$2
cd "$(dirname "$0")/.."
rm -rf "$out" && mkdir -p "$out"
out=$(realpath "$out")
for f in plugins/*/samples/valid/*.xml plugins/*/samples/invalid/*.xml schemas/record/examples/*.xml; do
    name=${f//\//_}
    for fmt in text json svrl; do
        "$bin" validate --format "$fmt" "$f" >"$out/$name.$fmt" 2>&1
        echo "exit $?" >>"$out/$name.$fmt"
    done
    "$bin" render "$f" -o "$out/$name.pdf" >/dev/null 2>&1 || "$bin" render --draft "$f" -o "$out/$name.draft.pdf" >/dev/null 2>&1
done
for setting in plugins/*/samples; do
    id=$(basename "$(dirname "$setting")")
    "$bin" validate "$setting/valid" "$setting/invalid" >"$out/run-$id.txt" 2>&1
    echo "exit $?" >>"$out/run-$id.txt"
    "$bin" schema test "schemas/$id"/*.sch "$setting/valid" "$setting/invalid" >"$out/schema-test-$id.txt" 2>&1
    echo "exit $?" >>"$out/schema-test-$id.txt"
done
"$bin" export vocational:rsa911 plugins/vocational/samples/valid -o "$out/rsa911.csv" >"$out/export.txt" 2>&1
echo "exit $?" >>"$out/export.txt"
"$bin" audit plugins/*/samples/caseload --period 2025-07-01..2025-12-31 --reviewer "Sample reviewer" \
    -o "$out/audit" >"$out/audit.txt" 2>&1
echo "exit $?" >>"$out/audit.txt"
"$bin" audit plugins/*/samples/caseload --period 2025-07-01..2025-12-31 --sample random --size 20 --seed 7 \
    --shard 1/2 --partial "$out/part1.json" >/dev/null 2>&1
"$bin" audit plugins/*/samples/caseload --period 2025-07-01..2025-12-31 --sample random --size 20 --seed 7 \
    --shard 2/2 --partial "$out/part2.json" >/dev/null 2>&1
"$bin" audit merge "$out/part1.json" "$out/part2.json" -o "$out/merged" >"$out/merge.txt" 2>&1
echo "exit $?" >>"$out/merge.txt"
"$bin" plugins --format json >"$out/plugins.json" 2>&1
echo "$(find "$out" -type f | wc -l) files in $out"

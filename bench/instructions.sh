#!/bin/bash
# Instructions per record (callgrind's Ir), which do not drift with the machine's speed: `casedoc validate -j1`
# on a directory of records, minus the same run on its first record (start-up), divided by the records
# less one.
#   bench/instructions.sh build-bench/bin/casedoc DIR...
# A directory of benchmark records: casedoc_bench_validate --records 500 --setting ID --out DIR --keep
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 CASEDOC DIR..." >&2
    exit 2
fi
bin=$1
shift
ir() { # (casedoc exits 1 when a record is not compliant)
    local log
    log=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" validate -j1 "$@" 2>&1 >/dev/null) || true
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' <<<"$log"
}
for dir in "$@"; do
    files=("$dir"/*.xml)
    all=$(ir "$dir")
    one=$(ir "${files[0]}")
    echo "$dir: $(((all - one) / (${#files[@]} - 1))) instructions per record (${#files[@]} records; start-up $one)"
done

#!/bin/bash
# Compares two builds of casedoc_bench_validate on this machine, whose speed drifts: the two run in pairs
# close in time, their order alternating, and the median of the per-pair ratios is the figure to trust.
#   bench/compare.sh OLD/bin/casedoc_bench_validate NEW/bin/casedoc_bench_validate [SETTING...]
# Environment: ROUNDS (default 11), RECORDS (default 2000), PASS (1: the 1-thread pass, the default; all: the
# all-core pass).
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 OLD_BENCH NEW_BENCH [SETTING...]" >&2
    exit 2
fi
old=$1 new=$2
shift 2
settings=${*:-child_welfare hospital correctional vocational}
rounds=${ROUNDS:-11} records=${RECORDS:-2000} pass=${PASS:-1}
if [ "$pass" = all ]; then
    pattern='s/^validate:.*, [0-9]* threads: \([0-9]*\) records.*/\1/p'
else
    pattern='s/^validate:.* 1 thread: \([0-9]*\) records.*/\1/p'
fi
rate() { "$1" --records "$records" --setting "$2" 2>&1 | sed -n "$pattern"; }
for s in $settings; do
    a=() b=()
    for i in $(seq "$rounds"); do
        if ((i % 2)); then x=$(rate "$old" "$s"); y=$(rate "$new" "$s"); else y=$(rate "$new" "$s"); x=$(rate "$old" "$s"); fi
        a+=("$x") b+=("$y")
    done
    python3 - "$s" "${a[*]}" "${b[*]}" <<'PY'
import statistics as st, sys
s, a, b = sys.argv[1], [int(v) for v in sys.argv[2].split()], [int(v) for v in sys.argv[3].split()]
r = [y / x for x, y in zip(a, b)]
print(f"{s}: old {st.median(a):.0f} records/s ({min(a)}-{max(a)}), new {st.median(b):.0f} ({min(b)}-{max(b)}), "
      f"median of per-pair ratios {st.median(r):.3f}")
PY
done

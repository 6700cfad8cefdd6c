#!/usr/bin/env bash
# Builds the fuzz targets in build-fuzz/ (clang, libFuzzer, ASan and UBSan; CASEDOC_FUZZ=ON) and runs each for
# FUZZ_SECONDS (default 60), FUZZ_JOBS at a time (default 2), starting from the committed corpus
# (tests/fuzz/corpus/<target>/) plus what earlier runs found (build-fuzz/corpus/<target>/), with the target's
# dictionary. A crash, a leak, a sanitizer report, an input slower than FUZZ_INPUT_TIMEOUT seconds (default 25)
# or over 2 GiB fails the run (exit 1); the input is left in build-fuzz/artifacts/<target>/ (copy it to
# tests/fuzz/regressions/<target>/ with the fix). Figures per target: build-fuzz/logs/<target>.log (logs-ci/ for
# FUZZ_RUNS=ci, so that a CI-mode run beside a campaign does not overwrite the campaign's).
#   tests/fuzz/run.sh                      every target
#   FUZZ_SECONDS=600 tests/fuzz/run.sh xpath_diff schema
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=${FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-2}
input_timeout=${FUZZ_INPUT_TIMEOUT:-25}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(record validate schema xpath_diff template audit_partial text serve_request)
# FUZZ_RUNS=ci (.ci/run): each target runs a fixed number of inputs from a fixed seed instead of for a time, about
# a minute each on the 2-core VM, so that every machine tries the same inputs and CI fails for a bug of the
# change, never for the luck of a faster machine. A campaign leaves FUZZ_RUNS unset and runs for FUZZ_SECONDS.
declare -A ci_runs=([record]=300000 [validate]=60000 [schema]=50000 [xpath_diff]=15000 [template]=40000
                    [audit_partial]=45000 [text]=450000 [serve_request]=3500)

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DCASEDOC_FUZZ=ON -DCASEDOC_BUILD_BENCHMARKS=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}")

logs=$build/logs
[ "${FUZZ_RUNS:-}" = ci ] && logs=$build/logs-ci
mkdir -p "$logs"
run_one() { # target [runs]: 0 when it ran its time (or its runs) without a failure
  local t=$1
  local bound=(-max_total_time="$seconds") corpus=$build/corpus/$t
  if [ -n "${2:-}" ]; then
    # FUZZ_RUNS=ci starts from the committed corpus alone (a scratch directory emptied first), so that a run here
    # tries exactly the inputs CI tries.
    bound=(-runs="$2" -seed=1 -max_total_time=$((seconds * 5)))
    corpus=$build/corpus-ci/$t
    rm -rf "$corpus"
  fi
  mkdir -p "$corpus" "$build/artifacts/$t"
  # New inputs go to the first directory (build-fuzz's); the committed corpus is only read.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/bin/fuzz_$t" "$corpus" "$root/tests/fuzz/corpus/$t" -dict="$root/tests/fuzz/dict/$t.dict" \
    "${bound[@]}" -timeout="$input_timeout" -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$t/" >"$logs/$t.log" 2>&1
}
export -f run_one
export build root seconds input_timeout logs

failed=0
for t in "${targets[@]}"; do
  if [ "${FUZZ_RUNS:-}" = ci ]; then echo "$t ${ci_runs[$t]}"; else echo "$t"; fi
done | xargs -P "$jobs" -L 1 bash -c 'run_one "$0" "$@" || { echo "fuzz: $0 FAILED ($logs/$0.log)"; exit 1; }' || failed=1

printf '%-14s %12s %8s %s\n' target executions cov: result
for t in "${targets[@]}"; do
  log=$logs/$t.log
  execs=$(grep -ao 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' | tail -1)
  cov=$(grep -ao 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  result=ok
  if grep -aqE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|^SUMMARY: |^fuzz: ' "$log"; then
    result="FAILED: $(grep -a -m1 -E 'ERROR: |runtime error:|^fuzz: ' "$log" | cut -c1-100)"
    failed=1
  fi
  printf '%-14s %12s %8s %s\n' "$t" "${execs:-?}" "${cov:-?}" "$result"
done
exit $failed

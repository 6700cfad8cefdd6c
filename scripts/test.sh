#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite (unit, conformance, plugin host,
# settings, end to end). With SANITIZE=1 it builds in build-asan/ with ASan and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [ "${SANITIZE:-0}" = 1 ]; then
  BUILD_DIR=build-asan BUILD_TYPE=Debug scripts/build.sh -DCASEDOC_SANITIZE=ON -DCASEDOC_BUILD_BENCHMARKS=OFF
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan --output-on-failure -j"$(nproc)"
else
  scripts/build.sh
  ctest --test-dir build --output-on-failure -j"$(nproc)"
fi

#!/bin/bash
# Compares every output of the samples between two build trees, byte for byte (bench/outputs.sh). Outputs
# name the schema files they used by absolute path, so each build is installed in turn at the same prefix
# and run from there:
#   bench/compare_outputs.sh OLD_BUILD_DIR NEW_BUILD_DIR [PREFIX]
# Prints IDENTICAL and the count of files, or the differences (exit 1).
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 OLD_BUILD_DIR NEW_BUILD_DIR [PREFIX]" >&2
    exit 2
fi
old=$1 new=$2 prefix=${3:-/tmp/casedoc-compare}
here=$(cd "$(dirname "$0")" && pwd)
for side in old new; do
    build=${!side}
    rm -rf "$prefix/install" "$prefix/out"
    cmake --install "$build" --prefix "$prefix/install" >/dev/null
    "$here/outputs.sh" "$prefix/install/bin/casedoc" "$prefix/out" >/dev/null
    rm -rf "$prefix/$side" && mv "$prefix/out" "$prefix/$side"
done
diff -r "$prefix/old" "$prefix/new"
echo "IDENTICAL: $(find "$prefix/new" -type f | wc -l) files ($prefix/old and $prefix/new)"

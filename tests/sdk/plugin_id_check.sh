#!/usr/bin/env bash
# casedoc_add_plugin(<id>) checks the id at build time: against the installed package, a plugin whose
# descriptor says "housing" built as casedoc_add_plugin(hosing ...) fails to build with the host's message,
# its module deleted so that the next build fails too; built as casedoc_add_plugin(housing ...) it builds.
# Usage: plugin_id_check.sh BUILD_DIR WORK_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/install_prefix.sh" "$1" "$2"

echo "== casedoc_add_plugin(hosing) of a descriptor that says housing: the build fails"
cmake -S "$here/id_check" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix" -DPLUGIN_ID=hosing >/dev/null
for attempt in 1 2; do
  if cmake --build "$work/build" >"$work/out" 2>&1; then
    echo "build $attempt of a plugin with the wrong id succeeded" >&2; cat "$work/out" >&2; exit 1
  fi
  grep -qF "casedoc_add_plugin(hosing): $work/build/casedoc_hosing.so: plugin id 'housing' does not match its file name (expected 'hosing')" "$work/out" ||
    { echo "build $attempt: the message is not there" >&2; cat "$work/out" >&2; exit 1; }
  test ! -e "$work/build/casedoc_hosing.so" || { echo "the module was left behind" >&2; exit 1; }
done
grep "casedoc_add_plugin(hosing)" "$work/out"

echo "== casedoc_add_plugin(housing): it builds"
cmake -S "$here/id_check" -B "$work/build" -DPLUGIN_ID=housing >/dev/null
cmake --build "$work/build" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
test -f "$work/build/casedoc_housing.so"
rm -rf "$work"
echo "== build-time id check: ok"

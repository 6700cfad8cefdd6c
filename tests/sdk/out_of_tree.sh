#!/usr/bin/env bash
# The plugin SDK as an outside developer uses it, end to end:
#   install this build of casedoc into a fresh prefix; scaffold a plugin with the installed program;
#   build it out of tree against the installed CMake package; run its own CTest tests (the plugin test kit,
#   the schema test, its samples); install it; and validate its samples with the installed program, which
#   must find the new plugin, its schemas and templates without flags or environment variables.
# Usage: out_of_tree.sh BUILD_DIR WORK_DIR
set -euo pipefail
build=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
unset CASEDOC_PLUGIN_PATH CASEDOC_SCHEMA_PATH

echo "== install casedoc into $prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
casedoc=$prefix/bin/casedoc

echo "== casedoc plugin new housing"
(cd "$work" && "$casedoc" plugin new housing --title "Supportive housing")
test -f "$work/casedoc-housing/CMakeLists.txt"
# Scaffolding into a directory that is not empty is refused, and changes nothing.
if "$casedoc" plugin new housing -o "$work/casedoc-housing" 2>"$work/err"; then
  echo "plugin new overwrote a project" >&2; exit 1
fi
grep -q "not empty" "$work/err"

echo "== build the scaffold out of tree against the installed package"
cmake -S "$work/casedoc-housing" -B "$work/casedoc-housing/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/casedoc-housing/build" -j2 >/dev/null
ctest --test-dir "$work/casedoc-housing/build" --output-on-failure

echo "== the plugin is a correctly flagged module: only the two contract symbols exported"
exported=$(nm -D --defined-only "$work/casedoc-housing/build/plugins/casedoc_housing.so" | awk '$2 ~ /^[TDRB]$/ {print $3}' | sort | tr '\n' ' ')
test "$exported" = "casedoc_plugin_abi_major casedoc_plugin_entry " || { echo "exported: $exported" >&2; exit 1; }

echo "== install the plugin and validate with the installed program, no flags"
cmake --install "$work/casedoc-housing/build" >/dev/null
"$casedoc" plugins | grep -q "^housing  Supportive housing"
"$casedoc" validate "$work/casedoc-housing/samples/valid"
set +e
"$casedoc" validate "$work/casedoc-housing/samples/invalid" >"$work/out"
status=$?
set -e
test $status -eq 1 || { echo "invalid samples: exit $status, expected 1" >&2; cat "$work/out" >&2; exit 1; }
grep -q "\[HOUSING-MONTHLY\]" "$work/out"
grep -q "\[HOUSING-ORDER\]" "$work/out"
"$casedoc" plugin check "$prefix/lib/casedoc/plugins/casedoc_housing.so" --samples "$work/casedoc-housing/samples"
rm -rf "$work"
echo "== out-of-tree plugin: ok"

# Sourced by the SDK tests: an empty WORK_DIR with this build of casedoc installed in $prefix, and no
# environment that would point the installed program elsewhere.
# Usage: . install_prefix.sh BUILD_DIR WORK_DIR   (sets build, work, prefix, casedoc)
build=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
casedoc=$prefix/bin/casedoc
unset CASEDOC_PLUGIN_PATH CASEDOC_SCHEMA_PATH CASEDOC_TEMPLATE_PATH CASEDOC_ISOLATED
cmake --install "$build" --prefix "$prefix" >/dev/null

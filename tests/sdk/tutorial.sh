#!/usr/bin/env bash
# The plugin tutorial followed as written: the marked code blocks of docs/plugin-tutorial.md, in order, from a
# clean directory, against this build of casedoc installed in a fresh prefix (reached as $HOME/casedoc, as the
# tutorial says). The commands come from the markdown itself, so the tutorial and this test cannot drift.
# A block is marked by words after its language on the opening fence:
#   ```sh tutorial              run in bash (set -e -o pipefail) where the previous block left off; exit 0
#   ```sh tutorial status=N     the same, and the block must exit with status N
#   ```text tutorial-output     each line appears in the output of the previous sh block ("…" matches anything)
#   ```LANG tutorial file=PATH      the block is the whole of PATH (created or replaced)
#   ```LANG tutorial insert=PATH    the block goes into PATH before its last line (</sch:schema>)
#   ```LANG tutorial insert=PATH after=TEXT   ... after the one line of PATH that holds TEXT
#   ```LANG tutorial replace=PATH   each line replaces the one line of PATH that starts like it up to its first '='
#                                   (and the quoted value after it: <var name="agency" is one key, <var name="program"
#                                   another)
# Unmarked blocks are illustrations (installing casedoc itself is done here by install_prefix.sh).
# Usage: tutorial.sh BUILD_DIR WORK_DIR [TUTORIAL.md]   (CASEDOC_TUTORIAL_KEEP=1: keep WORK_DIR, below)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
doc=$(realpath "${3:-$src/docs/plugin-tutorial.md}")
echo "== install casedoc into $2/prefix"
. "$src/tests/sdk/install_prefix.sh" "$1" "$2"

export HOME=$work/home
mkdir -p "$HOME" "$work/author" "$work/blocks"
ln -s "$prefix" "$HOME/casedoc"
export PATH="$HOME/casedoc/bin:$PATH"
blocks=$work/blocks
state=$work/state.sh # the shell's directory and exported variables after the last block that ran to the end
printf 'cd %q\n' "$work/author" >"$state"

fail() {
  echo "tutorial: $*" >&2
  exit 1
}

# Each marked block as blocks/NNN.info (the words after the fence) and blocks/NNN.body (its lines, unindented
# by the fence's indentation).
awk -v dir="$blocks" '
  /^[ \t]*```/ {
    if (!open) {
      info = $0; sub(/^[ \t]*```/, "", info)
      split(info, w, /[ \t]+/)
      open = 1; marked = (w[2] == "tutorial" || w[2] == "tutorial-output")
      if (marked) {
        f = sprintf("%s/%03d", dir, ++n); indent = match($0, /[^ \t]/) - 1
        print info > (f ".info"); close(f ".info"); printf "" > (f ".body")
      }
    } else {
      if (marked) close(f ".body")
      open = 0
    }
    next
  }
  open && marked {
    line = $0
    for (i = 0; i < indent && substr(line, 1, 1) == " "; i++) line = substr(line, 2)
    print line >> (f ".body")
  }
' "$doc"
ls "$blocks"/*.info >/dev/null 2>&1 || fail "no marked blocks in $doc"

cwd() { bash -c ". $(printf %q "$state") && pwd"; }
last_out=

for info in "$blocks"/*.info; do
  n=$(basename "$info" .info)
  body=$blocks/$n.body
  read -r lang mark args <"$info" || true
  case "$mark $args" in
  "tutorial-output ")
    [ -n "$last_out" ] || fail "block $n: output quoted before any command"
    while IFS= read -r want; do
      want=$(sed 's/^[[:space:]]*//; s/[[:space:]]*$//' <<<"$want")
      [ -n "$want" ] || continue
      WANT=$want awk 'BEGIN { n = split(ENVIRON["WANT"], part, "…") }
        { rest = $0; ok = 1
          for (i = 1; i <= n && ok; i++) {
            if (part[i] == "") continue
            k = index(rest, part[i]); if (!k) ok = 0; else rest = substr(rest, k + length(part[i]))
          }
          if (ok) { found = 1; exit } }
        END { exit !found }' "$last_out" ||
        { cat "$last_out" >&2; fail "block $n: the output above has no line like: $want"; }
    done <"$body"
    echo "   (output as the tutorial quotes it)"
    ;;
  "tutorial " | "tutorial status="*)
    expected=0
    [[ $args == status=* ]] && expected=${args#status=}
    { printf '. %q\nset -eo pipefail\n' "$state"; cat "$body"; printf '\n{ export -p; printf "cd %%q\\n" "$PWD"; } >%q\n' "$state"; } \
      >"$blocks/$n.sh"
    echo "== tutorial block $n (exit $expected expected):"
    sed 's/^/   $ /' "$body"
    set +e
    bash "$blocks/$n.sh" >"$blocks/$n.out" 2>&1
    status=$?
    set -e
    [ "$status" -eq "$expected" ] || { cat "$blocks/$n.out" >&2; fail "block $n: exit $status, expected $expected"; }
    last_out=$blocks/$n.out
    ;;
  "tutorial file="*)
    path=$(cwd)/${args#file=}
    echo "== tutorial block $n: write ${args#file=}"
    mkdir -p "$(dirname "$path")"
    cp "$body" "$path"
    ;;
  "tutorial insert="*)
    rel=${args#insert=}
    rel=${rel%% *}
    path=$(cwd)/$rel
    [ -f "$path" ] || fail "block $n: no file $path"
    if [[ $args == *" after="* ]]; then
      after=${args#* after=}
      echo "== tutorial block $n: insert into $rel after the line with $after"
      [ "$(grep -cF -- "$after" "$path")" -eq 1 ] || fail "block $n: not one line of $path holds $after"
      at=$(grep -nF -- "$after" "$path" | cut -d: -f1)
      { head -n "$at" "$path"; cat "$body"; tail -n +"$((at + 1))" "$path"; } >"$path.new"
    else
      echo "== tutorial block $n: insert into $rel before its last line"
      last=$(tail -n 1 "$path")
      [[ $last == "</"* ]] || fail "block $n: the last line of $path is not a closing tag: $last"
      { head -n -1 "$path"; cat "$body"; printf '%s\n' "$last"; } >"$path.new"
    fi
    mv "$path.new" "$path"
    ;;
  "tutorial replace="*)
    path=$(cwd)/${args#replace=}
    echo "== tutorial block $n: replace lines of ${args#replace=}"
    [ -f "$path" ] || fail "block $n: no file $path"
    awk 'NR == FNR { if ($0 ~ /^[ \t]*$/) next
                     k = $0; sub(/^[ \t]+/, "", k); e = index(k, "=")
                     if (e && substr(k, e + 1, 1) == "\"") k = substr(k, 1, e + 1 + index(substr(k, e + 2), "\""))
                     else if (e) k = substr(k, 1, e - 1)
                     key[++n] = k; line[n] = $0; next }
         { t = $0; sub(/^[ \t]+/, "", t)
           for (i = 1; i <= n; i++) if (index(t, key[i]) == 1) { $0 = line[i]; hit[i]++ }
           print }
         END { for (i = 1; i <= n; i++) if (hit[i] != 1) { print "matched " hit[i] + 0 " lines: " key[i] > "/dev/stderr"; bad = 1 }
               exit bad }' "$body" "$path" >"$path.new" || fail "block $n: replace in $path"
    mv "$path.new" "$path"
    ;;
  *) fail "block $n: unknown mark '$mark $args'" ;;
  esac
done

echo "== the tutorial's plugin is built: $(cwd)"
# CASEDOC_TUTORIAL_KEEP=1 keeps WORK_DIR: blocks/NNN.out is what each command block printed.
[ -n "${CASEDOC_TUTORIAL_KEEP:-}" ] || rm -rf "$work"
echo "== tutorial: ok"

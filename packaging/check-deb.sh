#!/usr/bin/env bash
# Builds the Debian package from build/, installs it with dpkg -i, starts the service as its unit would (the
# unit's own ExecStart, as its user, on a free port), validates a sample record over HTTP, then purges the
# package. Needs root (it installs a package); CI runs it after the tests. Usage: packaging/check-deb.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
if [ "$(id -u)" -ne 0 ]; then
  echo "packaging/check-deb.sh: skipped: installing a package needs root"
  exit 0
fi
if dpkg-query -W -f='${Status}' casedoc 2>/dev/null | grep -q "install ok installed"; then
  echo "packaging/check-deb.sh: casedoc is already installed here; not touching it" >&2
  exit 2
fi
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/casedoc_*.deb | head -1)
echo "== $deb"
dpkg-deb --info "$deb" | grep -E "Package|Version|Depends"
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  dpkg --purge casedoc >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
dpkg -i "$deb" >/dev/null
unit=/usr/lib/systemd/system/casedoc.service
test -f "$unit"
for setting in NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes User=casedoc; do
  grep -qx "$setting" "$unit" || { echo "the unit lacks $setting" >&2; exit 1; }
done
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify "$unit" "/usr/lib/systemd/system/casedoc@.service"
  # systemd's own rating of the sandbox, 0 (locked down) to 10: the units stay at 2.0 or below.
  for u in "$unit" "/usr/lib/systemd/system/casedoc@.service"; do
    systemd-analyze security --offline=yes --threshold=20 "$u" | tail -1
  done
else
  echo "systemd-analyze is not installed: the units' verification and exposure rating skipped"
fi
/usr/bin/casedoc plugins | head -5

# The unit's command line, on a free port, as the unit's user (systemd itself may not run here).
runuser -u casedoc -- /usr/bin/casedoc serve token add ci --settings '*' --scopes validate --tokens /etc/casedoc/tokens.json \
  >"$work/secret" 2>/dev/null
exec_start=$(sed -n 's/^ExecStart=//p' "$unit" | sed 's/--listen [^ ]*/--listen 127.0.0.1:0/')
install -d -o casedoc -g casedoc -m 0700 /var/lib/casedoc
setpriv --reuid=casedoc --regid=casedoc --init-groups $exec_start >"$work/out" 2>"$work/log" & # execs: $! is the service
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's#.*listening on http://127.0.0.1:\([0-9]*\).*#\1#p' "$work/out")
test -n "$port" || { echo "the packaged service did not start:" >&2; cat "$work/log" >&2; exit 1; }
status=$(curl -sS -o "$work/answer" -w '%{http_code}' -H "Authorization: Bearer $(cat "$work/secret")" \
  -H 'Content-Type: application/xml' --data-binary @plugins/child_welfare/samples/invalid/w4-plan-after-60-days.xml \
  "http://127.0.0.1:$port/v1/validate?format=text")
echo "HTTP $status from the packaged service:"
cat "$work/answer"
test "$status" = 200 && grep -q "CW-W4" "$work/answer"
kill -TERM "$pid"
wait "$pid"
pid=""
echo "packaging/check-deb.sh: the package installs, its service answers, and it purges cleanly"

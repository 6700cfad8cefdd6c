#!/usr/bin/env bash
# Writes the seed corpus of every fuzz target (tests/fuzz/corpus/<target>/) from the repository's own samples,
# schemas and templates. Run once when the samples change; the corpus is committed, and kept small (the fuzzers
# grow their own in build-fuzz/corpus/). audit_partial's seeds are partial files that `casedoc audit --shard`
# writes, so it needs a built casedoc (CASEDOC=path, default build/bin/casedoc).
set -euo pipefail
cd "$(dirname "$0")/../.."
c=tests/fuzz/corpus
casedoc=${CASEDOC:-build/bin/casedoc}
records=(plugins/hospital/samples/valid/progress-note-soap.xml plugins/hospital/samples/valid/discharge-plan-snf.xml
         plugins/hospital/samples/invalid/x2-signed-at-malformed.xml plugins/hospital/samples/invalid/x3-late-no-reason.xml
         plugins/correctional/samples/valid/contact-note-dap.xml plugins/correctional/samples/invalid/x2-unsigned.xml
         plugins/vocational/samples/valid/application.xml plugins/vocational/samples/invalid/v15-exit-type-unknown.xml
         plugins/child_welfare/samples/valid/court-hearing-permanency.xml
         plugins/child_welfare/samples/invalid/w9-permanency-no-goal.xml
         schemas/record/examples/case-record.xml schemas/record/examples/caseworker-visit.xml)
for t in record validate; do
  rm -rf "$c/$t"; mkdir -p "$c/$t"
  for r in "${records[@]}"; do cp "$r" "$c/$t/$(basename "$(dirname "$(dirname "$r")")")-$(basename "$r")"; done
done

rm -rf "$c/schema"; mkdir -p "$c/schema"
cp schemas/hospital/hospital-2017.sch schemas/hospital/hospital-2019.sch "$c/schema/"
for p in schemas/hospital/patterns/data-quality.sch schemas/common/note-sections.sch; do # a pattern as a whole schema
  { echo '<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" xmlns:cd="urn:casedoc:schema:1" queryBinding="xslt">'
    echo '<cd:meta setting="hospital" version="1" document-types="progress-note"/><sch:ns prefix="r" uri="urn:casedoc:record:1"/>'
    sed -n '/<sch:pattern/,/<\/sch:pattern>/p' "$p"
    echo '</sch:schema>'; } > "$c/schema/pattern-$(basename "$p")"
done

rm -rf "$c/xpath_diff"; mkdir -p "$c/xpath_diff"
i=0
while IFS= read -r e; do
  i=$((i + 1)); printf '%s' "$e" > "$c/xpath_diff/expr-$(printf %03d $i)"
done < <(grep -o '"[^"]*"' tests/unit/direct_xpath_test.cpp | sed -n '/^"@id"$/,/^"contains(string(r:section\[@code = .assessment.\]), .é.)"$/p' |
         sed 's/^"//; s/"$//' | awk 'NR % 4 == 1' | head -60)
{ echo 'r:note[@type = $s]/r:author/@id'; sed -n '1,40p' plugins/hospital/samples/valid/progress-note-soap.xml; } > "$c/xpath_diff/sample-note"

rm -rf "$c/template"; mkdir -p "$c/template"
cp templates/hospital/progress-note.xml "$c/template/progress-note.xml"
{ cat templates/hospital/progress-note.xml; printf '\n<!--casedoc-fuzz-record-->\n'
  cat plugins/hospital/samples/invalid/x3-late-no-reason.xml; } > "$c/template/progress-note-with-late-entry"
cp templates/hospital/discharge-summary.xml "$c/template/discharge-summary-as-progress-note.xml"

rm -rf "$c/text"; mkdir -p "$c/text"
printf '2024-02-29\n2024-03-01T10:00\n2024-03-01T10:00:30.5+14:00\n1 months\n' > "$c/text/dates"
printf 'P1Y2M3DT4H5M6.5S\ncalendar-month\n2025-01-31\n30 days\n' > "$c/text/duration"
printf '2024-01-01..2024-12-31\nnote-sign-hours=48\n-12\ntrue\n' > "$c/text/period-params"
printf '2023-12-31T23:59-00:30\n0000-01-01\n9999-12-31T24:00\n6 months\n' > "$c/text/edges"
head -c 400 plugins/hospital/samples/valid/progress-note-soap.xml > "$c/text/record-head"

rm -rf "$c/serve_request"; mkdir -p "$c/serve_request"
auth='Authorization: Bearer cdt_fuzz'
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' > "$c/serve_request/healthz"
printf 'GET /v1/plugins HTTP/1.1\r\nHost: x\r\n%s\r\n\r\n' "$auth" > "$c/serve_request/plugins"
printf 'GET /v1/schemas?setting=hospital HTTP/1.1\r\nHost: x\r\n%s\r\n\r\n' "$auth" > "$c/serve_request/schemas"
# A request: its head's lines, then Content-Length from the body file's bytes, then the body as it is.
request() { # HEAD BODY-FILE OUT
  printf '%s\r\nContent-Length: %d\r\n\r\n' "$1" "$(wc -c < "$2")" > "$3"
  cat "$2" >> "$3"
}
multipart() { # NAME FILE: one part
  printf -- '--b\r\nContent-Disposition: form-data; name="record"; filename="%s"\r\nContent-Type: application/xml\r\n\r\n' "$1"
  cat "$2"
  printf -- '\r\n--b--\r\n'
}
note=plugins/hospital/samples/invalid/x3-late-no-reason.xml
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
request "$(printf 'POST /v1/validate?format=json&param=note-sign-hours%%3D48 HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: application/xml' "$auth")" \
  "$note" "$c/serve_request/validate-xml"
request "$(printf 'POST /v1/render?draft=true HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: application/xml' "$auth")" \
  "$note" "$c/serve_request/render"
multipart a.xml "$note" > "$tmp"
request "$(printf 'POST /v1/validate?format=text HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: multipart/form-data; boundary=b' "$auth")" \
  "$tmp" "$c/serve_request/validate-multipart"
multipart c.xml schemas/record/examples/case-record.xml > "$tmp"
request "$(printf 'POST /v1/audit?period=2020-01-01..2030-12-31&sample=all HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: multipart/form-data; boundary=b' "$auth")" \
  "$tmp" "$c/serve_request/audit"
request "$(printf 'POST /v1/export/vocational:rsa-911 HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: multipart/form-data; boundary=b' "$auth")" \
  "$tmp" "$c/serve_request/export"

if [ -x "$casedoc" ]; then
  rm -rf "$c/audit_partial"; mkdir -p "$c/audit_partial"
  for s in 1 2; do
    "$casedoc" audit plugins/child_welfare/samples/valid plugins/hospital/samples/valid --period 2015-01-01..2030-12-31 \
      --shard "$s/2" --partial "$c/audit_partial/shard-$s-of-2.json" >/dev/null
  done
fi

#!/usr/bin/env bash
# The record format's XML Schema (schemas/record/casedoc-record.xsd) against the records casedoc ships:
# every example, every valid sample, every sample caseload record and the samples `casedoc plugin new` writes
# are valid; records that break the format itself (not a setting's rules) are refused, each for its reason.
# Usage: check_record_xsd.sh SOURCE_DIR CASEDOC WORK_DIR
set -uo pipefail
src=$1 casedoc=$2 work=$3
xsd=$src/schemas/record/casedoc-record.xsd
rm -rf "$work" && mkdir -p "$work"
failures=0

valid=("$src"/schemas/record/examples/*.xml "$src"/plugins/*/samples/valid/*.xml "$src"/plugins/*/samples/caseload/*.xml)
(cd "$work" && "$casedoc" plugin new housing --title "Supportive housing" >/dev/null) || { echo "plugin new failed"; exit 1; }
valid+=("$work"/casedoc-housing/samples/valid/*.xml)
if ! out=$(xmllint --noout --schema "$xsd" "${valid[@]}" 2>&1); then
  echo "$out" | grep -v ' validates$'
  echo "FAIL: records casedoc ships are not valid against $xsd"
  failures=$((failures + 1))
fi
echo "${#valid[@]} shipped records valid against the record XSD"

# A record that breaks the format: NAME, the expected message (a regular expression), the record.
refused() {
  local name=$1 expect=$2 file=$work/$1.xml
  cat > "$file"
  local out
  if out=$(xmllint --noout --schema "$xsd" "$file" 2>&1); then
    echo "FAIL: $name: accepted"; failures=$((failures + 1))
  elif ! grep -Eq "$expect" <<<"$out"; then
    echo "FAIL: $name: refused, but not for /$expect/:"; echo "$out"; failures=$((failures + 1))
  else
    echo "refused as expected: $name"
  fi
}
note_open='<note xmlns="urn:casedoc:record:1" format-version="1.0" setting="housing" type="progress-note" id="N-1"'
note_body='<author id="u1" name="A" role="case-manager" credential="BSW"/><section code="summary">Met.</section>
<signature signer="u1" name="A" role="case-manager" credential="BSW" signed-at="2025-03-04T10:00" method="electronic"/></note>'

refused no-setting "attribute 'setting' is required" <<EOF2
<note xmlns="urn:casedoc:record:1" format-version="1.0" type="progress-note" id="N-1" service-at="2025-03-04T09:00" entered-at="2025-03-04T09:30">$note_body
EOF2
refused wrong-version "format-version.*(fixed|1\.0)" <<EOF2
<note xmlns="urn:casedoc:record:1" format-version="2.0" setting="housing" type="progress-note" id="N-1" service-at="2025-03-04T09:00" entered-at="2025-03-04T09:30">$note_body
EOF2
refused service-at-date-only "service-at.*2025-03-04" <<EOF2
$note_open service-at="2025-03-04" entered-at="2025-03-04T09:30">$note_body
EOF2
refused entered-at-us-form "entered-at.*03/04/2025" <<EOF2
$note_open service-at="2025-03-04T09:00" entered-at="03/04/2025 9:30 AM">$note_body
EOF2
refused signature-without-time "signed-at' is required" <<EOF2
$note_open service-at="2025-03-04T09:00" entered-at="2025-03-04T09:30"><author id="u1"/><signature signer="u1" method="electronic"/></note>
EOF2
refused unknown-client-attribute "attribute 'dob' is not allowed" <<EOF2
$note_open service-at="2025-03-04T09:00" entered-at="2025-03-04T09:30"><client id="C-1" dob="1990-01-01"/>$note_body
EOF2
refused as-of-impossible-day "as-of.*2025-02-30" <<EOF2
<case-record xmlns="urn:casedoc:record:1" format-version="1.0" setting="housing" type="case-record" id="CR-1" as-of="2025-02-30"/>
EOF2
refused extension-without-rule "attribute 'rule' is required" <<EOF2
<case-record xmlns="urn:casedoc:record:1" format-version="1.0" setting="housing" type="case-record" id="CR-1" as-of="2025-03-31">
<extensions><extension agreed-at="2025-03-01" until="2025-04-01"/></extensions></case-record>
EOF2
refused events-out-of-place "events.*This element is not expected" <<EOF2
<case-record xmlns="urn:casedoc:record:1" format-version="1.0" setting="housing" type="case-record" id="CR-1" as-of="2025-03-31">
<notes/><events><event type="admission" date="2025-01-02"/></events></case-record>
EOF2
refused event-date-malformed "date.*2025-1-2" <<EOF2
<case-record xmlns="urn:casedoc:record:1" format-version="1.0" setting="housing" type="case-record" id="CR-1" as-of="2025-03-31">
<events><event type="admission" date="2025-1-2"/></events></case-record>
EOF2
refused no-namespace "No matching global declaration|not.*expected" <<EOF2
<note format-version="1.0" setting="housing" type="progress-note" id="N-1" service-at="2025-03-04T09:00" entered-at="2025-03-04T09:30"/>
EOF2

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }

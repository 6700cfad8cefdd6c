#!/usr/bin/env bash
# Installs what casedoc needs to build and test, from Debian 12's packages (skips what is present).
set -euo pipefail
packages=(build-essential cmake libboost-dev libpugixml-dev libspdlog-dev libhpdf-dev catch2 libcli11-dev
          nlohmann-json3-dev
          zlib1g-dev fonts-liberation2 fonts-dejavu-core icc-profiles-free # casedoc render: zlib, fonts, sRGB profile
          libcpp-httplib-dev libssl-dev pkg-config                           # casedoc serve: HTTP, TLS, tokens
          libical-dev python3-icalendar                                      # casedoc due: iCalendar; tests: parse it
          poppler-utils qpdf curl openssl libxml2-utils                      # tests: poppler, qpdf, openssl, xmllint; run.sh: curl
          python3-jsonschema openapi-specification python3-requests         # tests: the OpenAPI document, the Python example
          chromium chromium-driver python3-selenium                          # tests: the web page in a headless browser
          dpkg-dev adduser                                                   # CI: the Debian package (cpack, dpkg-shlibdeps)
          clang-14 clang libfuzzer-14-dev)                                   # CI: the fuzz targets (tests/fuzz/run.sh: libFuzzer, ASan, UBSan)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "casedoc: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

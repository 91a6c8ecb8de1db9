#!/usr/bin/env bash
# Install the Debian packages CadreFlow needs, only where they are missing. Safe to run again.
#   scripts/ensure_system_packages.sh run    # CJK font and WeasyPrint's Pango
#   scripts/ensure_system_packages.sh test   # the above, plus Chromium and poppler for the browser/PDF tests
set -euo pipefail
mode=${1:-run}

missing=()
fc-list :lang=zh family 2>/dev/null | grep -qi "Noto.*CJK" || missing+=(fonts-noto-cjk)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so" || missing+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so" || missing+=(libpangoft2-1.0-0)
if [ "$mode" = "test" ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "ERROR: need root (or sudo) to install: ${missing[*]}" >&2
    echo "Run: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
if [[ " ${missing[*]} " == *" fonts-noto-cjk "* ]]; then fc-cache -f >/dev/null 2>&1 || true; fi

#!/usr/bin/env bash
# Install the Debian packages Coproduce needs, when they are missing.
#   scripts/system-deps.sh run    Pango and DejaVu fonts (PDF export with WeasyPrint)
#   scripts/system-deps.sh test   the above, plus chromium (browser tests), poppler-utils
#                                 (PDF checks) and PostgreSQL 15 (the second database leg)
set -euo pipefail
mode=${1:-test}
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
missing=()
have_pkg libpango-1.0-0 || missing+=(libpango-1.0-0)
have_pkg libpangoft2-1.0-0 || missing+=(libpangoft2-1.0-0)
have_pkg fonts-dejavu-core || missing+=(fonts-dejavu-core)
if [ "$mode" = test ]; then
  command -v chromium >/dev/null || missing+=(chromium)
  command -v pdftoppm >/dev/null || missing+=(poppler-utils)
  [ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "Please install the equivalents of these Debian packages: ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Please install these Debian packages, then run make again: ${missing[*]}" >&2
  exit 1
fi

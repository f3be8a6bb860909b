#!/usr/bin/env bash
# The system packages the tests need, used by `make test` and `.ci/run` (through `make test`):
# Chromium for the browser tests, poppler-utils to read the PDFs, Pango, HarfBuzz and a font for
# WeasyPrint. On Debian as root it installs whatever is missing; anywhere else it stops at once
# with the one command to run. When everything is present it only checks (well under a second).
set -euo pipefail

chromium="${CSE_CHROMIUM:-/usr/bin/chromium}"
# Debian package names; chromium is checked by its executable, the others with dpkg.
packages=(poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)

missing=()
[ -x "$chromium" ] || missing+=(chromium)
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
else
  # Not Debian: look for the tools and libraries themselves.
  { command -v pdftotext && command -v pdfinfo; } >/dev/null 2>&1 || missing+=(poppler-utils)
  if command -v ldconfig >/dev/null 2>&1; then
    libraries=$(ldconfig -p 2>/dev/null || true)
    for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0; do
      grep -q "$lib" <<<"$libraries" || missing+=("$lib")
    done
  fi
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  if [ ! -x "$chromium" ]; then
    echo "Chromium is installed at /usr/bin/chromium, but CSE_CHROMIUM points at $chromium." >&2
    exit 1
  fi
  exit 0
fi

echo "Missing system packages for the tests: ${missing[*]}" >&2
if command -v apt-get >/dev/null 2>&1; then
  echo "Run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
else
  echo "Install them with your system's package manager (these are Debian's names; Chromium" >&2
  echo "may be elsewhere: set CSE_CHROMIUM to its path), then run make test again." >&2
fi
exit 1

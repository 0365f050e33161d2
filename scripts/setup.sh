#!/usr/bin/env bash
# Install what sunshine needs on Debian: system packages (fonts that cover
# Chinese, HarfBuzz subsetting for fast PDFs, Pango for WeasyPrint), then the
# Python packages in a virtual environment at .venv. With --test it also
# installs what the tests drive: Chromium, poppler (pdftoppm), zbar (QR
# decoding), LibreOffice Calc (saves the workbooks the import tests read as
# .xls and .ods, as a clerk's spreadsheet program would), Node.js and
# axe-core. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

packages=(fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fontconfig git)
python3 -c 'import venv, ensurepip' 2>/dev/null || packages+=(python3 python3-venv python3-pip)
testing=0
[ "${1:-}" = "--test" ] && testing=1
if [ "$testing" = 1 ]; then
  packages+=(chromium poppler-utils zbar-tools libreoffice-calc-nogui)
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=.venv/.sunshine-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test]"
  echo "$want" > "$stamp"
fi

if [ "$testing" = 1 ]; then
  lock=node_modules/.sunshine-lock
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$lock" 2>/dev/null)" != "$want" ]; then
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > "$lock"
  fi
fi

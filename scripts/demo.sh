#!/usr/bin/env bash
# Set up, then build the demo site into build/ (HTML now; the PDF sheets join it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/sunshine build

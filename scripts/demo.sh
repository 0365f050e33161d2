#!/usr/bin/env bash
# Set up, then check the demo content (the site build joins here when it exists).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/sunshine check

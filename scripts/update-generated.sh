#!/usr/bin/env bash
# Regenerate the committed files that are made from the code: the JSON Schemas
# in schemas/, the message catalogs in generator/locale/ (new messages arrive
# untranslated), the code table in docs/diagnostics.md and the open data
# tables in docs/data.md. The tests fail
# until these match the code.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/sunshine schemas
.venv/bin/python -m generator.catalog
.venv/bin/python - <<'PY'
from pathlib import Path
from generator.errors import code_table
path = Path("docs/diagnostics.md")
text = path.read_text(encoding="utf-8")
start, end = "<!-- codes:start -->\n", "<!-- codes:end -->"
head, rest = text.split(start)
_, tail = rest.split(end)
path.write_text(head + start + code_table() + end + tail, encoding="utf-8")
PY
.venv/bin/python - <<'PY'
from pathlib import Path
from generator.render.citydata import schema_markdown
path = Path("docs/data.md")
text = path.read_text(encoding="utf-8")
start, end = "<!-- tables:start -->\n", "<!-- tables:end -->"
head, rest = text.split(start)
_, tail = rest.split(end)
path.write_text(head + start + schema_markdown() + end + tail, encoding="utf-8")
PY

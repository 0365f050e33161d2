"""An estate's tables as an Excel/WPS workbook, and the workbook back into its YAML files.

``export_estate`` writes the workbook a clerk fills; ``plan_import`` reads
one back (.xlsx, .xls, .ods or one sheet as .csv), checks it as ``check``
checks YAML and says what would change; ``apply_import`` writes it.
"""

from __future__ import annotations

from pathlib import Path

from .export import workbook_bytes
from .importer import Plan, apply_import, open_estate, plan_import, published_periods

__all__ = ["Plan", "apply_import", "export_estate", "plan_import"]


def export_estate(root: Path, estate_id: str, out: Path | None = None) -> Path:
    """Write the estate's workbook (default: ESTATE_ID.xlsx in the site's folder)."""
    estate = open_estate(root, estate_id)
    target = out if out is not None else root / f"{estate_id}.xlsx"
    target.write_bytes(workbook_bytes(estate.data, published_periods(estate.releases)))
    return target

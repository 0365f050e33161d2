"""sunshine: a static site generator for sunshine-property (阳光物业) disclosures."""

from __future__ import annotations

__version__ = "0.1.0"

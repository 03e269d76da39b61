"""Peer implementations of the ten benchmark rules, so ics-rules can be compared with them.

Shared semantics (every peer agrees on these, and ``selfcheck.py`` proves it on the fixtures):

* role ``other`` entries are participants, never members, so they count for no rule;
* SCH1B-5 passes only when at least one chair exists and every chair is appointed by
  ``nhs_england`` and approved by ``secretary_of_state``;
* NHSE22-AUDIT-CHAIR passes when some ``audit`` committee is chaired by a ``non_executive``;
* NHSE22-REM-NOEMP passes when no ``remuneration`` committee member is an ICB employee
  (vacuously true when there is no remuneration committee);
* a missing list (``board.members``, ``committees``) makes a rule fail, never silently pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

RULE_IDS: tuple[str, ...] = (
    "SCH1B-3-1-a",
    "SCH1B-3-1-b",
    "SCH1B-3-1-c",
    "SCH1B-5",
    "SCH1B-8-2-a",
    "SCH1B-8-2-b",
    "SCH1B-8-2-c",
    "NHSE22-NEM-MIN2",
    "NHSE22-AUDIT-CHAIR",
    "NHSE22-REM-NOEMP",
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def load_yaml(path: str | Path) -> dict[str, Any]:
    """Load one constitution file into a plain dict (C loader when present, like ics-rules)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as fh:
        doc = yaml.load(fh, Loader=loader)
    if not isinstance(doc, dict):
        raise ValueError(f"{path}: top level is not a mapping")
    return doc

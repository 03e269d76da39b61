"""ICB areas compared across constitution files: no two may overlap (NHS Act 2006 s.14Z25(3)).

One file cannot show an overlap, so this is a check over a batch: it takes the councils each
file names as making up its area (`icb.area.local_authorities`) and reports a council that two
different ICBs both claim. Two claims clash unless both say the council is only partly in
their area (`coverage: part`); such a split is reported as unclear when a claimant gives no
`lsoa_exceptions` to show where the line runs. Files of the same ICB (same name) are versions
of one constitution and are not compared with each other. Councils are the same when their
ids match or their names match ignoring case, spacing and punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

CITATION = "NHS Act 2006 s.14Z25(3)"


@dataclass(frozen=True)
class Claim:
    """One file's statement that a council is (wholly or partly) in its ICB's area."""

    path: str
    icb: str
    council_id: str
    council_name: str | None
    coverage: str | None  # "whole", "part" or None (not stated)
    explains_split: bool  # the file lists LSOA exceptions


@dataclass(frozen=True)
class AreaFinding:
    """A council claimed by more than one ICB: `overlap` (a clash) or `unclear` (a split
    whose boundary is not shown)."""

    kind: str
    claims: tuple[Claim, ...]

    @property
    def council(self) -> str:
        first = self.claims[0]
        return first.council_name or first.council_id

    @property
    def message(self) -> str:
        icbs = " and ".join(sorted({c.icb for c in self.claims}))
        if self.kind == "overlap":
            cover = "; ".join(f"{c.icb}: {c.coverage or 'coverage not stated'}"
                              for c in self.claims)
            return (f"{self.council} is claimed by {icbs} ({cover}); ICB areas may not "
                    f"overlap, so at most one can hold it whole ({CITATION})")
        return (f"{self.council} is split between {icbs}, but not every file lists the "
                f"lower-layer super output areas (lsoa_exceptions) that draw the line, so "
                f"an overlap cannot be ruled out ({CITATION})")


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def claims_of(path: str, data: dict[str, Any]) -> list[Claim]:
    """Every council a file names in its area."""
    icb = data.get("icb") or {}
    area = icb.get("area") or {}
    split = bool(area.get("lsoa_exceptions"))
    return [Claim(path, icb.get("name", ""), la["id"], la.get("name"), la.get("coverage"), split)
            for la in area.get("local_authorities") or []]


def compare(files: Iterable[tuple[str, dict[str, Any]]]) -> list[AreaFinding]:
    """The councils claimed by more than one ICB among the files (path, facts)."""
    claims = [c for path, data in files for c in claims_of(path, data)]
    # Group claims that share an id or a name (union-find over the two keys).
    parent = list(range(len(claims)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[tuple[str, str], int] = {}
    for i, c in enumerate(claims):
        keys = [("id", c.council_id)] + ([("name", _norm(c.council_name))]
                                         if c.council_name and _norm(c.council_name) else [])
        for key in keys:
            if key in seen:
                parent[find(i)] = find(seen[key])
            else:
                seen[key] = i
    groups: dict[int, list[Claim]] = {}
    for i, c in enumerate(claims):
        groups.setdefault(find(i), []).append(c)
    out = []
    for group in groups.values():
        by_icb: dict[str, Claim] = {}
        for c in group:
            by_icb.setdefault(c.icb, c)
        if len(by_icb) < 2:
            continue
        chosen = tuple(sorted(by_icb.values(), key=lambda c: (c.icb, c.path)))
        if any(c.coverage != "part" for c in chosen):
            out.append(AreaFinding("overlap", chosen))
        elif not all(c.explains_split for c in chosen):
            out.append(AreaFinding("unclear", chosen))
    out.sort(key=lambda f: (f.kind != "overlap", f.council.lower()))
    return out


def render_text(findings: list[AreaFinding], n_icbs: int) -> str:
    """One line per finding with the files involved, then a summary line."""
    from .display import clean

    lines = []
    for f in findings:
        label = "error" if f.kind == "overlap" else "warning"
        lines.append(f"{label} NHSA06-14Z25-3: {clean(f.message)}")
        for c in f.claims:
            lines.append(f"  {clean(c.path)}: {clean(c.icb)} "
                         f"({clean(c.council_id)}, {c.coverage or 'coverage not stated'})")
    overlaps = sum(f.kind == "overlap" for f in findings)
    lines.append(f"{n_icbs} ICB areas compared: {overlaps} overlapping councils, "
                 f"{len(findings) - overlaps} unclear splits")
    return "\n".join(lines) + "\n"


def render_json(findings: list[AreaFinding], n_icbs: int) -> str:
    """The findings as JSON (strings escaped by the encoder)."""
    import json

    return json.dumps({
        "citation": CITATION,
        "icbs_compared": n_icbs,
        "findings": [{
            "kind": f.kind, "council": f.council, "message": f.message,
            "claims": [{"path": c.path, "icb": c.icb, "council_id": c.council_id,
                        "council_name": c.council_name, "coverage": c.coverage,
                        "lsoa_exceptions": c.explains_split} for c in f.claims],
        } for f in findings],
    }, indent=2) + "\n"

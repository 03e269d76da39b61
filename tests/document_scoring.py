"""Score a fact extraction against the facts a corpus document states (its expected file).

Paths are written with ids instead of list positions (`board.members[chair].appointed_by`),
so an expected file does not depend on the order in which members are listed. A fact counts
as right when its value is right, and as right in place when its clause is right too; any
fact the document does not state, or states differently, counts as wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ics_rules.documents.facts import Extraction

LISTS = {("board", "members"), ("committees",), ("icb", "area", "local_authorities")}


def keyed(ex: Extraction) -> dict[str, tuple[Any, str | None]]:
    """The extraction's facts under id-keyed dotted paths: path -> (value, clause)."""
    ids: dict[tuple[Any, ...], str] = {}
    for f in ex.facts:
        if f.path[-1] == "id" and tuple(f.path[:-2]) in LISTS:
            ids[tuple(f.path[:-1])] = str(f.value)
    out: dict[str, tuple[Any, str | None]] = {}
    for f in ex.facts:
        text = ""
        for n, part in enumerate(f.path):
            if isinstance(part, int):
                text += f"[{ids.get(tuple(f.path[:n + 1]), part)}]"
            else:
                text += f".{part}" if text else part
        out[text] = (f.value, f.clause)
    return out


@dataclass
class Score:
    """Counts for one or more documents."""

    expected: int = 0
    right: int = 0  # right value
    right_in_place: int = 0  # right value and clause
    wrong: list[str] = field(default_factory=list)  # wrong value, or a fact not stated
    missed: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.expected += other.expected
        self.right += other.right
        self.right_in_place += other.right_in_place
        self.wrong += other.wrong
        self.missed += other.missed

    @property
    def precision(self) -> float:
        found = self.right + len(self.wrong)
        return self.right / found if found else 1.0

    @property
    def recall(self) -> float:
        """Facts found with the right value and clause, over the facts stated."""
        return self.right_in_place / self.expected if self.expected else 1.0

    def line(self, name: str) -> str:
        return (f"{name}: {self.expected} stated, {self.right_in_place} right with clause, "
                f"{len(self.wrong)} wrong, {len(self.missed)} missed; precision "
                f"{self.precision:.1%}, recall {self.recall:.1%}")


def load_expected(path: Path) -> dict[str, tuple[Any, str | None]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["facts"]
    return {k: (v[0], None if v[1] is None else str(v[1])) for k, v in data.items()}


def score(ex: Extraction, expected: dict[str, tuple[Any, str | None]]) -> Score:
    got = keyed(ex)
    s = Score(expected=len(expected))
    for path, (value, clause) in expected.items():
        if path not in got:
            s.missed.append(path)
            continue
        gv, gc = got[path]
        if gv == value:
            s.right += 1
            if gc == clause:
                s.right_in_place += 1
            else:
                s.missed.append(f"{path} (clause {gc}, expected {clause})")
        else:
            s.wrong.append(f"{path}: got {gv!r} at {gc}, expected {value!r}")
    for path, (gv, gc) in got.items():
        if path not in expected:
            s.wrong.append(f"{path}: {gv!r} at {gc} is not stated in the document")
    return s

"""The stated facts of a constitution as a flat map of stable paths, for comparing versions.

A stable path names a fact by what it is, not where it sits: list items that have an `id` are
named by it (`board.members[pm-la].role`), so reordering members, committees or places in the
file changes no path. `diff` compares two such maps; `--baseline` uses stable paths to match
findings across versions without looking at line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .loader import LoadedConstitution, PathKey

_STEP = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


@dataclass(frozen=True, slots=True)
class Fact:
    """One stated fact: its value and its path in the file (indices, for positions)."""

    value: Any
    key: PathKey


def stated_facts(data: dict[str, Any]) -> dict[str, Fact]:
    """Every stated fact (leaf value) of validated constitution data, by stable path.

    Not-stated facts (None) are left out; an empty list is a stated fact ("none"). A list of
    plain values (committee members, register kinds) is one fact: the format gives their
    order no meaning, so `same_value` compares them as sets.
    """
    out: dict[str, Fact] = {}
    _walk(data, (), "", out)
    return out


def _walk(value: Any, key: PathKey, stable: str, out: dict[str, Fact]) -> None:
    if value is None:
        return
    if isinstance(value, dict):
        for name, sub in value.items():
            _walk(sub, (*key, name), f"{stable}.{name}" if stable else str(name), out)
        return
    if isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
        used: set[str] = set()
        for i, item in enumerate(value):
            label = item_label(item, i)
            if label in used:  # a duplicate id (the loader refuses these): fall back to index
                label = str(i)
            used.add(label)
            _walk(item, (*key, i), f"{stable}[{label}]", out)
        return
    out[stable] = Fact(value, key)


def item_label(item: Any, index: int) -> str:
    """How a stable path names a list item: its id, its value for a plain value, else index."""
    if isinstance(item, dict):
        ident = item.get("id")
        return str(ident) if isinstance(ident, str) and ident else str(index)
    if isinstance(item, str | int | float | bool):
        return str(item)
    return str(index)


def same_value(a: Any, b: Any) -> bool:
    """Whether two fact values are the same; lists of plain values compare as sets."""
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(repr, a)) == sorted(map(repr, b))
    return type(a) is type(b) and a == b


def stable_path(data: Any, key: PathKey) -> str:
    """The stable path of an index path in `data` (list items named by id or value)."""
    out = ""
    cur = data
    for part in key:
        if isinstance(part, int):
            item = cur[part] if isinstance(cur, list) and -len(cur) <= part < len(cur) else None
            out += f"[{item_label(item, part)}]"
            cur = item
        else:
            out += f".{part}" if out else str(part)
            cur = cur.get(part) if isinstance(cur, dict) else None
    return out


def parse_path(text: str) -> PathKey | None:
    """`board.members[2].role` back to ('board', 'members', 2, 'role'); None if malformed."""
    key: list[str | int] = []
    pos = 0
    for m in _STEP.finditer(text):
        if m.start() != pos:
            return None
        key.append(int(m.group(1)) if m.group(1) is not None else m.group(2))
        pos = m.end()
    return tuple(key) if pos == len(text) and key else None


def fact_location(c: LoadedConstitution, key: PathKey, stable: str) -> Any:
    """Where a fact sits in its file, as the `Location` every finding uses."""
    from .engine import Location

    pos = c.position(key)
    return Location(c.path, pos[0] if pos else None, pos[1] if pos else None, stable)

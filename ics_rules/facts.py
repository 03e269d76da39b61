"""The stated facts of a constitution as a flat map of stable paths, for comparing versions.

A stable path names a fact by what it is, not where it sits: list items that have an `id` are
named by it (`board.members[pm-la].role`), so reordering members, committees or places in the
file changes no path. `diff` compares two such maps; `--baseline` uses stable paths to match
findings across versions without looking at line numbers.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from .dsl.explain import REF, show
from .loader import LoadedConstitution, PathKey

_ITEM_STEP = re.compile(r"\[([^\[\]]+)\]|\.?([^.\[\]\s]+)")


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


def label(item: Any) -> str | None:
    """How an object in a list is named: its id, else its name."""
    if isinstance(item, dict):
        for key in ("id", "name", "type"):
            if item.get(key) not in (None, ""):
                return str(item[key])
        return None
    if isinstance(item, str | int | float | datetime.date):
        return show(item)
    return None


def item_label(item: Any, index: int) -> str:
    """How a stable path names a list item: an object as findings name it (its id, else its
    name), a plain value (a reference, a word) by itself, else by its index."""
    if isinstance(item, dict):
        return label(item) or str(index)
    if isinstance(item, str | int | float | bool):
        return str(item)
    return str(index)


def same_value(a: Any, b: Any) -> bool:
    """Whether two fact values are the same; lists of plain values compare as sets."""
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(repr, a)) == sorted(map(repr, b))
    return type(a) is type(b) and a == b


def stable_path(data: Any, key: PathKey) -> str:
    """The stable path of an index path in `data` (list items named by id or value; a
    reference followed shown as ` -> `, as in findings)."""
    out = ""
    cur = data
    for part in key:
        if part == REF:
            out += " -> "
            cur = data
        elif isinstance(part, int):
            item = cur[part] if isinstance(cur, list) and -len(cur) <= part < len(cur) else None
            out += f"[{item_label(item, part)}]"
            cur = item
        else:
            out += f".{part}" if out and not out.endswith(" ") else str(part)
            cur = cur.get(part) if isinstance(cur, dict) else None
    return out


def key_of(data: Any, text: str) -> PathKey | None:
    """The index path of a fact named by a stable path (`committees[audit].chair`, list items
    by id or index; ` -> ` where a reference is followed), or None if `data` has no such fact."""
    key: list[str | int] = []
    for n, part in enumerate(text.split(" -> ")):
        if n:
            key.append(REF)
        cur: Any = data
        pos = 0
        for m in _ITEM_STEP.finditer(part):
            if m.start() != pos:
                return None
            pos = m.end()
            if m.group(2) is not None:
                key.append(m.group(2))
                cur = cur.get(m.group(2)) if isinstance(cur, dict) else None
                continue
            label = m.group(1)
            if not isinstance(cur, list):
                return None
            found = next((i for i, x in enumerate(cur) if item_label(x, i) == label), None)
            if found is None and label.isdigit() and int(label) < len(cur):
                found = int(label)
            if found is None:
                return None
            key.append(found)
            cur = cur[found]
        if pos != len(part):
            return None
    return tuple(key) or None


def fact_location(c: LoadedConstitution, key: PathKey, stable: str) -> Any:
    """Where a fact sits, as the `Location` every finding uses: its line in a file, and the
    clause and page of a document it was read from."""
    return c.locate(key, fact=stable)

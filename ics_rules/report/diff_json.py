"""The JSON shape of `diff` (documented in docs/diff.md): both versions' identities, the fact
changes with both values and locations, and the requirement changes with both findings in
the same shape as `check --format json`."""

from __future__ import annotations

from typing import Any

from ..diff import FACT_KINDS, RULE_KINDS, Diff
from ..dsl.explain import plain
from ..version import __version__
from .json_report import dumps, finding_dict


def location_dict(loc: Any) -> dict[str, Any] | None:
    """A location as JSON: path, line, column and the fact's stable path."""
    if loc is None:
        return None
    return {"path": loc.path, "line": loc.line, "column": loc.column, "fact": loc.fact,
            **loc.as_dict()}


def version_dict(r: Any) -> dict[str, Any]:
    """Which file (and constitution version) one side of the comparison is."""
    return {"constitution": r.constitution, "sha256": r.sha256, "icb": r.icb,
            "version": r.version, "summary": r.summary}


def document(d: Diff, rulesets: Any, as_of: Any) -> dict[str, Any]:
    """The whole JSON document of one comparison."""
    facts: dict[str, list[dict[str, Any]]] = {k: [] for k in FACT_KINDS}
    for f in d.facts:
        facts[f.kind].append({"path": f.path, "old": plain(f.old), "new": plain(f.new),
                              "old_location": location_dict(f.old_location),
                              "new_location": location_dict(f.new_location)})
    requirements: dict[str, list[dict[str, Any]]] = {k: [] for k in RULE_KINDS}
    for r in d.rules:
        requirements[r.kind].append({"rule": r.rule, "old": finding_dict(r.old),
                                     "new": finding_dict(r.new)})
    return {
        "tool": {"name": "ics-rules", "version": __version__},
        "as_of": as_of.isoformat(),
        "rulesets": [{"id": rs.id, "version": rs.version, "sha256": rs.sha256}
                     for rs in rulesets],
        "old": version_dict(d.old),
        "new": version_dict(d.new),
        "facts": facts,
        "requirements": requirements,
    }


def render(d: Diff, rulesets: Any, as_of: Any, **_: Any) -> str:
    """JSON text with a final newline (byte-identical for the same inputs)."""
    return dumps(document(d, rulesets, as_of)) + "\n"

"""The JSON report of the contract: stable keys, stable order, byte-identical for same input."""

from __future__ import annotations

import json
from typing import Any

from ..version import __version__


def finding_dict(f: Any) -> dict[str, Any]:
    """One finding as the contract's JSON object (plus optional extra keys)."""
    out: dict[str, Any] = {
        "rule": f.rule,
        "title": f.title,
        "outcome": f.outcome,
        "severity": f.severity,
        "strength": f.strength,
        "citation": f.citation,
        "message": f.message,
        "evidence": f.evidence,
        "location": None,
        "ruleset": f.ruleset,
    }
    if f.location is not None:
        out["location"] = {"path": f.location.path, "line": f.location.line,
                           "column": f.location.column}
        if f.location.fact:
            out["location"]["fact"] = f.location.fact
    if f.waiver is not None:
        out["waiver"] = f.waiver
    return out


def result_dict(r: Any) -> dict[str, Any]:
    """One constitution's results."""
    return {
        "constitution": r.constitution,
        "sha256": r.sha256,
        "icb": r.icb,
        "summary": r.summary,
        "findings": [finding_dict(f) for f in r.findings],
        "notes": list(r.notes),
    }


def document(results: list[Any], rulesets: Any, as_of: Any) -> dict[str, Any]:
    """The whole JSON document."""
    return {
        "tool": {"name": "ics-rules", "version": __version__},
        "as_of": as_of.isoformat(),
        "rulesets": [{"id": rs.id, "version": rs.version, "sha256": rs.sha256}
                     for rs in rulesets],
        "results": [result_dict(r) for r in results],
    }


def render(results: list[Any], rulesets: Any, as_of: Any, **_: Any) -> str:
    """JSON text with a final newline."""
    return json.dumps(document(results, rulesets, as_of), indent=2, ensure_ascii=False) + "\n"

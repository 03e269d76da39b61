"""The JSON report of the contract: stable keys, stable order, byte-identical for same input."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..evidence import not_assessed_groups
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
        "basis": f.basis,
        "evidence": f.evidence,
        "location": None,
        "ruleset": f.ruleset,
    }
    if f.location is not None:
        out["location"] = {"path": f.location.path, "line": f.location.line,
                           "column": f.location.column}
        if f.location.fact:
            out["location"]["fact"] = f.location.fact
        if f.location.not_stated:
            out["location"]["not_stated"] = True
        out["location"].update(f.location.as_dict())
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
        "describes": list(r.describes),
        "describes_source": r.describes_source,
        "not_assessed": [{"reason": g.reason, "message": g.sentence, "total": g.total,
                          "by_strength": dict(g.counts)} for g in not_assessed_groups(r.findings)],
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
        "errors": [],
    }


def dumps(value: Any, depth: int = 0, open_levels: int = 4) -> str:
    """Indented JSON for the outer levels, one line per object below them.

    `json.dumps(indent=...)` falls back to the pure-Python encoder, which made JSON output the
    largest cost of checking many files; below `open_levels` each finding is encoded by the C
    encoder on one line. Deterministic, so the same input gives the same bytes.
    """
    if depth >= open_levels or not isinstance(value, dict | list) or not value:
        return json.dumps(value, ensure_ascii=False)
    pad = "  " * (depth + 1)
    if isinstance(value, dict):
        inner = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {dumps(v, depth + 1, open_levels)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(inner) + "\n" + "  " * depth + "}"
    items = [pad + dumps(v, depth + 1, open_levels) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"


def render_chunks(results: Iterable[Any], rulesets: Any, as_of: Any,
                  run: Any = None) -> Iterator[str]:
    """The JSON document, one constitution at a time (for large batches); the inputs that
    could not be read (`errors`) and the files skipped come after the results, once known."""
    head = document([], rulesets, as_of)
    del head["results"], head["errors"]
    text = dumps(head)
    yield text[:-2] + ',\n  "results": ['
    first = True
    for r in results:
        yield ("\n" if first else ",\n") + "    " + dumps(result_dict(r), depth=2)
        first = False
    errors = list(run.errors) if run is not None else []
    skipped = list(run.skipped) if run is not None else []
    yield ("\n  ]" if not first else "]") + ',\n  "errors": ' + dumps(errors, depth=1)
    if skipped:
        yield ',\n  "skipped": ' + dumps(skipped, depth=1)
    yield "\n}\n"


def stream(run: Any, rulesets: Any, as_of: Any, **_: Any) -> Iterator[str]:
    """`check --format json`, streamed."""
    return render_chunks(run.results, rulesets, as_of, run)


def render(results: list[Any], rulesets: Any, as_of: Any, **_: Any) -> str:
    """JSON text with a final newline."""
    return "".join(render_chunks(results, rulesets, as_of))

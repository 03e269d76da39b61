"""The ten benchmark rules in Google CEL via cel-python (celpy), compiled once: the CEL peer.

The loaded dict is converted once per document with ``celpy.json_to_cel`` (YAML dates become
ISO strings first, since CEL's JSON mapping has no date type). ``id``, ``role`` and ``type`` are
required by the schema; every optional field is guarded with ``has()``. celpy's default
``InterpretedRunner`` is used: its ``CompiledRunner`` fails on these expressions in 0.5.0
("'Tree' object has no attribute 'checked_exception'").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import celpy
from celpy import celtypes
from celpy.adapter import json_to_cel
from celpy.evaluation import CELEvalError

Doc = dict[str, Any]
Rule = Callable[[Any], bool]


def _count(condition: str) -> str:
    """CEL expression counting board members that satisfy ``condition`` (over ``m``)."""
    return f"size(board.members.filter(m, {condition}))"


def _partner(nominator: str) -> str:
    """CEL expression: some partner member is nominated by ``nominator``."""
    return (
        "board.members.exists(m, m.role == 'partner_member'"
        f" && has(m.nominated_by) && m.nominated_by == '{nominator}')"
    )


SOURCES: dict[str, str] = {
    "SCH1B-3-1-a": _count("m.role == 'chair'") + " == 1",
    "SCH1B-3-1-b": _count("m.role == 'chief_executive'") + " == 1",
    "SCH1B-3-1-c": _count("!(m.role in ['chair', 'chief_executive', 'other'])") + " >= 3",
    "SCH1B-5": (
        "board.members.exists(m, m.role == 'chair') && board.members.all(m, m.role != 'chair'"
        " || (has(m.appointed_by) && m.appointed_by == 'nhs_england'"
        " && has(m.approved_by) && m.approved_by == 'secretary_of_state'))"
    ),
    "SCH1B-8-2-a": _partner("nhs_trusts"),
    "SCH1B-8-2-b": _partner("primary_medical_services"),
    "SCH1B-8-2-c": _partner("local_authorities"),
    "NHSE22-NEM-MIN2": _count("m.role == 'non_executive'") + " >= 2",
    "NHSE22-AUDIT-CHAIR": (
        "committees.exists(c, c.type == 'audit' && has(c.chair)"
        " && board.members.exists(m, m.id == c.chair && m.role == 'non_executive'))"
    ),
    "NHSE22-REM-NOEMP": (
        "committees.all(c, c.type != 'remuneration' || !has(c.members)"
        " || !board.members.exists(m, m.id in c.members"
        " && has(m.icb_employee) && m.icb_employee == true))"
    ),
}


def _wrap(program: celpy.Runner, source: str, strict: bool) -> Rule:
    """Turn a CEL program into a bool callable; an evaluation error (fact not stated) fails.

    ``strict`` re-raises errors and rejects non-bool results (selfcheck uses it so a
    fixture's "fail" is a real false, not a swallowed error).
    """
    evaluate = program.evaluate

    def run(activation: Any) -> bool:
        """Evaluate the compiled program on one prepared activation."""
        try:
            result = evaluate(activation)
        except CELEvalError:
            if strict:
                raise
            return False
        if strict and not isinstance(result, celtypes.BoolType):
            raise TypeError(f"{source!r} gave {result!r}, not a bool")
        return isinstance(result, celtypes.BoolType) and bool(result)

    return run


def compile_rules(*, strict: bool = False) -> dict[str, Rule]:
    """Parse and plan the ten CEL expressions once."""
    env = celpy.Environment()
    return {rid: _wrap(env.program(env.compile(src)), src, strict) for rid, src in SOURCES.items()}


def _jsonable(value: Any) -> Any:
    """Copy a YAML-loaded value into JSON types (dates become ISO strings)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def prepare(doc: Doc) -> dict[str, Any]:
    """Convert one loaded document into a CEL activation (top-level keys become variables)."""
    return {key: json_to_cel(value) for key, value in _jsonable(doc).items()}


_COMPILED: dict[str, Rule] | None = None


def check(doc: Doc) -> dict[str, bool]:
    """Evaluate all ten rules on one loaded document (compiling them on first use)."""
    global _COMPILED
    if _COMPILED is None:
        _COMPILED = compile_rules()
    activation = prepare(doc)
    return {rid: rule(activation) for rid, rule in _COMPILED.items()}

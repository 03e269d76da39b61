"""The ten benchmark rules in rule-engine (zeroSteiner), compiled once: an interpreted peer.

Mapping values are read with ``m['key']`` / ``m&['key']`` (safe navigation for optional keys):
rule-engine 5 deprecates attribute access on mappings, and it is about 4x slower.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rule_engine

Doc = dict[str, Any]
Rule = Callable[[Doc], bool]

_MEMBERS = "board['members']"
_NEDS = f"[m['id'] for m in {_MEMBERS} if m&['role'] == 'non_executive']"


def _count(condition: str) -> str:
    """Rule-engine expression counting board members that satisfy ``condition`` (over ``m``)."""
    return f"[m for m in {_MEMBERS} if {condition}].length"


def _partner(nominator: str) -> str:
    """Rule-engine expression: some partner member is nominated by ``nominator``."""
    return (
        f"$any([m&['role'] == 'partner_member' and m&['nominated_by'] == '{nominator}'"
        f" for m in {_MEMBERS}])"
    )


SOURCES: dict[str, str] = {
    "SCH1B-3-1-a": _count("m&['role'] == 'chair'") + " == 1",
    "SCH1B-3-1-b": _count("m&['role'] == 'chief_executive'") + " == 1",
    "SCH1B-3-1-c": _count("not (m&['role'] in ['chair', 'chief_executive', 'other'])") + " >= 3",
    "SCH1B-5": (
        _count("m&['role'] == 'chair'") + " > 0 and $all(["
        "m&['appointed_by'] == 'nhs_england' and m&['approved_by'] == 'secretary_of_state'"
        f" for m in {_MEMBERS} if m&['role'] == 'chair'])"
    ),
    "SCH1B-8-2-a": _partner("nhs_trusts"),
    "SCH1B-8-2-b": _partner("primary_medical_services"),
    "SCH1B-8-2-c": _partner("local_authorities"),
    "NHSE22-NEM-MIN2": _count("m&['role'] == 'non_executive'") + " >= 2",
    "NHSE22-AUDIT-CHAIR": (
        f"$any([c&['type'] == 'audit' and c&['chair'] in {_NEDS} for c in committees])"
    ),
    "NHSE22-REM-NOEMP": (
        "not $any([$any([m&['icb_employee'] == true and m['id'] in c['members']"
        f" for m in {_MEMBERS}])"
        " for c in committees if c&['type'] == 'remuneration' and c&['members'] != null])"
    ),
}


def _wrap(rule: rule_engine.Rule, strict: bool) -> Rule:
    """Make a compiled rule a bool callable; an evaluation error (fact not stated) fails.

    ``strict`` re-raises errors and rejects non-bool results (selfcheck uses it so a
    fixture's "fail" is a real false, not a swallowed error).
    """
    evaluate = rule.evaluate

    def run(doc: Doc) -> bool:
        """Evaluate the compiled rule on one document."""
        try:
            result = evaluate(doc)
        except rule_engine.EngineError:
            if strict:
                raise
            return False
        if strict and not isinstance(result, bool):
            raise TypeError(f"{rule.text!r} gave {result!r}, not a bool")
        return bool(result)

    return run


def compile_rules(*, strict: bool = False) -> dict[str, Rule]:
    """Compile the ten rule-engine expressions once (unknown top-level keys resolve to null)."""
    context = rule_engine.Context(default_value=None)
    return {
        rid: _wrap(rule_engine.Rule(src, context=context), strict) for rid, src in SOURCES.items()
    }


def prepare(doc: Doc) -> Doc:
    """Return the document unchanged (rule-engine resolves symbols from the dict itself)."""
    return doc


_COMPILED: dict[str, Rule] | None = None


def check(doc: Doc) -> dict[str, bool]:
    """Evaluate all ten rules on one loaded document (compiling them on first use)."""
    global _COMPILED
    if _COMPILED is None:
        _COMPILED = compile_rules()
    return {rid: rule(doc) for rid, rule in _COMPILED.items()}

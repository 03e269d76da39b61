"""The ten benchmark rules as plain Python functions: the speed floor for every other peer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Doc = dict[str, Any]
Rule = Callable[[Doc], bool]

_PARTICIPANT_AND_OFFICERS = frozenset({"chair", "chief_executive", "other"})


def _members(doc: Doc) -> list[dict[str, Any]] | None:
    """Return ``board.members`` or None when it is not stated."""
    board = doc.get("board")
    if not isinstance(board, dict):
        return None
    members = board.get("members")
    return members if isinstance(members, list) else None


def _committees(doc: Doc) -> list[dict[str, Any]] | None:
    """Return ``committees`` or None when it is not stated."""
    committees = doc.get("committees")
    return committees if isinstance(committees, list) else None


def _count_role(doc: Doc, role: str) -> int:
    """Count board members with exactly this role (-1 when the board is not stated)."""
    members = _members(doc)
    if members is None:
        return -1
    return sum(1 for m in members if m.get("role") == role)


def sch1b_3_1_a(doc: Doc) -> bool:
    """Exactly one board member is the chair."""
    return _count_role(doc, "chair") == 1


def sch1b_3_1_b(doc: Doc) -> bool:
    """Exactly one board member is the chief executive."""
    return _count_role(doc, "chief_executive") == 1


def sch1b_3_1_c(doc: Doc) -> bool:
    """At least three ordinary members (not chair, chief executive, or an `other` participant)."""
    members = _members(doc)
    if members is None:
        return False
    return sum(1 for m in members if m.get("role") not in _PARTICIPANT_AND_OFFICERS) >= 3


def sch1b_5(doc: Doc) -> bool:
    """The chair is appointed by NHS England with the Secretary of State's approval."""
    members = _members(doc)
    if members is None:
        return False
    chairs = [m for m in members if m.get("role") == "chair"]
    return bool(chairs) and all(
        m.get("appointed_by") == "nhs_england" and m.get("approved_by") == "secretary_of_state"
        for m in chairs
    )


def _partner_nominated_by(doc: Doc, nominator: str) -> bool:
    """Some partner member is nominated by this group."""
    members = _members(doc)
    if members is None:
        return False
    return any(
        m.get("role") == "partner_member" and m.get("nominated_by") == nominator for m in members
    )


def sch1b_8_2_a(doc: Doc) -> bool:
    """At least one partner member is nominated by NHS trusts and foundation trusts."""
    return _partner_nominated_by(doc, "nhs_trusts")


def sch1b_8_2_b(doc: Doc) -> bool:
    """At least one partner member is nominated by providers of primary medical services."""
    return _partner_nominated_by(doc, "primary_medical_services")


def sch1b_8_2_c(doc: Doc) -> bool:
    """At least one partner member is nominated by the local authorities."""
    return _partner_nominated_by(doc, "local_authorities")


def nhse22_nem_min2(doc: Doc) -> bool:
    """At least two non-executive members."""
    return _count_role(doc, "non_executive") >= 2


def nhse22_audit_chair(doc: Doc) -> bool:
    """An audit committee exists and is chaired by a non-executive board member."""
    members = _members(doc)
    committees = _committees(doc)
    if members is None or committees is None:
        return False
    neds = {m.get("id") for m in members if m.get("role") == "non_executive"}
    return any(c.get("type") == "audit" and c.get("chair") in neds for c in committees)


def nhse22_rem_noemp(doc: Doc) -> bool:
    """No remuneration committee member is an ICB employee."""
    members = _members(doc)
    committees = _committees(doc)
    if members is None or committees is None:
        return False
    employees = {m.get("id") for m in members if m.get("icb_employee") is True}
    return not any(
        mid in employees
        for c in committees
        if c.get("type") == "remuneration"
        for mid in c.get("members") or ()
    )


RULES: dict[str, Rule] = {
    "SCH1B-3-1-a": sch1b_3_1_a,
    "SCH1B-3-1-b": sch1b_3_1_b,
    "SCH1B-3-1-c": sch1b_3_1_c,
    "SCH1B-5": sch1b_5,
    "SCH1B-8-2-a": sch1b_8_2_a,
    "SCH1B-8-2-b": sch1b_8_2_b,
    "SCH1B-8-2-c": sch1b_8_2_c,
    "NHSE22-NEM-MIN2": nhse22_nem_min2,
    "NHSE22-AUDIT-CHAIR": nhse22_audit_chair,
    "NHSE22-REM-NOEMP": nhse22_rem_noemp,
}


def compile_rules() -> dict[str, Rule]:
    """Return the rule callables (nothing to compile; same interface as the other peers)."""
    return dict(RULES)


def prepare(doc: Doc) -> Doc:
    """Return the document unchanged (plain Python reads the loaded dict directly)."""
    return doc


def check(doc: Doc) -> dict[str, bool]:
    """Evaluate all ten rules on one loaded document."""
    return {rule_id: rule(doc) for rule_id, rule in RULES.items()}

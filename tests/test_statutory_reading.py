"""The statutory rules read the Act as the legal audit does (shared/docs/legal-audit.md): a
prohibition is not a mandate, only some secondees count as employees, a forward plan is due
every year, and the parts of a rule that are NHS England policy fail only the policy rules."""

from __future__ import annotations

import datetime
from typing import Any

from ics_rules.engine import evaluate
from ics_rules.loader import LoadedConstitution, parse_data, validate
from ics_rules.ruletests import apply_changes

from .conftest import EXAMPLE

AS_OF = datetime.date(2026, 1, 1)


def findings(changes: dict[str, Any], rulesets: Any) -> dict[str, Any]:
    """Rule ID -> finding on the example changed as given."""
    base, positions = parse_data(EXAMPLE.read_text(), str(EXAMPLE), "yaml")
    data = apply_changes(base, changes)
    facts = validate(data, positions, "changed.yaml", "")
    c = LoadedConstitution(data=facts, path="changed.yaml", sha256="", positions=positions)
    return {f.rule: f for f in evaluate(c, rulesets, AS_OF).findings}


def test_silence_on_removing_the_chair_is_lawful_but_a_board_power_contradicts(
        rulesets: Any) -> None:
    silent = findings({"remove": ["board.members[chair].removable_by",
                                  "board.members[chair].removal_approved_by"]}, rulesets)
    assert silent["SCH1B-6"].outcome == "pass"
    board = findings({"set": {"board.members[chair].removable_by": "board"}}, rulesets)
    assert board["SCH1B-6"].outcome == "fail"
    assert board["SCH1B-6"].basis == "contradicts"
    unapproved = findings({"remove": ["board.members[chair].removal_approved_by"]}, rulesets)
    assert unapproved["SCH1B-6"].outcome == "fail"
    assert unapproved["SCH1B-6"].basis == "silent"


def test_only_a_qualifying_secondee_may_be_chief_executive(rulesets: Any) -> None:
    def ceo(origin: str) -> str:
        got = findings({"set": {"board.members[ceo].icb_employee": False,
                                "board.members[ceo].secondee": True,
                                "board.members[ceo].seconded_from": origin}}, rulesets)
        return str(got["SCH1B-7-2"].outcome)

    assert ceo("civil_service") == "pass"
    assert ceo("listed_employer") == "pass"
    assert ceo("other") == "fail"


def test_policy_parts_fail_only_the_policy_rules(rulesets: Any) -> None:
    got = findings({"remove": ["committees[remuneration]"],
                    "set": {"governance.transparency.minutes_published": False,
                            "governance.standing_orders": False}}, rulesets)
    failing = {r: f.strength for r, f in got.items() if f.outcome == "fail"}
    assert "SCH1B-EMP" not in failing and "SCH1B-11-2" not in failing
    assert "SCH1B-PROC" not in failing
    assert failing["NHSE22-REM-EXISTS"] == "policy"
    assert failing["NHSE22-PUBLIC-MEETINGS"] == "policy"
    assert failing["NHSE22-SO-SFI-SORD"] == "policy"


def test_a_forward_plan_is_due_every_year(rulesets: Any) -> None:
    stale = findings({"set": {"plans.joint_forward_plan.published": "2023-06-30"}}, rulesets)
    assert stale["NHSA06-PLAN"].outcome == "fail"
    assert findings({}, rulesets)["NHSA06-PLAN"].outcome == "pass"

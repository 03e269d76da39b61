"""The bundled merger: two predecessor ICBs and their successor. `diff` of a predecessor
against the successor shows the change of area, of local authority partner members and of
places; the rules that need the ICB's area read the merged area."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from ics_rules.diff import compare
from ics_rules.engine import evaluate
from ics_rules.loader import load_constitution, parse_constitution

from .conftest import ROOT, run_cli

MERGER = ROOT / "constitutions" / "merger"
SUCCESSOR = MERGER / "northmoor-and-southdale.yaml"
PREDECESSORS = [MERGER / "northmoor.yaml", MERGER / "southdale.yaml"]
DAY = datetime.date(2026, 6, 1)


def _ids(items: Any) -> set[str]:
    return {x["id"] for x in items or []}


def _la_partners(data: dict[str, Any]) -> set[str]:
    return {m["id"] for m in data["board"]["members"] if m.get("nominated_by") ==
            "local_authorities"}


@pytest.mark.parametrize("path", [*PREDECESSORS, SUCCESSOR], ids=lambda p: p.name)
def test_every_merger_file_passes(path: Path, rulesets: Any) -> None:
    for day in (datetime.date(2026, 1, 1), DAY):
        result = evaluate(load_constitution(path), rulesets, day)
        assert not result.failures(), [(f.rule, f.message) for f in result.failures()]


def test_successor_area_is_the_union_of_its_predecessors() -> None:
    succ = load_constitution(SUCCESSOR).data
    merged: set[str] = set()
    for p in PREDECESSORS:
        merged |= _ids(load_constitution(p).data["icb"]["area"]["local_authorities"])
    assert _ids(succ["icb"]["area"]["local_authorities"]) == merged


@pytest.mark.parametrize("path", PREDECESSORS, ids=lambda p: p.name)
def test_diff_shows_area_partner_members_and_places(path: Path, rulesets: Any) -> None:
    old, new = load_constitution(path), load_constitution(SUCCESSOR)
    d = compare(old, new, rulesets, DAY)
    added = {f.path for f in d.facts_of_kind("added")}
    removed = {f.path for f in d.facts_of_kind("removed")}
    changed = {f.path for f in d.facts_of_kind("changed")}
    # the area: the other predecessor's councils are added, and the description changes
    new_las = _ids(new.data["icb"]["area"]["local_authorities"]) - \
        _ids(old.data["icb"]["area"]["local_authorities"])
    assert new_las
    for la in new_las:
        assert f"icb.area.local_authorities[{la}].id" in added
        assert f"icb.area.local_authorities[{la}].social_care_responsibility" in added
    assert "icb.area.description" in changed
    assert {"partnership.established_by", "partnership.members"} <= changed
    # local authority partner members
    gone, came = _la_partners(old.data) - _la_partners(new.data), \
        _la_partners(new.data) - _la_partners(old.data)
    assert gone or came
    for m in gone:
        assert f"board.members[{m}].nominated_by" in removed
    for m in came:
        assert f"board.members[{m}].nominated_by" in added
    # places
    new_places = _ids(new.data["places"]) - _ids(old.data["places"])
    assert new_places
    for p in new_places:
        assert f"places[{p}].local_authorities" in added
    assert not d.of_kind("newly_failing")
    proc = run_cli("diff", str(path), str(SUCCESSOR), "--as-of", DAY.isoformat(), "--format",
                   "json")
    assert proc.returncode == 0, proc.stderr


def test_rules_on_the_area_read_the_merged_area(rulesets: Any) -> None:
    text = SUCCESSOR.read_text()
    assert "riverton-bc, healthwatch" in text
    # the partnership forgets a council that came from the other predecessor
    forgetful = text.replace("fenwick-cc, southdale-cc, riverton-bc]",
                             "fenwick-cc, southdale-cc]").replace(
        "southdale-cc, riverton-bc, healthwatch", "southdale-cc, healthwatch")
    assert forgetful.count("riverton-bc") == text.count("riverton-bc") - 2
    result = evaluate(parse_constitution(forgetful, "forgetful.yaml"), rulesets, DAY)
    failing = {f.rule: f for f in result.failures()}
    assert {"LGPIHA07-116ZA-1", "LGPIHA07-116ZA-2"} <= set(failing)
    for rule in ("LGPIHA07-116ZA-1", "LGPIHA07-116ZA-2"):
        missing = [m for c in failing[rule].evidence["checks"] for m in c.get("missing", [])]
        assert missing == ["riverton-bc"]
    # and the same partnership was complete for the predecessor whose area it covered
    north = load_constitution(PREDECESSORS[0])
    assert "riverton-bc" not in north.text
    assert not evaluate(north, rulesets, DAY).failures()

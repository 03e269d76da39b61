"""`explain RULE FILE`: every rule on the example and on each broken file is explained without
error, in words free of rules-language syntax; exit status as `check` would give."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ics_rules.explainer_view import explain_rule, words
from ics_rules.loader import load_constitution
from ics_rules.report.explain_text import render

from .conftest import AS_OF, EXAMPLE, ROOT, run_cli
from .test_examples import BROKEN

SYNTAX = re.compile(r"[\[\]{}]|\b(count|len|exists|stated|the|every|some)\(|!=|>=|<=|=")
CHAIR = ROOT / "constitutions" / "broken" / "chair-removable-by-board.yaml"


@pytest.mark.parametrize("path", [EXAMPLE, *BROKEN], ids=["example", *[p.name for p in BROKEN]])
def test_every_rule_explained_in_plain_words(path: Path, rulesets: Any) -> None:
    c = load_constitution(path)
    for cr in rulesets.rules():
        e = explain_rule(cr.id, c, rulesets, AS_OF)
        text = render(e)
        assert text.startswith(f"{cr.id}: "), text
        assert "The requirement" in text and "What the rule reads" in text
        bad = [line for line in text.splitlines() if SYNTAX.search(line)]
        assert not bad, f"{cr.id} on {path.name}: {bad}"
        if e.outcome == "fail":
            assert e.facts or e.why[1:], f"{cr.id}: a failure names no fact"
            assert e.fix, f"{cr.id}: nothing says what would make it pass"


def test_failure_names_source_fact_line_and_fix() -> None:
    proc = run_cli("explain", "sch1b-6", str(CHAIR), "--as-of", "2026-01-01")
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert out.startswith("SCH1B-6: ")
    assert "NHS Act 2006, Sch. 1B, para. 6" in out
    assert "https://www.legislation.gov.uk/ukpga/2006/41/schedule/1B" in out
    assert "board member chair: removable by: board (line 42, column 7)" in out
    assert "Board member chair: removable by: board; required: nhs_england." in out
    assert "What would make it pass" in out


def test_pass_and_related_rules() -> None:
    proc = run_cli("explain", "NHSE22-AUDIT-CHAIR", str(EXAMPLE), "--as-of", "2026-01-01")
    assert proc.returncode == 0, proc.stderr
    assert "Met on" in proc.stdout and "Why it passes" in proc.stdout
    assert "Related rules" in proc.stdout and "NHSE22-AUDIT-EXISTS" in proc.stdout
    assert re.search(r"committee audit: chair: ned-audit \(line \d+", proc.stdout)
    assert "expertise: finance, audit" in proc.stdout


def test_exit_status_follows_fail_on(tmp_path: Path, example_text: str) -> None:
    f = tmp_path / "renamed.yaml"
    f.write_text(example_text.replace("name: NHS Example Integrated Care Board",
                                      "name: Example Health Board"))
    assert run_cli("explain", "SCH1B-2-a-FORM", str(f), "--as-of", "2026-01-01").returncode == 0
    assert run_cli("explain", "SCH1B-2-a-FORM", str(f), "--as-of", "2026-01-01",
                   "--fail-on", "warning").returncode == 1


def test_rule_not_in_force_on_the_date() -> None:
    proc = run_cli("explain", "SCH1B-6", str(CHAIR), "--as-of", "2020-01-01")
    assert proc.returncode == 0
    assert "Not in force" in proc.stdout and "2022-07-01" in proc.stdout


def test_unknown_rule_suggests_one() -> None:
    proc = run_cli("explain", "sch1b-66", str(EXAMPLE))
    assert proc.returncode == 2
    assert "no rule 'sch1b-66'" in proc.stderr and "did you mean 'SCH1B-" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = run_cli("explain", "SCH1B-6", str(EXAMPLE.parent / "missing.yaml"))
    assert proc.returncode == 2 and "missing.yaml" in proc.stderr


def test_control_characters_never_reach_the_terminal(tmp_path: Path, example_text: str) -> None:
    f = tmp_path / "hostile.yaml"
    f.write_text(example_text.replace("name: NHS Example Integrated Care Board",
                                      'name: "Example \\e[31mRed\\e[0m Board"'))
    proc = run_cli("explain", "SCH1B-2-a-FORM", str(f), "--as-of", "2026-01-01")
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "Red" in proc.stdout


def test_words_rewrites_the_file_notation() -> None:
    data = {"places": [{"id": "west", "governance": None}]}
    assert words("not stated: places[0].governance", data) == \
        "not stated: place west: governance"
    assert words("not stated: places[west].governance", data) == \
        "not stated: place west: governance"
    assert words("the places[].functions it decides", data) == "the places functions it decides"
    assert words("expertise: [finance] or [audit]", data) == "expertise: finance or audit"


def test_sample_in_the_docs_is_real_output() -> None:
    doc = (ROOT / "docs" / "amendments.md").read_text()
    sample = doc.split("```text\n", 1)[1].split("```", 1)[0]
    proc = run_cli("explain", "SCH1B-6", str(CHAIR.relative_to(ROOT)), "--as-of", "2026-01-01")
    actual = proc.stdout.splitlines()
    for line in sample.splitlines():
        if line.strip() != "...":
            assert line in actual, line


def test_describes_makes_a_rule_not_assessed() -> None:
    broken = ROOT / "constitutions" / "broken" / "mental-health-trust-outside-collaboratives.yaml"
    args = ["explain", "pc21-acute-mh", str(broken), "--as-of", "2026-01-01"]
    assert run_cli(*args).returncode == 1
    proc = run_cli(*args, "--describes", "constitution")
    assert proc.returncode == 0, proc.stderr
    assert "Not assessed on" in proc.stdout and "wider system" in proc.stdout

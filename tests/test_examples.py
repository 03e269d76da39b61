"""The bundled constitutions: the compliant example passes everything, each broken example
fails exactly the rules its header lists, the draft fails only for facts not stated, and the
real ICBs pass every statutory rule (any other failure is recorded in the file as a finding)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest

from ics_rules.engine import evaluate
from ics_rules.loader import load_constitution

from .conftest import ROOT, run_cli

AS_OF = datetime.date(2026, 1, 1)
BROKEN = sorted((ROOT / "constitutions" / "broken").glob("*.yaml"))
REAL = sorted((ROOT / "constitutions" / "real").glob("*.yaml"))


def declared_breaks(path: Path) -> set[str] | None:
    m = re.search(r"^# breaks: (.*)$", path.read_text(), re.M)
    assert m, f"{path.name} has no '# breaks:' line"
    if m.group(1).strip().startswith("every rule"):
        return None
    return {r.strip() for r in m.group(1).split(",") if r.strip()}


@pytest.mark.parametrize("path", BROKEN, ids=[p.name for p in BROKEN])
def test_broken_example_fails_exactly_its_rules(path: Path, rulesets: Any) -> None:
    result = evaluate(load_constitution(path), rulesets, AS_OF)
    failing = {f.rule for f in result.findings if f.outcome == "fail"}
    expected = declared_breaks(path)
    if expected is None:
        assert failing
        for f in result.findings:
            if f.outcome == "fail":
                assert f.evidence.get("not_stated") or "not stated" in f.message, f
        return
    assert failing == expected, "\n".join(f"{f.rule}: {f.message}" for f in result.findings
                                          if f.outcome == "fail")


def test_broken_examples_exit_1_naming_rules() -> None:
    for path in BROKEN:
        proc = run_cli("check", str(path), "--as-of", "2026-01-01")
        assert proc.returncode == 1, path
        expected = declared_breaks(path) or set()
        for rule in expected:
            assert f" {rule}: " in proc.stdout


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_icb_passes_every_statutory_rule(path: Path, rulesets: Any) -> None:
    result = evaluate(load_constitution(path), rulesets, AS_OF)
    statutory = [f for f in result.findings if f.outcome == "fail" and f.strength == "statutory"]
    assert not statutory, "\n".join(f"{f.rule}: {f.message}" for f in statutory)
    text = path.read_text()
    for f in result.findings:
        if f.outcome == "fail":
            assert f"finding: {f.rule}" in text, f"{path.name}: {f.rule} fails ({f.message}) " \
                                                 "but the file records no '# finding:' for it"


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_icb_finding_records_are_true(path: Path, rulesets: Any) -> None:
    """`# finding: R` fails as the file is described; `# finding (not assessed): R` is not
    assessed there and fails once the file is taken to describe the whole system."""
    text = path.read_text()
    result = evaluate(load_constitution(path), rulesets, AS_OF)
    wider = evaluate(load_constitution(path), rulesets, AS_OF,
                     describes=("constitution", "icb", "system"))
    outcome = {f.rule: f.outcome for f in result.findings}
    wide = {f.rule: f.outcome for f in wider.findings}
    for rule in re.findall(r"# finding: ([A-Z][A-Z0-9-]+)", text):
        assert outcome[rule] == "fail", f"{path.name}: '# finding: {rule}' but it {outcome[rule]}"
    for rule in re.findall(r"# finding \(not assessed\): ([A-Z][A-Z0-9-]+)", text):
        assert (outcome[rule], wide[rule]) == ("not_assessed", "fail"), (path.name, rule)


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_icb_assumes_nothing_outside_the_constitution(path: Path, rulesets: Any) -> None:
    """No `# assumed:` fact is read only by rules whose evidence lies outside the constitution:
    removing any one of them changes no such rule's outcome (the file describes the
    constitution only, so nothing there may be assumed)."""
    from ics_rules.loader import parse_constitution

    text = path.read_text()
    assert re.search(r"^describes: \[constitution\]", text, re.M)
    lines = text.split("\n")
    everything = ("constitution", "icb", "system")
    evidence = {r.id: r.rule.evidence for r in rulesets.rules()}

    def outcomes(src: str) -> dict[str, str]:
        res = evaluate(parse_constitution(src, path.name), rulesets, AS_OF, describes=everything)
        return {f.rule: f.outcome for f in res.findings}

    base = outcomes(text)
    for i, line in enumerate(lines):
        if "# assumed:" not in line or line.lstrip().startswith(("#", "- ")) or \
                line.rstrip().split("#")[0].rstrip().endswith(":"):
            continue  # comments, list items and blocks: only single-line facts are tried
        got = outcomes("\n".join(lines[:i] + lines[i + 1:]))
        changed = {r for r in base if got[r] != base[r]}
        assert not changed or "constitution" in {evidence[r] for r in changed}, \
            f"{path.name}:{i + 1}: assumed fact only serves {sorted(changed)}"


def test_there_are_five_real_icbs() -> None:
    assert len(REAL) >= 5
    for path in REAL:
        head = path.read_text()[:4000].lower()
        assert "source" in head and "assumed" in head

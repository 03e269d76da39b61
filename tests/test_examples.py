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


def test_there_are_five_real_icbs() -> None:
    assert len(REAL) >= 5
    for path in REAL:
        head = path.read_text()[:4000].lower()
        assert "source" in head and "assumed" in head

"""The generated documentation is up to date, and every catalogued requirement is either a
rule or has a recorded reason (the coverage table of issue 3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ics_rules.docgen import coverage_table, rule_reference

from .conftest import ROOT

CATALOGUE = ROOT.parent / "shared" / "docs" / "requirements.md"


def test_rule_reference_is_current(rulesets: Any) -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == rule_reference(rulesets), "run: python -m ics_rules.docgen"


@pytest.mark.skipif(not CATALOGUE.exists(), reason="the shared catalogue is not beside the repo")
def test_coverage_table_is_current_and_complete(rulesets: Any) -> None:
    reasons = yaml.safe_load((ROOT / "docs" / "coverage-reasons.yaml").read_text()) or {}
    table, missing = coverage_table(rulesets, CATALOGUE.read_text(encoding="utf-8"), reasons)
    assert not missing, f"catalogue entries with neither a rule nor a reason: {missing}"
    assert (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8") == table, \
        "run: python -m ics_rules.docgen"
    rule_ids = {r.id for r in rulesets.rules()}
    stale = [cid for cid in reasons if cid in rule_ids]
    assert not stale, f"reasons recorded for requirements that now have rules: {stale}"


def test_every_rule_cites_and_has_message(rulesets: Any) -> None:
    for r in rulesets.rules():
        assert r.rule.cites and r.citation
        assert r.rule.message is not None, f"{r.id} has no message"
        assert r.rule.topic, f"{r.id} has no topic"


def test_docs_exist() -> None:
    for name in ("rules-language.md", "rules.md", "coverage.md"):
        assert (Path(ROOT) / "docs" / name).exists()

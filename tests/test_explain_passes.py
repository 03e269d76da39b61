"""Passes explained only where they are shown: without it, outcomes and failures are the
same, passes carry no evidence, and text and SARIF output are byte-identical."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from .conftest import EXAMPLE, ROOT

BROKEN = sorted((ROOT / "constitutions" / "broken").glob("*.yaml"))
DAY = datetime.date(2026, 1, 1)


@pytest.mark.parametrize("path", [EXAMPLE, *BROKEN], ids=lambda p: Path(p).name)
def test_same_outcomes_and_failures(path: Path, rulesets: object) -> None:
    from ics_rules.engine import evaluate
    from ics_rules.loader import load_constitution

    c = load_constitution(str(path))
    full = evaluate(c, rulesets, DAY)
    bare = evaluate(c, rulesets, DAY, explain_passes=False)
    assert [(f.rule, f.outcome, f.message) for f in full.findings] == \
        [(f.rule, f.outcome, f.message) for f in bare.findings]
    assert [f for f in full.findings if f.outcome == "fail"] == \
        [f for f in bare.findings if f.outcome == "fail"]
    passes = [f for f in bare.findings if f.outcome == "pass"]
    assert passes and all(not f.evidence and f.location is None for f in passes)
    assert any(f.location is not None for f in full.findings if f.outcome == "pass")


@pytest.mark.parametrize("fmt", ["text", "sarif"])
def test_outputs_that_show_no_passes_do_not_change(fmt: str, monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ics_rules import cli

    assert not cli._shows_passes(fmt, False)
    assert cli._shows_passes("json", False) and cli._shows_passes("junit", False)
    args = ["check", *map(str, BROKEN), "--as-of", DAY.isoformat(), "--format", fmt,
            "--jobs", "1"]
    monkeypatch.setenv("ICS_RULES_CACHE_DIR", str(tmp_path))
    bare = CliRunner().invoke(cli.cli, args)
    monkeypatch.setattr(cli, "_shows_passes", lambda fmt, verbose: True)
    full = CliRunner().invoke(cli.cli, args)
    assert bare.exit_code == full.exit_code == 1
    assert bare.output and bare.output == full.output

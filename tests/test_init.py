"""`ics-rules init`: a starter with the user's facts and a TODO for every fact the law and
policy ask for, none of which passes a rule; `--example` keeps the full example; `check`
warns about the example's own values left in a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ics_rules.cli import cli

from .conftest import EXAMPLE, run_cli

FACTS = ["--name", "NHS Northmoor Integrated Care Board", "--local-authority",
         "Northmoor County Council", "--local-authority", "Eastport City Council",
         "--member", "chair=Jane Smith", "--member", "chief_executive=Sam Lee"]


def _check_json(path: Path) -> tuple[int, dict[str, str]]:
    proc = run_cli("check", str(path), "--as-of", "2026-01-01", "--format", "json")
    data = json.loads(proc.stdout)
    result = data["results"][0] if "results" in data else data
    return proc.returncode, {f["rule"]: f["outcome"] for f in result["findings"]}


def test_starter_holds_the_facts_and_todos_that_check_reports(tmp_path: Path) -> None:
    target = tmp_path / "northmoor.yaml"
    proc = run_cli("init", *FACTS, "-o", str(target), input_text="")
    assert proc.returncode == 0, proc.stderr
    text = target.read_text()
    assert "name: NHS Northmoor Integrated Care Board" in text
    assert "id: eastport-city-council" in text and "name: Jane Smith" in text
    assert text.count("# TODO") > 50
    assert "# yaml-language-server: $schema=" in text
    code, outcomes = _check_json(target)
    assert code == 1
    # facts the user gave pass; the TODOs are reported, never passed for them
    assert outcomes["SCH1B-2-a"] == "pass"
    for rule in ("SCH1B-8-chair-approval", "SCH1B-7-2", "SCH1B-PUBLISH", "SCH1B-VAR"):
        assert outcomes[rule] == "fail", rule
    passing = {r for r, o in outcomes.items() if o == "pass"}
    _, example_outcomes = _check_json(EXAMPLE)
    assert len(passing) < 15 < sum(o == "pass" for o in example_outcomes.values())


def test_no_terminal_asks_nothing_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    first = run_cli("init", "-o", str(target), input_text="")
    assert first.returncode == 0 and "legal name" not in first.stderr.split("wrote")[0]
    assert "icb:\n  name:  # TODO" in target.read_text()
    target.write_text("mine\n")
    again = run_cli("init", *FACTS, "-o", str(target))
    assert again.returncode == 2 and "already exists" in again.stderr
    assert target.read_text() == "mine\n"


def test_init_asks_at_a_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    answers = "NHS Westfold Integrated Care Board\nWestfold Council\nchair=Ann Bell\n"
    target = tmp_path / "w.yaml"
    monkeypatch.setattr("ics_rules.cli._stdin_is_terminal", lambda: True)
    result = CliRunner().invoke(cli, ["init", "-o", str(target)], input=answers)
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert "name: NHS Westfold Integrated Care Board" in text
    assert "name: Westfold Council" in text and "name: Ann Bell" in text


def test_bad_member_role_is_a_usage_error() -> None:
    proc = run_cli("init", "--member", "boss=Ann")
    assert proc.returncode == 2 and "the role must be one of chair" in proc.stderr


def test_init_example_is_the_full_example() -> None:
    proc = run_cli("init", "--example")
    assert proc.returncode == 0 and proc.stdout == EXAMPLE.read_text()


def test_check_warns_about_the_examples_own_values(tmp_path: Path) -> None:
    copy = tmp_path / "ours.yaml"
    copy.write_text(EXAMPLE.read_text())
    proc = run_cli("check", str(copy), "--as-of", "2026-01-01")
    assert "warning: still holds the example's own values" in proc.stderr
    assert "NHS Example Integrated Care Board" in proc.stderr
    plain = run_cli("check", str(EXAMPLE), "--as-of", "2026-01-01")
    assert "example's own values" not in plain.stderr
    # the source tree's example, checked with an installed copy of the package (the
    # README's first command): the same file under its own name is not a user's copy
    tree = tmp_path / "tree" / "constitutions"
    tree.mkdir(parents=True)
    (tree / "example.yaml").write_text(EXAMPLE.read_text())
    same = run_cli("check", str(tree / "example.yaml"), "--as-of", "2026-01-01")
    assert "example's own values" not in same.stderr

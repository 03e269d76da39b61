"""`check --baseline` / `--write-baseline`: a baseline written from a broken file, then the
file with a second mistake, reports only the second; moving text around reports nothing new."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import ROOT, run_cli
from .test_diff import _swap_blocks
from .test_examples import BROKEN

CHAIR = ROOT / "constitutions" / "broken" / "chair-removable-by-board.yaml"
REMUNERATION = ROOT / "constitutions" / "broken" / "remuneration-with-employee.yaml"
DAY = ("--as-of", "2026-01-01")


def failing(proc_stdout: str) -> set[str]:
    doc = json.loads(proc_stdout)
    return {f["rule"] for r in doc["results"] for f in r["findings"] if f["outcome"] == "fail"}


def test_only_the_second_mistake_is_reported(tmp_path: Path) -> None:
    c = tmp_path / "c.yaml"
    c.write_text(CHAIR.read_text())
    base = tmp_path / "baseline.json"
    proc = run_cli("check", str(c), *DAY, "--write-baseline", str(base))
    assert proc.returncode == 0, proc.stderr  # every finding is now in the baseline
    assert "SCH1B-6" in proc.stdout and f"wrote the baseline {base}" in proc.stderr
    assert run_cli("check", str(c), *DAY, "--baseline", str(base)).returncode == 0
    c.write_text(c.read_text().replace("    members: [ned-2, ned-audit]\n",
                                       "    members: [ned-2, ned-audit, cfo]\n"))
    proc = run_cli("check", str(c), *DAY, "--baseline", str(base), "--format", "json")
    assert proc.returncode == 1
    assert failing(proc.stdout) == {"NHSE22-REM-NOEMP"}
    assert "already in the baseline" in json.dumps(json.loads(proc.stdout)["results"][0]["notes"])
    text = run_cli("check", str(c), *DAY, "--baseline", str(base)).stdout
    assert " NHSE22-REM-NOEMP: " in text and " SCH1B-6: " not in text


def _moved(text: str) -> str:
    """The same constitution with lines moved: items reordered, a section moved to the end,
    a flow list reordered."""
    text = _swap_blocks(text, "    - id: chair", "    - id: ned-2")
    text = _swap_blocks(text, "  - id: audit", "  - id: exampleshire-place-committee")
    text = _swap_blocks(text, "  - id: example-hospitals", "  - id: example-community")
    m = re.search(r"^vcse:\n(?:  .*\n|\n)*", text, re.M)
    assert m
    text = text[:m.start()] + text[m.end():] + "\n" + m.group(0)
    return text.replace("members: [ned-2, ned-audit, cfo]", "members: [cfo, ned-audit, ned-2]")


@pytest.mark.parametrize("path", BROKEN, ids=[p.name for p in BROKEN])
def test_moving_lines_reports_nothing_new(path: Path, tmp_path: Path) -> None:
    c = tmp_path / "c.yaml"
    text = path.read_text()
    c.write_text(text)
    base = tmp_path / "baseline.json"
    assert run_cli("check", str(c), *DAY, "--write-baseline", str(base)).returncode == 0
    if "\nboard:" in text:
        c.write_text(_moved(text))
        assert c.read_text() != text
    proc = run_cli("check", str(c), *DAY, "--baseline", str(base), "--format", "json")
    assert proc.returncode == 0, proc.stdout
    assert failing(proc.stdout) == set()


def test_plain_json_results_work_as_a_baseline(tmp_path: Path) -> None:
    base = tmp_path / "results.json"
    proc = run_cli("check", str(REMUNERATION), *DAY, "--format", "json", "-o", str(base))
    assert proc.returncode == 1
    assert run_cli("check", str(REMUNERATION), *DAY, "--baseline", str(base)).returncode == 0
    assert run_cli("check", str(CHAIR), *DAY, "--baseline", str(base)).returncode == 1


def test_baseline_files_are_inputs(tmp_path: Path) -> None:
    base = tmp_path / "b.json"
    assert run_cli("check", str(CHAIR), *DAY, "--write-baseline", str(base)).returncode == 0
    before = base.read_bytes()
    proc = run_cli("check", str(CHAIR), *DAY, "--baseline", str(base), "--write-baseline",
                   str(base))
    assert proc.returncode == 2 and "refusing" in proc.stderr
    assert base.read_bytes() == before
    proc = run_cli("check", str(CHAIR), *DAY, "--write-baseline", str(CHAIR))
    assert proc.returncode == 2 and "refusing" in proc.stderr
    again = tmp_path / "again.json"
    run_cli("check", str(CHAIR), *DAY, "--write-baseline", str(again))
    assert again.read_bytes() == before  # byte-identical for the same run


@pytest.mark.parametrize(("content", "words"), [
    ("{\"results\": ", "not valid JSON"),
    ("[1, 2]", "not a results file"),
    ("{\"results\": [{\"icb\": 3}]}", "results[0]"),
])
def test_unusable_baseline_is_a_located_error(tmp_path: Path, content: str, words: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    proc = run_cli("check", str(CHAIR), "--baseline", str(bad))
    assert proc.returncode == 2 and words in proc.stderr and str(bad) in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = run_cli("check", str(CHAIR), "--baseline", str(tmp_path / "none.json"))
    assert proc.returncode == 2 and "no such file" in proc.stderr

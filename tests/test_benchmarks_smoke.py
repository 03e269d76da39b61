"""Smoke tests of benchmarks/: every bench script runs with --quick, exits 0 and writes its JSON.

The peers (benchmarks/.peers, made by benchmarks/setup.sh) are used when installed; without
them each script must still run and report ics-rules' own figures, which the --no-peers runs
check either way. Figures go to a temp dir, never over benchmarks/out. About 30 s in all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
PEERS = (BENCH / ".peers" / "venv" / "bin" / "python").exists()


def run_bench(script: str, out: Path, *extra: str) -> dict[str, Any]:
    """Run one bench script with --quick; assert it exits 0; return its JSON."""
    proc = subprocess.run(
        [sys.executable, str(BENCH / f"{script}.py"), "--quick", "--out-dir", str(out), *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, f"{script} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    path = out / f"{script}.json"
    assert path.is_file(), f"{script} wrote no {path}\n{proc.stdout}"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["environment"]["python"]
    for row in data["results"]:
        assert row["runs"] >= 1 and row["median_ms"] > 0, row
    return data


def names(data: dict[str, Any]) -> list[str]:
    return [r["name"] for r in data["results"]]


def test_ten_rules_lint_and_tests() -> None:
    for sub in (["rules", "lint"], ["rules", "test"]):
        proc = subprocess.run([sys.executable, "-m", "ics_rules", *sub, str(BENCH / "ten.rules")],
                              cwd=ROOT, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_bench_cli(tmp_path: Path) -> None:
    data = run_bench("bench_cli", tmp_path)
    got = names(data)
    assert "ics-rules check (python -m, warm cache)" in got
    assert "ics-rules check (cold cache)" in got
    assert "ics-rules check (installed wheel, empty cache)" in got or \
        "ics-rules installed wheel" in {s["what"] for s in data["skipped"]}
    if PEERS:
        assert "spectral lint (ten rules)" in got and "check-jsonschema (schema only)" in got
    else:
        assert {s["what"] for s in data["skipped"]} >= {"spectral", "check-jsonschema"}


@pytest.mark.parametrize("no_peers", [False, True] if PEERS else [True])
def test_bench_eval(tmp_path: Path, no_peers: bool) -> None:
    data = run_bench("bench_eval", tmp_path, *(["--no-peers"] if no_peers else []))
    got = names(data)
    assert "ics-rules closures (ten rules, fresh Ctx)" in got
    assert "ics-rules evaluate (ten.rules)" in got
    assert any(n.startswith("ics-rules evaluate (all bundled") and "passes not explained" in n
               for n in got)
    if no_peers:
        assert "rule-engine" not in got and data["skipped"]
    else:
        assert "rule-engine" in got and "cel-python (prepared activation)" in got


def test_bench_scale(tmp_path: Path) -> None:
    data = run_bench("bench_scale", tmp_path)
    assert names(data) == ["N=1 jobs=1", "N=10 jobs=1"]
    assert data["results"][1]["meta"]["files"] == 10
    assert data["results"][1]["peak_rss_kib"]


def test_bench_report(tmp_path: Path) -> None:
    # PDF rendering takes seconds; the real run times it. An unknown extension checks that a
    # format ics-rules does not offer is skipped without failing the script.
    data = run_bench("bench_report", tmp_path, "--formats", "json,html,nosuchformat")
    assert "ics-rules report -o out.json" in names(data)
    assert [s["what"] for s in data["skipped"]] == ["ics-rules report -o out.nosuchformat"]


def test_bench_documents(tmp_path: Path) -> None:
    pytest.importorskip("lxml")
    pytest.importorskip("weasyprint")
    pytest.importorskip("ics_rules.documents.facts")
    data = run_bench("bench_documents", tmp_path)
    got = names(data)
    assert any(n.startswith("extract docx") for n in got), got
    assert any(n.startswith("extract pdf-tagged") for n in got), got
    assert {t["name"] for t in data["targets"]} == {n for n in got if n.startswith("extract")}

"""`--jobs`: a batch evaluated on several processes gives exactly the output of one, in input
order, with a broken file's error (and its location) carried back from the worker."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from ics_rules import batch

from .conftest import EXAMPLE, run_cli

N = batch.CHUNK * 3 + 5  # several chunks, the last one short


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("batch")
    text = EXAMPLE.read_text(encoding="utf-8")
    for i in range(N):
        body = text.replace("NHS Example Integrated Care Board",
                            f"NHS Example {i:03d} Integrated Care Board")
        if i % 7 == 3:  # a real finding in some files
            body = body.replace("removable_by: nhs_england", "removable_by: board", 1)
        (out / f"c{i:03d}.yaml").write_text(body, encoding="utf-8")
    (out / "c020.yaml").write_text("schema: ics-constitution/1\nicb:\n  name: [1\n",
                                   encoding="utf-8")
    return out


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "markdown"])
def test_parallel_output_is_identical(folder: Path, fmt: str) -> None:
    runs = [run_cli("check", str(folder), "--as-of", "2026-01-01", "--format", fmt,
                    "--jobs", str(j)) for j in (1, 2)]
    assert runs[0].returncode == runs[1].returncode == 2  # the broken file
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stderr == runs[1].stderr
    alone = run_cli("check", str(folder / "c020.yaml"), "--as-of", "2026-01-01")
    assert alone.stderr.strip() and alone.stderr.strip() in runs[1].stderr


def test_outcomes_in_input_order_with_errors_located(folder: Path, rulesets: object) -> None:
    paths = sorted(str(p) for p in folder.glob("*.yaml"))
    got = list(batch.run(paths, rulesets, datetime.date(2026, 1, 1), jobs=2))
    assert [o.path for o in got] == paths
    broken = [o for o in got if o.error is not None]
    assert [Path(o.path).name for o in broken] == ["c020.yaml"]
    assert broken[0].error.path and broken[0].error.line is not None
    assert all(o.result.icb.startswith("NHS Example") for o in got if o.error is None)


def test_jobs_must_be_positive() -> None:
    proc = run_cli("check", str(EXAMPLE), "--jobs", "0")
    assert proc.returncode == 2 and "--jobs" in proc.stderr


def test_parallel_reports_are_identical(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    for i in range(4):
        (src / f"c{i}.yaml").write_text(text.replace(
            "NHS Example Integrated Care Board", f"NHS Example {i} Integrated Care Board"),
            encoding="utf-8")
    outs = []
    for j in (1, 2):
        out = tmp_path / f"out{j}"
        proc = run_cli("report", str(src), "-o", str(out), "--format", "html",
                       "--as-of", "2026-01-01", "--jobs", str(j))
        assert proc.returncode == 0, proc.stderr
        outs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outs[0] == outs[1] and len(outs[0]) == 5  # four reports and the index

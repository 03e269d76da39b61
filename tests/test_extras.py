"""The PDF renderer is an extra: `pip install .` (and so the pre-commit hook) brings only what
`check` needs, and a PDF report without the extra stops at once naming it."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from .conftest import EXAMPLE, ROOT, run_cli

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_weasyprint_is_only_in_the_pdf_extra() -> None:
    core = " ".join(PYPROJECT["project"]["dependencies"]).lower()
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert "weasyprint" not in core
    assert any(d.lower().startswith("weasyprint") for d in extras["pdf"])


def test_readme_and_ci_run_the_same_test_command() -> None:
    command = "pip install '.[test,pdf,documents]' && python -m pytest -q"
    assert command in (ROOT / "README.md").read_text(encoding="utf-8")
    ci = ROOT / ".ci" / "run"
    if ci.exists():
        assert ci.read_text(encoding="utf-8").strip().splitlines()[-1] == \
            command.replace("pip install", "pip install -q")


def _without_weasyprint(tmp_path: Path) -> dict[str, str]:
    """An environment in which `import weasyprint` fails, as after a plain `pip install .`."""
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "weasyprint.py").write_text("raise ImportError('No module named weasyprint')\n")
    return {"PYTHONPATH": os.pathsep.join([str(blocker), str(ROOT)])}


def test_pdf_report_without_the_extra_names_it(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    proc = run_cli("report", str(EXAMPLE), "-o", str(out), env=_without_weasyprint(tmp_path))
    assert proc.returncode == 2, proc.stderr
    assert "pip install 'ics-rules[pdf]'" in proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert not out.exists()


def test_check_and_html_report_work_without_the_extra(tmp_path: Path) -> None:
    env = _without_weasyprint(tmp_path)
    assert run_cli("check", str(EXAMPLE), "--as-of", "2026-01-01", env=env).returncode == 0
    proc = run_cli("report", str(EXAMPLE), "-o", str(tmp_path / "r.html"), env=env)
    assert proc.returncode == 0, proc.stderr


def test_check_format_pdf_points_at_report() -> None:
    proc = run_cli("check", str(EXAMPLE), "--format", "pdf")
    assert proc.returncode == 2
    assert "ics-rules report FILE -o report.pdf" in proc.stderr

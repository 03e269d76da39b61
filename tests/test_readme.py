"""Every sample output in the README comes from the real command: each ```text block that
starts with `$ ics-rules ...` is run (from the repository, colour off) and must print exactly
the lines that follow it, so the README can never drift from what the tool does
(`python -m tools.update_readme_samples` rewrites them from the real commands)."""

from __future__ import annotations

import shlex

import pytest

from tools.update_readme_samples import BLOCK as _BLOCK

from .conftest import ROOT, run_cli

README = ROOT / "README.md"


def samples() -> list[tuple[str, str]]:
    """(command, expected output) of every command sample in the README."""
    return [(m.group(1), m.group(2)) for m in _BLOCK.finditer(README.read_text("utf-8"))]


def test_the_readme_has_command_samples() -> None:
    assert len(samples()) >= 2


@pytest.mark.parametrize("command,expected", samples(), ids=[c for c, _ in samples()])
def test_readme_sample_is_the_real_output(command: str, expected: str) -> None:
    args = shlex.split(command)[1:]
    proc = run_cli(*args, cwd=ROOT, env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stdout == expected, (
        f"README sample `{command}` differs from the real output; replace it with:\n"
        f"{proc.stdout}")

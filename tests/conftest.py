"""Shared fixtures: the bundled rulesets (compiled once per session) and helpers to run the CLI."""

from __future__ import annotations

import datetime
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "constitutions" / "example.yaml"
SHARED = ROOT.parent / "shared"  # the shared docs and fixtures, beside the repository
AS_OF = datetime.date(2026, 1, 1)


@pytest.fixture(scope="session")
def rulesets() -> Any:
    """All bundled rulesets, compiled."""
    from ics_rules.rulesets import load_rulesets

    return load_rulesets()


@pytest.fixture(scope="session")
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m ics_rules ARGS` in a subprocess (the way users run it)."""
    import os

    full_env = dict(os.environ)
    full_env.pop("ICS_RULES_DEBUG", None)
    full_env["NO_COLOR"] = "1"
    if env:
        full_env.update(env)
    return subprocess.run([sys.executable, "-m", "ics_rules", *args], capture_output=True,
                          text=True, cwd=cwd or ROOT, env=full_env, input=input_text,
                          timeout=120)


def findings_by_outcome(result: Any, outcome: str) -> set[str]:
    """Rule IDs with a given outcome."""
    return {f.rule for f in result.findings if f.outcome == outcome}


def assert_findings(yaml_text: str, *expected_fail: str, rulesets: Any, as_of: Any = AS_OF,
                    only: bool = True) -> Any:
    """Evaluate a constitution snippet; the failing rules must be exactly `expected_fail`.

    On a mismatch every actual failure is shown with its message (pyflakes-harness style).
    """
    from ics_rules.engine import evaluate
    from ics_rules.loader import parse_constitution

    c = parse_constitution(yaml_text, "snippet.yaml")
    result = evaluate(c, rulesets, as_of)
    failing = findings_by_outcome(result, "fail")
    wanted = set(expected_fail)
    ok = failing == wanted if only else wanted <= failing
    if not ok:
        lines = [f"  {f.rule}: {f.message}" for f in result.findings if f.outcome == "fail"]
        raise AssertionError(f"expected failures {sorted(wanted)}, got {sorted(failing)}:\n"
                             + "\n".join(lines))
    return result


def pdf_streams(data: bytes) -> bytes:
    """A PDF's bytes followed by every stream it holds, inflated (for searching its text)."""
    import re
    import zlib

    parts = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(data[m.end():m.end() + 20_000_000]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def growth(run: Callable[[int], object], small: int, large: int, repeats: int = 3) -> float:
    """How many times more CPU `run(large)` takes than `run(small)`, best of `repeats` each.

    A complexity guard that does not depend on the machine's speed or load: a linear
    algorithm gives at most about large/small (less, with fixed costs), a quadratic one its
    square. Each size is prepared by the caller inside `run`'s closure, not timed here.
    """
    import time

    def best(n: int) -> float:
        times = []
        for _ in range(repeats):
            start = time.process_time()
            run(n)
            times.append(time.process_time() - start)
        return max(min(times), 1e-4)

    return best(large) / best(small)

"""Speed budget of the pre-commit path: with the ruleset cache warm, a one-file `check`
imports neither Lark, pydantic, Jinja2, WeasyPrint nor any document reader (lxml, pdfplumber,
pypdfium2, rapidfuzz), and finishes well under a second."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from .conftest import EXAMPLE, ROOT

PROBE = """
import sys
sys.argv = ["ics-rules", "check", sys.argv[1]]
from ics_rules.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
heavy = sorted(m for m in ("lark", "pydantic", "jinja2", "weasyprint", "lxml", "pdfplumber",
                           "pypdfium2", "pdfminer", "rapidfuzz", "ics_rules.documents.read")
               if m in sys.modules)
print("HEAVY", ",".join(heavy), "EXIT", code)
"""


def _run(cache: Path) -> tuple[str, float]:
    env = {"ICS_RULES_CACHE_DIR": str(cache), "NO_COLOR": "1", "PATH": "/usr/bin:/bin"}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", PROBE, str(EXAMPLE)], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)
    return proc.stdout, time.perf_counter() - start


def test_warm_check_imports_no_heavy_module_and_is_fast(tmp_path: Path) -> None:
    cold, _ = _run(tmp_path)
    assert "EXIT 0" in cold and "lark" in cold  # the first run compiles the rulesets
    times = []
    for _ in range(3):
        out, seconds = _run(tmp_path)
        assert "HEAVY  EXIT 0" in out, out
        times.append(seconds)
    # The budget is 0.25 s on the 2-core machine (benchmarks/); CI gets a generous margin.
    assert min(times) < 1.0, times

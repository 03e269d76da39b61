"""Prebuilt cache entries shipped in the wheel: a first run with an empty cache needs neither
Lark nor pydantic, and the entries are exactly what checking the bundled rulesets gives."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import EXAMPLE, ROOT

PROBE = """
import sys
from pathlib import Path
import ics_rules.cache
ics_rules.cache.SHIPPED = Path(sys.argv[2])
sys.argv = ["ics-rules", "check", sys.argv[1]]
from ics_rules.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
heavy = sorted(m for m in ("lark", "pydantic") if m in sys.modules)
print("HEAVY", ",".join(heavy), "EXIT", code)
"""


def test_entries_decode_to_what_checking_gives(tmp_path: Path) -> None:
    from ics_rules import cache, fastcheck, prebuilt, rulesets

    names = prebuilt.write(tmp_path)
    files = rulesets.bundled_ruleset_files()
    assert len(names) == len(files) + 1
    for path in files:
        text = path.read_text(encoding="utf-8")
        name = rulesets.cache_name(text)
        assert name in names
        shipped = cache.deserialize((tmp_path / name).read_bytes())
        assert shipped == rulesets.check_text(text, str(path))
    assert fastcheck.cache_name() in names


def test_first_run_with_empty_cache_uses_them(tmp_path: Path) -> None:
    from ics_rules import prebuilt

    shipped = tmp_path / "shipped"
    prebuilt.write(shipped)
    empty = tmp_path / "cache"
    env = {"ICS_RULES_CACHE_DIR": str(empty), "NO_COLOR": "1", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", PROBE, str(EXAMPLE), str(shipped)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert "HEAVY  EXIT 0" in proc.stdout, proc.stdout + proc.stderr


def test_stale_or_damaged_entry_is_rebuilt(tmp_path: Path) -> None:
    from ics_rules import prebuilt

    shipped = tmp_path / "shipped"
    for name in prebuilt.write(shipped):
        (shipped / name).write_text('{"not": "an entry"}', encoding="utf-8")
    env = {"ICS_RULES_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1",
           "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", PROBE, str(EXAMPLE), str(shipped)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert "EXIT 0" in proc.stdout and "lark" in proc.stdout, proc.stdout + proc.stderr


@pytest.mark.skipif(importlib.util.find_spec("hatchling") is None,
                    reason="building the wheel needs hatchling")
def test_wheel_ships_the_entries(tmp_path: Path) -> None:
    from ics_rules import fastcheck, rulesets

    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                           "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    wheel = next(tmp_path.glob("ics_rules-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        shipped = {Path(n).name for n in zf.namelist() if "/_data/prebuilt/" in n}
    expected = {rulesets.cache_name(p.read_text(encoding="utf-8"))
                for p in rulesets.bundled_ruleset_files()} | {fastcheck.cache_name()}
    assert shipped == expected

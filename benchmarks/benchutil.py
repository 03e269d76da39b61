"""Paths, command lines and argument handling shared by the bench_*.py scripts.

Stdlib only. Each script imports this module and ``common`` (the timing helpers); neither
needs the peers, which run in their own venv (``benchmarks/.peers``, made by ``setup.sh``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import common

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PEERS_DIR = BENCH / ".peers"
PEERS_PY = PEERS_DIR / "venv" / "bin" / "python"
CHECK_JSONSCHEMA = PEERS_DIR / "venv" / "bin" / "check-jsonschema"
SPECTRAL = PEERS_DIR / "npm" / "node_modules" / ".bin" / "spectral"
SPECTRAL_RULESET = BENCH / "peers" / "spectral-ruleset.yaml"
TEN_RULES = BENCH / "ten.rules"
COMPLIANT = BENCH / "data" / "compliant.yaml"
BROKEN = BENCH / "data" / "broken.yaml"

if str(ROOT) not in sys.path:  # import the ics_rules of this tree, installed or not
    sys.path.insert(0, str(ROOT))


def parser(description: str) -> argparse.ArgumentParser:
    """An argument parser with the options every bench script shares."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true",
                   help="tiny inputs and few repetitions (a smoke test, not a measurement)")
    p.add_argument("--repeat", type=int, default=None, metavar="N",
                   help="timed repetitions per measurement (default depends on the script)")
    p.add_argument("--no-peers", action="store_true",
                   help="skip the peer tools even when benchmarks/.peers is installed")
    p.add_argument("--out-dir", default=os.environ.get("ICS_BENCH_OUT_DIR"), metavar="DIR",
                   help="where to write NAME.json (default: benchmarks/out)")
    return p


def setup(args: argparse.Namespace) -> None:
    """Apply the shared options (the output folder) and print the environment header."""
    if args.out_dir:
        common.OUT_DIR = Path(args.out_dir).resolve()
    env = common.environment()
    print(f"python {env['python']} ({env['implementation']}) on {env['platform']}, "
          f"{env['cpus']} CPUs; load average {load_average()}")


def load_average() -> str:
    """The 1/5/15-minute load averages, to judge how noisy the machine was."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on Linux/macOS
        return "n/a"


def repeat(args: argparse.Namespace, normal: int, quick: int) -> int:
    """The repetition count: ``--repeat``, else the script's default for the mode."""
    if args.repeat is not None:
        return max(1, args.repeat)
    return quick if args.quick else normal


def peers_python(args: argparse.Namespace) -> Path | None:
    """The peers' venv interpreter, or None when it is absent or ``--no-peers`` was given."""
    if args.no_peers or not PEERS_PY.exists():
        return None
    return PEERS_PY


def peer_tool(args: argparse.Namespace, path: Path) -> Path | None:
    """A peer executable (check-jsonschema, spectral), or None when absent or not wanted."""
    if args.no_peers or not os.access(path, os.X_OK):
        return None
    return path


def peers_missing(args: argparse.Namespace) -> str:
    """Why a peer was not measured: turned off, or benchmarks/.peers not installed."""
    return "--no-peers" if args.no_peers else \
        "benchmarks/.peers not installed (run benchmarks/setup.sh)"


def ics_rules_argv() -> list[str]:
    """``python -m ics_rules`` with this interpreter (the tree under test)."""
    return [sys.executable, "-m", "ics_rules"]


def console_script() -> str | None:
    """The installed ``ics-rules`` console script, when one is on PATH."""
    return shutil.which("ics-rules")


PYCACHE = Path(tempfile.gettempdir()) / "ics-rules-bench-pycache"


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for subprocesses: this tree first on PYTHONPATH, no colour, bytecode.

    Bytecode is written to and read from a private PYTHONPYCACHEPREFIX (and
    PYTHONDONTWRITEBYTECODE is dropped), so every Python command runs from compiled
    bytecode as it would after ``pip install``, whatever the shell's setting and however
    stale the tree's own __pycache__ is; the warm-up runs fill it.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env["NO_COLOR"] = "1"
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("ICS_RULES_DEBUG", None)
    if extra:
        env.update(extra)
    return env


def time_fresh(
    name: str,
    argv: Sequence[str],
    make_env: Callable[[str], Mapping[str, str]],
    *,
    repeat: int,
    cwd: str | Path | None = None,
    ok_codes: Sequence[int] = (0,),
    rss: bool = True,
) -> common.Timing:
    """Like ``common.time_subprocess``, but each run gets a fresh empty temp dir.

    ``make_env(tmpdir)`` builds that run's environment (for a cold cache: point the cache at
    the empty dir). No warm-up run: every run is meant to be cold.
    """
    samples: list[float] = []
    cpu: list[float] = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="ics-bench-cold-") as tmp:
            code, wall_ms, _, cpu_ms, out, err = common.run_once(
                argv, cwd=cwd, env=make_env(tmp))
        if code not in ok_codes:
            raise RuntimeError(f"{name}: {' '.join(argv)} exited {code}\n{out[-2000:]}\n"
                               f"{err[-2000:]}")
        samples.append(wall_ms)
        cpu.append(cpu_ms)
    meta: dict[str, Any] = {"argv": list(argv), "fresh_temp_dir_per_run": True}
    peak = None
    if rss:
        with tempfile.TemporaryDirectory(prefix="ics-bench-cold-") as tmp:
            peak, meta["rss_method"] = common.peak_rss_kib(argv, cwd=cwd, env=make_env(tmp))
    return common.Timing(name, samples, peak_rss_kib=peak,
                         cpu_ms=statistics.median(cpu), meta=meta)


def skipped(what: str, why: str) -> dict[str, str]:
    """Print and return a note for something not measured."""
    print(f"skipped: {what}: {why}")
    return {"what": what, "why": why}

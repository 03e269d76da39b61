"""Timing helpers shared by every benchmark script: repeat, summarise, compare with a baseline.

Stdlib only, so the same module runs under the project interpreter and the peers' venv.

Peak RSS of a subprocess, and why it is measured the way it is (all checked on this machine):

* ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` is a high-water mark over *all* children
  ever reaped, so a "delta" reads 0 for any child smaller than an earlier one (node 245 MB,
  then ``python -c pass`` still read 245 MB). Useless for a sequence of tools.
* ``os.wait4(pid)`` gives that one child's rusage, but Linux carries the *parent's* RSS into a
  child's ``ru_maxrss`` across a vfork/fork + exec: from a 32 MB parent, ``python -c pass``
  read 32 MB via wait4 but 8.6 MB via GNU time. So wait4 is only an upper bound.
* ``/usr/bin/time -f %M`` (GNU time, Debian package ``time``) forks the command from a tiny
  process, so its figure is the command's own. It is used for RSS, in one extra run per
  command so its own start-up never enters the wall times; wait4 is the fallback (flagged
  ``rss_method: wait4-upper-bound`` in ``Timing.meta``).

Wall times come from ``time.perf_counter_ns`` around spawn + ``os.wait4``; CPU (user+sys)
from the same wait4 rusage, which is not affected by the RSS carry-over.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OUT_DIR = Path(__file__).resolve().parent / "out"


@dataclass
class Timing:
    """One measured thing: per-run wall times in ms, plus peak RSS for subprocesses."""

    name: str
    samples_ms: list[float]
    peak_rss_kib: int | None = None
    cpu_ms: float | None = None  # median user+sys CPU per subprocess run
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        """Median of the samples, in ms (the figure to compare: robust to outliers)."""
        return statistics.median(self.samples_ms)

    @property
    def min(self) -> float:
        """Fastest sample, in ms (the least-disturbed run)."""
        return min(self.samples_ms)

    @property
    def max(self) -> float:
        """Slowest sample, in ms."""
        return max(self.samples_ms)

    @property
    def stdev(self) -> float:
        """Sample standard deviation in ms (0 with fewer than two samples): the spread."""
        return statistics.stdev(self.samples_ms) if len(self.samples_ms) > 1 else 0.0

    def summary(self) -> dict[str, Any]:
        """Plain-dict summary for JSON output."""
        return {
            "name": self.name,
            "runs": len(self.samples_ms),
            "median_ms": self.median,
            "min_ms": self.min,
            "max_ms": self.max,
            "stdev_ms": self.stdev,
            "peak_rss_kib": self.peak_rss_kib,
            "cpu_ms": self.cpu_ms,
            "meta": self.meta,
        }


def _autorange(fn: Callable[[], object], min_batch_s: float) -> int:
    """Pick a loop count so one batch of calls lasts at least ``min_batch_s`` (like timeit)."""
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        if time.perf_counter() - start >= min_batch_s or number >= 10_000_000:
            return number
        number *= 2


def time_callable(
    name: str,
    fn: Callable[[], object],
    *,
    repeat: int = 7,
    number: int | None = None,
    warmup: int = 1,
    min_batch_s: float = 0.02,
    disable_gc: bool = True,
) -> Timing:
    """Time an in-process callable: ``repeat`` batches of ``number`` calls, per-call ms each.

    ``number=None`` calibrates the batch size so µs-level calls are not lost in timer noise.
    GC is paused during batches by default, as ``timeit`` does.
    """
    for _ in range(warmup):
        fn()
    if number is None:
        number = _autorange(fn, min_batch_s)
    samples: list[float] = []
    gc_was_enabled = gc.isenabled()
    try:
        for _ in range(repeat):
            if disable_gc:
                gc.disable()
            start = time.perf_counter_ns()
            for _ in range(number):
                fn()
            elapsed = time.perf_counter_ns() - start
            if gc_was_enabled:
                gc.enable()
            samples.append(elapsed / number / 1e6)
    finally:
        if gc_was_enabled:
            gc.enable()
    return Timing(name, samples, meta={"number": number})


GNU_TIME = "/usr/bin/time"


def run_once(
    argv: Sequence[str],
    *,
    cwd: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
) -> tuple[int, float, int | None, float, str, str]:
    """Run one subprocess; return (exit code, wall ms, wait4 max RSS KiB, CPU ms, out, err).

    The RSS here is wait4's, an upper bound (see the module docstring); use ``peak_rss_kib``.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter_ns()
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        if stdin is not None:
            assert proc.stdin is not None
            proc.stdin.write(stdin)
            proc.stdin.close()
        rss: int | None
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            wall_ms = (time.perf_counter_ns() - start) / 1e6
            proc.returncode = os.waitstatus_to_exitcode(status)
            rss = usage.ru_maxrss
            cpu_ms = (usage.ru_utime + usage.ru_stime) * 1e3
        else:  # pragma: no cover - non-POSIX fallback; high-water mark, see module docstring
            proc.wait()
            wall_ms = (time.perf_counter_ns() - start) / 1e6
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            rss = after.ru_maxrss if after.ru_maxrss > before.ru_maxrss else None
            cpu_ms = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1e3
        if sys.platform == "darwin" and rss is not None:
            rss //= 1024  # macOS reports bytes, Linux KiB
        out.seek(0)
        err.seek(0)
        return (
            proc.returncode,
            wall_ms,
            rss,
            cpu_ms,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def _gnu_time_works() -> bool:
    """True when ``/usr/bin/time`` is GNU time and accepts ``-f %M -o FILE``."""
    if not os.access(GNU_TIME, os.X_OK):
        return False
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as fh:
        proc = subprocess.run(
            [GNU_TIME, "-f", "%M", "-o", fh.name, "true"], capture_output=True, check=False
        )
        return proc.returncode == 0 and fh.read().strip().isdigit()


def peak_rss_kib(
    argv: Sequence[str],
    *,
    cwd: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
) -> tuple[int | None, str]:
    """Peak RSS (KiB) of one run of the command, and the method: "gnu-time" or the wait4 bound."""
    if _gnu_time_works():
        with tempfile.NamedTemporaryFile("r", suffix=".rss") as fh:
            run_once([GNU_TIME, "-f", "%M", "-o", fh.name, *argv], cwd=cwd, env=env, stdin=stdin)
            text = fh.read().strip().splitlines()
        if text and text[-1].isdigit():
            return int(text[-1]), "gnu-time"
    return run_once(argv, cwd=cwd, env=env, stdin=stdin)[2], "wait4-upper-bound"


def time_subprocess(
    name: str,
    argv: Sequence[str],
    *,
    repeat: int = 7,
    warmup: int = 1,
    cwd: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
    ok_codes: Sequence[int] = (0,),
    rss: bool = True,
) -> Timing:
    """Time a whole command (start-up included) ``repeat`` times after ``warmup`` runs.

    Raises RuntimeError when an exit code is not in ``ok_codes`` (a linter that finds
    violations usually exits 1: pass ``ok_codes=(0, 1)`` for those). With ``rss``, one
    extra run measures peak RSS (see the module docstring).
    """
    samples: list[float] = []
    cpu: list[float] = []
    for i in range(warmup + repeat):
        code, wall_ms, _, cpu_ms, out, err = run_once(argv, cwd=cwd, env=env, stdin=stdin)
        if code not in ok_codes:
            raise RuntimeError(
                f"{name}: {' '.join(argv)} exited {code}\n{out[-2000:]}\n{err[-2000:]}"
            )
        if i >= warmup:
            samples.append(wall_ms)
            cpu.append(cpu_ms)
    meta: dict[str, Any] = {"argv": list(argv)}
    peak = None
    if rss:
        peak, meta["rss_method"] = peak_rss_kib(argv, cwd=cwd, env=env, stdin=stdin)
    return Timing(name, samples, peak_rss_kib=peak, cpu_ms=statistics.median(cpu), meta=meta)


def _fmt(value_ms: float, unit: str) -> str:
    """Format a duration given in ms in the table's unit."""
    if unit == "us":
        return f"{value_ms * 1e3:,.1f}"
    if unit == "s":
        return f"{value_ms / 1e3:,.3f}"
    return f"{value_ms:,.2f}"


def format_table(
    results: Sequence[Timing],
    *,
    baseline: str | None = None,
    unit: str = "auto",
    title: str | None = None,
) -> str:
    """Render results as a Markdown table with each median's ratio to the named baseline.

    ``unit`` is "us", "ms", "s" or "auto" (µs when every median is under 1 ms).
    """
    if not results:
        return "(no results)"
    if unit == "auto":
        unit = "us" if all(r.median < 1.0 for r in results) else "ms"
    label = {"us": "µs", "ms": "ms", "s": "s"}[unit]
    base = next((r for r in results if r.name == baseline), None) if baseline else None
    if baseline and base is None:
        raise KeyError(f"baseline {baseline!r} not among {[r.name for r in results]}")
    show_rss = any(r.peak_rss_kib is not None for r in results)
    show_cpu = any(r.cpu_ms is not None for r in results)
    headers = ["what", f"median {label}", f"min {label}", f"max {label}", f"stdev {label}"]
    if base is not None:
        headers.append(f"× {base.name}")
    if show_cpu:
        headers.append("CPU ms")
    if show_rss:
        headers.append("peak RSS MiB")
    rows: list[list[str]] = []
    for r in results:
        row = [
            r.name,
            _fmt(r.median, unit),
            _fmt(r.min, unit),
            _fmt(r.max, unit),
            _fmt(r.stdev, unit),
        ]
        if base is not None:
            row.append(f"{r.median / base.median:,.2f}" if base.median > 0 else "n/a")
        if show_cpu:
            row.append(f"{r.cpu_ms:,.1f}" if r.cpu_ms is not None else "")
        if show_rss:
            row.append(f"{r.peak_rss_kib / 1024:,.1f}" if r.peak_rss_kib is not None else "")
        rows.append(row)
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        """One table row: first column left-aligned, numbers right-aligned."""
        padded = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    sep = (
        "|"
        + "|".join("-" * (w + 1) + ":" if i else ":" + "-" * (w + 1) for i, w in enumerate(widths))
        + "|"
    )
    lines = [f"**{title}**", ""] if title else []
    lines += [line(headers), sep, *(line(row) for row in rows)]
    return "\n".join(lines)


def environment() -> dict[str, Any]:
    """Describe the machine and interpreter, to print beside any figures."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "executable": sys.executable,
    }


def write_json(
    results: Sequence[Timing], name: str, extra: Mapping[str, Any] | None = None
) -> Path:
    """Write results to ``benchmarks/out/NAME.json`` (git-ignored) and return the path."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}.json"
    payload = {
        "environment": environment(),
        "results": [r.summary() for r in results],
        **(dict(extra) if extra else {}),
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path


__all__ = [
    "GNU_TIME",
    "OUT_DIR",
    "Timing",
    "environment",
    "format_table",
    "peak_rss_kib",
    "run_once",
    "time_callable",
    "time_subprocess",
    "write_json",
]

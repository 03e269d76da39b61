"""Assurance reports: wall time and peak RSS of ``ics-rules report FILE -o out.{html,pdf}``.

Each format is first tried once: when ics-rules does not offer it yet (the command exits 2,
as it does for an unknown format), the script prints "skipped: format not available" for it
and carries on; it exits 0 either way. ``-o out.json`` is timed too, when available, as the
baseline of the ratios: the same load and evaluation with the cheapest rendering, so the
ratio shows what the HTML and PDF rendering cost. The ruleset cache is warm. Then (not with
``--quick``) ``report constitutions/ -o DIR``: every bundled constitution's PDF and the index,
on every core.

    python benchmarks/bench_report.py [--quick] [--repeat N] [--file FILE]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import benchutil as bu
import common

NAME = "bench_report"
FORMATS = ("json", "html", "pdf")


def main(argv: list[str] | None = None) -> int:
    """Probe each format, time the available ones, print the table, write the JSON."""
    p = bu.parser(__doc__.splitlines()[0])
    p.add_argument("--file", default=str(bu.ROOT / "constitutions" / "example.yaml"),
                   help="constitution to report on (default: constitutions/example.yaml)")
    p.add_argument("--formats", default=",".join(FORMATS),
                   help="comma-separated output extensions to try (default: json,html,pdf)")
    args = p.parse_args(argv)
    bu.setup(args)
    n = bu.repeat(args, normal=10, quick=1)
    warmup = 0 if args.quick else 1
    target = str(Path(args.file).resolve())
    ics = bu.ics_rules_argv()
    results: list[common.Timing] = []
    skipped: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="ics-bench-report-") as tmp_name:
        tmp = Path(tmp_name)
        env = bu.child_env({"ICS_RULES_CACHE_DIR": str(tmp / "cache")})
        first = True
        for fmt in [f.strip() for f in args.formats.split(",") if f.strip()]:
            out = tmp / f"out.{fmt}"
            argv_ = [*ics, "report", target, "-o", str(out)]
            code, _, _, _, stdout, stderr = common.run_once(argv_, cwd=bu.ROOT, env=env)
            if code != 0 or not out.is_file():
                why = (stderr or stdout).strip().splitlines()
                detail = f"exit {code}: {why[-1] if why else 'no message'}"
                print(f"skipped: format not available: report -o out.{fmt} ({detail})")
                skipped.append({"what": f"ics-rules report -o out.{fmt}",
                                "why": f"format not available ({detail})"})
                continue
            if first:
                print(f"ruleset cache warmed by the first probe (ICS_RULES_CACHE_DIR={tmp}/cache);"
                      f" {n} timed runs per format after {warmup} warm-up run(s); peak RSS "
                      "from one extra run")
                first = False
            print(f"  timing report -o out.{fmt} ...", flush=True)
            t = common.time_subprocess(f"ics-rules report -o out.{fmt}", argv_, repeat=n,
                                       warmup=warmup, cwd=bu.ROOT, env=env, ok_codes=(0,))
            t.meta["output_bytes"] = out.stat().st_size
            results.append(t)
        folder = folder_row(tmp, env, args.quick, "pdf" in args.formats)
        if isinstance(folder, common.Timing):
            results.append(folder)
        elif folder:
            skipped.append({"what": "ics-rules report constitutions/", "why": folder})
            print(f"skipped: ics-rules report constitutions/: {folder}")

    print()
    if not results:
        print("skipped: format not available (no report format could be measured)")
    else:
        base = results[0].name if results[0].name.endswith(".json") else None
        print(common.format_table(results, baseline=base, unit="ms",
                                  title=f"ics-rules report {Path(target).name} ({n} runs)"))
        print("\n" + ", ".join(f"{r.name.split()[-1]}: {r.meta['output_bytes']:,} bytes"
                                for r in results if "output_bytes" in r.meta))
    print(f"load average after: {bu.load_average()}")
    extra: dict[str, Any] = {"file": target, "repeat": n, "quick": args.quick,
                             "skipped": skipped}
    path = common.write_json(results, NAME, extra)
    print(f"wrote {path}")
    return 0


def folder_row(tmp: Path, env: dict[str, str], quick: bool, pdf: bool) -> common.Timing | str:
    """`report constitutions/ -o DIR`: a PDF per bundled constitution and an index, on every
    core (issue 14: the 12 bundled constitutions in at most 12 s); a new folder per run."""
    import statistics

    if quick or not pdf:
        return ""  # not asked for: a smoke run, or no PDF among the formats
    import re

    print("  timing ics-rules report constitutions/ ...", flush=True)
    walls: list[float] = []
    cpus: list[float] = []
    reports = 0
    for k in range(3):
        code, wall, _, cpu, out, err = common.run_once(
            [*bu.ics_rules_argv(), "report", str(bu.ROOT / "constitutions"), "-o",
             str(tmp / f"folder-{k}")], cwd=bu.ROOT, env=env)
        if code != 0:
            return f"exit {code}: {err.strip()[-300:]}"
        walls.append(wall)
        cpus.append(cpu)
        m = re.search(r"wrote (\d+) reports", out + err)
        reports = int(m.group(1)) if m else 0
    name = f"ics-rules report constitutions/ ({reports} PDFs and the index, --jobs default)"
    return common.Timing(name, walls, cpu_ms=statistics.median(cpus),
                         meta={"reports": reports, "jobs": "default (every core)"})


if __name__ == "__main__":
    sys.exit(main())

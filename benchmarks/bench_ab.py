"""This tree against an earlier revision, interleaved, for a machine whose speed drifts.

On a shared machine the same command can take 1.5x as long from one hour to the next, so
figures from two runs of run_all.sh cannot show a 15% change. This script checks REV out
into a temporary worktree and times the same commands on both trees in alternation (A, B,
A, B, ...), so drift hits both alike, and reports medians, minima (drift only ever slows a
run, so the fastest is the least disturbed) and the ratios this tree / REV:

* a warm one-file ``check`` of the bundled example (wall and CPU);
* ``check DIR --format json --jobs 1`` over 60 generated constitutions (CPU per file);
* one in-process ``evaluate`` of every bundled rule on the example, passes explained and
  not (the best of many, in a subprocess per tree).

    python benchmarks/bench_ab.py REV [--rounds N]

Needs git (the revision is checked out with ``git worktree``); not part of run_all.sh.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import bench_scale
import benchutil as bu
import common

EVAL = """
import datetime, sys, time
import ics_rules
rs = ics_rules.load_rulesets()
c = ics_rules.load_constitution(sys.argv[1])
day = datetime.date(2026, 1, 1)

def once(passes):
    start = time.process_time()
    ics_rules.evaluate(c, rs, as_of=day, explain_passes=passes)
    return time.process_time() - start

for passes in (True, False):
    print(f"{min(once(passes) for _ in range(60)) * 1e6:.0f}")
"""

def main(argv: list[str] | None = None) -> int:
    """Time both trees in alternation and print the comparison."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("rev", help="the revision to compare with (a commit, tag or branch)")
    p.add_argument("--rounds", type=int, default=8, help="alternations (default 8)")
    args = p.parse_args(argv)
    example = str(bu.ROOT / "constitutions" / "example.yaml")
    with tempfile.TemporaryDirectory(prefix="ics-bench-ab-") as tmp:
        old = Path(tmp) / "old"
        made = subprocess.run(["git", "-C", str(bu.ROOT), "worktree", "add", "--detach",
                               str(old), args.rev], capture_output=True, text=True, check=False)
        if made.returncode != 0:
            print(f"bench_ab: cannot check out {args.rev}: {made.stderr.strip()}",
                  file=sys.stderr)
            return 2
        try:
            files = Path(tmp) / "files"
            files.mkdir()
            bench_scale.generate(files, 60)
            trees = {"this tree": bu.ROOT, args.rev: old}
            envs = {}
            for name, tree in trees.items():
                cache = str(Path(tmp) / f"cache-{tree.name}")
                envs[name] = bu.child_env({"ICS_RULES_CACHE_DIR": cache})
                envs[name]["PYTHONPATH"] = str(tree)
                # warm the tree's ruleset cache and bytecode, outside the timings
                common.run_once([sys.executable, "-m", "ics_rules", "check", example], cwd=tree,
                                env=envs[name])
            rows: dict[str, dict[str, list[float]]] = {t: {} for t in trees}
            for _ in range(args.rounds):
                for name, tree in trees.items():
                    env = envs[name]
                    out = rows[name]
                    _, wall, _, cpu, *_ = common.run_once(
                        [sys.executable, "-m", "ics_rules", "check", example], cwd=tree, env=env)
                    out.setdefault("warm check, wall ms", []).append(wall)
                    out.setdefault("warm check, CPU ms", []).append(cpu)
                    _, _, _, cpu, *_ = common.run_once(
                        [sys.executable, "-m", "ics_rules", "check", str(files), "--format",
                         "json", "--jobs", "1", "-o", str(Path(tmp) / f"{tree.name}.json")],
                        cwd=tree, env=env)
                    out.setdefault("60 files JSON, CPU ms per file", []).append(cpu / 60)
                    code, _, _, _, text, err = common.run_once(
                        [sys.executable, "-c", EVAL, example], cwd=tree, env=env)
                    if code != 0:
                        print(f"bench_ab: {name}: {err.strip()[-500:]}", file=sys.stderr)
                        return 2
                    passes, decided = (float(x) for x in text.split())
                    out.setdefault("evaluate, passes explained, us", []).append(passes)
                    out.setdefault("evaluate, passes not explained, us", []).append(decided)
        finally:
            subprocess.run(["git", "-C", str(bu.ROOT), "worktree", "remove", "--force",
                            str(old)], capture_output=True, check=False)
    new, base = rows["this tree"], rows[args.rev]
    print(f"**This tree against {args.rev}, {args.rounds} alternations**\n")
    print(f"| what | this tree median | {args.rev} median | ratio | this tree min | "
          f"{args.rev} min | ratio |")
    print("|:--|--:|--:|--:|--:|--:|--:|")
    for what in new:
        a, b = statistics.median(new[what]), statistics.median(base[what])
        lo_a, lo_b = min(new[what]), min(base[what])  # drift only ever slows a run
        print(f"| {what} | {a:,.1f} | {b:,.1f} | {a / b:.2f} | {lo_a:,.1f} | {lo_b:,.1f} | "
              f"{lo_a / lo_b:.2f} |")
    print(f"\nload average after: {bu.load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

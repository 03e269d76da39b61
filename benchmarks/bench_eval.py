"""In-process evaluation speed: ics-rules beside plain Python, rule-engine and cel-python.

One evaluation is every rule of a set on one already-loaded constitution (loading and rule
compilation are outside the timings). For each fixture (compliant.yaml: every benchmark rule
passes; broken.yaml: every one fails, so ics-rules also explains each failure):

* plain Python, in this process: the ten rules as functions (the floor; ratios are to it);
* ics-rules closures: the ten compiled ``require`` closures of benchmarks/ten.rules, called
  directly with a fresh ``Ctx`` per evaluation (definitions are cached per Ctx);
* ics-rules ``evaluate`` with ten.rules: findings, messages, and evidence for failures;
* ics-rules ``evaluate`` with every bundled ruleset (more rules: see the row's name), once
  with passes left unexplained (as text and SARIF output ask) and once with the evidence
  of every pass (as JSON, JUnit, HTML and Markdown output ask);
* in the peers' venv (a subprocess, timings returned as JSON): plain Python again (the same
  floor under that interpreter), rule-engine and cel-python (with the activation prepared once,
  and with the per-document conversion to CEL values included).

Loading is also timed, for reference, in a second table.

    python benchmarks/bench_eval.py [--quick] [--repeat N]
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from typing import Any

import benchutil as bu
import common
from peers import RULE_IDS, load_yaml, plain_rules

import ics_rules
from ics_rules.dsl.compiler import Ctx

NAME = "bench_eval"
AS_OF = datetime.date(2026, 1, 1)
FIXTURES = {"compliant": (bu.COMPLIANT, True), "broken": (bu.BROKEN, False)}
PREFIX = "BENCH-"


def ten_closures(rs: Any) -> tuple[list[str], list[Any], dict[str, Any]]:
    """Rule ids (without the BENCH- prefix), require closures and definitions of ten.rules."""
    ruleset = rs.rulesets[0]
    ids = [cr.id.removeprefix(PREFIX) for cr in ruleset.rules]
    return ids, [cr.require for cr in ruleset.rules], ruleset.definitions


def verify(ten: Any) -> list[str]:
    """ten.rules must agree with the plain-Python peer on both fixtures, rule by rule."""
    problems = []
    ids, requires, defs = ten_closures(ten)
    if sorted(ids) != sorted(RULE_IDS):
        problems.append(f"ten.rules has rules {ids}, expected {list(RULE_IDS)}")
    for label, (path, want) in FIXTURES.items():
        c = ics_rules.load_constitution(str(path))
        plain = plain_rules.check(load_yaml(path))
        outcomes = {f.rule.removeprefix(PREFIX): f.outcome
                    for f in ics_rules.evaluate(c, ten, as_of=AS_OF).findings}
        ctx = Ctx(c.data, AS_OF, defs)
        raw = {rid: f(ctx, None, {}) for rid, f in zip(ids, requires, strict=True)}
        for rid in RULE_IDS:
            expected = "pass" if want else "fail"
            if plain[rid] is not want or outcomes.get(rid) != expected or raw.get(rid) is not want:
                problems.append(f"{label}: {rid}: plain {plain[rid]}, ics-rules evaluate "
                                f"{outcomes.get(rid)}, closure {raw.get(rid)!r}; want {expected}")
    return problems


def peer_timings(args: Any, n: int, min_batch: float) -> tuple[dict[str, Any] | None, str]:
    """Run peers_worker.py in the peers' venv; its JSON, or None and why it was skipped."""
    py = bu.peers_python(args)
    if py is None:
        return None, bu.peers_missing(args)
    specs = [f"{label}={path}:{'pass' if want else 'fail'}"
             for label, (path, want) in FIXTURES.items()]
    proc = subprocess.run(
        [str(py), str(bu.BENCH / "peers_worker.py"), "--repeat", str(n),
         "--min-batch", str(min_batch), *specs],
        capture_output=True, text=True, cwd=bu.BENCH, check=False)
    if proc.returncode != 0:
        return None, f"peers_worker.py exited {proc.returncode}: {proc.stderr.strip()[-500:]}"
    return json.loads(proc.stdout), ""


def _timing(summary: dict[str, Any]) -> common.Timing:
    """Rebuild a Timing from a worker's summary."""
    return common.Timing(summary["name"], summary["samples_ms"], meta=summary.get("meta", {}))


def main(argv: list[str] | None = None) -> int:
    """Verify the ten rules, time every row, print the tables, write the JSON."""
    args = bu.parser(__doc__.splitlines()[0]).parse_args(argv)
    bu.setup(args)
    n = bu.repeat(args, normal=25, quick=3)
    min_batch = 0.005 if args.quick else 0.05
    timing = {"repeat": n, "min_batch_s": min_batch}

    ten = ics_rules.load_rulesets([str(bu.TEN_RULES)])
    bundled = ics_rules.load_rulesets()
    n_bundled = len(bundled.rules())
    problems = verify(ten)
    if problems:
        print("ten.rules disagrees with the plain-Python peer:", *problems, sep="\n  ")
        return 1
    print("ten.rules agrees with the plain-Python peer on compliant.yaml (all pass) and "
          "broken.yaml (all fail), via evaluate and via the raw closures")
    print(f"as of {AS_OF}; {n} timed batches per row, each at least {min_batch * 1e3:.0f} ms; "
          "GC paused during batches; per-evaluation figures\n")

    print("  timing the peers in their venv ...", flush=True)
    peers, why = peer_timings(args, n, min_batch)
    skipped = []
    if peers is None:
        skipped.append(bu.skipped("rule-engine, cel-python (peers venv)", why))
    tables: dict[str, list[common.Timing]] = {}
    loading: list[common.Timing] = []
    extra_fixture: dict[str, Any] = {}
    ids, requires, defs = ten_closures(ten)
    pairs = list(zip(ids, requires, strict=True))
    baseline = "plain Python"
    for label, (path, _want) in FIXTURES.items():
        print(f"  timing {label}.yaml ...", flush=True)
        c = ics_rules.load_constitution(str(path))
        doc = load_yaml(path)
        data = c.data
        outcome_counts = ics_rules.evaluate(c, bundled, as_of=AS_OF).summary

        def closures(data: dict[str, Any] = data) -> dict[str, Any]:
            ctx = Ctx(data, AS_OF, defs)
            return {rid: f(ctx, None, {}) for rid, f in pairs}

        rows = [
            common.time_callable(baseline, lambda d=doc: plain_rules.check(d), **timing),
            common.time_callable("ics-rules closures (ten rules, fresh Ctx)", closures,
                                 **timing),
            common.time_callable("ics-rules evaluate (ten.rules)",
                                 lambda c=c: ics_rules.evaluate(c, ten, as_of=AS_OF), **timing),
            # Text and SARIF output ask for no evidence of passes (see engine.evaluate)
            common.time_callable(f"ics-rules evaluate (all bundled, {n_bundled} rules, "
                                 "passes not explained)",
                                 lambda c=c: ics_rules.evaluate(c, bundled, as_of=AS_OF,
                                                                explain_passes=False),
                                 **timing),
            common.time_callable(f"ics-rules evaluate (all bundled, {n_bundled} rules)",
                                 lambda c=c: ics_rules.evaluate(c, bundled, as_of=AS_OF),
                                 **timing),
        ]
        rows[2].meta["per_rule_us"] = rows[2].median * 1e3 / len(ids)
        rows[-1].meta["outcomes"] = outcome_counts
        rows[-1].meta["per_rule_us"] = rows[-1].median * 1e3 / n_bundled
        if peers is not None:
            fx = peers["fixtures"][label]
            if not fx["agree"]:
                print(f"error: the peers disagree with the expected outcomes on {label}: "
                      f"{fx['outcomes']}", file=sys.stderr)
                return 1
            rows += [_timing(s) for s in fx["results"]]
        tables[label] = rows
        extra_fixture[label] = {"file": str(path), "bundled_outcomes": outcome_counts}
        loading += [
            common.time_callable(f"ics-rules load_constitution ({label})",
                                 lambda p=str(path): ics_rules.load_constitution(p), **timing),
            common.time_callable(f"PyYAML CSafeLoader load ({label})",
                                 lambda p=path: load_yaml(p), **timing),
        ]

    # Issue 14's in-process target is stated on the bundled example (every rule passes
    # or is not in force there), so it is timed on its own, beside nothing but itself.
    example = ics_rules.load_constitution(str(bu.ROOT / "constitutions" / "example.yaml"))
    on_example = [
        common.time_callable(f"example.yaml: all bundled, {n_bundled} rules, passes not "
                             "explained",
                             lambda: ics_rules.evaluate(example, bundled, as_of=AS_OF,
                                                        explain_passes=False), **timing),
        common.time_callable(f"example.yaml: all bundled, {n_bundled} rules, passes explained",
                             lambda: ics_rules.evaluate(example, bundled, as_of=AS_OF),
                             **timing),
    ]
    example_outcomes = ics_rules.evaluate(example, bundled, as_of=AS_OF).summary
    per_failure = tables["broken"][2].median * 1e3 / len(ids)

    print()
    for label, rows in tables.items():
        print(common.format_table(
            rows, baseline=baseline, unit="us",
            title=f"{label}.yaml: one evaluation of the rules on a loaded constitution"))
        print()
    print(common.format_table(on_example, unit="us",
                              title="The bundled example: one evaluation of every bundled rule"))
    print(f"\non example.yaml the bundled rules give {example_outcomes}; one failing rule "
          f"decided and explained (ten.rules on broken.yaml, per rule): {per_failure:.1f} us\n")
    print(common.format_table(loading, unit="us", title="Loading one file (for reference)"))
    print(f"\n{n_bundled} bundled rules; on compliant.yaml they give "
          f"{extra_fixture['compliant']['bundled_outcomes']}")
    if peers is not None:
        print(f"peers: python {peers['python']}, " +
              ", ".join(f"{k} {v}" for k, v in peers["versions"].items()))
    print(f"load average after: {bu.load_average()}")
    results = [r for rows in tables.values() for r in rows] + on_example + loading
    for label, rows in tables.items():
        for r in rows:
            r.meta["fixture"] = label
    extra = {
        "as_of": AS_OF.isoformat(),
        "repeat": n,
        "min_batch_s": min_batch,
        "quick": args.quick,
        "baseline": baseline,
        "fixtures": extra_fixture,
        "example_outcomes": example_outcomes,
        "per_failing_rule_us": per_failure,
        "peers": {"python": peers["python"], "versions": peers["versions"]} if peers else None,
        "skipped": skipped,
        "ratios_to_plain": {label: {r.name: r.median / rows[0].median for r in rows}
                            for label, rows in tables.items()},
    }
    path = common.write_json(results, NAME, extra)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

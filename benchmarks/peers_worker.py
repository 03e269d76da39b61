"""Time the Python peers in-process, inside the peers' venv; print the timings as JSON.

Run by bench_eval.py as ``benchmarks/.peers/venv/bin/python benchmarks/peers_worker.py ...``
(the venv has rule-engine and cel-python but no ics-rules). One evaluation is all ten rules on
one loaded document, collected into a dict of rule id -> bool, as every other row does.

Output: {"versions": {...}, "fixtures": {label: {"agree": bool, "results": [Timing...]}}}.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import common
from peers import RULE_IDS, cel_rules, load_yaml, plain_rules, rule_engine_rules


def _run_all(rules: dict[str, Any], prepared: Any) -> dict[str, bool]:
    """Evaluate every compiled rule on one prepared document."""
    return {rid: rule(prepared) for rid, rule in rules.items()}


def main() -> int:
    """Time plain Python, rule-engine and cel-python on each fixture given."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("fixtures", nargs="+", help="LABEL=PATH:EXPECTED (EXPECTED pass or fail)")
    p.add_argument("--repeat", type=int, default=15)
    p.add_argument("--min-batch", type=float, default=0.05, help="seconds per timed batch")
    args = p.parse_args()

    re_rules = rule_engine_rules.compile_rules()
    cel = cel_rules.compile_rules()
    out: dict[str, Any] = {
        "versions": {name: version(name) for name in ("rule-engine", "cel-python", "PyYAML")},
        "python": sys.version.split()[0],
        "fixtures": {},
    }
    for spec in args.fixtures:
        label, rest = spec.split("=", 1)
        path, expected = rest.rsplit(":", 1)
        want = expected == "pass"
        doc = load_yaml(Path(path))
        activation = cel_rules.prepare(doc)
        checks = {
            "plain Python (peers venv)": _run_all(plain_rules.RULES, doc),
            "rule-engine": _run_all(re_rules, doc),
            "cel-python": _run_all(cel, activation),
            "cel-python (prepare + evaluate)": cel_rules.check(doc),
        }
        agree = all(set(v) == set(RULE_IDS) and all(x is want for x in v.values())
                    for v in checks.values())
        timing = {"repeat": args.repeat, "min_batch_s": args.min_batch}
        results = [
            common.time_callable("plain Python (peers venv)",
                                 lambda d=doc: _run_all(plain_rules.RULES, d), **timing),
            common.time_callable("rule-engine", lambda d=doc: _run_all(re_rules, d), **timing),
            common.time_callable("cel-python (prepared activation)",
                                 lambda a=activation: _run_all(cel, a), **timing),
            common.time_callable("cel-python (prepare + evaluate)",
                                 lambda d=doc: cel_rules.check(d), **timing),
        ]
        out["fixtures"][label] = {
            "agree": agree,
            "outcomes": {k: v for k, v in checks.items()},
            "results": [r.summary() | {"samples_ms": r.samples_ms} for r in results],
        }
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())

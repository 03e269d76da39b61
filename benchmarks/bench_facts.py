"""Fact finding on the test corpus: precision and recall per document, and time per document.

Reads each document of tests/data/documents (tuned and held out) into clauses, runs
`find_facts`, scores it against the document's expected facts and times it. Accuracy is the
measurement that matters here; the times are for find_facts alone (the readers are timed by
the document benchmarks) and are noisy on a shared machine.

    python benchmarks/bench_facts.py            # table of figures, JSON in benchmarks/out
"""

from __future__ import annotations

import sys
from pathlib import Path

import benchutil
import common

sys.path.insert(0, str(benchutil.ROOT))

from ics_rules.documents.facts import find_facts
from tests.clause_list import read_clause_list
from tests.document_scoring import Score, load_expected, score

DOCS = benchutil.ROOT / "tests" / "data" / "documents"


def corpus() -> list[tuple[str, Path]]:
    """(group, path) of every corpus document with an expected file."""
    out = []
    for group, folder in (("tuned", DOCS), ("held out", DOCS / "heldout")):
        for p in sorted(folder.glob("*.md")):
            if p.with_suffix(".expected.yaml").is_file():
                out.append((group, p))
    return out


def main() -> int:
    args = benchutil.parser(__doc__.splitlines()[0]).parse_args()
    benchutil.setup(args)
    repeat = benchutil.repeat(args, normal=7, quick=1)
    rows = []
    timings = []
    totals: dict[str, Score] = {}
    for group, path in corpus():
        doc = read_clause_list(path)
        s = score(find_facts(doc), load_expected(path.with_suffix(".expected.yaml")))
        totals.setdefault(group, Score()).add(s)
        t = common.time_callable(f"find_facts {path.name}", lambda d=doc: find_facts(d),
                                 repeat=repeat, number=1)
        timings.append(t)
        rows.append((group, path.name, s, t.summary()["median_ms"]))
    print("| group | document | facts stated | right (value and clause) | wrong | missed "
          "| precision | recall | find_facts ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for group, name, s, ms in rows:
        print(f"| {group} | {name} | {s.expected} | {s.right_in_place} | {len(s.wrong)} | "
              f"{len(s.missed)} | {s.precision:.1%} | {s.recall:.1%} | {ms:.1f} |")
    for group, s in totals.items():
        print(f"| **{group}** | all | {s.expected} | {s.right_in_place} | {len(s.wrong)} | "
              f"{len(s.missed)} | {s.precision:.1%} | {s.recall:.1%} | |")
    common.write_json(timings, "bench_facts", {"accuracy": {
        g: {"stated": s.expected, "right_in_place": s.right_in_place, "wrong": len(s.wrong),
            "missed": len(s.missed), "precision": s.precision, "recall": s.recall}
        for g, s in totals.items()}})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

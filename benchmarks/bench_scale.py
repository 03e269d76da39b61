"""Scaling: one ``ics-rules check DIR`` over 1, 10, 100 and 1000 generated constitutions.

The constitutions are variations of the bundled examples (constitutions/example.yaml and
constitutions/real/*.yaml), made deterministically with a seeded RNG: every file gets its own
ICB name (some break the naming convention), and most get up to four changes: a boolean
flipped, an enumerated value swapped for another value seen at the same place in the
examples, or an optional fact dropped. Every generated file is loaded once by ics-rules
before timing and regenerated with other changes if it does not load (a dangling reference,
say), so the timed runs check N valid files of which many fail some rules.

Timed per N, as a whole command with the ruleset cache warm:

    python -m ics_rules check DIR --format json -o OUT.json --fail-on never --jobs J

with J = 1, and for N >= 100 also J = the number of cores (the default), whose output must
be byte-identical to J = 1. CPU per file is user + system time of the whole command over N.

with peak RSS (GNU time). OUT.json is a temp file, not /dev/null: ``-o`` writes through a
temp file in the target's folder and renames it over the target, which would replace the
device node /dev/null with a regular file when run as root. Reported: time per file and
t(1000)/t(100) (linear is 10; the target is under 10, i.e. the fixed start-up cost
amortised and nothing worse than linear).

    python benchmarks/bench_scale.py [--quick] [--repeat N] [--sizes 1,10,100,1000]
"""

from __future__ import annotations

import copy
import json
import os
import random
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import benchutil as bu
import common
import yaml

import ics_rules

NAME = "bench_scale"
SEED = 20221
WORDS = ("North", "South", "East", "West", "Central", "Greater", "Upper", "Lower", "Coastal",
         "Valley", "Moor", "Forest", "Fen", "Dale", "Marsh", "Vale")
_ENUMISH = re.compile(r"^[a-z][a-z0-9_]*$")
_KEEP = {"schema", "id", "role", "name"}  # never dropped (required, or identifies an entry)


def bases() -> list[Path]:
    """The bundled example and every real constitution."""
    return [bu.ROOT / "constitutions" / "example.yaml",
            *sorted((bu.ROOT / "constitutions" / "real").glob("*.yaml"))]


def _read(path: Path) -> dict[str, Any]:
    """A constitution file's raw data (dates stay dates)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every scalar leaf as (path, value); list items are addressed by index."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(node, list) and node and all(isinstance(x, dict) for x in node):
        for i, v in enumerate(node):
            yield from _leaves(v, (*path, i))
    else:
        yield path, node


def _shape(path: tuple[Any, ...]) -> tuple[Any, ...]:
    """A path with list indices blanked: the place a value sits in the format."""
    return tuple("[]" if isinstance(p, int) else p for p in path)


def value_pools(datas: list[dict[str, Any]]) -> dict[tuple[Any, ...], list[str]]:
    """Enumeration-like string values seen at each place in the examples (sorted)."""
    pools: dict[tuple[Any, ...], set[str]] = {}
    for data in datas:
        for path, value in _leaves(data):
            if isinstance(value, str) and _ENUMISH.match(value) and path[-1] not in _KEEP:
                pools.setdefault(_shape(path), set()).add(value)
    return {k: sorted(v) for k, v in pools.items() if len(v) > 1}


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for p in path[:-1]:
        data = data[p]
    return data


def mutate(data: dict[str, Any], rng: random.Random,
           pools: dict[tuple[Any, ...], list[str]], count: int) -> list[str]:
    """Apply ``count`` random changes in place; return a description of each."""
    done: list[str] = []
    for _ in range(count):
        leaves = [(p, v) for p, v in _leaves(data) if p and p[-1] not in _KEEP]
        if not leaves:
            break
        kind = rng.choice(("flip", "swap", "drop"))
        if kind == "flip":
            cands = [(p, v) for p, v in leaves if isinstance(v, bool)]
        elif kind == "swap":
            cands = [(p, v) for p, v in leaves if isinstance(v, str) and _shape(p) in pools]
        else:
            cands = leaves
        if not cands:
            continue
        path, value = rng.choice(cands)
        parent = _parent(data, path)
        shown = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)[1:]
        if kind == "flip":
            parent[path[-1]] = not value
            done.append(f"flip {shown}")
        elif kind == "swap":
            parent[path[-1]] = rng.choice([x for x in pools[_shape(path)] if x != value])
            done.append(f"swap {shown}: {value} -> {parent[path[-1]]}")
        else:
            del parent[path[-1]]
            done.append(f"drop {shown}")
    return done


def _loads(path: Path) -> bool:
    """Whether ics-rules accepts the file (schema, references, limits)."""
    try:
        ics_rules.load_constitution(str(path))
    except Exception:  # any refusal means "generate another variant"
        return False
    return True


def generate(folder: Path, n: int, seed: int = SEED) -> dict[str, Any]:
    """Write ``n`` valid variant constitutions into ``folder``; return generation stats."""
    files = bases()
    datas = [_read(p) for p in files]
    usable = [(p, d) for p, d in zip(files, datas, strict=True)]
    pools = value_pools(datas)
    folder.mkdir(parents=True, exist_ok=True)
    stats = {"bases": [str(p.relative_to(bu.ROOT)) for p in files], "retries": 0,
             "mutations": 0, "unchanged_facts": 0, "fallback_name_only": 0, "seed": seed}
    for i in range(n):
        base_path, base = usable[i % len(usable)]
        target = folder / f"c{i:04d}.yaml"
        for attempt in range(6):
            rng = random.Random(f"{seed}:{i}:{attempt}")
            data = copy.deepcopy(base)
            word = rng.choice(WORDS)
            if rng.random() < 0.1:
                data["icb"]["name"] = f"{word} Variant {i} ICB"  # breaks the naming guidance
            else:
                data["icb"]["name"] = f"NHS {word} Variant {i:04d} Integrated Care Board"
            count = 0 if attempt == 5 else rng.choice((0, 1, 2, 3, 4))
            changes = mutate(data, rng, pools, count)
            header = (f"# generated by benchmarks/bench_scale.py (seed {seed}, file {i}, attempt "
                      f"{attempt}) from {base_path.relative_to(bu.ROOT)}\n"
                      + "".join(f"# {c}\n" for c in changes))
            target.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True,
                                                      width=100), encoding="utf-8")
            if _loads(target):
                stats["mutations"] += len(changes)
                stats["unchanged_facts"] += not changes
                stats["fallback_name_only"] += attempt == 5
                break
            stats["retries"] += 1
        else:  # pragma: no cover - attempt 5 changes only the name, which always loads
            raise RuntimeError(f"could not generate a valid variant of {base_path}")
    return stats


def subset(src: Path, dst: Path, n: int) -> None:
    """A folder holding the first ``n`` generated files (hard links when possible)."""
    dst.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        name = f"c{i:04d}.yaml"
        try:
            os.link(src / name, dst / name)
        except OSError:
            shutil.copyfile(src / name, dst / name)


def main(argv: list[str] | None = None) -> int:
    """Generate the corpora, time one check per size, print the tables, write the JSON."""
    p = bu.parser(__doc__.splitlines()[0])
    p.add_argument("--sizes", default=None, help="comma-separated N (default 1,10,100,1000; "
                   "1,10 with --quick)")
    p.add_argument("--keep", metavar="DIR", help="generate into DIR and keep the files")
    args = p.parse_args(argv)
    bu.setup(args)
    sizes = [int(x) for x in (args.sizes or ("1,10" if args.quick else "1,10,100,1000"))
             .split(",")]
    n = bu.repeat(args, normal=5, quick=1)
    warmup = 0 if args.quick else 1
    results: list[common.Timing] = []
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="ics-bench-scale-") as tmp_name:
        tmp = Path(tmp_name)
        corpus = Path(args.keep).resolve() if args.keep else tmp / "all"
        print(f"generating {max(sizes)} constitutions from {len(bases())} bases "
              f"(seed {SEED}) ...", flush=True)
        stats = generate(corpus, max(sizes))
        print(f"  {stats['mutations']} changes in all, {stats['unchanged_facts']} files with "
              f"only a new name, {stats['retries']} variants regenerated because they did "
              f"not load")
        cache = tmp / "cache"
        env = bu.child_env({"ICS_RULES_CACHE_DIR": str(cache)})
        ics = bu.ics_rules_argv()
        warm = common.run_once([*ics, "check", str(corpus / "c0000.yaml"), "-q",
                                "--fail-on", "never"], cwd=bu.ROOT, env=env)
        if warm[0] != 0:
            print(f"error: warming the cache failed:\n{warm[4]}{warm[5]}", file=sys.stderr)
            return 2
        print(f"ruleset cache warmed once before timing (ICS_RULES_CACHE_DIR={cache}); "
              f"{n} timed runs per size after {warmup} warm-up run(s); peak RSS from one "
              "extra run\n")
        cores = os.cpu_count() or 1
        for size in sizes:
            folder = tmp / f"n{size}"
            subset(corpus, folder, size)
            outputs: dict[int, bytes] = {}
            for jobs in [1] + ([cores] if size >= 100 and cores > 1 else []):
                out = tmp / f"out-{size}-{jobs}.json"
                argv = [*ics, "check", str(folder), "--format", "json", "-o", str(out),
                        "--fail-on", "never", "--jobs", str(jobs)]
                print(f"  timing N={size} --jobs {jobs} ...", flush=True)
                t = common.time_subprocess(f"N={size} jobs={jobs}", argv, repeat=n,
                                           warmup=warmup, cwd=bu.ROOT, env=env, ok_codes=(0,))
                outputs[jobs] = out.read_bytes()
                report = json.loads(outputs[jobs])
                checked = report["results"]
                failing = sum(1 for r in checked if r["summary"]["fail"])
                if len(checked) != size:
                    print(f"error: N={size}: {len(checked)} constitutions in the output",
                          file=sys.stderr)
                    return 1
                cpu_per_file = (t.cpu_ms or 0.0) / size
                t.meta.update({"files": size, "jobs": jobs, "files_with_failures": failing,
                               "per_file_ms": t.median / size, "cpu_per_file_ms": cpu_per_file})
                results.append(t)
                rows.append({"n": size, "jobs": jobs, "median_s": t.median / 1e3,
                             "per_file_ms": t.median / size, "cpu_per_file_ms": cpu_per_file,
                             "min_s": t.min / 1e3, "max_s": t.max / 1e3,
                             "peak_rss_mib": (t.peak_rss_kib or 0) / 1024,
                             "files_with_failures": failing})
            if len(set(outputs.values())) != 1:
                print(f"error: N={size}: --jobs changed the output", file=sys.stderr)
                return 1

    print()
    print(common.format_table(results, baseline=results[0].name, unit="s",
                              title=f"ics-rules check DIR --format json ({n} runs per N)"))
    print()
    print("| N | jobs | median s | wall per file ms | CPU per file ms | files failing some rule "
          "| peak RSS MiB |")
    print("|--:|--:|--:|--:|--:|--:|--:|")
    for r in rows:
        print(f"| {r['n']} | {r['jobs']} | {r['median_s']:.3f} | {r['per_file_ms']:.2f} | "
              f"{r['cpu_per_file_ms']:.2f} | {r['files_with_failures']} | "
              f"{r['peak_rss_mib']:.1f} |")
    serial = [t for t in results if t.meta["jobs"] == 1]
    parallel = [t for t in results if t.meta["jobs"] > 1]
    for t in parallel:
        one = next(s for s in serial if s.meta["files"] == t.meta["files"])
        print(f"\nN={t.meta['files']}: --jobs {t.meta['jobs']} takes "
              f"{t.median / one.median:.2f}x the wall time of --jobs 1 "
              f"({t.median / 1e3:.2f} s against {one.median / 1e3:.2f} s)")
    ratio = None
    if len(serial) >= 2:
        a, b = serial[-2], serial[-1]
        ratio = b.median / a.median
        worst = b.max / a.min
        size_ratio = b.meta["files"] / a.meta["files"]
        verdict = "meets" if ratio < size_ratio else "MISSES"
        print(f"\nt({b.meta['files']})/t({a.meta['files']}) = {ratio:.2f} from medians "
              f"(worst case max/min {worst:.2f}); target under {size_ratio:g}: {verdict}")
    print(f"load average after: {bu.load_average()}")
    extra = {"sizes": sizes, "repeat": n, "quick": args.quick, "generation": stats,
             "rows": rows, "ratio_last_two": ratio,
             "command": "python -m ics_rules check DIR --format json -o TMP.json "
                        "--fail-on never (warm ruleset cache)"}
    path = common.write_json(results, NAME, extra)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

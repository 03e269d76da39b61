"""The pre-commit case: wall time of one ``ics-rules check FILE``, beside the peer CLIs.

Measured, each as a whole command (interpreter or node start-up included):

* ``python -m ics_rules check FILE`` with this interpreter, all bundled rulesets, the ruleset
  cache warmed once before timing (the baseline of the ratios);
* the same through the installed ``ics-rules`` console script, when one is on PATH;
* ``--ruleset benchmarks/ten.rules``: only the ten benchmark rules, like for like with Spectral;
* both again with a cold cache (``ICS_RULES_CACHE_DIR`` = a new empty dir for every run, so
  every run parses and checks the rulesets with Lark and writes the cache);
* the wheel built from this tree (``pip wheel --no-deps``), unpacked and byte-compiled as
  ``pip install`` leaves it, run from outside the tree with a warm and with an empty cache:
  the first run after an install, which the prebuilt rulesets shipped in the wheel serve;
* ``python -c pass``: the interpreter's own start-up, the floor of any Python CLI;
* ``python -c 'import click, yaml, re2, ...'``: the libraries a check imports, no work (the
  floor of any check built on them);
* ``check-jsonschema --schemafile <ics-rules schema> FILE``: structure only, no rules;
* ``spectral lint FILE --ruleset benchmarks/peers/spectral-ruleset.yaml``: the ten rules.

    python benchmarks/bench_cli.py [--quick] [--repeat N] [--file FILE]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import benchutil as bu
import common

NAME = "bench_cli"
# What a one-file check imports that is not ics-rules' own (from `python -X importtime`):
# the floor under any check written with these libraries.
DEPENDENCIES = ("import click, yaml, re2, dataclasses, json, hashlib, datetime, pathlib, "
                "typing, shutil")


def _version(argv: list[str]) -> str:
    """First line of a tool's ``--version`` output (for the record)."""
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    return (proc.stdout or proc.stderr).strip().splitlines()[0] if (proc.stdout or proc.stderr) \
        else "unknown"


def main(argv: list[str] | None = None) -> int:
    """Time the commands, print the table, write benchmarks/out/bench_cli.json."""
    p = bu.parser(__doc__.splitlines()[0])
    p.add_argument("--file", default=str(bu.COMPLIANT),
                   help="constitution to check (default: benchmarks/data/compliant.yaml)")
    args = p.parse_args(argv)
    bu.setup(args)
    n = bu.repeat(args, normal=20, quick=1)
    n_cold = bu.repeat(args, normal=10, quick=1) if args.repeat is None else n
    warmup = 0 if args.quick else 1
    target = str(Path(args.file).resolve())
    ics = bu.ics_rules_argv()
    results: list[common.Timing] = []
    skipped: list[dict[str, str]] = []
    versions: dict[str, str] = {"ics-rules": _version([*ics, "--version"])}

    with tempfile.TemporaryDirectory(prefix="ics-bench-warm-") as warm_dir, \
            tempfile.TemporaryDirectory(prefix="ics-bench-schema-") as schema_dir:
        warm_env = bu.child_env({"ICS_RULES_CACHE_DIR": warm_dir})
        check = [*ics, "check", target]
        check_ten = [*ics, "check", "--ruleset", str(bu.TEN_RULES), target]
        # Warm the ruleset cache once, outside the timings (time_subprocess's own warm-up
        # run would do it too; doing it here makes the state explicit).
        for cmd in (check, check_ten):
            code, *_ = common.run_once(cmd, cwd=bu.ROOT, env=warm_env)
            if code not in (0, 1):
                print(f"error: {' '.join(cmd)} exited {code}", file=sys.stderr)
                return 2
        cached = sorted(Path(warm_dir).glob("ruleset-*.json"))
        print(f"ruleset cache warmed once before timing: {len(cached)} compiled rulesets in "
              f"ICS_RULES_CACHE_DIR={warm_dir}; cold rows use a new empty dir per run")
        print(f"file: {target}; {n} timed runs per command after {warmup} warm-up run(s) "
              f"({n_cold} for the cold-cache rows, no warm-up); peak RSS from one extra run\n")

        def run(name: str, cmd: list[str], env: dict[str, str] | None = None,
                ok: tuple[int, ...] = (0, 1)) -> None:
            print(f"  timing {name} ...", flush=True)
            results.append(common.time_subprocess(
                name, cmd, repeat=n, warmup=warmup, cwd=bu.ROOT, env=env, ok_codes=ok))

        baseline = "ics-rules check (python -m, warm cache)"
        run(baseline, check, warm_env)
        script = bu.console_script()
        if script:
            run("ics-rules check (console script, warm cache)", [script, "check", target],
                warm_env)
            results[-1].meta["console_script"] = script
        else:
            skipped.append(bu.skipped("ics-rules console script", "no ics-rules on PATH "
                                      "(pip install . to add it)"))
        run("ics-rules check ten.rules (warm cache)", check_ten, warm_env)
        for name, cmd in (("ics-rules check (cold cache)", check),
                          ("ics-rules check ten.rules (cold cache)", check_ten)):
            print(f"  timing {name} ...", flush=True)
            results.append(bu.time_fresh(
                name, cmd, lambda tmp: bu.child_env({"ICS_RULES_CACHE_DIR": tmp}),
                repeat=n_cold, cwd=bu.ROOT, ok_codes=(0, 1)))
        wheel_rows(args, target, n, n_cold, results, skipped)
        run("python -c pass (interpreter start-up)", [sys.executable, "-c", "pass"], warm_env,
            ok=(0,))
        run("python -c 'import click, yaml, re2, ...' (the check's libraries)",
            [sys.executable, "-c", DEPENDENCIES], warm_env, ok=(0,))

        cjs = bu.peer_tool(args, bu.CHECK_JSONSCHEMA)
        if cjs is None:
            skipped.append(bu.skipped("check-jsonschema", bu.peers_missing(args)))
        else:
            schema = Path(schema_dir) / "ics-constitution-1.schema.json"
            proc = subprocess.run([*ics, "schema"], cwd=bu.ROOT, env=warm_env,
                                  capture_output=True, check=True)
            schema.write_bytes(proc.stdout)
            versions["check-jsonschema"] = _version([str(cjs), "--version"])
            run("check-jsonschema (schema only)",
                [str(cjs), "--schemafile", str(schema), target], warm_env, ok=(0, 1))
        spectral = bu.peer_tool(args, bu.SPECTRAL)
        if spectral is None:
            skipped.append(bu.skipped("spectral", bu.peers_missing(args)))
        else:
            versions["spectral"] = _version([str(spectral), "--version"])
            run("spectral lint (ten rules)",
                [str(spectral), "lint", target, "--ruleset", str(bu.SPECTRAL_RULESET),
                 "--quiet"], warm_env, ok=(0, 1))

    print()
    print(common.format_table(results, baseline=baseline, unit="ms",
                              title=f"One constitution from the command line ({n} runs)"))
    print(f"\nload average after: {bu.load_average()}")
    extra: dict[str, Any] = {
        "file": target,
        "repeat": n,
        "repeat_cold": n_cold,
        "quick": args.quick,
        "cache": "warmed once before timing in a private ICS_RULES_CACHE_DIR; cold rows use "
                 "a new empty ICS_RULES_CACHE_DIR per run",
        "bytecode": f"PYTHONPYCACHEPREFIX={bu.PYCACHE}, PYTHONDONTWRITEBYTECODE unset",
        "versions": versions,
        "skipped": skipped,
    }
    path = common.write_json(results, NAME, extra)
    print(f"wrote {path}")
    return 0


def wheel_rows(args: Any, target: str, n: int, n_cold: int, results: list[common.Timing],
               skipped: list[dict[str, str]]) -> None:
    """Time `check` from the wheel of this tree, installed as pip would (unpacked, compiled),
    with a warm cache and with a new empty one per run (issue 14: at most 1.25x)."""
    import compileall
    import zipfile

    with tempfile.TemporaryDirectory(prefix="ics-bench-wheel-") as tmp:
        built = Path(tmp) / "dist"
        print("  building the wheel ...", flush=True)
        proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                               str(built), str(bu.ROOT)], capture_output=True, text=True,
                              check=False, timeout=600)
        wheels = sorted(built.glob("ics_rules-*.whl"))
        if proc.returncode != 0 or not wheels:
            skipped.append(bu.skipped("ics-rules installed wheel",
                                      f"pip wheel failed: {proc.stderr.strip()[-300:]}"))
            return
        site = Path(tmp) / "site"
        with zipfile.ZipFile(wheels[0]) as zf:
            zf.extractall(site)
        compileall.compile_dir(str(site), quiet=1)

        def env(cache: str) -> dict[str, str]:
            out = bu.child_env({"ICS_RULES_CACHE_DIR": cache})
            out["PYTHONPATH"] = str(site)  # the wheel only, never this tree
            out["PYTHONDONTWRITEBYTECODE"] = "1"  # as installed: compiled once, by pip
            out.pop("PYTHONPYCACHEPREFIX", None)
            return out

        cmd = [sys.executable, "-m", "ics_rules", "check", target]
        with tempfile.TemporaryDirectory(prefix="ics-bench-wheel-warm-") as warm:
            name = "ics-rules check (installed wheel, warm cache)"
            print(f"  timing {name} ...", flush=True)
            results.append(common.time_subprocess(name, cmd, repeat=n, warmup=1, cwd=tmp,
                                                  env=env(warm), ok_codes=(0, 1)))
        name = "ics-rules check (installed wheel, empty cache)"
        print(f"  timing {name} ...", flush=True)
        results.append(bu.time_fresh(name, cmd, env, repeat=n_cold, cwd=tmp, ok_codes=(0, 1)))
        for row in results[-2:]:
            row.meta["wheel"] = wheels[0].name


if __name__ == "__main__":
    sys.exit(main())

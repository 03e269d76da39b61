"""Prove the four peers encode the same ten rules: compliant.yaml passes all, broken.yaml fails all.

Run with the peers' venv (``benchmarks/setup.sh`` makes it); any other interpreter re-executes
itself under that venv:  benchmarks/.peers/venv/bin/python benchmarks/peers/selfcheck.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent.parent
PEERS_VENV_PY = BENCH / ".peers" / "venv" / "bin" / "python"
SPECTRAL = BENCH / ".peers" / "npm" / "node_modules" / ".bin" / "spectral"
RULESET = BENCH / "peers" / "spectral-ruleset.yaml"
FIXTURES = {
    "compliant": BENCH / "data" / "compliant.yaml",
    "broken": BENCH / "data" / "broken.yaml",
}
EXPECTED = {"compliant": True, "broken": False}


def _ensure_peer_venv() -> None:
    """Re-run this script under the peers' venv when rule-engine or celpy is not importable."""
    try:
        import celpy  # noqa: F401
        import rule_engine  # noqa: F401
        import yaml  # noqa: F401
    except ImportError:
        in_venv = Path(sys.prefix).resolve() == PEERS_VENV_PY.parent.parent.resolve()
        if PEERS_VENV_PY.exists() and not in_venv:
            os.execv(str(PEERS_VENV_PY), [str(PEERS_VENV_PY), __file__, *sys.argv[1:]])
        sys.exit("selfcheck: peers not installed; run benchmarks/setup.sh first")


def spectral_check(path: Path) -> dict[str, bool]:
    """Run the Spectral CLI on one file; a rule passes when it reports no error for it."""
    from peers import RULE_IDS

    proc = subprocess.run(
        [str(SPECTRAL), "lint", str(path), "--ruleset", str(RULESET), "-f", "json", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"spectral exited {proc.returncode}: {proc.stderr or proc.stdout}")
    results: list[dict[str, Any]] = json.loads(proc.stdout or "[]")
    failed = {r["code"] for r in results if r.get("severity") == 0}  # 0 = error
    unknown = failed - set(RULE_IDS)
    if unknown:
        raise RuntimeError(f"spectral reported unexpected codes: {sorted(unknown)}")
    return {rid: rid not in failed for rid in RULE_IDS}


DRAFT = "schema: ics-constitution/1\nicb:\n  name: NHS Draft Integrated Care Board\n"


def main() -> int:
    """Check every peer on the fixtures, print a pass/fail grid, exit non-zero on a mismatch.

    compliant.yaml and broken.yaml run with strict rule-engine/CEL evaluation (an error is a
    mismatch, so a "fail" is a real false); a bare draft (no board, no committees) runs in the
    normal mode, where a missing fact must fail, never pass.
    """
    _ensure_peer_venv()
    sys.path.insert(0, str(BENCH))
    from peers import RULE_IDS, cel_rules, load_yaml, plain_rules, rule_engine_rules

    def run_all(rules: Mapping[str, Callable[[Any], bool]], prepared: Any) -> dict[str, bool]:
        """Evaluate compiled rules on one prepared document."""
        return {rid: rule(prepared) for rid, rule in rules.items()}

    strict = {
        "rule-engine": rule_engine_rules.compile_rules(strict=True),
        "cel": cel_rules.compile_rules(strict=True),
    }
    peers: dict[str, Callable[[Path, bool], dict[str, bool]]] = {
        "plain": lambda p, _s: plain_rules.check(load_yaml(p)),
        "rule-engine": lambda p, s: (
            run_all(strict["rule-engine"], load_yaml(p))
            if s
            else rule_engine_rules.check(load_yaml(p))
        ),
        "cel": lambda p, s: (
            run_all(strict["cel"], cel_rules.prepare(load_yaml(p)))
            if s
            else cel_rules.check(load_yaml(p))
        ),
        "spectral": lambda p, _s: spectral_check(p),
    }
    problems: list[str] = []
    width = max(len(r) for r in RULE_IDS)
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / "draft.yaml"
        draft.write_text(DRAFT, encoding="utf-8")
        cases = [
            ("compliant.yaml", FIXTURES["compliant"], True, True),
            ("broken.yaml", FIXTURES["broken"], False, True),
            ("draft (no board, no committees)", draft, False, False),
        ]
        for label, path, expected, strict_mode in cases:
            grid: dict[str, dict[str, bool]] = {}
            for name, check in peers.items():
                try:
                    grid[name] = check(path, strict_mode)
                except Exception as exc:  # a strict evaluation error is a mismatch
                    problems.append(f"{name}: {label}: {type(exc).__name__}: {exc}")
                    grid[name] = {}
            print(f"\n{label} (expect every rule to {'pass' if expected else 'fail'})")
            print(
                ("  " + "rule".ljust(width) + "  " + "  ".join(n.ljust(11) for n in peers)).rstrip()
            )
            for rid in RULE_IDS:
                cells = []
                for name in peers:
                    got = grid[name].get(rid)
                    mark = "error" if got is None else "pass" if got else "fail"
                    if got is not expected:
                        mark += " !!"
                        problems.append(f"{name}: {rid} on {label} gave {mark}")
                    cells.append(mark.ljust(11))
                print(("  " + rid.ljust(width) + "  " + "  ".join(cells)).rstrip())
    total = len(peers) * len(cases) * len(RULE_IDS)
    print(f"\n{total - len(problems)} passed, {len(problems)} failed")
    for problem in problems:
        print("  MISMATCH", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

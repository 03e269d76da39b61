"""Baselines: the findings of an earlier run, so `check --baseline FILE` reports only new ones.

A finding is matched by its rule, the ICB and the deciding fact named by its stable path
(list items by id), never by line, so moving text around does not bring back a known
finding. `check --write-baseline FILE` writes the JSON results of the run with each failing
finding's fingerprint; any `check --format json` output also works as a baseline, matched on
the fact path it recorded.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .engine import Finding, Result
from .errors import InputError
from .facts import key_of, stable_path
from .loader import LoadedConstitution, read_text

Key = tuple[str, str, str]


def deciding_fact(f: Finding, c: LoadedConstitution) -> str:
    """The stable path of the fact a finding points at ("" when it points at the file)."""
    fact = f.location.fact if f.location is not None else None
    if not fact:
        return ""
    key = key_of(c.data, fact)
    return stable_path(c.data, key) if key is not None else fact


def fingerprint(f: Finding, result: Result, c: LoadedConstitution) -> Key:
    """What identifies a finding across versions: rule, ICB, deciding fact."""
    return (f.rule, result.icb, deciding_fact(f, c))


def _raw_key(f: Finding, result: Result) -> Key:
    fact = f.location.fact if f.location is not None else None
    return (f.rule, result.icb, fact or "")


@dataclass(frozen=True)
class Baseline:
    """The failing findings of an earlier run, by fingerprint (and by recorded fact path for
    results files written without fingerprints)."""

    path: str
    keys: frozenset[Key] = field(default_factory=frozenset)
    raw_keys: frozenset[Key] = field(default_factory=frozenset)

    def __len__(self) -> int:
        return len(self.keys) + len(self.raw_keys)

    def known(self, f: Finding, result: Result, c: LoadedConstitution) -> bool:
        """Whether a finding was already in the baseline."""
        return fingerprint(f, result, c) in self.keys or _raw_key(f, result) in self.raw_keys

    def apply(self, result: Result, c: LoadedConstitution) -> Result:
        """The result without the failures the baseline knows (counted out of the summary
        and the exit status), with a note saying how many were left out."""
        kept = [f for f in result.findings if f.outcome != "fail" or not self.known(f, result, c)]
        dropped = len(result.findings) - len(kept)
        if not dropped:
            return result
        note = (f"{dropped} finding{'s' if dropped != 1 else ''} already in the baseline "
                f"{self.path} {'are' if dropped != 1 else 'is'} not shown")
        return dataclasses.replace(result, findings=kept, notes=[*result.notes, note])


def load_baseline(path: str) -> Baseline:
    """Read a baseline (or any `check --format json` results file); InputError if unusable."""
    text, _ = read_text(Path(path), path)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", path, exc.lineno, exc.colno,
                         source=text) from None
    results = doc.get("results") if isinstance(doc, dict) else None
    if not isinstance(results, list):
        raise InputError("not a results file: expected the JSON output of 'ics-rules check "
                         "--format json' or '--write-baseline' (a 'results' list)", path, 1, 1,
                         hint="write one with: ics-rules check FILE --write-baseline " + path)
    keys: set[Key] = set()
    raw: set[Key] = set()
    for i, r in enumerate(results):
        if not isinstance(r, dict) or not isinstance(r.get("findings"), list) \
                or not isinstance(r.get("icb"), str):
            raise InputError(f"results[{i}] has no 'icb' and 'findings'", path)
        for f in r["findings"]:
            if not isinstance(f, dict) or f.get("outcome") != "fail" \
                    or not isinstance(f.get("rule"), str):
                continue
            fp = f.get("fingerprint")
            if isinstance(fp, dict) and isinstance(fp.get("fact"), str):
                keys.add((f["rule"], r["icb"], fp["fact"]))
                continue
            loc = f.get("location") if isinstance(f.get("location"), dict) else {}
            fact = loc.get("fact") if isinstance(loc.get("fact"), str) else ""
            raw.add((f["rule"], r["icb"], fact))
    return Baseline(path, frozenset(keys), frozenset(raw))


class BaselineWriter:
    """Collects each result of a run (before any baseline is applied) and renders the
    baseline file: the JSON results document, each failure with its fingerprint."""

    def __init__(self) -> None:
        self.entries: list[tuple[Result, dict[int, Key]]] = []

    def add(self, result: Result, c: LoadedConstitution) -> None:
        """Record one constitution's result."""
        prints = {i: fingerprint(f, result, c) for i, f in enumerate(result.findings)
                  if f.outcome == "fail"}
        self.entries.append((result, prints))

    @property
    def failures(self) -> int:
        """How many failing findings the baseline records."""
        return sum(len(p) for _, p in self.entries)

    def render(self, rulesets: Any, as_of: Any) -> str:
        """The baseline file's text (byte-identical for the same run)."""
        from .report.json_report import document, dumps

        doc = document([r for r, _ in self.entries], rulesets, as_of)
        for (_, prints), out in zip(self.entries, doc["results"], strict=True):
            for i, (rule, icb, fact) in prints.items():
                out["findings"][i]["fingerprint"] = {"rule": rule, "icb": icb, "fact": fact}
        return dumps(doc) + "\n"

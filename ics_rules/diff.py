"""What an amendment changes: the facts two versions of a constitution state differently, and
the requirements that newly fail, newly pass, still fail, or change strength or scope.

Pure: it takes two loaded constitutions and their results under the same rulesets, date and
options, and returns a `Diff` that every diff reporter renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .engine import SEVERITY_ORDER, Finding, Location, Result
from .facts import fact_location, same_value, stated_facts
from .loader import LoadedConstitution

FACT_KINDS = ("changed", "removed", "added")
# Requirement changes in the order a reviewer reads them: what the amendment breaks first.
RULE_KINDS = ("newly_failing", "changed_strength", "still_failing", "newly_passing",
              "changed_scope")
RULE_KIND_LABELS = {
    "newly_failing": "Newly failing",
    "changed_strength": "Still failing, with a different severity or basis",
    "still_failing": "Still failing",
    "newly_passing": "No longer failing",
    "changed_scope": "Changed scope (applies, or is assessed, differently)",
}


@dataclass(frozen=True, slots=True)
class FactChange:
    """One fact stated differently: `old`/`new` are None when the fact is not stated."""

    kind: str  # added, removed or changed
    path: str  # stable path: list items named by id
    old: Any
    new: Any
    old_location: Location | None
    new_location: Location | None


@dataclass(frozen=True, slots=True)
class RuleChange:
    """One requirement whose outcome differs, with both findings (same shape as `check`)."""

    kind: str
    rule: str
    old: Finding
    new: Finding


@dataclass(frozen=True)
class Diff:
    """The whole comparison of OLD with NEW."""

    old: Result
    new: Result
    facts: tuple[FactChange, ...]
    rules: tuple[RuleChange, ...]

    def of_kind(self, kind: str) -> list[RuleChange]:
        """The requirement changes of one kind, in rule order."""
        return [r for r in self.rules if r.kind == kind]

    def facts_of_kind(self, kind: str) -> list[FactChange]:
        """The fact changes of one kind, in file order."""
        return [f for f in self.facts if f.kind == kind]

    @property
    def empty(self) -> bool:
        """Nothing stated differently and no requirement affected."""
        return not self.facts and not self.rules

    def introduced(self, fail_on: str) -> list[RuleChange]:
        """Failures NEW introduces at or above `fail_on`: newly failing requirements, and
        failing ones whose severity rose to or above it."""
        if fail_on == "never":
            return []
        floor = SEVERITY_ORDER.get(fail_on, 1)
        out = []
        for r in self.rules:
            new_rank = SEVERITY_ORDER[r.new.severity]
            if (r.kind == "newly_failing" and new_rank >= floor) or (
                    r.kind == "changed_strength" and new_rank >= floor
                    and SEVERITY_ORDER[r.old.severity] < floor):
                out.append(r)
        return out


def compare_facts(old: LoadedConstitution, new: LoadedConstitution) -> list[FactChange]:
    """Facts added, removed and changed between two versions, in the order of NEW's file
    (removed facts in the order of OLD's), each with its location in each file."""
    a, b = stated_facts(old.data), stated_facts(new.data)
    changes: list[tuple[tuple[int, int], FactChange]] = []
    for path, fact in b.items():
        before = a.get(path)
        if before is not None and same_value(before.value, fact.value):
            continue
        kind = "added" if before is None else "changed"
        loc = fact_location(new, fact.key, path)
        old_loc = fact_location(old, before.key, path) if before is not None else None
        changes.append(((0, loc.line or 0), FactChange(
            kind, path, None if before is None else before.value, fact.value, old_loc, loc)))
    for path, fact in a.items():
        if path not in b:
            loc = fact_location(old, fact.key, path)
            changes.append(((1, loc.line or 0), FactChange("removed", path, fact.value, None,
                                                           loc, None)))
    changes.sort(key=lambda pair: pair[0])
    return [c for _, c in changes]


def _basis(f: Finding) -> Any:
    return getattr(f, "basis", None)


def classify(old: Finding, new: Finding) -> str | None:
    """The kind of change from one finding of a rule to the next (None: unchanged)."""
    if new.outcome == "fail" and old.outcome != "fail":
        return "newly_failing"
    if old.outcome == "fail" and new.outcome != "fail":
        return "newly_passing"
    if old.outcome == "fail":
        if old.severity != new.severity or _basis(old) != _basis(new):
            return "changed_strength"
        return "still_failing"
    if old.outcome != new.outcome:
        return "changed_scope"
    return None


def compare_results(old: Result, new: Result) -> list[RuleChange]:
    """Requirement changes, rule by rule, in the order the rules are evaluated."""
    before = {f.rule: f for f in old.findings}
    out = []
    for f in new.findings:
        prior = before.get(f.rule)
        if prior is None:
            continue
        kind = classify(prior, f)
        if kind is not None:
            out.append(RuleChange(kind, f.rule, prior, f))
    return out


def diff(old: LoadedConstitution, new: LoadedConstitution, old_result: Result,
         new_result: Result) -> Diff:
    """Compare two versions already evaluated under the same rulesets and options."""
    return Diff(old_result, new_result, tuple(compare_facts(old, new)),
                tuple(compare_results(old_result, new_result)))


def compare(old: LoadedConstitution, new: LoadedConstitution, rulesets: Any,
            as_of: Any, describes: Any = None) -> Diff:
    """Evaluate both versions under the same rulesets, date and `describes` (None: what
    each file says it describes), then compare them."""
    from .engine import evaluate

    return diff(old, new, evaluate(old, rulesets, as_of, None, describes),
                evaluate(new, rulesets, as_of, None, describes))

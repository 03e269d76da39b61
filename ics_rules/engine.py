"""Evaluate compiled rules on constitutions: outcomes, evidence, locations and waivers.

`evaluate` is pure: the same constitution, rulesets, date and waivers give the same result,
so callers can evaluate many constitutions (or many versions of one) against one compiled set.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .evidence import describes as what_is_described
from .evidence import not_assessed_message
from .loader import LoadedConstitution, format_path
from .rulesets import CompiledRule, CompiledRuleset, Rulesets

OUTCOMES = ("pass", "fail", "not_applicable", "not_in_force", "waived", "not_assessed")
BASES = ("silent", "contradicts")  # why a rule failed: a fact not stated, or stated otherwise
BASIS_WORDS = {"silent": "the constitution does not state the deciding fact",
               "contradicts": "the constitution states something the requirement rules out"}
SEVERITY_ORDER = {"error": 3, "warning": 2, "info": 1}


@dataclass(frozen=True)
class Location:
    """Where a finding points in the constitution file."""

    path: str
    line: int | None = None
    column: int | None = None
    fact: str | None = None  # the dotted path of the fact in the file's structure


@dataclass(slots=True)
class Finding:
    """The outcome of one rule on one constitution (treat as read-only once made).

    Not a frozen dataclass: a frozen one costs about 2 us to build against 0.4 us, and one is
    built for every rule on every constitution.
    """

    rule: str
    title: str
    outcome: str
    severity: str
    strength: str
    citation: str
    message: str
    ruleset: str
    evidence: dict[str, Any] = field(default_factory=dict)
    location: Location | None = None
    waiver: dict[str, Any] | None = None
    basis: str | None = None  # on a failure: one of BASES


@dataclass
class Result:
    """Every finding for one constitution."""

    constitution: str
    sha256: str
    icb: str
    as_of: datetime.date
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)
    version: str | None = None
    # What the file was taken to describe (see `evidence.describes`) and where that came from.
    describes: tuple[str, ...] = ("constitution", "icb", "system")
    describes_source: str = "default"

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for f in self.findings:
            counts[f.outcome] += 1
        return counts

    def failures(self, at_least: str = "info") -> list[Finding]:
        """Failed findings whose severity is at least `at_least`."""
        floor = SEVERITY_ORDER.get(at_least, 1)
        return [f for f in self.findings
                if f.outcome == "fail" and SEVERITY_ORDER[f.severity] >= floor]


def in_force(rule: Any, as_of: datetime.date) -> bool:
    """Whether the rule applies on `as_of` (from inclusive, until exclusive)."""
    if rule.in_force_from is not None and as_of < rule.in_force_from:
        return False
    return not (rule.in_force_until is not None and as_of >= rule.in_force_until)


def evaluate(constitution: LoadedConstitution, rulesets: Rulesets,
             as_of: datetime.date | None = None, waivers: Any = None,
             describes: Iterable[str] | None = None) -> Result:
    """Evaluate every rule of `rulesets` on one constitution as of a date.

    `describes` (the `--describes` option) overrides what the file says it describes; rules
    whose evidence lies outside it are `not_assessed`.
    """
    from .dsl.compiler import Ctx

    day = as_of or datetime.date.today()
    described, source = what_is_described(constitution.data, describes)
    findings: list[Finding] = []
    for rs in rulesets:
        ctx = Ctx(constitution.data, day, rs.definitions)
        for cr in rs.rules:
            findings.append(_one(cr, rs, ctx, constitution, day, described))
    result = Result(constitution=constitution.path, sha256=constitution.sha256,
                    icb=constitution.icb_name, as_of=day, findings=findings,
                    version=(constitution.data.get("icb", {}).get("constitution") or {})
                    .get("version"), describes=described, describes_source=source)
    if waivers is not None:
        waivers.apply(result, {r.id: r for r in rulesets.rules()})
    return result


def _one(cr: CompiledRule, rs: CompiledRuleset, ctx: Any, c: LoadedConstitution,
         day: datetime.date, described: tuple[str, ...]) -> Finding:
    rule = cr.rule
    if not in_force(rule, day):
        if rule.in_force_from is not None and day < rule.in_force_from:
            msg = f"not in force on {day}: applies from {rule.in_force_from}"
        else:
            msg = f"not in force on {day}: ceased to apply on {rule.in_force_until}"
        return _finding(cr, rs, "not_in_force", msg)
    if rule.evidence not in described:
        return _finding(cr, rs, "not_assessed", not_assessed_message(rule.evidence, rule.topic))
    # An applicability condition that is unknown (facts not stated) does not excuse the rule:
    # only a definite `false` makes it not applicable.
    if cr.when is not None and cr.when(ctx, None, {}) is False:
        return _finding(cr, rs, "not_applicable",
                        "does not apply: " + " ".join(rule.when.src.split()))
    if cr.require(ctx, None, {}) is True:
        return _finding(cr, rs, "pass", "requirement met")
    return _failure(cr, rs, c, day)


def _finding(cr: CompiledRule, rs: CompiledRuleset, outcome: str, message: str,
             evidence: dict[str, Any] | None = None, location: Location | None = None) -> Finding:
    rule = cr.rule
    return Finding(rule.id, rule.title, outcome, cr.severity, rule.strength, cr.citation,
                   message, rs.id, {} if evidence is None else evidence, location)


def _failure(cr: CompiledRule, rs: CompiledRuleset, c: LoadedConstitution,
             day: datetime.date) -> Finding:
    from .dsl.explain import Explainer, plain, show

    rule = cr.rule
    ex = Explainer(c.data, day, rs.definition_exprs)
    why = ex.explain(rule.require)
    checks = []
    for chk in why.checks:
        item: dict[str, Any] = {"test": chk.text, "found": plain(chk.found),
                                "required": chk.required}
        if chk.path is not None:
            item["fact"] = format_path(chk.path)
        if chk.not_stated:
            item["not_stated"] = [format_path(p) for p in chk.not_stated]
        if chk.missing_items:
            item["missing"] = plain(chk.missing_items)
        item["text"] = f"{chk.text}: {show(chk.found)}, required {chk.required}"
        checks.append(item)
    evidence: dict[str, Any] = {"checks": checks}
    if why.not_stated:
        evidence["not_stated"] = [format_path(p) for p in why.not_stated]
        shown = evidence["not_stated"][:3]
        more = len(evidence["not_stated"]) - len(shown)
        message = "not stated in the constitution: " + ", ".join(shown) + (
            f" and {more} more" if more > 0 else "")
        if rule.message is not None:
            message += f" ({_render(rule.message, ex)})"
    else:
        message = _render(rule.message, ex) if rule.message is not None else \
            f"requirement not met: {rule.title}"
    location = _location(c, why.location)
    found = _finding(cr, rs, "fail", message, evidence, location)
    found.basis = why.basis
    return found


def _location(c: LoadedConstitution, path: Any) -> Location:
    if path is None:
        pos = c.positions.get(())
        return Location(c.path, pos[0] if pos else None, pos[1] if pos else None, None)
    pos = c.position(path)
    return Location(c.path, pos[0] if pos else None, pos[1] if pos else None, format_path(path))


def _render(template: Any, ex: Any) -> str:
    from .dsl.explain import show

    out = []
    for part in template.parts:
        out.append(part if isinstance(part, str) else show(ex.value(part)))
    return "".join(out)

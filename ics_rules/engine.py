"""Evaluate compiled rules on constitutions: outcomes, evidence, locations and waivers.

`evaluate` is pure: the same constitution, rulesets, date and waivers give the same result,
so callers can evaluate many constitutions (or many versions of one) against one compiled set.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .dsl.compiler import Ctx
from .evidence import describes as what_is_described
from .evidence import not_assessed_message
from .loader import LoadedConstitution
from .location import Location
from .rulesets import CompiledRule, CompiledRuleset, Rulesets

OUTCOMES = ("pass", "fail", "not_applicable", "not_in_force", "waived", "not_assessed")
BASES = ("silent", "contradicts")  # why a rule failed: a fact not stated, or stated otherwise
BASIS_WORDS = {"silent": "the constitution does not state the deciding fact",
               "contradicts": "the constitution states something the requirement rules out"}
SEVERITY_ORDER = {"error": 3, "warning": 2, "info": 1}
MAX_LISTED = 100  # facts listed as not stated in one finding (the total is given beyond it)


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
             describes: Iterable[str] | None = None, explain_passes: bool = True) -> Result:
    """Evaluate every rule of `rulesets` on one constitution as of a date.

    `describes` (the `--describes` option) overrides what the file says it describes; rules
    whose evidence lies outside it are `not_assessed`. With `explain_passes` false, a rule
    that passes or does not apply carries no evidence or location: explaining it costs far
    more than deciding it, so outputs that show only failures ask for none.
    """
    day = as_of or datetime.date.today()
    described, source = what_is_described(constitution.data, describes)
    findings: list[Finding] = []
    words = _Lazy(lambda: _wording(constitution.data))
    for rs in rulesets:
        ctx = Ctx(constitution.data, day, rs.definitions)
        explainer = _Lazy(lambda rs=rs, ctx=ctx: _explainer(constitution, day, rs, ctx))
        for cr in rs.rules:
            findings.append(_one(cr, rs, ctx, constitution, day, explainer, described,
                                 explain_passes, words))
    result = Result(constitution=constitution.path, sha256=constitution.sha256,
                    icb=constitution.icb_name, as_of=day, findings=findings,
                    version=(constitution.data.get("icb", {}).get("constitution") or {})
                    .get("version"), notes=list(constitution.notes),
                    describes=described, describes_source=source)
    if waivers is not None:
        waivers.apply(result, {r.id: r for r in rulesets.rules()})
    return result


class _Lazy:
    """A value made by `make` when first asked for, then kept: the explainer of a ruleset
    (its definition values and reference indexes shared by every rule) and the evaluation's
    wording of facts. A check whose rules all pass, with no evidence asked for, never makes
    them, nor imports their modules."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make
        self.made: Any = None

    def __call__(self) -> Any:
        if self.made is None:
            self.made = self.make()
        return self.made


def _explainer(c: LoadedConstitution, day: datetime.date, rs: CompiledRuleset,
               ctx: Any) -> Any:
    from .dsl.explain import Explainer

    return Explainer(c.data, day, rs.definition_exprs, ctx, rs.filters)


def _wording(data: Any) -> Any:
    from .dsl.words import Wording

    return Wording(data)


def _one(cr: CompiledRule, rs: CompiledRuleset, ctx: Any, c: LoadedConstitution,
         day: datetime.date, explainer: Any, described: tuple[str, ...],
         explain_passes: bool, words: _Lazy) -> Finding:
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
        return _decided(cr, rs, c, explainer() if explain_passes else None, "not_applicable",
                        rule.when, words)
    if cr.require(ctx, None, {}) is True:
        return _decided(cr, rs, c, explainer() if explain_passes else None, "pass",
                        rule.require, words)
    return _failure(cr, rs, c, explainer(), words)


def _finding(cr: CompiledRule, rs: CompiledRuleset, outcome: str, message: str,
             evidence: dict[str, Any] | None = None, location: Location | None = None) -> Finding:
    rule = cr.rule
    return Finding(rule.id, rule.title, outcome, cr.severity, rule.strength, cr.citation,
                   message, rs.id, {} if evidence is None else evidence, location)


def _checks(why: Any, c: LoadedConstitution, words: Any) -> list[dict[str, Any]]:
    """The evidence items of an explanation, each worded once (duplicates dropped)."""
    from .dsl.explain import plain, stated_at

    checks: list[dict[str, Any]] = []
    seen: set[str] = set()
    for chk in why.checks:
        text = words.check_words(chk)
        if text in seen:
            continue
        seen.add(text)
        item: dict[str, Any] = {"test": " ".join(chk.text.split()), "found": plain(chk.found),
                                "required": chk.required}
        if chk.path is not None:
            item["fact"] = words.fact_id(chk.path)
            pos = c.position(stated_at(chk.path))
            if pos is not None:
                item["line"] = pos[0]
        if chk.not_stated:
            item["not_stated"] = [words.fact_id(p) for p in chk.not_stated[:MAX_LISTED]]
        if chk.missing_items:
            item["missing"] = plain(chk.missing_items)
        item["text"] = text
        checks.append(item)
    return checks


def _decided(cr: CompiledRule, rs: CompiledRuleset, c: LoadedConstitution, ex: Any,
             outcome: str, node: Any, lazy_words: _Lazy) -> Finding:
    """A pass (or a rule that does not apply), with the facts that decided it and where
    (with no explainer `ex`: without them)."""

    if outcome == "pass":
        message = "requirement met"
    else:
        from .dsl.words import expr_words

        message = "does not apply: " + expr_words(node) + " does not hold"
    if ex is None:
        return _finding(cr, rs, outcome, message)
    words = lazy_words()
    why = ex.explain(node, holds=outcome == "pass")
    return _finding(cr, rs, outcome, message, {"checks": _checks(why, c, words)},
                    _location(c, why.location, False, words))


def _failure(cr: CompiledRule, rs: CompiledRuleset, c: LoadedConstitution,
             ex: Any, lazy_words: _Lazy) -> Finding:
    """A failure, with its evidence, message, location and basis."""
    words = lazy_words()
    rule = cr.rule
    why = ex.explain(rule.require)
    evidence: dict[str, Any] = {"checks": _checks(why, c, words)}
    rendered = _render(rule.message, ex) if rule.message is not None else None
    if why.not_stated:
        evidence["not_stated"] = list(dict.fromkeys(
            words.fact_id(p) for p in why.not_stated[:MAX_LISTED]))
        if len(why.not_stated) > MAX_LISTED:
            evidence["not_stated_total"] = len(why.not_stated)
        shown = evidence["not_stated"][:3]
        more = len(why.not_stated) - len(shown)
        message = "not stated in the constitution: " + ", ".join(shown) + (
            f" and {more} more" if more > 0 else "")
        if rendered is not None and rendered[1]:
            message += f" ({rendered[0]})"
    elif rendered is not None:
        message = rendered[0] if rendered[1] else f"{rule.title}: not met ({rendered[0]})"
    else:
        message = f"requirement not met: {rule.title}"
    location = _location(c, why.location, bool(why.not_stated) and why.location is not None
                         and _absent(why), words)
    found = _finding(cr, rs, "fail", message, evidence, location)
    found.basis = why.basis
    return found


def _absent(why: Any) -> bool:
    """Whether the deciding fact of a failure is one the file does not state."""
    for chk in why.checks:
        if chk.path == why.location or (chk.not_stated and chk.not_stated[0] == why.location):
            return chk.found is None
    return False


def _location(c: LoadedConstitution, path: Any, absent: bool, words: Any) -> Location:
    """Where the deciding fact is stated, or (when absent) the parent it belongs under; for a
    document, the clause it was read from."""
    from .dsl.explain import stated_at

    if path is None:
        return c.locate(None)
    at = stated_at(path)
    missing = absent or (not c.document_only and at not in c.positions)
    return c.locate(path, fact=words.fact_id(path), not_stated=missing, at=at)


def _render(template: Any, ex: Any) -> tuple[str, bool]:
    """The rule's message with its values filled in, and whether it could be.

    When a value the message names is not stated, a sentence around "not stated" makes no
    sense, so the message takes its not-stated form instead (False): each value the message
    names, in words (`partnership established by: not stated`).
    """
    from .dsl.words import expr_words

    out: list[str] = []
    values: list[tuple[Any, Any]] = []
    for part in template.parts:
        if isinstance(part, str):
            out.append(part)
            continue
        value = ex.value(part)
        values.append((part, value))
        out.append(_value_text(value))
    if any(v is None for _, v in values):
        return "; ".join(f"{expr_words(p)}: {_value_text(v)}" for p, v in values), False
    return "".join(out), True


def _value_text(value: Any) -> str:
    from .dsl.words import value_words

    if isinstance(value, list):
        return ", ".join(value_words(v) for v in value) if value else "none"
    return value_words(value)

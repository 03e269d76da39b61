"""`explain RULE FILE`: one rule on one constitution in plain words, for the governance lead
whose finding surprised them: the requirement and its source, what the rule reads, each fact
found with its line, why it passes or fails, what would make it pass, and related rules.

The evidence comes from the rules language's explainer (`dsl/explain.py`), run the way the
engine runs it; this module only turns it into sentences, with no rules-language syntax.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from .dsl import ast as A
from .dsl.explain import Check, Explainer, stated_at
from .dsl.words import (
    check_words,
    fact_words,
    field,
    required_words,
    subject_words,
    value_words,
)
from .engine import SEVERITY_ORDER, Finding, evaluate
from .facts import key_of
from .loader import LoadedConstitution
from .rulesets import find_rule

OUTCOME_WORDS = {"pass": "Met", "fail": "Not met", "not_applicable": "Does not apply",
                 "not_in_force": "Not in force", "waived": "Waived",
                 "not_assessed": "Not assessed"}


@dataclass(frozen=True)
class Source:
    """One citation of the rule: the document, the place in it, and its address."""

    title: str
    pinpoint: str
    url: str | None


@dataclass(frozen=True)
class FactSeen:
    """A fact the rule looked at on this constitution, and where it is."""

    name: str
    value: str
    where: str


@dataclass(frozen=True)
class Related:
    """A rule named in this rule's `see`, with its outcome on the same constitution."""

    id: str
    title: str
    outcome: str


@dataclass(frozen=True)
class RuleExplanation:
    """Everything `explain` says about one rule on one constitution."""

    rule: str
    title: str
    strength: str
    severity: str
    outcome: str
    constitution: str
    as_of: str
    sources: tuple[Source, ...]
    note: str | None
    unverified: str | None
    in_force: str
    reads: tuple[str, ...]
    facts: tuple[FactSeen, ...]
    why: tuple[str, ...]
    fix: tuple[str, ...]
    related: tuple[Related, ...]
    finding: Finding

    def failing(self, fail_on: str) -> bool:
        """Whether `check` would exit 1 for this rule alone."""
        return (fail_on != "never" and self.outcome == "fail"
                and SEVERITY_ORDER[self.severity] >= SEVERITY_ORDER.get(fail_on, 1))


# ---------------------------------------------------------------- plain words

_INDEX_PATH = re.compile(r"\b[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*|\[[^\[\]\s]*\])*"
                         r"(?:\[[^\[\]\s]*\])(?:\.[a-z_][a-z0-9_]*|\[[^\[\]\s]*\])*"
                         r"(?: -> [a-z_][a-z0-9_.]*(?:\[[^\[\]\s]*\][a-z0-9_.]*)*)*")
_BRACKETED = re.compile(r"[\[{]([^\[\]{}]*)[\]}]")


def words(text: str, data: Any) -> str:
    """Text a rule or the engine wrote, with the file's notation put in words: fact paths
    (`places[0].governance`, `places[west].governance`, `places[].functions`) become the
    words `check` uses for facts, and bracketed lists (`[finance]`, `{a, b}`) plain lists."""
    def path(m: re.Match[str]) -> str:
        key = key_of(data, m.group(0))
        if key is not None:
            return fact_words(data, key)
        return " ".join(field(p) for p in re.split(r"[.\[\]]+", m.group(0)) if p)

    return _BRACKETED.sub(lambda m: m.group(1), _INDEX_PATH.sub(path, text))


def sentence_case(text: str) -> str:
    """First letter capitalised, one full stop at the end."""
    text = text.strip()
    if not text:
        return text
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def dotted_words(path: str) -> str:
    """A field path the rule reads, as words: `board.members.role` as
    `board / members / role`."""
    return " / ".join(field(p) for p in path.split("."))


# ---------------------------------------------------------------- what the rule reads

class _Reads:
    """The facts a rule's condition reads, as dotted field paths, in the order it reads them."""

    def __init__(self, definitions: dict[str, A.Expr]) -> None:
        self.definitions = definitions
        self.found: dict[str, None] = {}
        self.def_prefix: dict[str, str | None] = {}

    def add(self, path: str | None) -> None:
        if path:
            self.found.setdefault(path, None)

    def expr(self, node: A.Expr | None, elem: str | None, env: dict[str, str | None]) -> str | None:
        """Walk a node; return the dotted path of its value when it is a fact."""
        if node is None or isinstance(node, A.Lit | A.AsOf):
            return None
        if isinstance(node, A.SetLit):
            for item in node.items:
                self.expr(item, elem, env)
            return None
        if isinstance(node, A.Path):
            return self.path(node, elem, env)
        if isinstance(node, A.Call):
            first = None
            for i, arg in enumerate(node.args):
                p = self.expr(arg, elem, env)
                first = p if i == 0 else first
            self.add(first)
            return first if node.func == "the" else None
        if isinstance(node, A.Quant):
            src = self.expr(node.source, elem, env)
            self.add(src)
            self.expr(node.body, elem, {**env, node.var: src})
            return None
        for child in _children(node):
            self.add(self.expr(child, elem, env))
        return None

    def path(self, node: A.Path, elem: str | None, env: dict[str, str | None]) -> str | None:
        if node.base == "root":
            cur: str | None = node.head
        elif node.base == "elem":
            cur = f"{elem}.{node.head}" if elem else node.head
        elif node.base == "var":
            cur = env.get(node.head)
        elif node.base == "it":
            cur = elem
        elif node.base == "expr":
            cur = self.expr(node.start, elem, env)
        else:
            cur = self.definition(node.head)
        for step in node.steps:
            if isinstance(step, A.FieldStep):
                if step.deref:
                    self.add(cur)
                    cur = step.deref
                cur = f"{cur}.{step.name}" if cur else step.name
            elif isinstance(step, A.FilterStep):
                target = getattr(getattr(step.typ, "item", None), "target", "")
                if target:
                    self.add(cur)
                self.expr(step.pred, target or cur, env)
        self.add(cur)
        return cur

    def definition(self, name: str) -> str | None:
        if name not in self.def_prefix:
            self.def_prefix[name] = None  # a definition never refers to itself; be safe
            self.def_prefix[name] = self.expr(self.definitions.get(name), None, {})
        return self.def_prefix[name]


def _children(node: A.Expr) -> list[A.Expr]:
    if isinstance(node, A.BoolOp):
        return list(node.items)
    if isinstance(node, A.Not):
        return [node.operand]
    if isinstance(node, A.Compare | A.Member | A.Contains | A.Arith):
        return [node.left, node.right]
    if isinstance(node, A.Matches):
        return [node.left]
    return []


def rule_reads(rule: Any, definitions: dict[str, A.Expr]) -> list[str]:
    """The facts a rule reads (its applicability condition first), as dotted paths."""
    reads = _Reads(definitions)
    reads.expr(rule.when, None, {})
    reads.expr(rule.require, None, {})
    return list(reads.found)


# ---------------------------------------------------------------- the explanation

def _where(c: LoadedConstitution, chk: Check) -> str:
    if chk.path is None:
        return "worked out from other facts"
    if chk.found is None:
        return "not in the file"
    loc = c.locate(stated_at(chk.path))
    where = [f"line {loc.line}, column {loc.column}"] if loc.line is not None else []
    if loc.in_document:
        where.append(loc.source_text() or loc.place())
    return ", ".join(where) or "not in the file"


def _facts(checks: list[Check], c: LoadedConstitution) -> list[FactSeen]:
    seen: dict[tuple[Any, ...], FactSeen] = {}
    for chk in checks:
        if chk.path is not None and chk.path not in seen:
            seen[chk.path] = FactSeen(subject_words(c.data, chk), value_words(chk.found),
                                      _where(c, chk))
        for p in chk.not_stated:
            if p not in seen:
                seen[p] = FactSeen(fact_words(c.data, p), "not stated", "not in the file")
    return list(seen.values())


def _fix(rule: Any, explanation: Any, c: LoadedConstitution) -> list[str]:
    """What would make a failing rule pass: its `fix`, else the facts to state or change."""
    if rule.fix:
        return [sentence_case(words(rule.fix, c.data))]
    out = []
    missing = [fact_words(c.data, p) for p in explanation.not_stated]
    if missing:
        out.append(sentence_case("State " + "; ".join(missing)))
    for chk in explanation.checks:
        if chk.found is None:
            continue
        required = required_words(chk)
        if required == "not stated":  # the alternative of saying nothing about it
            out.append(sentence_case(f"Or leave {subject_words(c.data, chk)} unstated"))
        else:
            out.append(sentence_case(f"Change {subject_words(c.data, chk)} (now "
                                     f"{value_words(chk.found)}); required: {required}"))
    return out


def explain_rule(rule_id: str, c: LoadedConstitution, rulesets: Any,
                 as_of: datetime.date, describes: Any = None) -> RuleExplanation:
    """Explain one rule (ID in any case) on one constitution as of a date (`describes`: what
    the file is taken to describe, as `--describes` gives it)."""
    from .dsl.compiler import Ctx

    cr = find_rule(rulesets, rule_id)
    rule = cr.rule
    rs = next(x for x in rulesets if x.id == rule.ruleset)
    result = evaluate(c, rulesets, as_of, None, describes)
    by_rule = {f.rule: f for f in result.findings}
    finding = by_rule[rule.id]
    ex = Explainer(c.data, as_of, rs.definition_exprs, Ctx(c.data, as_of, rs.definitions))
    why: list[str] = []
    fix: list[str] = []
    checks: list[Check] = []
    if finding.outcome == "pass":
        checks = ex.explain(rule.require, holds=True).checks
        why.append("The constitution meets this requirement.")
        why.extend(sentence_case(check_words(c.data, chk)) for chk in checks)
    elif finding.outcome in ("fail", "waived"):
        explanation = ex.explain(rule.require)
        checks = explanation.checks
        why.append(sentence_case(words(finding.message, c.data)))
        why.extend(sentence_case(check_words(c.data, chk)) for chk in checks)
        fix = _fix(rule, explanation, c)
        if finding.outcome == "waived" and finding.waiver:
            why.append(sentence_case("An accepted waiver covers it: "
                                     + words(str(finding.waiver.get("justification")), c.data)))
    elif finding.outcome == "not_applicable" and rule.when is not None:
        checks = ex.explain(rule.when).checks
        why.append(sentence_case(words(finding.message, c.data)))
        why.extend(sentence_case(check_words(c.data, chk)) for chk in checks)
    else:
        why.append(sentence_case(words(finding.message, c.data)))
    sources = tuple(Source(rs.ast.sources[ci.source].title, ci.pinpoint,
                           rs.ast.sources[ci.source].url)
                    for ci in rule.cites if ci.source in rs.ast.sources)
    related = tuple(Related(r, rulesets.rule(r).rule.title if rulesets.rule(r) else "",
                            by_rule[r].outcome if r in by_rule else "not loaded")
                    for r in rule.see)
    in_force = f"from {rule.in_force_from or 'always'}" + (
        f" until {rule.in_force_until}" if rule.in_force_until else "")
    return RuleExplanation(
        rule=rule.id, title=rule.title, strength=rule.strength, severity=cr.severity,
        outcome=finding.outcome, constitution=c.path, as_of=as_of.isoformat(),
        sources=sources, note=words(rule.note, c.data) if rule.note else None,
        unverified=words(rule.unverified, c.data) if rule.unverified else None,
        in_force=in_force,
        reads=tuple(dotted_words(p) for p in rule_reads(rule, rs.definition_exprs)),
        facts=tuple(_facts(checks, c)), why=tuple(why), fix=tuple(fix), related=related,
        finding=finding)

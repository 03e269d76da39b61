"""Explain a rule's result: an interpreter over the checked tree that records evidence.

It follows the same semantics as `compiler.py` (the tests run both over every rule case and
require them to agree), but keeps where each value came from in the file and which tests
made the condition fail, so a finding can say what was found, what was required, which facts
were not stated, and the line it points at. It runs only for rules that did not pass.
"""

from __future__ import annotations

import datetime
import operator
from dataclasses import dataclass, field
from typing import Any

from . import ast as A
from .compiler import financial_year, present
from .regex import searcher

PathKey = tuple[str | int, ...]
MAX_CHECKS = 12
# In a path, the step through a reference: (committees, 2, chair, REF, board, members, 0, role)
# is the `role` of the board member that committee 2's `chair:` names. The part before the
# first REF is where the file states the fact the rule read (the deciding fact's line).
REF = "->"

_FLIP = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_ORDER = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
          ">": operator.gt, ">=": operator.ge}


@dataclass(slots=True)
class V:
    """A value and where it came from; for lists, where each item came from."""

    v: Any
    p: PathKey | None = None
    items: list[PathKey | None] | None = None  # None: item i is at (*p, i)

    def at(self, i: int) -> PathKey | None:
        """Where item `i` of a list value came from."""
        if self.items is not None:
            return self.items[i] if i < len(self.items) else None
        return (*self.p, i) if self.p is not None else None


@dataclass
class Check:
    """One test that contributed to a failure."""

    text: str
    found: Any
    required: str
    path: PathKey | None
    not_stated: list[PathKey] = field(default_factory=list)
    missing_items: list[Any] = field(default_factory=list)
    subject: Any = None  # the expression whose value was found (for wording the fact)
    req: tuple[str, Any] = ("true", None)  # the kind of test and what it compared against
    negated: bool = False  # the test was required not to hold
    right_is_as_of: bool = False  # the value compared against is the assessment date
    against: Any = None  # the expression compared against (worded when it is not stated)
    at: PathKey | None = None  # where the finding points when not at `path` (a whole list)


@dataclass
class Explanation:
    """Why a condition did not hold."""

    result: bool | None
    checks: list[Check]
    not_stated: list[PathKey]
    location: PathKey | None
    # `silent` when the failure hangs on facts not stated; `contradicts` when the file states
    # something the requirement rules out (see `explain`).
    basis: str = "silent"


class Explainer:
    """Evaluates one rule's condition against one constitution, recording evidence."""

    def __init__(self, data: dict[str, Any], as_of: datetime.date,
                 definitions: dict[str, A.Expr], ctx: Any = None,
                 compiled: dict[int, Any] | None = None) -> None:
        self.data = data
        # The compiled rules' context, when given: filters run compiled (they record no
        # evidence), so explaining a rule over a long list costs about what evaluating it does.
        self.ctx = ctx
        # Compiled filter conditions by node id: the ruleset's own table when given (its
        # tree outlives it, so an id is never reused), else this explainer's.
        self.compiled: dict[int, Any] = {} if compiled is None else compiled
        self.as_of = as_of
        self.definitions = definitions
        self.def_cache: dict[str, V] = {}
        self.checks: list[Check] = []
        self.recording = True
        self.missing: list[PathKey] = []
        self.top = True  # the outcome being explained: True for a failure, False for a pass
        self.scope: list[str] = []  # quantifier variables bound, outermost first
        self.held = 0  # tests that went the wanted way (to find a near miss)
        self.index_cache: dict[str, dict[str, tuple[Any, PathKey]]] = {}

    # ------------------------------------------------------------------ entry points
    def explain(self, node: A.Expr, holds: bool = False) -> Explanation:
        """Why `node` did not hold (or, with `holds`, the facts that made it hold)."""
        self.checks = []
        self.missing = []
        self.top = not holds
        result = self.cond(node, None, {}, self.top)
        # dict keys: de-duplicated in linear time, first occurrence first
        not_stated = list(dict.fromkeys(p for c in self.checks for p in c.not_stated))
        # The deciding fact: the first test that read a stated fact (in an `or`, the stated
        # alternative that went wrong beats one the file is silent on), else the first fact
        # found missing.
        location = next((c.at or c.path for c in self.checks
                         if c.found is not None and (c.at or c.path) is not None), None)
        if location is None:
            for c in self.checks:
                if c.at or c.path:
                    location = c.at or c.path
                    break
                if c.not_stated:
                    location = c.not_stated[0]
                    break
        # Unknown overall (some way to pass hangs on unstated facts), or every failing test
        # lacked its fact: silent. Otherwise the file states something the rule rules out.
        basis = "contradicts" if result is not None and any(
            _stated_against(c) for c in self.checks) else "silent"
        return Explanation(result, self.checks[:MAX_CHECKS], not_stated, location, basis)

    def value(self, node: A.Expr) -> Any:
        """A plain value (for message templates), with no evidence recorded."""
        saved = self.recording
        self.recording = False
        try:
            return self.ev(node, None, {}).v
        finally:
            self.recording = saved

    # ------------------------------------------------------------------ conditions
    def cond(self, node: A.Expr, it: V | None, env: dict[str, V], want: bool) -> Any:
        """Evaluate a condition; keep evidence only from parts that went against `want`."""
        mark = len(self.checks)
        result = self._cond(node, it, env, want)
        if result is want:
            del self.checks[mark:]
        return result

    def _cond(self, node: A.Expr, it: V | None, env: dict[str, V], want: bool) -> Any:
        if isinstance(node, A.BoolOp):
            results = []
            groups: list[list[Check]] = []
            for item in node.items:
                mark = len(self.checks)
                r = self.cond(item, it, env, want)
                groups.append(self.checks[mark:])
                results.append(r)
                if node.op == "and" and r is False:
                    return False
                if node.op == "or" and r is True:
                    return True
            if node.op == "or" and want:
                # Every alternative failed. Rules put guards first (`not stated(x) or ...`),
                # so the last alternative's evidence is usually the telling one: show it first.
                start = len(self.checks) - sum(len(g) for g in groups)
                self.checks[start:] = [c for g in reversed(groups) for c in g]
            return None if None in results else node.op == "and"
        if isinstance(node, A.Not):
            r = self.cond(node.operand, it, env, not want)
            return None if r is None else not r
        if isinstance(node, A.Quant):
            return self.quant(node, it, env, want)
        saved = self.missing
        self.missing = []
        try:
            result, c = self.leaf(node, it, env, want)
            if result is want:
                self.held += 1
            if c is not None:
                c.not_stated = list(dict.fromkeys(self.missing))
                if want is not self.top and result is not None:
                    c.required = "not " + c.required
                    c.negated = True
                self.checks.append(c)
            return result
        finally:
            saved.extend(self.missing)
            self.missing = saved

    def quant(self, node: A.Quant, it: V | None, env: dict[str, V], want: bool) -> Any:
        src = self.ev(node.source, it, env)
        if src.v is None:
            if self.recording:
                self.checks.append(Check(node.source.src, None, "stated", src.p,
                                         not_stated=list(dict.fromkeys(self.missing)) or
                                         ([src.p] if src.p else []),
                                         subject=node.source, req=("stated", None)))
            return None
        every = node.kind == "every"
        if not src.v and self.recording and every is not want:
            # `some` over nothing fails (or `every` over nothing holds): the list decides
            self.checks.append(Check(node.source.src, [], "at least one", src.p,
                                     subject=node.source, req=("nonempty", None)))
        mark = len(self.checks)
        self.scope.append(node.var)
        results: list[Any] = []
        spans: list[tuple[int, int, int]] = []  # per item: leaves that held, checks start, end
        try:
            for i, x in enumerate(src.v):
                p = src.at(i)
                held, start = self.held, len(self.checks)
                results.append(self.cond(node.body, it, {**env, node.var: V(x, p)}, want))
                spans.append((self.held - held, start, len(self.checks)))
                if len(self.checks) >= MAX_CHECKS and (
                        not self.top or (results[-1] is not every and results[-1] is not None)):
                    # enough evidence, and the outcome is settled (a pass is explained by its
                    # first facts; an item that breaks `every` decides it): the rest add nothing
                    break
        finally:
            self.scope.pop()
        if every is not want and len(src.v) > 1 and src.p is not None:
            self._near_miss(mark, spans, src.p)
        result: bool | None = every
        for r in results:
            if r is None:
                result = None
            elif r is not every:
                return r
        return result

    def leaf(self, node: A.Expr, it: V | None, env: dict[str, V],
             want: bool) -> tuple[Any, Check | None]:
        """A test's result, and the evidence of it when it is to be kept (it is recorded and
        went against `want`): most tests go the wanted way, so their evidence is never made."""
        text = node.src
        if isinstance(node, A.Compare):
            a = self.ev(node.left, it, env)
            b = self.ev(node.right, it, env)
            r = None if a.v is None or b.v is None else _ORDER[node.op](a.v, b.v)
            if not self._keeps(r, want):
                return r, None
            subject = node.left
            if b.p is not None and not isinstance(node.right, A.Lit) and (
                    a.p is None or self._rank(node.right) < self._rank(node.left)):
                # the fact is on the right (`3 <= count(x)`), or is the object the rule is
                # about (the outer quantifier's): `every(a in audit: a.chair != c.chair)`
                a, b, subject = b, a, node.right
            c = Check(text, a.v, f"{node.op} {show(b.v)}", a.p or b.p, subject=subject,
                      req=("compare", (node.op if subject is node.left else _FLIP[node.op],
                                       b.v)),
                      right_is_as_of=isinstance(node.right if subject is node.left
                                                else node.left, A.AsOf),
                      against=node.right if subject is node.left else node.left)
            return r, c
        if isinstance(node, A.Member):
            a = self.ev(node.left, it, env)
            b = self.ev(node.right, it, env)
            r = None if a.v is None or b.v is None else (a.v in b.v) is not node.negate
            if not self._keeps(r, want):
                return r, None
            word = "not in" if node.negate else "in"
            return r, Check(text, a.v, f"{word} {show(b.v, braces=True)}", a.p,
                            subject=node.left, req=("member", (node.negate, b.v)),
                            against=node.right)
        if isinstance(node, A.Contains):
            a = self.ev(node.left, it, env)
            b = self.ev(node.right, it, env)
            missing: list[Any] = []
            if a.v is None or b.v is None:
                r = None
            elif node.mode == "one":
                r = b.v in a.v
                missing = [] if r else [b.v]
            elif node.mode == "all":
                missing = [x for x in b.v if x not in a.v]
                r = not missing
            else:
                r = any(x in a.v for x in b.v)
                missing = [] if r else list(b.v)
            if not self._keeps(r, want):
                return r, None
            req = f"contains {'' if node.mode == 'one' else node.mode + ' '}" \
                  f"{show(b.v, braces=node.mode != 'one')}"
            c = Check(text, a.v, req, a.p, subject=node.left,
                      req=("contains", (node.mode, b.v)), against=node.right)
            c.missing_items = missing
            return r, c
        if isinstance(node, A.Matches):
            a = self.ev(node.left, it, env)
            r = None if a.v is None else searcher(node.pattern)(str(a.v))
            if not self._keeps(r, want):
                return r, None
            return r, Check(text, a.v, f"matches {node.pattern!r}", a.p, subject=node.left,
                            req=("matches", node.pattern))
        if isinstance(node, A.Call) and node.func in ("exists", "stated"):
            a = self.ev(node.args[0], it, env)
            r = present(a.v) if node.func == "exists" else a.v is not None
            if a.v is None and a.p is not None:
                self.missing.append(a.p)
            if not self._keeps(r, want):
                return r, None
            return r, Check(text, a.v, "stated" if node.func == "stated" else "exists", a.p,
                            subject=node.args[0], req=(node.func, None))
        a = self.ev(node, it, env)
        r = a.v
        if not self._keeps(r, want):
            return r, None
        return r, Check(text, a.v, "true", a.p, subject=node)

    def _keeps(self, result: Any, want: bool) -> bool:
        """Whether a test's evidence is kept: it is recorded and went against `want`."""
        return self.recording and (result is None or result is not want)

    def _near_miss(self, mark: int, spans: list[tuple[int, int, int]], where: PathKey) -> None:
        """No candidate of several qualifies: the one that came closest (most tests held)
        leads the evidence. It decides the location when its own failure lies in a nested
        list; otherwise the list as a whole is where the fix goes."""
        best = max(range(len(spans)), key=lambda i: spans[i][0])
        if all(h == spans[best][0] for h, _, _ in spans):
            for c in self.checks[mark:]:  # none came closer than another: the list decides
                c.at = where
            return
        _, start, end = spans[best]
        lead = self.checks[start:end]
        rest = self.checks[mark:start] + self.checks[end:]
        nested = any(c.at is not None for c in lead)
        for c in rest:
            c.at = where
        if not nested:
            for c in lead:
                c.at = where
        self.checks[mark:] = lead + rest

    def _compiled(self, node: A.Expr) -> Any:
        """The compiled form of a filter's condition (compiled once per ruleset)."""
        fn = self.compiled.get(id(node))
        if fn is None:
            from .compiler import compile_expr

            fn = self.compiled[id(node)] = compile_expr(node)
        return fn

    def _rank(self, node: A.Expr) -> int:
        """How central a side of a comparison is: the outermost quantifier's variable first,
        then other variables, then facts read from the top of the file."""
        if isinstance(node, A.Path) and node.base == "var" and node.head in self.scope:
            return self.scope.index(node.head)
        return len(self.scope) + 1

    # ------------------------------------------------------------------ values
    def ev(self, node: A.Expr, it: V | None, env: dict[str, V]) -> V:
        if isinstance(node, A.Path):  # the commonest node first
            return self.path(node, it, env)
        if isinstance(node, A.Lit):
            return V(node.value)
        if isinstance(node, A.AsOf):
            return V(self.as_of)
        if isinstance(node, A.SetLit):
            return V([self.ev(i, it, env).v for i in node.items])
        if isinstance(node, A.Call):
            a = self.ev(node.args[0], it, env)
            if node.func == "count":
                if a.v is None and a.p is not None:
                    self.missing.append(a.p)
                return V(0 if a.v is None else len(a.v), a.p)
            if node.func == "len":
                return V(None if a.v is None else len(a.v), a.p)
            if node.func == "exists":
                return V(present(a.v), a.p)
            if node.func == "stated":
                return V(a.v is not None, a.p)
            if node.func == "financial_year":
                return V(None if a.v is None else financial_year(a.v), a.p)
            if not a.v:
                return V(None, a.p)
            return V(a.v[0], a.at(0))
        if isinstance(node, A.Arith):
            a, b = self.ev(node.left, it, env), self.ev(node.right, it, env)
            if a.v is None or b.v is None:
                return V(None, a.p or b.p)
            return V(a.v + b.v if node.op == "+" else a.v - b.v, a.p or b.p)
        # a condition used as a value (e.g. inside a message)
        saved = self.recording
        self.recording = False
        try:
            return V(self.cond(node, it, env, True))
        finally:
            self.recording = saved

    def path(self, node: A.Path, it: V | None, env: dict[str, V]) -> V:
        if node.base == "root":
            cur = V(self.data.get(node.head), (node.head,))
            if cur.v is None:
                self.missing.append((node.head,))
        elif node.base == "elem":
            assert it is not None
            obj = it.v or {}
            cur = V(obj.get(node.head), (*it.p, node.head) if it.p is not None else None)
            if cur.v is None and cur.p is not None:
                self.missing.append(cur.p)
        elif node.base == "var":
            cur = env[node.head]
        elif node.base == "it":
            assert it is not None
            cur = it
        elif node.base == "expr":
            assert node.start is not None
            cur = self.ev(node.start, it, env)
        else:
            cur = self.definition(node.head)
        for step in node.steps:
            cur = self.step(step, cur, env)
        return cur

    def definition(self, name: str) -> V:
        if name not in self.def_cache:
            saved = self.recording
            self.recording = False
            try:
                self.def_cache[name] = self.ev(self.definitions[name], None, {})
            finally:
                self.recording = saved
        return self.def_cache[name]

    def index(self, target: str) -> dict[str, tuple[Any, PathKey]]:
        if target not in self.index_cache:
            found: dict[str, tuple[Any, PathKey]] = {}
            cur = [(self.data, ())]
            for part in target.split("."):
                nxt: list[tuple[Any, PathKey]] = []
                for value, p in cur:
                    if isinstance(value, list):
                        for i, x in enumerate(value):
                            if isinstance(x, dict) and x.get(part) is not None:
                                nxt.append((x[part], (*p, i, part)))
                    elif isinstance(value, dict) and value.get(part) is not None:
                        nxt.append((value[part], (*p, part)))
                cur = nxt
            for value, p in cur:
                for i, item in enumerate(value or ()):
                    if isinstance(item, dict) and "id" in item:
                        found[item["id"]] = (item, (*p, i))
            self.index_cache[target] = found
        return self.index_cache[target]

    def step(self, step: A.Expr, cur: V, env: dict[str, V]) -> V:
        if cur.v is None:
            return V(None, cur.p)
        if isinstance(step, A.FieldStep):
            name = step.name
            if step.maps:
                out: list[Any] = []
                paths: list[PathKey | None] = []
                for i, x in enumerate(cur.v):
                    xp = cur.at(i)
                    if step.deref:
                        found = self.index(step.deref).get(x)
                        if found is None:
                            continue
                        x, xp = found[0], _via(xp, found[1])
                    y = x.get(name) if isinstance(x, dict) else None
                    yp = (*xp, name) if xp is not None else None
                    if y is None:
                        continue
                    if isinstance(y, list):
                        out.extend(y)
                        paths.extend((*yp, j) if yp else None for j in range(len(y)))
                    else:
                        out.append(y)
                        paths.append(yp)
                return V(out, cur.p, paths)
            obj, op = cur.v, cur.p
            if step.deref:
                found = self.index(step.deref).get(obj)
                if found is None:
                    return V(None, op)
                obj, op = found[0], _via(op, found[1])
            value = obj.get(name) if isinstance(obj, dict) else None
            p = (*op, name) if op is not None else None
            if value is None and p is not None:
                self.missing.append(p)
            if isinstance(value, list):
                return V(value, p)
            return V(value, p)
        assert isinstance(step, A.FilterStep)
        item_t = step.typ.item if step.typ is not None else None  # type: ignore[attr-defined]
        target = getattr(item_t, "target", "")
        keep: list[Any] = []
        keep_p: list[PathKey | None] = []
        saved = self.recording
        saved_missing = self.missing
        # A filter keeps only items whose condition is definitely true; facts missing from the
        # items it drops do not make the result unknown, so they are not reported as such.
        self.recording = False
        self.missing = []
        fast = self._compiled(step.pred) if self.ctx is not None else None
        raw_env = {k: v.v for k, v in env.items()} if fast is not None else {}
        index = self.index(target) if target else {}
        try:
            for i, x in enumerate(cur.v):
                xp = cur.at(i)
                subject = V(x, xp)
                if target:
                    found = index.get(x)
                    subject = V(found[0], _via(xp, found[1])) if found else V({}, None)
                if fast is not None:
                    held = fast(self.ctx, subject.v, raw_env) is True
                else:
                    held = self.cond(step.pred, subject, env, True) is True
                if held:
                    keep.append(x)
                    keep_p.append(xp if not target else subject.p)
        finally:
            self.recording = saved
            self.missing = saved_missing
        return V(keep, cur.p, keep_p)


def _stated_against(check: Check) -> bool:
    """Whether a failing test read a stated fact (rather than failing for want of one)."""
    return not check.not_stated and check.found is not None


def _via(ref: PathKey | None, target: PathKey) -> PathKey:
    """The path of an object reached through the reference at `ref` (see REF)."""
    return target if ref is None else (*ref, REF, *target)


def stated_at(path: PathKey) -> PathKey:
    """The part of a path the file itself states: up to the first reference followed."""
    return path[:path.index(REF)] if REF in path else path


def show(value: Any, braces: bool = False) -> str:
    """A value as people read it: `not stated`, `true`, `2022-07-01`, `a, b`."""
    if value is None:
        return "not stated"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return str(value.get("id") or value.get("name") or "(object)")
    if isinstance(value, list):
        inner = ", ".join(show(v) for v in value)
        if braces:
            return "{" + inner + "}"
        return inner if value else "none"
    return str(value)


def plain(value: Any) -> Any:
    """A value as JSON can hold it (objects by id, dates as text)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return value.get("id") or value.get("name") or "(object)"
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value

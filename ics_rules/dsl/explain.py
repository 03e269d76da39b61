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
from .compiler import present
from .regex import searcher

PathKey = tuple[str | int, ...]
MAX_CHECKS = 12

_ORDER = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
          ">": operator.gt, ">=": operator.ge}


@dataclass
class V:
    """A value and where it came from; for lists, where each item came from."""

    v: Any
    p: PathKey | None = None
    items: list[PathKey | None] | None = None


@dataclass
class Check:
    """One test that contributed to a failure."""

    text: str
    found: Any
    required: str
    path: PathKey | None
    not_stated: list[PathKey] = field(default_factory=list)
    missing_items: list[Any] = field(default_factory=list)


@dataclass
class Explanation:
    """Why a condition did not hold."""

    result: bool | None
    checks: list[Check]
    not_stated: list[PathKey]
    location: PathKey | None


class Explainer:
    """Evaluates one rule's condition against one constitution, recording evidence."""

    def __init__(self, data: dict[str, Any], as_of: datetime.date,
                 definitions: dict[str, A.Expr]) -> None:
        self.data = data
        self.as_of = as_of
        self.definitions = definitions
        self.def_cache: dict[str, V] = {}
        self.checks: list[Check] = []
        self.recording = True
        self.missing: list[PathKey] = []
        self.index_cache: dict[str, dict[str, tuple[Any, PathKey]]] = {}

    # ------------------------------------------------------------------ entry points
    def explain(self, node: A.Expr) -> Explanation:
        self.checks = []
        result = self.cond(node, None, {}, True)
        not_stated: list[PathKey] = []
        for c in self.checks:
            for p in c.not_stated:
                if p not in not_stated:
                    not_stated.append(p)
        location = None
        for c in self.checks:
            if c.path is not None:
                location = c.path
                break
            if c.not_stated:
                location = c.not_stated[0]
                break
        return Explanation(result, self.checks[:MAX_CHECKS], not_stated, location)

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
            check = self.leaf(node, it, env)
            result = check[0]
            if self.recording and (result is None or result is not want):
                c = check[1]
                c.not_stated = list(dict.fromkeys(self.missing))
                if not want and result is True:
                    c.required = "not " + c.required
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
                                         ([src.p] if src.p else [])))
            return None
        every = node.kind == "every"
        results: list[Any] = []
        for i, x in enumerate(src.v):
            p = src.items[i] if src.items and i < len(src.items) else None
            results.append(self.cond(node.body, it, {**env, node.var: V(x, p)}, want))
        result: bool | None = every
        for r in results:
            if r is None:
                result = None
            elif r is not every:
                return r
        return result

    def leaf(self, node: A.Expr, it: V | None, env: dict[str, V]) -> tuple[Any, Check]:
        text = node.src
        if isinstance(node, A.Compare):
            a = self.ev(node.left, it, env)
            b = self.ev(node.right, it, env)
            r = None if a.v is None or b.v is None else _ORDER[node.op](a.v, b.v)
            return r, Check(text, a.v, f"{node.op} {show(b.v)}", a.p or b.p)
        if isinstance(node, A.Member):
            a = self.ev(node.left, it, env)
            b = self.ev(node.right, it, env)
            r = None if a.v is None or b.v is None else (a.v in b.v) is not node.negate
            word = "not in" if node.negate else "in"
            return r, Check(text, a.v, f"{word} {show(b.v, braces=True)}", a.p)
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
            req = f"contains {'' if node.mode == 'one' else node.mode + ' '}" \
                  f"{show(b.v, braces=node.mode != 'one')}"
            c = Check(text, a.v, req, a.p)
            c.missing_items = missing
            return r, c
        if isinstance(node, A.Matches):
            a = self.ev(node.left, it, env)
            r = None if a.v is None else searcher(node.pattern)(str(a.v))
            return r, Check(text, a.v, f"matches {node.pattern!r}", a.p)
        if isinstance(node, A.Call) and node.func in ("exists", "stated"):
            a = self.ev(node.args[0], it, env)
            r = present(a.v) if node.func == "exists" else a.v is not None
            if a.v is None and a.p is not None and a.p not in self.missing:
                self.missing.append(a.p)
            return r, Check(text, a.v, "stated" if node.func == "stated" else "exists", a.p)
        a = self.ev(node, it, env)
        r = a.v
        return r, Check(text, a.v, "true", a.p)

    # ------------------------------------------------------------------ values
    def ev(self, node: A.Expr, it: V | None, env: dict[str, V]) -> V:
        if isinstance(node, A.Lit):
            return V(node.value)
        if isinstance(node, A.AsOf):
            return V(self.as_of)
        if isinstance(node, A.SetLit):
            return V([self.ev(i, it, env).v for i in node.items])
        if isinstance(node, A.Path):
            return self.path(node, it, env)
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
            if not a.v:
                return V(None, a.p)
            return V(a.v[0], a.items[0] if a.items else a.p)
        if isinstance(node, A.Arith):
            a, b = self.ev(node.left, it, env), self.ev(node.right, it, env)
            if a.v is None or b.v is None:
                return V(None)
            return V(a.v + b.v if node.op == "+" else a.v - b.v)
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
        if isinstance(cur.v, list) and cur.items is None:
            cur = V(cur.v, cur.p, [(*cur.p, i) if cur.p is not None else None
                                   for i in range(len(cur.v))])
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
                    xp = cur.items[i] if cur.items else None
                    if step.deref:
                        found = self.index(step.deref).get(x)
                        if found is None:
                            continue
                        x, xp = found
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
                obj, op = found
            value = obj.get(name) if isinstance(obj, dict) else None
            p = (*op, name) if op is not None else None
            if value is None and p is not None:
                self.missing.append(p)
            if isinstance(value, list):
                return V(value, p, [(*p, i) if p else None for i in range(len(value))])
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
        try:
            for i, x in enumerate(cur.v):
                xp = cur.items[i] if cur.items else None
                subject = V(x, xp)
                if target:
                    found = self.index(target).get(x)
                    subject = V(found[0], found[1]) if found else V({}, None)
                if self.cond(step.pred, subject, env, True) is True:
                    keep.append(x)
                    keep_p.append(xp if not target else subject.p)
        finally:
            self.recording = saved
            self.missing = saved_missing
        return V(keep, cur.p, keep_p)


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

"""Compile checked rules into Python closures: the fast path of evaluation.

Each expression becomes a function `f(ctx, it, env)`: `ctx` holds the constitution's data,
the as-of date, cached definitions and reference indexes; `it` is the item a filter is
looking at; `env` holds quantifier variables. Conditions use three-valued logic: True, False,
or None when a fact they need is not stated. No evidence is recorded here; when a rule does
not pass, the engine asks `explain.py` (an interpreter over the same tree) why.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable
from typing import Any

from . import ast as A
from .regex import searcher

Fn = Callable[[Any, Any, dict[str, Any]], Any]
_EMPTY: dict[str, Any] = {}


class Ctx:
    """Per-constitution evaluation state shared by all rules."""

    __slots__ = ("_defs", "_index", "as_of", "data", "definitions")

    def __init__(self, data: dict[str, Any], as_of: datetime.date,
                 definitions: dict[str, Fn]) -> None:
        self.data = data
        self.as_of = as_of
        self.definitions = definitions
        self._defs: dict[str, Any] = {}
        self._index: dict[str, dict[str, Any]] = {}

    def definition(self, name: str) -> Any:
        """A named definition's value, computed once per constitution."""
        try:
            return self._defs[name]
        except KeyError:
            value = self.definitions[name](self, None, _EMPTY)
            self._defs[name] = value
            return value

    def index(self, target: str) -> dict[str, Any]:
        """id -> object for a collection such as `board.members`."""
        found = self._index.get(target)
        if found is None:
            found = {}
            value: Any = self.data
            for part in target.split("."):
                value = _project(value, part)
            for item in value or ():
                if isinstance(item, dict) and "id" in item:
                    found[item["id"]] = item
            self._index[target] = found
        return found


def _project(value: Any, name: str) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        out: list[Any] = []
        for x in value:
            y = x.get(name) if isinstance(x, dict) else None
            if isinstance(y, list):
                out.extend(y)
            elif y is not None:
                out.append(y)
        return out
    return value.get(name)


_ORDER = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
          ">": operator.gt, ">=": operator.ge}


def compile_expr(node: A.Expr) -> Fn:
    """A closure evaluating `node`."""
    return _COMPILERS[type(node)](node)


def _lit(node: A.Lit) -> Fn:
    value = node.value
    return lambda ctx, it, env: value


def _as_of(node: A.AsOf) -> Fn:
    return lambda ctx, it, env: ctx.as_of


def _set(node: A.SetLit) -> Fn:
    if all(isinstance(i, A.Lit) for i in node.items):
        values = [i.value for i in node.items]  # type: ignore[attr-defined]
        return lambda ctx, it, env: values
    parts = [compile_expr(i) for i in node.items]
    return lambda ctx, it, env: [p(ctx, it, env) for p in parts]


def _bool_op(node: A.BoolOp) -> Fn:
    """Kleene `and`/`or`: a deciding value (False for and, True for or) wins over unknown."""
    parts = tuple(compile_expr(i) for i in node.items)
    decider = node.op == "or"

    def bool_op(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
        result: bool | None = not decider
        for p in parts:
            r = p(ctx, it, env)
            if r is decider:
                return decider
            if r is None:
                result = None
        return result
    return bool_op


def _not(node: A.Not) -> Fn:
    f = compile_expr(node.operand)

    def not_(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
        r = f(ctx, it, env)
        return None if r is None else not r
    return not_


def _simple_field(node: A.Expr) -> str | None:
    """The field name when `node` is a bare field of the filtered item (`role`), else None."""
    if isinstance(node, A.Path) and node.base == "elem" and not node.steps:
        return node.head
    return None


def _compare(node: A.Compare) -> Fn:
    op = _ORDER[node.op]
    name = _simple_field(node.left)
    if name is not None and isinstance(node.right, A.Lit):
        # The commonest test inside a filter, `[role = chair]`, as one closure.
        k = node.right.value

        def item_field_vs_const(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
            v = it.get(name)
            return None if v is None else op(v, k)
        return item_field_vs_const
    left, right = compile_expr(node.left), compile_expr(node.right)
    if isinstance(node.right, A.Lit):
        k = node.right.value

        def compare_const(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
            a = left(ctx, it, env)
            return None if a is None else op(a, k)
        return compare_const

    def compare(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
        a = left(ctx, it, env)
        if a is None:
            return None
        b = right(ctx, it, env)
        return None if b is None else op(a, b)
    return compare


def _member(node: A.Member) -> Fn:
    left, right = compile_expr(node.left), compile_expr(node.right)
    negate = node.negate
    if isinstance(node.right, A.SetLit) and all(isinstance(i, A.Lit) for i in node.right.items):
        values = frozenset(i.value for i in node.right.items)  # type: ignore[attr-defined]

        def member_of_set(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
            a = left(ctx, it, env)
            return None if a is None else (a in values) is not negate
        return member_of_set

    def member(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
        a = left(ctx, it, env)
        if a is None:
            return None
        b = right(ctx, it, env)
        if b is None:
            return None
        return (a in b) is not negate
    return member


def _contains(node: A.Contains) -> Fn:
    left, right = compile_expr(node.left), compile_expr(node.right)
    mode = node.mode

    def contains(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
        a = left(ctx, it, env)
        if a is None:
            return None
        b = right(ctx, it, env)
        if b is None:
            return None
        if mode == "one":
            return b in a
        if mode == "all":
            return all(x in a for x in b)
        return any(x in a for x in b)
    return contains


def _matches(node: A.Matches) -> Fn:
    left = compile_expr(node.left)
    search = searcher(node.pattern)

    def matches(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
        a = left(ctx, it, env)
        return None if a is None else search(str(a))
    return matches


def _arith(node: A.Arith) -> Fn:
    left, right = compile_expr(node.left), compile_expr(node.right)
    op = operator.add if node.op == "+" else operator.sub

    def arith(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
        a, b = left(ctx, it, env), right(ctx, it, env)
        return None if a is None or b is None else op(a, b)
    return arith


def _call(node: A.Call) -> Fn:
    arg = compile_expr(node.args[0])
    func = node.func
    if func == "count":
        def count(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
            v = arg(ctx, it, env)
            return 0 if v is None else len(v)
        return count
    if func == "exists":
        def exists(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
            return present(arg(ctx, it, env))
        return exists
    if func == "stated":
        return lambda ctx, it, env: arg(ctx, it, env) is not None
    if func == "len":
        def length(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
            v = arg(ctx, it, env)
            return None if v is None else len(v)
        return length
    if func == "financial_year":
        def fin_year(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
            v = arg(ctx, it, env)
            return None if v is None else financial_year(v)
        return fin_year

    def the(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
        v = arg(ctx, it, env)
        return v[0] if v else None
    return the


def financial_year(day: Any) -> int:
    """The year in which the English public-sector financial year holding `day` begins
    (financial years run from 1 April to 31 March)."""
    return int(day.year if day.month >= 4 else day.year - 1)


def present(v: Any) -> bool:
    """`exists`: stated, and not an empty list or empty text."""
    if v is None:
        return False
    if isinstance(v, list | str):
        return len(v) > 0
    return True


def _quant(node: A.Quant) -> Fn:
    source, body = compile_expr(node.source), compile_expr(node.body)
    var = node.var
    every = node.kind == "every"

    def quant(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
        items = source(ctx, it, env)
        if items is None:
            return None
        result: bool | None = every
        for x in items:
            r = body(ctx, it, {**env, var: x})
            if r is None:
                result = None
            elif r is not every:
                return r
        return result
    return quant


def _path(node: A.Path) -> Fn:
    head = node.head
    base = node.base
    getter: Fn
    if base == "root":
        def getter(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
            return ctx.data.get(head)
    elif base == "elem":
        def getter(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
            return it.get(head)
    elif base == "var":
        def getter(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
            return env[head]
    elif base == "it":
        def getter(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
            return it
    elif base == "expr":
        assert node.start is not None
        getter = compile_expr(node.start)
    else:
        def getter(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
            return ctx.definition(head)
    steps = list(node.steps)
    # Plain field steps (no list mapping, no reference) collapse into one loop.
    plain: list[str] = []
    while steps and isinstance(steps[0], A.FieldStep) and not steps[0].maps \
            and not steps[0].deref:
        plain.append(steps.pop(0).name)  # type: ignore[attr-defined]
    if plain:
        getter = _fields(getter, tuple(plain))
    for step in steps:
        getter = _step(step, getter)
    return getter


def _fields(prev: Fn, names: tuple[str, ...]) -> Fn:
    if len(names) == 1:
        only = names[0]

        def one_field(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
            v = prev(ctx, it, env)
            return None if v is None else v.get(only)
        return one_field

    def fields(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
        v = prev(ctx, it, env)
        for name in names:
            if v is None:
                return None
            v = v.get(name)
        return v
    return fields


def _step(step: A.Expr, prev: Fn) -> Fn:
    if isinstance(step, A.FieldStep):
        name, deref = step.name, step.deref
        if step.maps:
            def mapped(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
                v = prev(ctx, it, env)
                if v is None:
                    return None
                index = ctx.index(deref) if deref else None
                out: list[Any] = []
                for x in v:
                    if index is not None:
                        x = index.get(x)
                    y = x.get(name) if x is not None else None
                    if y is None:
                        continue
                    if isinstance(y, list):
                        out.extend(y)
                    else:
                        out.append(y)
                return out
            return mapped
        if deref:
            def followed(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
                v = prev(ctx, it, env)
                if v is None:
                    return None
                obj = ctx.index(deref).get(v)
                return None if obj is None else obj.get(name)
            return followed

        def field(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
            v = prev(ctx, it, env)
            return None if v is None else v.get(name)
        return field
    assert isinstance(step, A.FilterStep)
    pred = compile_expr(step.pred)
    item_t = step.typ.item if step.typ is not None else None  # type: ignore[attr-defined]
    target = getattr(item_t, "target", "")
    if target:
        def filter_refs(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
            v = prev(ctx, it, env)
            if v is None:
                return None
            index = ctx.index(target)
            return [x for x in v if pred(ctx, index.get(x) or {}, env) is True]
        return filter_refs

    def filter_(ctx: Any, it: Any, env: dict[str, Any]) -> Any:
        v = prev(ctx, it, env)
        if v is None:
            return None
        return [x for x in v if pred(ctx, x, env) is True]
    return filter_


_COMPILERS: dict[type, Callable[[Any], Fn]] = {
    A.Lit: _lit, A.AsOf: _as_of, A.SetLit: _set, A.BoolOp: _bool_op, A.Not: _not,
    A.Compare: _compare, A.Member: _member, A.Contains: _contains, A.Matches: _matches,
    A.Arith: _arith, A.Call: _call, A.Quant: _quant, A.Path: _path,
}

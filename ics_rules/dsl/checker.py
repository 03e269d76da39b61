"""Static checks of rules against the constitution model, before any constitution is read.

Every name is resolved (definition, quantifier variable, field of the filtered item, top-level
section, or enumeration word) and every expression typed. A path the model does not have, a
word outside its enumeration, or a comparison of a date with a number is a `RulesetError` at
the rule's line and column, with a suggestion where one is close.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ..errors import ErrorList, RulesetError, did_you_mean
from ..schema import (
    BOOL,
    DATE,
    NUMBER,
    TEXT,
    Enum,
    ListOf,
    Obj,
    Ref,
    Scalar,
    Type,
    element_type,
    resolve,
    root_type,
)
from . import ast as A

FUNCTIONS = {
    "count": "the number of items in a list (0 when not stated)",
    "exists": "true when a value is stated (a list: has at least one item)",
    "stated": "true when the value is stated at all (even false or empty)",
    "len": "the length of a text or list",
    "the": "the first item of a list (not stated when empty)",
    "financial_year": "the year in which the financial year (1 April to 31 March) holding a "
                      "date begins: 2025 for 2026-01-01",
}


@dataclass
class Scope:
    """What names mean at one point of a rule."""

    definitions: dict[str, Type]
    variables: dict[str, Type] = field(default_factory=dict)
    element: Type | None = None

    def with_var(self, name: str, t: Type) -> Scope:
        return Scope(self.definitions, {**self.variables, name: t}, self.element)

    def with_element(self, t: Type) -> Scope:
        return Scope(self.definitions, self.variables, t)


class Checker:
    """Resolves and types one ruleset; collects errors rather than stopping at the first."""

    def __init__(self, ruleset: A.Ruleset) -> None:
        self.rs = ruleset
        self.errors: list[RulesetError] = []

    def error(self, node: Any, message: str, hint: str | None = None) -> RulesetError:
        pos: A.Pos = getattr(node, "pos", A.NOPOS)
        end = pos.end_column if pos.end_line == pos.line else None
        return RulesetError(message, self.rs.path, pos.line or None, pos.column or None,
                            source=self.rs.text, end_column=end, hint=hint)

    # ------------------------------------------------------------------ ruleset level
    def check(self) -> A.Ruleset:
        definitions: dict[str, Type] = {}
        checked_defs: list[A.Definition] = []
        for d in self.rs.definitions:
            if d.name in definitions:
                self.errors.append(self.error(d, f"'{d.name}' is defined twice"))
                continue
            if d.name in root_type().fields:
                self.errors.append(self.error(
                    d, f"'{d.name}' is a section of the constitution; choose another name"))
                continue
            try:
                expr = self.expr(d.expr, Scope(dict(definitions)))
            except RulesetError as exc:
                self.errors.append(exc)
                continue
            definitions[d.name] = expr.typ or TEXT
            checked_defs.append(dataclasses.replace(d, expr=expr))
        rules: list[A.Rule] = []
        for r in self.rs.rules:
            try:
                rules.append(self.rule(r, Scope(definitions)))
            except RulesetError as exc:
                self.errors.append(exc)
        if self.errors:
            raise ErrorList(list(self.errors)) if len(self.errors) > 1 else self.errors[0]
        return dataclasses.replace(self.rs, definitions=tuple(checked_defs), rules=tuple(rules))

    def rule(self, r: A.Rule, scope: Scope) -> A.Rule:
        for cite in r.cites:
            if cite.source not in self.rs.sources:
                raise self.error(r, f"rule {r.id} cites unknown source '{cite.source}'"
                                    f"{did_you_mean(cite.source, self.rs.sources)}",
                                 hint="declare it in the header: source NAME \"Title\"")
        if r.in_force_from and r.in_force_until and r.in_force_until <= r.in_force_from:
            raise self.error(r, f"rule {r.id}: 'until' {r.in_force_until} is not after "
                                f"'from' {r.in_force_from}")
        require = self.condition(r.require, scope)
        when = self.condition(r.when, scope) if r.when is not None else None
        message = None
        if r.message is not None:
            parts = tuple(p if isinstance(p, str) else self.expr(p, scope)
                          for p in r.message.parts)
            message = A.Template(parts=parts, src=r.message.src)
        return dataclasses.replace(r, require=require, when=when, message=message)

    # ------------------------------------------------------------------ expressions
    def condition(self, node: A.Expr, scope: Scope) -> A.Expr:
        out = self.expr(node, scope)
        self.want_bool(out)
        return out

    def want_bool(self, node: A.Expr) -> None:
        t = node.typ
        if t == BOOL:
            return
        if isinstance(t, ListOf):
            hint = ("to test a list use exists(...), count(...) >= N, "
                    "every(x in ...: ...) or some(x in ...: ...)")
        else:
            hint = None
        raise self.error(node, f"'{node.src}' is {describe(t)}, but a condition must be "
                               "true/false", hint)

    def expr(self, node: A.Expr, scope: Scope) -> A.Expr:
        method = getattr(self, "x_" + type(node).__name__)
        return method(node, scope)

    def x_Lit(self, node: A.Lit, scope: Scope) -> A.Expr:
        t = {"number": NUMBER, "text": TEXT, "date": DATE, "bool": BOOL,
             "word": Enum((str(node.value),), open=True)}[node.kind]
        return dataclasses.replace(node, typ=t)

    def x_AsOf(self, node: A.AsOf, scope: Scope) -> A.Expr:
        return dataclasses.replace(node, typ=DATE)

    def x_BoolOp(self, node: A.BoolOp, scope: Scope) -> A.Expr:
        items = tuple(self.condition(i, scope) for i in node.items)
        return dataclasses.replace(node, items=items, typ=BOOL)

    def x_Not(self, node: A.Not, scope: Scope) -> A.Expr:
        return dataclasses.replace(node, operand=self.condition(node.operand, scope), typ=BOOL)

    def x_Arith(self, node: A.Arith, scope: Scope) -> A.Expr:
        left, right = self.expr(node.left, scope), self.expr(node.right, scope)
        for side in (left, right):
            if side.typ != NUMBER:
                raise self.error(side, f"'{side.src}' is {describe(side.typ)}; "
                                       f"'{node.op}' needs numbers")
        return dataclasses.replace(node, left=left, right=right, typ=NUMBER)

    def x_Compare(self, node: A.Compare, scope: Scope) -> A.Expr:
        left, right = self.pair(node.left, node.right, scope)
        lt, rt = left.typ, right.typ
        for side in (left, right):
            if isinstance(side.typ, ListOf):
                raise self.error(side, f"'{side.src}' is a list ({describe(side.typ)}); "
                                       "compare one value at a time",
                                 hint="use the(...), every(x in ...: ...), some(...), "
                                      "count(...) or 'contains'")
        self.literal_in_enum(left, rt)
        self.literal_in_enum(right, lt)
        if node.op in ("<", "<=", ">", ">="):
            if not ((lt == NUMBER and rt == NUMBER) or (lt == DATE and rt == DATE)):
                raise self.error(node, f"cannot order {describe(lt)} and {describe(rt)} "
                                       f"with '{node.op}': both sides must be numbers or dates")
        else:
            self.compatible(node, lt, rt)
        return dataclasses.replace(node, left=left, right=right, typ=BOOL)

    def x_Member(self, node: A.Member, scope: Scope) -> A.Expr:
        right = self.expr(node.right, scope) if not isinstance(node.right, A.SetLit) else None
        left = self.expr(node.left, scope)
        if right is None:
            right = self.set_for(node.right, left.typ, scope)
        if not isinstance(right.typ, ListOf):
            raise self.error(right, f"'{right.src}' is {describe(right.typ)}; 'in' needs a list "
                                    "or a set such as {a, b}")
        if isinstance(left.typ, ListOf):
            raise self.error(left, f"'{left.src}' is a list; 'in' tests one value",
                             hint="use 'contains all' or 'contains any' to compare lists")
        if not isinstance(node.right, A.SetLit):
            self.compatible(node, left.typ, right.typ.item)
        return dataclasses.replace(node, left=left, right=right, typ=BOOL)

    def x_Contains(self, node: A.Contains, scope: Scope) -> A.Expr:
        left = self.expr(node.left, scope)
        if not isinstance(left.typ, ListOf):
            raise self.error(left, f"'{left.src}' is {describe(left.typ)}; 'contains' needs a "
                                   "list on its left")
        item = left.typ.item
        if node.mode == "one":
            right = self.word_or_expr(node.right, item, scope)
            if isinstance(right.typ, ListOf):
                raise self.error(right, f"'{right.src}' is a list; write 'contains all' or "
                                        "'contains any'")
            self.compatible(node, item, right.typ)
        else:
            if isinstance(node.right, A.SetLit):
                right = self.set_for(node.right, item, scope)
            else:
                right = self.expr(node.right, scope)
                if not isinstance(right.typ, ListOf):
                    raise self.error(right, f"'{right.src}' is {describe(right.typ)}; "
                                            f"'contains {node.mode}' needs a list or a set")
                self.compatible(node, item, right.typ.item)
        return dataclasses.replace(node, left=left, right=right, typ=BOOL)

    def x_Matches(self, node: A.Matches, scope: Scope) -> A.Expr:
        left = self.expr(node.left, scope)
        if left.typ != TEXT and not isinstance(left.typ, Enum | Ref):
            raise self.error(left, f"'{left.src}' is {describe(left.typ)}; 'matches' needs text")
        return dataclasses.replace(node, left=left, typ=BOOL)

    def x_SetLit(self, node: A.SetLit, scope: Scope) -> A.Expr:
        return self.set_for(node, None, scope)

    def x_Quant(self, node: A.Quant, scope: Scope) -> A.Expr:
        source = self.expr(node.source, scope)
        if not isinstance(source.typ, ListOf):
            raise self.error(source, f"'{source.src}' is {describe(source.typ)}; "
                                     f"{node.kind}(...) needs a list")
        if node.var in scope.definitions or node.var in root_type().fields:
            raise self.error(node, f"variable '{node.var}' hides a name already in use; "
                                   "choose another")
        body = self.condition(node.body, scope.with_var(node.var, source.typ.item))
        return dataclasses.replace(node, source=source, body=body, typ=BOOL)

    def x_Call(self, node: A.Call, scope: Scope) -> A.Expr:
        if node.func not in FUNCTIONS:
            raise self.error(node, f"unknown function '{node.func}'"
                                   f"{did_you_mean(node.func, FUNCTIONS)}",
                             hint="functions: " + ", ".join(sorted(FUNCTIONS)))
        if len(node.args) != 1:
            raise self.error(node, f"{node.func}(...) takes exactly one argument")
        arg = self.expr(node.args[0], scope)
        t = arg.typ
        if node.func == "count":
            if not isinstance(t, ListOf):
                raise self.error(arg, f"count(...) needs a list; '{arg.src}' is {describe(t)}")
            out: Type = NUMBER
        elif node.func == "the":
            if not isinstance(t, ListOf):
                raise self.error(arg, f"the(...) needs a list; '{arg.src}' is {describe(t)}")
            out = t.item
        elif node.func == "len":
            if not (isinstance(t, ListOf) or t == TEXT):
                raise self.error(arg, f"len(...) needs text or a list; '{arg.src}' is "
                                      f"{describe(t)}")
            out = NUMBER
        elif node.func == "financial_year":
            if t != DATE:
                raise self.error(arg, f"financial_year(...) needs a date; '{arg.src}' is "
                                      f"{describe(t)}")
            out = NUMBER
        else:
            out = BOOL
        return dataclasses.replace(node, args=(arg,), typ=out)

    # ------------------------------------------------------------------ paths
    def x_Path(self, node: A.Path, scope: Scope) -> A.Expr:
        start = None
        if node.start is not None:
            start = self.expr(node.start, scope)
            base, t = "expr", start.typ or TEXT
        else:
            base, t = self.head(node, scope)
        steps: list[A.Expr] = []
        for step in node.steps:
            if isinstance(step, A.FieldStep):
                new_step, t = self.field_step(step, t)
            else:
                assert isinstance(step, A.FilterStep)
                if not isinstance(t, ListOf):
                    raise self.error(step, f"'[...]' filters a list, but this is {describe(t)}")
                item = t.item
                obj = self.deref(item) if isinstance(item, Ref) else item
                pred = self.condition(step.pred, scope.with_element(obj))
                new_step = dataclasses.replace(step, pred=pred, typ=t)
            steps.append(new_step)
        return dataclasses.replace(node, base=base, steps=tuple(steps), typ=t, start=start)

    def head(self, node: A.Path, scope: Scope) -> tuple[str, Type]:
        name = node.head
        if name in scope.variables:
            return "var", scope.variables[name]
        element = scope.element
        if isinstance(element, Obj) and name in element.fields:
            return "elem", element.fields[name]
        if name == "it" and element is not None:
            return "it", element
        if name in scope.definitions:
            return "def", scope.definitions[name]
        root = root_type()
        if name in root.fields:
            return "root", root.fields[name]
        known = list(scope.variables) + list(scope.definitions) + list(root.fields)
        if isinstance(element, Obj):
            known += list(element.fields)
        where = f" (fields here: {', '.join(element.fields)})" if isinstance(element, Obj) else ""
        raise self.error(node, f"unknown name '{name}'{did_you_mean(name, known)}",
                         hint=f"top-level sections: {', '.join(root.fields)}{where}")

    def deref(self, t: Ref) -> Type:
        return element_type(resolve(t.target))

    def field_step(self, step: A.FieldStep, t: Type) -> tuple[A.Expr, Type]:
        maps = isinstance(t, ListOf)
        inner = element_type(t)
        deref = ""
        if isinstance(inner, Ref):
            deref = inner.target
            if step.name == "id":
                result: Type = TEXT
                return dataclasses.replace(step, maps=maps, deref="", typ=ListOf(result)
                                           if maps else result), (ListOf(result) if maps
                                                                  else result)
            inner = self.deref(inner)
        if not isinstance(inner, Obj):
            raise self.error(step, f"'.{step.name}': {describe(t)} has no fields")
        if step.name not in inner.fields:
            raise self.error(step, f"{inner.name} has no field '{step.name}'"
                                   f"{did_you_mean(step.name, inner.fields)}",
                             hint=f"fields of {inner.name}: {', '.join(inner.fields)}")
        ft = inner.fields[step.name]
        if maps:
            ft = ListOf(element_type(ft))
        return dataclasses.replace(step, maps=maps, deref=deref, typ=ft), ft

    # ------------------------------------------------------------------ words and sets
    def pair(self, left: A.Expr, right: A.Expr, scope: Scope) -> tuple[A.Expr, A.Expr]:
        """Type both sides; a bare name facing an enumeration is read as one of its words."""
        if _bare(right) and not _bare(left):
            lx = self.expr(left, scope)
            return lx, self.word_or_expr(right, lx.typ, scope)
        if _bare(left) and not _bare(right):
            rx = self.expr(right, scope)
            return self.word_or_expr(left, rx.typ, scope), rx
        lx = self.expr(left, scope)
        return lx, self.word_or_expr(right, lx.typ, scope)

    def word_or_expr(self, node: A.Expr, against: Type | None, scope: Scope) -> A.Expr:
        """`node` as a word of `against`'s vocabulary when it is a bare name in it, else typed."""
        words = vocabulary(against)
        if isinstance(node, A.Path) and not node.steps and node.head in words:
            return A.Lit(value=node.head, kind="word", pos=node.pos, src=node.src,
                         typ=Enum((node.head,), open=True))
        if isinstance(node, A.Lit) and node.kind == "text" and isinstance(against, Enum) \
                and not against.open and node.value not in against.values:
            raise self.error(node, f"'{node.value}' is not one of {', '.join(against.values)}"
                                   f"{did_you_mean(node.value, against.values)}")
        if isinstance(node, A.Path) and not node.steps and words:
            try:
                return self.expr(node, scope)
            except RulesetError:
                raise self.error(node, f"'{node.head}' is neither a name in scope nor one of "
                                       f"{', '.join(words)}{did_you_mean(node.head, words)}") \
                    from None
        return self.expr(node, scope)

    def set_for(self, node: A.Expr, item: Type | None, scope: Scope) -> A.Expr:
        if not isinstance(node, A.SetLit):
            return self.expr(node, scope)
        words = vocabulary(item)
        items: list[A.Expr] = []
        for it in node.items:
            if isinstance(it, A.Lit) and it.kind == "word":
                if item is not None and isinstance(item, Enum) and not item.open \
                        and it.value not in words:
                    raise self.error(it, f"'{it.value}' is not one of {', '.join(words)}"
                                         f"{did_you_mean(str(it.value), words)}")
                if item is not None and not isinstance(item, Enum | Ref):
                    raise self.error(it, f"'{it.value}' is a word, but the values compared are "
                                         f"{describe(item)}", hint='quote text: "..."')
            checked = self.x_Lit(it, scope) if isinstance(it, A.Lit) else self.expr(it, scope)
            self.literal_in_enum(it, item)
            if item is not None and not (isinstance(it, A.Lit) and it.kind == "word"):
                self.compatible(it, item, checked.typ)
            items.append(checked)
        kinds = {type(i.typ) for i in items}
        item_t: Type = items[0].typ if len(kinds) == 1 and items else (item or TEXT)
        if item is not None:
            item_t = item
        return dataclasses.replace(node, items=tuple(items), typ=ListOf(item_t))

    def literal_in_enum(self, node: A.Expr, t: Type | None) -> None:
        """A quoted text compared with a closed enumeration must be one of its words."""
        if isinstance(node, A.Lit) and node.kind == "text" and isinstance(t, Enum) \
                and not t.open and node.value not in t.values:
            raise self.error(node, f"'{node.value}' is not one of {', '.join(t.values)}"
                                   f"{did_you_mean(str(node.value), t.values)}")

    def compatible(self, node: Any, a: Type | None, b: Type | None) -> None:
        if a is None or b is None:
            return
        if _kind(a) == _kind(b):
            if isinstance(a, Enum) and isinstance(b, Enum) and not (a.open or b.open) \
                    and not set(a.values) & set(b.values):
                raise self.error(node, f"{describe(a)} and {describe(b)} share no value")
            return
        raise self.error(node, f"cannot compare {describe(a)} with {describe(b)}",
                         hint='dates are written 2022-07-01, text in "quotes", words bare')


def _bare(node: A.Expr) -> bool:
    return isinstance(node, A.Path) and not node.steps


def _kind(t: Type) -> str:
    if isinstance(t, Enum | Ref):
        return "text"
    if t == TEXT:
        return "text"
    if isinstance(t, Scalar):
        return t.kind
    if isinstance(t, ListOf):
        return "list"
    if isinstance(t, Obj):
        return "object:" + t.name
    return "any"


def vocabulary(t: Type | None) -> tuple[str, ...]:
    """The words a value of type `t` may take (an enumeration's, or a reference's fixed words)."""
    if isinstance(t, ListOf):
        t = t.item
    if isinstance(t, Enum):
        return t.values
    if isinstance(t, Ref):
        return t.vocabulary
    return ()


def describe(t: Type | None) -> str:
    """A short description of a type for messages."""
    if t is None:
        return "untyped"
    if isinstance(t, Obj):
        return f"an object ({t.name})"
    if isinstance(t, ListOf):
        return t.describe()
    return t.describe()


def check_ruleset(ruleset: A.Ruleset) -> A.Ruleset:
    """Resolve and type-check a parsed ruleset. Raises `RulesetError` / `ErrorList`."""
    return Checker(ruleset).check()

"""Which fields of the constitution model each rule reads (for the field reference and `init`).

Walks a checked rule's expressions with the types the checker gave them, so a step like
`.chair.role` on a committee is known to read `Committee.chair` and then `BoardMember.role`;
a definition's reads count for every rule that uses it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..schema import ListOf, Obj, Ref, Type, element_type, resolve, root_type
from . import ast as A

FieldKey = tuple[str, str]  # (model name, field name in the file)


def rule_reads(rulesets: Any) -> dict[str, set[FieldKey]]:
    """rule ID -> the (model, field) pairs its condition, applicability and message read."""
    out: dict[str, set[FieldKey]] = {}
    for rs in rulesets:
        checked = rs.ast
        defs: dict[str, set[FieldKey]] = {}
        types: dict[str, Type | None] = {}
        for d in checked.definitions:
            found: set[FieldKey] = set()
            _Walker(found, defs, types).expr(d.expr, None, {})
            defs[d.name] = found
            types[d.name] = d.expr.typ
        for r in checked.rules:
            found = set()
            walker = _Walker(found, defs, types)
            for node in (r.require, r.when):
                if node is not None:
                    walker.expr(node, None, {})
            if r.message is not None:
                for part in r.message.parts:
                    if not isinstance(part, str):
                        walker.expr(part, None, {})
            out[r.id] = found
    return out


class _Walker:
    """Collects field reads from one expression tree."""

    def __init__(self, found: set[FieldKey], defs: dict[str, set[FieldKey]],
                 types: dict[str, Type | None]) -> None:
        self.found = found
        self.defs = defs
        self.types = types

    def expr(self, node: Any, element: Type | None, variables: dict[str, Type]) -> None:
        if isinstance(node, A.Path):
            self.path(node, element, variables)
            return
        if isinstance(node, A.Quant):
            self.expr(node.source, element, variables)
            item = node.source.typ.item if isinstance(node.source.typ, ListOf) else None
            self.expr(node.body, element, {**variables, node.var: item} if item else variables)
            return
        if dataclasses.is_dataclass(node):
            for f in dataclasses.fields(node):
                self.children(getattr(node, f.name), element, variables)

    def children(self, value: Any, element: Type | None, variables: dict[str, Type]) -> None:
        if isinstance(value, tuple | list):
            for v in value:
                self.children(v, element, variables)
        elif isinstance(value, A.Expr):
            self.expr(value, element, variables)

    def path(self, node: A.Path, element: Type | None, variables: dict[str, Type]) -> None:
        t: Type | None
        if node.start is not None:
            self.expr(node.start, element, variables)
            t = node.start.typ
        elif node.base == "root":
            t = self.read(root_type(), node.head)
        elif node.base == "elem":
            t = self.read(_obj(element), node.head)
        elif node.base == "var":
            t = variables.get(node.head)
        elif node.base == "def":
            self.found |= self.defs.get(node.head, set())
            t = self.types.get(node.head)
        else:  # "it"
            t = element
        for step in node.steps:
            if isinstance(step, A.FieldStep):
                inner = element_type(t) if t is not None else None
                if isinstance(inner, Ref):
                    if step.name == "id":
                        t = step.typ
                        continue
                    inner = element_type(resolve(inner.target))
                self.read(inner, step.name)
                t = step.typ
            elif isinstance(step, A.FilterStep):
                item = element_type(t) if t is not None else None
                if isinstance(item, Ref):
                    item = element_type(resolve(item.target))
                self.expr(step.pred, item, variables)
                t = step.typ

    def read(self, obj: Type | None, name: str) -> Type | None:
        """Record `obj.name` as read; the field's type."""
        obj = _obj(obj)
        if isinstance(obj, Obj) and name in obj.fields:
            self.found.add((obj.name, name))
            return obj.fields[name]
        return None


def _obj(t: Type | None) -> Type | None:
    t = element_type(t) if t is not None else None
    if isinstance(t, Ref):
        t = element_type(resolve(t.target))
    return t

"""The rules language's syntax tree: frozen dataclasses, each node with its position and text.

The checker returns a new tree of the same classes with names resolved and `typ` filled in,
so the compiler and the explainer never see an unresolved name.
"""

from __future__ import annotations

import datetime
from dataclasses import field
from typing import Any

from ..record import record
from ..schema import Type


@record
class Pos:
    """Where a node starts and ends in its ruleset file (1-based)."""

    line: int
    column: int
    end_line: int
    end_column: int


NOPOS = Pos(0, 0, 0, 0)


@record
class Expr:
    """Base of expressions."""

    pos: Pos = field(kw_only=True, default=NOPOS, compare=False)
    src: str = field(kw_only=True, default="", compare=False)
    typ: Type | None = field(kw_only=True, default=None, compare=False)


@record
class Lit(Expr):
    """A literal: number, text, date, bool, or an enumeration word (`kind` says which)."""

    value: Any
    kind: str


@record
class AsOf(Expr):
    """The evaluation date (`--as-of`)."""


@record
class FieldStep(Expr):
    """`.name`: a field; over a list it maps; on a reference it follows the reference.

    The checker sets `maps` when the step is applied to a list, and `deref` to the collection a
    reference points into when the step is applied to a reference.
    """

    name: str
    maps: bool = False
    deref: str = ""


@record
class FilterStep(Expr):
    """`[condition]`: keep the list items for which the condition holds."""

    pred: Expr


@record
class Path(Expr):
    """A name followed by steps. `base` is resolved by the checker: root, var, elem or def."""

    head: str
    steps: tuple[Expr, ...] = ()
    base: str = ""
    start: Expr | None = None  # a call the steps apply to (`the(x).field`); base "expr"


@record
class Call(Expr):
    """A built-in function: count, exists, stated, len."""

    func: str
    args: tuple[Expr, ...]


@record
class Quant(Expr):
    """`every(x in list: cond)` or `some(x in list: cond)`."""

    kind: str
    var: str
    source: Expr
    body: Expr


@record
class SetLit(Expr):
    """`{a, b, "c"}`."""

    items: tuple[Expr, ...]


@record
class Not(Expr):
    """`not x`."""

    operand: Expr


@record
class BoolOp(Expr):
    """`a and b and ...` or `a or b or ...`."""

    op: str
    items: tuple[Expr, ...]


@record
class Compare(Expr):
    """`a = b`, `!=`, `<`, `<=`, `>`, `>=`."""

    op: str
    left: Expr
    right: Expr


@record
class Member(Expr):
    """`a in b` / `a not in b`."""

    left: Expr
    right: Expr
    negate: bool = False


@record
class Contains(Expr):
    """`list contains x`, `list contains all {..}`, `list contains any {..}`."""

    left: Expr
    right: Expr
    mode: str = "one"


@record
class Matches(Expr):
    """`text matches "regex"` (an RE2 search, `regex.py`)."""

    left: Expr
    pattern: str


@record
class Arith(Expr):
    """`a + b`, `a - b` on numbers."""

    op: str
    left: Expr
    right: Expr


@record
class Template:
    """A message: literal text and `{expression}` parts."""

    parts: tuple[str | Expr, ...]
    src: str = ""


@record
class Cite:
    """A citation: a source of the ruleset and the pinpoint within it."""

    source: str
    pinpoint: str


@record
class Source:
    """A document a ruleset draws on."""

    name: str
    title: str
    url: str | None = None


@record
class Definition:
    """`define name = expr`: a named expression, evaluated once per constitution."""

    name: str
    expr: Expr
    pos: Pos = NOPOS


@record
class Rule:
    """One requirement: metadata, applicability, condition and message."""

    id: str
    title: str
    cites: tuple[Cite, ...]
    strength: str
    in_force_from: datetime.date | None
    in_force_until: datetime.date | None
    require: Expr
    when: Expr | None = None
    message: Template | None = None
    note: str | None = None
    unverified: str | None = None
    fix: str | None = None
    target: datetime.date | None = None
    topic: str | None = None
    see: tuple[str, ...] = ()
    pos: Pos = NOPOS
    ruleset: str = ""
    # What evidences the rule: the constitution itself, other ICB documents, or the system
    # (a duty on another body or a joint one); see `evidence.EVIDENCE`.
    evidence: str = "constitution"


@record
class Ruleset:
    """A parsed ruleset file."""

    id: str
    title: str
    version: str
    sources: dict[str, Source]
    definitions: tuple[Definition, ...]
    rules: tuple[Rule, ...]
    description: str | None = None
    path: str = ""
    sha256: str = ""
    text: str = field(default="", repr=False, compare=False)

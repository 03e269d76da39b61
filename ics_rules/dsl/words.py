"""Evidence in plain words: facts named by the ids of the objects they belong to, values and
requirements as people say them, never the rules language's own syntax or list indices.

Used by the engine to write every `found:` line, and by anything else that explains a rule's
result (so `check`, `explain` and `diff` word a fact the same way).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from ..facts import label, stable_path
from . import ast as A
from .explain import REF, Check, PathKey, show

_OPS = {"=": "", "!=": "not ", "<": "less than ", "<=": "at most ", ">": "more than ",
        ">=": "at least "}
_DATE_OPS = {"=": "", "!=": "not ", "<": "before ", "<=": "on or before ", ">": "after ",
             ">=": "on or after "}


def field(name: str | int) -> str:
    """A field name as words: `approved_by` -> `approved by`."""
    return str(name).replace("_", " ")


def singular(name: str) -> str:
    """`committees` -> `committee`, `bodies` -> `body` (list names of the file format)."""
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


def _segment(data: Any, path: PathKey) -> str:
    """Words for one stretch of a path (no REF in it): `board member cfo: approved by`.

    Field names read as one phrase until a list item, which is named by its id (or, in a
    list of references, by the value); each field after an item starts a new phrase.
    """
    phrases: list[str] = []
    words: list[str] = []
    cur: Any = data
    for part in path:
        if isinstance(part, int):
            item = cur[part] if isinstance(cur, list) and -len(cur) <= part < len(cur) else None
            name = label(item)
            owner = singular(words.pop()) if words else "item"
            words.append(f"{field(owner)} {name}" if name else f"an unnamed {field(owner)}")
            phrases.append(" ".join(words))
            words = []
            cur = item
        else:
            words.append(field(part))
            cur = cur.get(part) if isinstance(cur, dict) else None
    if words:
        phrases.append(" ".join(words))
    return ": ".join(phrases)


def fact_words(data: Any, path: PathKey | None) -> str:
    """A fact's place in the file in words: `committee audit: chair (board member chair):
    role`; the part after a reference names the object the reference leads to."""
    if not path:
        return "the constitution"
    parts = _hops(path)
    text = _segment(data, tuple(parts[0]))
    for rest in parts[1:]:
        # the object a reference leads to, then the field read on it
        n = max((i for i, x in enumerate(rest) if isinstance(x, int)), default=-1)
        obj_words = _segment(data, tuple(rest[:n + 1]))
        field_words = ": ".join(field(x) for x in rest[n + 1:])
        text += f" ({obj_words})" + (f": {field_words}" if field_words else "")
    return text


def fact_id(data: Any, path: PathKey | None) -> str:
    """A fact's stable path (list items by id or value, see `facts.stable_path`), with each
    reference followed shown as ` -> `: `committees[audit].chair -> board.members[chair].role`.
    """
    if not path:
        return "(top level)"
    return " -> ".join(stable_path(data, tuple(part)) for part in _hops(path))


def _hops(path: PathKey) -> list[list[str | int]]:
    """A path cut at each reference followed: the fact, then each object a reference reaches."""
    parts: list[list[str | int]] = [[]]
    for p in path:
        if p == REF:
            parts.append([])
        else:
            parts[-1].append(p)
    return parts


def expr_words(node: Any) -> str:
    """An expression in words, for values that are not a single fact of the file."""
    if isinstance(node, A.Lit):
        return show(node.value)
    if isinstance(node, A.AsOf):
        return "the assessment date"
    if isinstance(node, A.SetLit):
        return ", ".join(expr_words(i) for i in node.items)
    if isinstance(node, A.Path):
        # a quantifier's variable or the item a filter looks at is named by the fact's owner
        head = "" if node.base in ("it", "var") else field(node.head)
        if node.base == "expr" and node.start is not None:
            head = expr_words(node.start)
        words = [head] if head else []
        for step in node.steps:
            if isinstance(step, A.FieldStep):
                words.append(field(step.name))
            elif isinstance(step, A.FilterStep):
                if words:
                    words[-1] = words[-1]
                words.append("with " + expr_words(step.pred))
        return " ".join(w for w in words if w) or "it"
    if isinstance(node, A.Call):
        inner = expr_words(node.args[0]) if node.args else ""
        return {"count": f"number of {inner}", "len": f"length of {inner}",
                "exists": inner, "stated": inner, "the": inner}.get(node.func, inner)
    if isinstance(node, A.Compare):
        return f"{expr_words(node.left)} {_OPS[node.op] or ''}{expr_words(node.right)}".replace(
            "  ", " ")
    if isinstance(node, A.Member):
        return (f"{expr_words(node.left)} {'not ' if node.negate else ''}one of "
                f"{expr_words(node.right)}")
    if isinstance(node, A.Contains):
        return f"{expr_words(node.left)} including {expr_words(node.right)}"
    if isinstance(node, A.Matches):
        return f"{expr_words(node.left)} of the expected form"
    if isinstance(node, A.Arith):
        return f"{expr_words(node.left)} {'plus' if node.op == '+' else 'minus'} " \
               f"{expr_words(node.right)}"
    if isinstance(node, A.Not):
        return f"not ({expr_words(node.operand)})"
    if isinstance(node, A.BoolOp):
        return f" {node.op} ".join(expr_words(i) for i in node.items)
    if isinstance(node, A.Quant):
        return f"{'every' if node.kind == 'every' else 'some'} {expr_words(node.source)}"
    return "the condition"


def value_words(value: Any) -> str:
    """A found value as people read it."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return show(value)


def required_words(check: Check) -> str:
    """What the test required, in words: `at least 3`, `one of a, b`, `stated`."""
    req = check.req
    negate = check.negated
    kind, target = req
    if kind == "compare":
        op, value = target
        dated = isinstance(check.found, datetime.date) or isinstance(value, datetime.date)
        ops = _DATE_OPS if dated else _OPS
        text = ops[op] + _value_with_source(value, check)
    elif kind == "member":
        neg, values = target
        text = ("none of " if neg else "one of ") + _values(values, check)
    elif kind == "contains":
        mode, values = target
        if mode == "one":
            text = f"includes {_values(values, check)}"
        elif mode == "all":
            text = "includes all of " + _values(values, check)
        else:
            text = "includes one of " + _values(values, check)
    elif kind == "matches":
        text = "text of the expected form"
    elif kind == "nonempty":
        text = "at least one"
    elif kind == "exists":
        text = "stated and not empty"
    elif kind == "stated":
        text = "stated"
    else:
        text = "yes"
    return ("not " + text) if negate else text


def _value_with_source(value: Any, check: Check) -> str:
    if check.right_is_as_of:
        return f"the assessment date ({show(value)})"
    if value is None and check.against is not None:
        return f"{expr_words(check.against)} (not stated)"
    return value_words(value)


def _values(values: Any, check: Check) -> str:
    if values is None and check.against is not None:
        return f"{expr_words(check.against)} (not stated)"
    if not isinstance(values, list):
        return show(values)
    return ", ".join(show(v) for v in values) if values else "nothing"


def check_words(data: Any, check: Check) -> str:
    """One `found:` line: what was found, and what was required."""
    return _check_words(check, lambda p: fact_words(data, p))


def subject_words(data: Any, check: Check) -> str:
    """The fact a test read, in words."""
    return _subject_words(check, lambda p: fact_words(data, p))


def _check_words(check: Check, words: Callable[[PathKey | None], str]) -> str:
    subject = _subject_words(check, words)
    found = value_words(check.found)
    if check.missing_items:
        found += " (missing " + ", ".join(show(m) for m in check.missing_items) + ")"
    return f"{subject}: {found}; required: {required_words(check)}"


def _subject_words(check: Check, words: Callable[[PathKey | None], str]) -> str:
    node = check.subject
    absent = check.found is None and node is not None
    if check.path is not None and isinstance(node, A.Path) and not absent:
        return words(check.path)
    if node is not None:
        text = expr_words(node)
        if check.path is not None and any(isinstance(p, int) for p in check.path):
            owner = words(_owner(check.path))
            return f"{owner}: {text}" if owner != "the constitution" else text
        return text
    return words(check.path)


class Wording:
    """The words of one constitution's facts, each worked out once: an evaluation words the
    same facts for many rules (the chair's role, the members list), so the engine asks here
    rather than walking the data again. Made per evaluation, so it never outlives the data."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self._ids: dict[PathKey | None, str] = {}
        self._words: dict[PathKey | None, str] = {}

    def fact_id(self, path: PathKey | None) -> str:
        """`fact_id` of `path` in this constitution."""
        return self._once(self._ids, fact_id, path)

    def fact_words(self, path: PathKey | None) -> str:
        """`fact_words` of `path` in this constitution."""
        return self._once(self._words, fact_words, path)

    def _once(self, kept: dict[PathKey | None, str],
              word: Callable[[Any, PathKey | None], str], path: PathKey | None) -> str:
        try:
            return kept[path]
        except KeyError:
            out = kept[path] = word(self.data, path)
            return out
        except TypeError:  # not a tuple: worded, not kept
            return word(self.data, path)

    def check_words(self, check: Check) -> str:
        """`check_words` of a test on this constitution."""
        return _check_words(check, self.fact_words)


def _owner(path: PathKey) -> PathKey:
    """The path of the innermost list item a path passes through."""
    n = max((i for i, x in enumerate(path) if isinstance(x, int)), default=-1)
    return path[:n + 1]

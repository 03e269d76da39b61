"""The constitution model seen as types, for the rules checker and for reference checking.

Derived once from the pydantic models in `model.py`, so the rules language can never drift
from the file format: a path the model does not have is a load-time error in a ruleset.
"""

from __future__ import annotations

import datetime
import functools
import types
import typing
from dataclasses import field
from typing import Any

from .record import record


@record
class Type:
    """Base of the rule-language types."""

    def describe(self) -> str:
        return "value"


@record
class Scalar(Type):
    """bool, number, text or date."""

    kind: str

    def describe(self) -> str:
        return {"bool": "true/false", "number": "number", "text": "text", "date": "date"}[self.kind]


@record
class Enum(Type):
    """A closed set of words; `open` when ids from the file are also allowed."""

    values: tuple[str, ...]
    open: bool = False

    def describe(self) -> str:
        return "one of " + ", ".join(self.values) + (" or an id" if self.open else "")


@record
class ListOf(Type):
    """A list of `item`."""

    item: Type

    def describe(self) -> str:
        return f"list of {self.item.describe()}"


@record
class Obj(Type):
    """An object with named fields (a pydantic model)."""

    name: str
    fields: dict[str, Type] = field(default_factory=dict)

    def describe(self) -> str:
        return self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Obj) and other.name == self.name


@record
class Ref(Type):
    """The id of an object in collection `target` (a dotted path), or a vocabulary word."""

    target: str
    vocabulary: tuple[str, ...] = ()

    def describe(self) -> str:
        return f"id of an entry in {self.target}"


def allowed_words(t: Type) -> tuple[str, ...]:
    """The words a field (or each item of a list field) may hold: its enumeration or the
    vocabulary its reference accepts; empty for any other type."""
    inner = t.item if isinstance(t, ListOf) else t
    if isinstance(inner, Enum):
        return inner.values
    if isinstance(inner, Ref):
        return inner.vocabulary
    return ()


BOOL = Scalar("bool")
NUMBER = Scalar("number")
TEXT = Scalar("text")
DATE = Scalar("date")
ANY = Type()


@record
class RefSpec:
    """A field holding references: where it is, what it points into."""

    path: str
    target: str
    vocabulary: tuple[str, ...]


def _is_model(t: Any) -> bool:
    from pydantic import BaseModel

    return isinstance(t, type) and issubclass(t, BaseModel)


def _convert(ann: Any, info: Any, cache: dict[str, Obj]) -> Type:
    extra = (info.json_schema_extra or {}) if info is not None else {}
    if isinstance(extra, dict) and "x-ref" in extra:
        vocab = tuple(extra.get("x-vocabulary", ()))
        r = Ref(str(extra["x-ref"]), vocab)
        return ListOf(r) if _is_list(ann) else r
    return _convert_ann(ann, cache)


def _is_list(ann: Any) -> bool:
    return any(typing.get_origin(a) is list for a in _flatten(ann))


def _flatten(ann: Any) -> list[Any]:
    origin = typing.get_origin(ann)
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for a in typing.get_args(ann):
            if a is not type(None):
                out.extend(_flatten(a))
        return out
    if origin is typing.Annotated:
        return _flatten(typing.get_args(ann)[0])
    return [ann]


def _convert_ann(ann: Any, cache: dict[str, Obj]) -> Type:
    options = _flatten(ann)
    if not options:
        return ANY
    a = options[0]
    if len(options) > 1 and all(o in (int, float) for o in options):
        return NUMBER
    origin = typing.get_origin(a)
    if origin is list:
        return ListOf(_convert_ann(typing.get_args(a)[0], cache))
    if origin is typing.Literal:
        return Enum(tuple(str(v) for v in typing.get_args(a)))
    if _is_model(a):
        return model_type(a, cache)
    if a is bool:
        return BOOL
    if a in (int, float):
        return NUMBER
    if a is str:
        return TEXT
    if a is datetime.date:
        return DATE
    return ANY


def model_type(model: Any, cache: dict[str, Obj] | None = None) -> Obj:
    """The `Obj` type of a pydantic model class (fields by their file names)."""
    cache = {} if cache is None else cache
    if model.__name__ in cache:
        return cache[model.__name__]
    obj = Obj(model.__name__, {})
    cache[model.__name__] = obj
    for name, info in model.model_fields.items():
        obj.fields[info.alias or name] = _convert(info.annotation, info, cache)
    return obj


@functools.cache
def root_type() -> Obj:
    """The type of a whole constitution file."""
    from .model import Constitution

    return model_type(Constitution)


def resolve(path: str) -> Type:
    """The type at a dotted path from the root, mapping through lists (for ref targets)."""
    t: Type = root_type()
    for part in path.split("."):
        while isinstance(t, ListOf):
            t = t.item
        assert isinstance(t, Obj), path
        t = t.fields[part]
    return t


def element_type(t: Type) -> Type:
    """The item type when `t` is a list, else `t`."""
    while isinstance(t, ListOf):
        t = t.item
    return t


def reference_fields() -> tuple[RefSpec, ...]:
    """Every field in the model that holds references (cached with the validation spec)."""
    from .fastcheck import bundle

    return bundle()[1]  # type: ignore[no-any-return]


def build_reference_fields() -> tuple[RefSpec, ...]:
    """Every field in the model that holds references, as dotted paths from the root."""
    out: list[RefSpec] = []

    def walk(t: Type, prefix: str, seen: frozenset[str]) -> None:
        t = element_type(t)
        if not isinstance(t, Obj) or t.name in seen:
            return
        for name, ft in t.fields.items():
            path = f"{prefix}.{name}" if prefix else name
            inner = element_type(ft)
            if isinstance(inner, Ref):
                out.append(RefSpec(path, inner.target, inner.vocabulary))
            else:
                walk(ft, path, seen | {t.name})

    walk(root_type(), "", frozenset())
    return tuple(out)

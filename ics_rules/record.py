"""`@record`: a frozen dataclass whose methods are shared functions, not generated code.

`@dataclass(frozen=True)` writes and compiles `__init__`, `__eq__`, `__hash__`, `__repr__`,
`__setattr__` and `__delattr__` for every class it decorates. For the rules language's tree
and its types (about 30 classes, all on every `check`'s path) that cost 25 ms of a 200 ms
run. A record keeps what the code relies on: `dataclasses.fields`, `replace` and `asdict`
work, fields compare and hash as a frozen dataclass's do (`compare=False` honoured), the
repr is the same, and assigning to a field raises `FrozenInstanceError`. Constructing one is
a little slower; the hot paths never construct them (the cache rebuilds them field by field).
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from typing import Any, TypeVar

C = TypeVar("C", bound=type)

_NONE = object()


def record(cls: C) -> C:
    """Make `cls` a frozen record (see the module docstring)."""
    cls = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    fields = dataclasses.fields(cls)
    own = cls.__dict__
    if "__init__" not in own:
        cls.__init__ = _init(cls, fields)  # type: ignore[misc]
    if "__repr__" not in own:
        cls.__repr__ = _repr([f.name for f in fields if f.repr])  # type: ignore[assignment]
    if "__eq__" not in own:
        key = _key(tuple(f.name for f in fields if f.compare))

        def __eq__(self: Any, other: object) -> bool:
            if other.__class__ is not self.__class__:
                return NotImplemented
            return key(self) == key(other)

        def __hash__(self: Any) -> int:
            return hash(key(self))

        cls.__eq__ = __eq__  # type: ignore[assignment]
        if "__hash__" not in own or own["__hash__"] is None:
            cls.__hash__ = __hash__  # type: ignore[assignment]
    cls.__setattr__ = _frozen_set  # type: ignore[assignment]
    cls.__delattr__ = _frozen_del  # type: ignore[assignment]
    return cls


def _frozen_set(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_del(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _key(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The values a record compares and hashes by, as a tuple."""
    def key(obj: Any) -> tuple[Any, ...]:
        d = obj.__dict__
        return tuple([d[n] for n in names])
    return key


def _repr(names: list[str]) -> Callable[[Any], str]:
    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        d = self.__dict__
        inner = ", ".join(f"{n}={d[n]!r}" for n in names)
        return f"{self.__class__.__qualname__}({inner})"
    return __repr__


def _init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    """An `__init__` taking the fields as a dataclass's does: positional ones in order,
    `kw_only` ones by keyword, defaults and default factories filled in."""
    init = [f for f in fields if f.init]
    order = tuple(f.name for f in init)
    positional = tuple(f.name for f in init if not f.kw_only)
    known = frozenset(order)
    defaults: dict[str, Any] = {}
    factories: dict[str, Callable[[], Any]] = {}
    for f in init:
        if f.default is not dataclasses.MISSING:
            defaults[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            factories[f.name] = f.default_factory
    name = cls.__qualname__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(positional):
            raise TypeError(f"{name}() takes {len(positional)} positional arguments but "
                            f"{len(args)} were given")
        given = dict(zip(positional, args, strict=False))
        for key, value in kwargs.items():
            if key not in known:
                raise TypeError(f"{name}() got an unexpected keyword argument {key!r}")
            if key in given:
                raise TypeError(f"{name}() got multiple values for argument {key!r}")
            given[key] = value
        d = self.__dict__
        for key in order:
            value = given.get(key, _NONE)
            if value is _NONE:
                value = defaults.get(key, _NONE)
                if value is _NONE:
                    if key not in factories:
                        raise TypeError(f"{name}() missing required argument {key!r}")
                    value = factories[key]()
            d[key] = value

    return __init__

"""A fast validator for the common case: a well-formed constitution needs no pydantic.

Importing pydantic and building the models costs about a third of a one-file `check`. This
module validates plain data against a compact spec derived from the same models (cached in
the data-only form of `cache.py`, like checked rulesets) and returns exactly what
`model_dump(by_alias=True)` would.
It accepts only what it is sure pydantic accepts; anything unusual or wrong makes it step
aside (`None`) and the loader runs pydantic, whose messages name the problem. The tests
require both to give identical data on every example and on many mutated files.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from pathlib import Path
from typing import Any

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class _Bail(Exception):
    """The fast path is not sure: let pydantic decide."""


# Spec nodes are tuples: (kind, ...). Built once from the pydantic models.
#   ("obj", fields: tuple[(name, spec, required, nullable)], names: frozenset)
#   ("list", item, min_len|None)   ("str", pattern|None, min_len, max_len)   ("enum", frozenset)
#   ("bool",)   ("int", bounds)   ("num", bounds)   ("date",)   ("any",) -> always bail


def _bounds(meta: list[Any]) -> tuple[Any, ...]:
    found: dict[str, Any] = {}
    for m in meta:
        for key in ("gt", "ge", "lt", "le", "min_length", "max_length", "pattern"):
            value = getattr(m, key, None)
            if value is not None:
                found[key] = value
    return (found.get("gt"), found.get("ge"), found.get("lt"), found.get("le"),
            found.get("min_length"), found.get("max_length"), found.get("pattern"))


def _known_meta(meta: list[Any]) -> bool:
    names = {"Strict", "Gt", "Ge", "Lt", "Le", "MinLen", "MaxLen", "_PydanticGeneralMetadata",
             "FieldInfo", "Interval"}
    return all(type(m).__name__ in names for m in meta)


def _spec(ann: Any, meta: list[Any], cache: dict[str, Any]) -> Any:
    import types
    import typing

    from pydantic import BaseModel
    from pydantic.fields import FieldInfo

    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(ann)
        more: list[Any] = []
        for e in extra:
            more.extend(e.metadata if isinstance(e, FieldInfo) else [e])
        return _spec(base, meta + more, cache)
    if not _known_meta(meta):
        return ("any",)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        plain = [typing.get_args(a)[0] if typing.get_origin(a) is typing.Annotated else a
                 for a in args]
        if sorted(map(str, plain)) == sorted(map(str, [float, int])):
            sub_meta = list(meta)
            for a in args:
                if typing.get_origin(a) is typing.Annotated:
                    sub_meta += [m for m in typing.get_args(a)[1:]]
            if not _known_meta(sub_meta):
                return ("any",)
            return ("num", _bounds(sub_meta))
        if len(args) != 1:
            return ("any",)
        return _spec(args[0], meta, cache)
    if origin is list:
        b = _bounds(meta)
        if b[:4] != (None,) * 4 or b[5] is not None or b[6] is not None:
            return ("any",)
        return ("list", _spec(typing.get_args(ann)[0], [], cache), b[4])
    if origin is typing.Literal:
        values = typing.get_args(ann)
        if not all(isinstance(v, str) for v in values) or meta:
            return ("any",)
        return ("enum", frozenset(values))
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return _model_spec(ann, cache)
    b = _bounds(meta)
    if ann is bool:
        return ("bool",)
    if ann is int:
        return ("int", b)
    if ann is float:
        return ("any",)
    if ann is str:
        pattern = b[6]
        return ("str", pattern, b[4], b[5]) if b[:4] == (None,) * 4 else ("any",)
    if ann is datetime.date:
        return ("date",) if not any(b) else ("any",)
    return ("any",)


def _model_spec(model: Any, cache: dict[str, Any]) -> Any:
    from pydantic_core import PydanticUndefined

    if model.__name__ in cache:
        return cache[model.__name__]
    if model.model_config.get("extra") != "forbid" or model.model_config.get("strict"):
        return ("any",)
    fields = []
    for name, info in model.model_fields.items():
        required = info.default is PydanticUndefined and info.default_factory is None
        if not required and info.default is not None:
            return ("any",)
        import typing

        nullable = type(None) in typing.get_args(info.annotation)
        spec = _spec(info.annotation, list(info.metadata), cache)
        fields.append((info.alias or name, spec, required, nullable))
    out = ("obj", tuple(fields), frozenset(f[0] for f in fields))
    cache[model.__name__] = out
    return out


def _fingerprint() -> str:
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in ("model.py", "fastcheck.py", "schema.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


_BUNDLE: tuple[Any, Any] | None = None


def bundle() -> tuple[Any, Any]:
    """(validation spec, reference fields), from the cache or built from the models."""
    global _BUNDLE
    if _BUNDLE is None:
        from . import cache

        _BUNDLE = cache.load(cache_name(), tuple, build_bundle, _valid_bundle)
    return _BUNDLE


def cache_name() -> str:
    """The bundle's cache entry name (also the name it is shipped under: `prebuilt.py`)."""
    return f"schema-{_fingerprint()}.json"


def build_bundle() -> tuple[Any, Any]:
    """The spec and reference fields derived from the models (imports pydantic)."""
    from .model import Constitution
    from .schema import build_reference_fields

    return (_model_spec(Constitution, {}), build_reference_fields())


def _valid_bundle(value: Any) -> bool:
    """A cached bundle has the shape `build_bundle` gives (else it is rebuilt)."""
    from .schema import RefSpec

    return (len(value) == 2 and _valid_spec(value[0]) and type(value[1]) is tuple
            and all(isinstance(r, RefSpec) for r in value[1]))


def _valid_spec(spec: Any) -> bool:
    """Every node of a spec is one of the shapes `_spec` builds."""
    if type(spec) is not tuple or not spec:
        return False
    kind, args = spec[0], spec[1:]
    if kind in ("bool", "date", "any"):
        return not args
    if kind == "list":
        return len(args) == 2 and _valid_spec(args[0]) and (args[1] is None
                                                             or type(args[1]) is int)
    if kind == "enum":
        return len(args) == 1 and type(args[0]) is frozenset and all(
            type(v) is str for v in args[0])
    if kind == "str":
        return len(args) == 3 and (args[0] is None or type(args[0]) is str) and all(
            a is None or type(a) is int for a in args[1:])
    if kind in ("int", "num"):
        return len(args) == 1 and type(args[0]) is tuple and len(args[0]) == 7 and all(
            a is None or type(a) in (int, float) for a in args[0][:4])
    if kind == "obj":
        if len(args) != 2 or type(args[0]) is not tuple or type(args[1]) is not frozenset:
            return False
        return all(type(f) is tuple and len(f) == 4 and type(f[0]) is str and _valid_spec(f[1])
                   and type(f[2]) is bool and type(f[3]) is bool for f in args[0])
    return False


def fast_validate(data: Any) -> dict[str, Any] | None:
    """`model_dump(by_alias=True)` of the validated data, or None when pydantic must decide."""
    try:
        out = _check(data, bundle()[0])
    except _Bail:
        return None
    return out  # type: ignore[no-any-return]


def _check(value: Any, spec: Any) -> Any:
    kind = spec[0]
    if kind == "obj":
        if type(value) is not dict or not value.keys() <= spec[2]:
            raise _Bail
        out = {}
        for name, sub, required, nullable in spec[1]:
            if name in value:
                v = value[name]
                if v is None:
                    if not nullable:
                        raise _Bail
                    out[name] = None
                else:
                    out[name] = _check(v, sub)
            elif required:
                raise _Bail
            else:
                out[name] = None
        return out
    if kind == "list":
        if type(value) is not list:
            raise _Bail
        if spec[2] is not None and len(value) < spec[2]:
            raise _Bail
        item = spec[1]
        return [_check(v, item) for v in value]
    if kind == "str":
        if type(value) is not str or ("\n" in value and spec[1] is not None):
            raise _Bail
        if spec[2] is not None and len(value) < spec[2]:
            raise _Bail
        if spec[3] is not None and len(value) > spec[3]:
            raise _Bail
        if spec[1] is not None and re.search(spec[1], value) is None:
            raise _Bail
        return value
    if kind == "enum":
        if type(value) is not str or value not in spec[1]:
            raise _Bail
        return value
    if kind == "bool":
        if type(value) is not bool:
            raise _Bail
        return value
    if kind in ("int", "num"):
        allowed = (int,) if kind == "int" else (int, float)
        if type(value) not in allowed:
            raise _Bail
        gt, ge, lt, le = spec[1][:4]
        if (gt is not None and not value > gt) or (ge is not None and not value >= ge) or \
                (lt is not None and not value < lt) or (le is not None and not value <= le):
            raise _Bail
        return value
    if kind == "date":
        if type(value) is datetime.date:
            return value
        if type(value) is str and _DATE.fullmatch(value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise _Bail from None
        raise _Bail
    raise _Bail

"""The one door to the on-disk cache (checked rulesets, the fast validator's spec).

Why a data-only form rather than pickle with an HMAC: decoding JSON can never run code,
whatever the file holds, so nothing planted in the folder (a CI cache restored from a pull
request, a shared home) can execute; there is no key to create, guard or lose; and the same
`serialize`/`deserialize` pair can read prebuilt entries shipped inside the wheel. The price
is that a value is rebuilt into dataclasses from a whitelist of classes, each field checked
against its annotation, so an entry of the wrong shape is a miss that is rebuilt, never a
crash. Lark's own cache is a pickle, so it is not used (the grammar is built only when a
ruleset changed).

The folder is created 0700; one owned by someone else or writable by group or others is not
used (no cache, no crash). Entries are opened without following symlinks and must be regular
files owned by the user; writes go to a temporary file in the folder, are fsynced and renamed
into place, and the temporary file is removed on any failure (a full disk leaves no litter).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
import os
import stat
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = "ics-rules-cache/1"
MAX_ENTRY_BYTES = 64 * 1024 * 1024


class CacheMiss(Exception):
    """The entry is absent, unreadable, not ours or not of the expected shape: rebuild it."""


# ---------------------------------------------------------------- the folder


def cache_folder() -> Path | None:
    """The cache folder, created 0700, or None when caching is off or the folder is unsafe.

    $ICS_RULES_CACHE_DIR, else $XDG_CACHE_HOME/ics-rules, else ~/.cache/ics-rules;
    `ICS_RULES_CACHE_DIR=` (empty) turns caching off.
    """
    configured = os.environ.get("ICS_RULES_CACHE_DIR")
    if configured is not None:
        if not configured:
            return None
        base = Path(configured)
    else:
        root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = Path(root) / "ics-rules"
    try:
        if not base.exists():
            base.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):
                base.mkdir(mode=0o700)
        return base if _safe_folder(base) else None
    except OSError:
        return None


def _safe_folder(base: Path) -> bool:
    """A directory the user owns that nobody else can write (a private one we tighten)."""
    info = os.stat(base)
    if not stat.S_ISDIR(info.st_mode):
        return False
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return False
    if info.st_mode & 0o022:
        return False
    if info.st_mode & 0o077:
        # Ours and not writable by others (an older 0755 folder): make it private.
        with contextlib.suppress(OSError):
            os.chmod(base, 0o700)
    return os.access(base, os.W_OK | os.X_OK)


def read_entry(folder: Path, name: str) -> bytes:
    """An entry's bytes: a regular file of ours, opened without following a symlink."""
    if os.sep in name or name.startswith("."):
        raise CacheMiss(name)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(folder / name, flags)
    except OSError:
        raise CacheMiss(name) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES or (
                hasattr(os, "geteuid") and info.st_uid != os.geteuid()):
            raise CacheMiss(name)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        raise CacheMiss(name) from None
    finally:
        os.close(fd)


def write_entry(folder: Path, name: str, blob: bytes) -> None:
    """Write an entry atomically (private temporary file, fsync, rename); failures (a full
    disk) are ignored and leave no temporary file."""
    from .guard import write_atomic

    with contextlib.suppress(OSError):
        write_atomic(folder / name, [blob], mode=0o600)


# Entries built with the wheel (`prebuilt.py`): part of the installation, like the code.
SHIPPED = Path(__file__).resolve().parent / "_data" / "prebuilt"


def _shipped(name: str) -> bytes:
    """A prebuilt entry shipped inside the package, or `CacheMiss` (none in a source tree)."""
    if os.sep in name or name.startswith("."):
        raise CacheMiss(name)
    try:
        with open(SHIPPED / name, "rb") as fh:
            return fh.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        raise CacheMiss(name) from None


def load(name: str, expect: type, build: Callable[[], Any],
         check: Callable[[Any], bool] | None = None) -> Any:
    """The value `name`, if it decodes to an `expect` (and passes `check`): first as shipped
    prebuilt with the package, then from the user's cache; else `build()`, cached for next
    time."""
    folder = cache_folder()
    readers = [_shipped] + ([lambda n: read_entry(folder, n)] if folder is not None else [])
    for read in readers:
        try:
            value = deserialize(read(name))
            if isinstance(value, expect) and (check is None or check(value)):
                return value
        except CacheMiss:
            pass
    value = build()
    if folder is not None:
        write_entry(folder, name, serialize(value))
    return value


# ---------------------------------------------------------------- the data-only codec


def _classes() -> dict[str, type]:
    """The only classes an entry may rebuild: the rule language's tree and the model's types."""
    from . import schema
    from .dsl import ast

    out: dict[str, type] = {}
    for module in (ast, schema):
        for value in vars(module).values():
            if isinstance(value, type) and dataclasses.is_dataclass(value) and \
                    value.__module__ == module.__name__:
                out[value.__name__] = value
    return out


_Conv = Callable[[Any], Any]
# class name -> (class, ((field, exact type or None, converter), ...))
_REGISTRY: dict[str, tuple[type, tuple[tuple[str, type | None, _Conv], ...]]] = {}


class _Bad(Exception):
    """Raised by a field converter: the value does not fit the field."""


def serialize(value: Any) -> bytes:
    """Plain JSON for a value made of dataclasses, tuples, frozensets, dicts, dates, scalars.

    A dataclass is an object tagged with its class name; a tuple held by a dataclass field is a
    plain list (the field's annotation turns it back), elsewhere a tagged list. Objects of the
    model (`schema.Obj`) may be shared and cyclic: each is written once, in a table, and
    referred to by name.
    """
    from .schema import Obj, Type

    objs: dict[str, Any] = {}
    types: list[Any] = []
    seen_types: dict[Any, int] = {}

    def enc(v: Any, in_field: bool = False) -> Any:
        if v is None or isinstance(v, bool | int | float | str):
            return v
        if isinstance(v, Obj):
            if v.name not in objs:
                objs[v.name] = None
                objs[v.name] = {"@m": {k: enc(x) for k, x in v.fields.items()}}
            return {"@obj": v.name}
        if isinstance(v, Type):
            # Types repeat on almost every node: each is written once, children first, and
            # a field holding one holds its index in the table.
            if v not in seen_types:
                entry = fields_of(v)
                entry["@T"] = len(types)
                seen_types[v] = len(types)
                types.append(entry)
            return seen_types[v] if in_field else {"@ref": seen_types[v]}
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            if _positional(type(v)):
                return [getattr(v, f.name) for f in dataclasses.fields(v)]
            return fields_of(v)
        if isinstance(v, tuple):
            items = [enc(x) for x in v]
            return items if in_field else {"@t": items}
        if isinstance(v, frozenset):
            return {"@f": sorted((enc(x) for x in v), key=repr)}
        if isinstance(v, list) and not in_field:
            return [enc(x) for x in v]
        if isinstance(v, dict):
            if not all(isinstance(k, str) for k in v):
                raise TypeError("cache: dict keys must be text")
            return {"@m": {k: enc(x) for k, x in v.items()}}
        if isinstance(v, datetime.date) and not isinstance(v, datetime.datetime):
            return {"@d": v.isoformat()}
        raise TypeError(f"cache: cannot store a {type(v).__name__}")

    def fields_of(v: Any) -> dict[str, Any]:
        out = {"@": type(v).__name__}
        for f in dataclasses.fields(v):
            if f.init:
                out[f.name] = enc(getattr(v, f.name), True)
        return out

    body = enc(value)
    # "types" comes first: a type is rebuilt before anything refers to it.
    return json.dumps({"types": types, "format": FORMAT, "objs": objs, "value": body},
                      ensure_ascii=True, separators=(",", ":")).encode("ascii")


def _positional(cls: type) -> bool:
    """Small all-integer records (positions) are written as plain lists."""
    return cls.__name__ == "Pos" and all(f.type in (int, "int") for f in dataclasses.fields(cls))


def deserialize(blob: bytes) -> Any:
    """The value `serialize` wrote. Raises `CacheMiss` for anything else; never runs code."""
    from .schema import Obj, Type

    if not _REGISTRY:
        _build_registry()
    objs: dict[str, Any] = {}
    types: list[Any] = []
    _DECODING.append(types)
    new = object.__new__
    registry = _REGISTRY

    def obj(name: Any) -> Any:
        if type(name) is not str:
            raise CacheMiss("object name")
        if name not in objs:
            objs[name] = Obj(name, {})
        return objs[name]

    def hook(d: dict[str, Any]) -> Any:
        name = d.pop("@", None)
        if name is not None:
            index = d.pop("@T", None) if "@T" in d else None
            if index is not None and index != len(types):
                raise CacheMiss("type table order")
            entry = registry.get(name)
            if entry is None or len(d) != len(entry[1]):
                raise CacheMiss("class")
            cls, fields = entry
            try:
                for key, exact, conv in fields:
                    if exact is not None:
                        if type(d[key]) is not exact:
                            raise _Bad
                    else:
                        d[key] = conv(d[key])
            except (KeyError, _Bad):
                raise CacheMiss(cls.__name__) from None
            # As pickle does: set the checked fields without running any code of the class.
            out = new(cls)
            out.__dict__.update(d)
            if index is not None:
                if not isinstance(out, Type):
                    raise CacheMiss("type table")
                types.append(out)
            return out
        if len(d) != 1:
            return d
        ((tag, v),) = d.items()
        if tag == "@m" and type(v) is dict:
            return v
        if tag == "@t" and type(v) is list:
            return tuple(v)
        if tag == "@ref":
            if type(v) is not int or not 0 <= v < len(types):
                raise CacheMiss("type reference")
            return types[v]
        if tag == "@obj":
            return obj(v)
        if tag == "@d" and type(v) is str:
            try:
                return datetime.date.fromisoformat(v)
            except ValueError:
                raise CacheMiss("date") from None
        if tag == "@f" and type(v) is list:
            try:
                return frozenset(v)
            except TypeError:
                raise CacheMiss("set") from None
        return d

    try:
        doc = json.loads(blob, object_hook=hook)
    except CacheMiss:
        raise
    except (ValueError, TypeError, RecursionError):
        raise CacheMiss("not an entry") from None
    finally:
        _DECODING.pop()
    if type(doc) is not dict or doc.get("format") != FORMAT or type(doc.get("objs")) is not dict \
            or "value" not in doc:
        raise CacheMiss("format")
    for name, fields in doc["objs"].items():
        if type(fields) is not dict or not all(isinstance(x, Type) for x in fields.values()):
            raise CacheMiss("object table")
        obj(name).fields.update(fields)
    if not objs.keys() <= doc["objs"].keys():
        raise CacheMiss("an object referred to but not defined")
    return doc["value"]


def _build_registry() -> None:
    for name, cls in _classes().items():
        if name == "Obj":
            continue  # written through the object table only
        hints = typing.get_type_hints(cls)
        fields = []
        for f in dataclasses.fields(cls):
            if f.init:
                ann = hints[f.name]
                exact = ann if ann in (str, int, bool) else None
                fields.append((f.name, exact, _converter(ann)))
        _REGISTRY[name] = (cls, tuple(fields))


_SCALARS = (type(None), bool, int, float, str, datetime.date)
_DECODING: list[list[Any]] = []  # the type table of each decode in progress (innermost last)


def _converter(ann: Any) -> _Conv:
    """Check a decoded value against a field annotation, turning lists back into tuples."""
    import types

    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if ann is Any:
        return _is(lambda v: isinstance(v, _SCALARS))
    from .schema import Type

    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        (inner,) = (a for a in args if a is not type(None))
        if isinstance(inner, type) and issubclass(inner, Type):
            def optional_type(v: Any) -> Any:
                if v is None:
                    return None
                return type_ref(v)
            type_ref = _converter(inner)
            return optional_type
    if isinstance(ann, type) and issubclass(ann, Type):
        def type_at(v: Any) -> Any:
            if type(v) is int:
                table = _DECODING[-1]
                if 0 <= v < len(table) and isinstance(table[v], ann):
                    return table[v]
                raise _Bad
            if isinstance(v, ann):  # an object of the model, from the object table
                return v
            raise _Bad
        return type_at
    if origin in (typing.Union, types.UnionType):
        parts = [_converter(a) for a in args]

        def union(v: Any) -> Any:
            for p in parts:
                try:
                    return p(v)
                except _Bad:
                    pass
            raise _Bad
        return union
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        if args[0] is str:  # the commonest: names, words
            def tuple_of_text(v: Any) -> Any:
                if type(v) is not list:
                    raise _Bad
                for x in v:
                    if type(x) is not str:
                        raise _Bad
                return tuple(v)
            return tuple_of_text
        item = _converter(args[0])

        def tuple_of(v: Any) -> Any:
            if type(v) is not list:
                raise _Bad
            return tuple([item(x) for x in v])
        return tuple_of
    if origin is dict:
        key, val = (_converter(a) for a in args)

        def dict_of(v: Any) -> Any:
            if type(v) is not dict:
                raise _Bad
            return {key(k): val(x) for k, x in v.items()}
        return dict_of
    if ann is float:
        return _is(lambda v: type(v) in (int, float))
    if ann in (int, str, bool, type(None)):
        return _is(lambda v: type(v) is ann)
    if isinstance(ann, type) and dataclasses.is_dataclass(ann) and _positional(ann):
        names = tuple(f.name for f in dataclasses.fields(ann))
        size = len(names)
        new = object.__new__

        def record(v: Any) -> Any:
            if type(v) is not list or len(v) != size or \
                    not all([type(x) is int for x in v]):
                raise _Bad
            out = new(ann)
            out.__dict__.update(zip(names, v, strict=True))
            return out
        return record
    if isinstance(ann, type):
        def instance(v: Any) -> Any:
            if isinstance(v, ann):
                return v
            raise _Bad
        return instance
    raise TypeError(f"cache: no converter for {ann!r}")


def _is(test: Callable[[Any], bool]) -> _Conv:
    def conv(v: Any) -> Any:
        if test(v):
            return v
        raise _Bad
    return conv

"""Read a constitution file (YAML, JSON or TOML) into the pydantic model, keeping line and column.

Only safe YAML is read: no custom tags, no merge keys, no code. A hostile file is refused fast:
size, nesting depth and node count (which bounds alias expansion, the "billion laughs") are
limited, and binary junk is named as such. Every problem becomes an `InputError` (or a
`SchemaError` carrying several) that points at the file, line and column.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ErrorList, InputError, did_you_mean
from .location import Location, Source, printable

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000
MAX_ERRORS = 25

PathKey = tuple[str | int, ...]
Positions = dict[PathKey, tuple[int, int]]

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp")}


class SchemaError(ErrorList):
    """The file parsed but does not fit the `ics-constitution/1` schema."""


@dataclass
class LoadedConstitution:
    """A validated constitution with where each fact sits in its file.

    `data` is the validated facts as plain dicts and lists (every field present, None when
    not stated), which is what rules read; `model` builds the pydantic object on demand.
    """

    data: dict[str, Any]
    path: str
    sha256: str
    positions: Positions = field(default_factory=dict)
    text: str = ""
    # Where facts were read in a document (from a document directly, or from a facts file's
    # `provenance:` map); `document` names that document; `notes` are the reader's warnings.
    provenance: dict[PathKey, Source] = field(default_factory=dict)
    document: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def model(self) -> Any:
        """The pydantic `Constitution` (built when first asked for)."""
        from .model import Constitution

        return Constitution.model_validate(self.data)

    @property
    def icb_name(self) -> str:
        """The ICB's legal name."""
        return str(self.data["icb"]["name"])

    def position(self, path: PathKey) -> tuple[int, int] | None:
        """Line and column of `path`, or of its nearest ancestor that the file has."""
        return nearest_position(self.positions, path)

    def source(self, path: PathKey) -> Source | None:
        """Where the document states `path`: itself, its nearest ancestor, or its first part."""
        if not self.provenance:
            return None
        for n in range(len(path), 0, -1):
            if path[:n] in self.provenance:
                return self.provenance[path[:n]]
        inside = [s for p, s in self.provenance.items() if p[:len(path)] == path]
        if not inside:
            return None
        return min(inside, key=lambda s: (s.page or 0, s.paragraph or 0))

    def locate(self, path: PathKey | None) -> Location:
        """The location of a finding about `path` (None: the constitution as a whole)."""
        pos = self.positions.get(()) if path is None else self.position(path)
        fact = None if path is None else format_path(path)
        src = self.source(path) if path is not None else None
        document = self.document if self.document not in (None, self.path) else None
        if src is None:
            return Location(self.path, pos[0] if pos else None, pos[1] if pos else None, fact,
                            document=document)
        return Location(self.path, pos[0] if pos else None, pos[1] if pos else None, fact,
                        clause=src.clause, page=src.page, paragraph=src.paragraph,
                        quote=src.quote, confidence=src.confidence, document=document)


def format_path(path: PathKey) -> str:
    """`board.members[2].role` from ('board', 'members', 2, 'role')."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


# ---------------------------------------------------------------- reading bytes and text

def read_text(path: Path, display: str, max_bytes: int = MAX_BYTES) -> tuple[str, bytes]:
    """The file's UTF-8 text and bytes, refusing what is too big, binary or not UTF-8."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", display) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", display) from None
    if path.is_dir():
        raise InputError("is a directory, expected a file", display)
    if size > max_bytes:
        raise InputError(f"file is {size:,} bytes; the limit is {max_bytes:,} bytes", display, 1, 1)
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", display) from None
    if len(raw) > max_bytes:
        raise InputError(f"file is larger than the limit of {max_bytes:,} bytes", display, 1, 1)
    return decode(raw, display), raw


def decode(raw: bytes, display: str) -> str:
    """Decode UTF-8 (a BOM is allowed), naming the line and column of the first bad byte."""
    if b"\x00" in raw:
        line, col = _byte_position(raw, raw.index(b"\x00"))
        raise InputError("binary data (NUL byte): not a text file", display, line, col)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(raw, exc.start)
        raise InputError(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", display, line, col) \
            from None
    return text


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    col = len(before) - (before.rfind(b"\n") + 1) + 1
    return line, col


# ---------------------------------------------------------------- YAML

def _yaml_module() -> Any:
    import yaml

    return yaml


def parse_yaml(text: str, display: str) -> tuple[Any, Positions]:
    """Safe YAML to plain data plus positions, with limits on depth and node count."""
    yaml = _yaml_module()
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        docs = list(yaml.compose_all(text, Loader=loader_cls))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.context}: {exc.problem}" if "while" not in exc.context else problem
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        raise InputError(f"YAML syntax error: {problem}", display, line, col, source=text) \
            from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", display, source=text) from None
    except RecursionError:
        raise InputError(f"YAML nesting is deeper than {MAX_DEPTH} levels", display) from None
    docs = [d for d in docs if d is not None]
    if not docs:
        raise InputError("the file is empty", display, 1, 1)
    if len(docs) > 1:
        m = docs[1].start_mark
        raise InputError("more than one YAML document; a constitution file holds one",
                         display, m.line + 1, m.column + 1, source=text)
    return _NodeReader(display, text).read(docs[0])


class _NodeReader:
    """Walks a composed YAML node tree into Python data, recording marks and enforcing limits."""

    def __init__(self, display: str, text: str) -> None:
        self.display = display
        self.text = text
        self.count = 0
        self.positions: Positions = {}
        yaml = _yaml_module()
        self.constructor = yaml.constructor.SafeConstructor()
        self.yaml = yaml

    def error(self, message: str, node: Any) -> InputError:
        m = node.start_mark
        return InputError(message, self.display, m.line + 1, m.column + 1, source=self.text)

    def tag_error(self, node: Any) -> InputError:
        return self.error(f"YAML tag '{node.tag}' is not allowed in a constitution file", node)

    def read(self, root: Any) -> tuple[Any, Positions]:
        self.positions[()] = (root.start_mark.line + 1, root.start_mark.column + 1)
        return self.node(root, (), 0), self.positions

    def node(self, node: Any, path: PathKey, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.error(f"more than {MAX_NODES:,} values (after expanding aliases); "
                             "refusing to read further", node)
        if depth > MAX_DEPTH:
            raise self.error(f"nested deeper than {MAX_DEPTH} levels", node)
        yaml = self.yaml
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in _SCALAR_TAGS:
                raise self.tag_error(node)
            try:
                return self.constructor.yaml_constructors[node.tag](self.constructor, node)
            except (ValueError, yaml.YAMLError) as exc:
                if node.tag == _YAML + "timestamp":
                    raise self.error(f"{node.value!r} is not a real date ({exc}); dates are "
                                     "YYYY-MM-DD, e.g. 2022-07-01", node) from None
                raise self.error(f"cannot read value {node.value!r}: {exc}", node) from None
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _YAML + "seq":
                raise self.tag_error(node)
            out = []
            for i, item in enumerate(node.value):
                self.positions[(*path, i)] = (item.start_mark.line + 1, item.start_mark.column + 1)
                out.append(self.node(item, (*path, i), depth + 1))
            return out
        if isinstance(node, yaml.MappingNode):
            if node.tag != _YAML + "map":
                raise self.tag_error(node)
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _YAML + "merge":
                    raise self.error("YAML merge keys ('<<') are not supported; write the keys out",
                                     key_node)
                plain_key = isinstance(key_node, yaml.ScalarNode) and key_node.tag == _YAML + "str"
                if not plain_key:
                    shown = getattr(key_node, "value", "?")
                    raise self.error(f"key {shown!r} must be plain text (quote it if it looks "
                                     "like a number, date or yes/no)", key_node)
                key = key_node.value
                if key in result:
                    first = self.positions.get((*path, key))
                    where = f" (first at line {first[0]})" if first else ""
                    raise self.error(f"duplicate key '{key}'{where}", key_node)
                self.positions[(*path, key)] = (key_node.start_mark.line + 1,
                                                key_node.start_mark.column + 1)
                result[key] = self.node(value_node, (*path, key), depth + 1)
            return result
        raise self.error("unsupported YAML node", node)  # pragma: no cover - aliases are resolved


# ---------------------------------------------------------------- JSON

def parse_json(text: str, display: str) -> tuple[Any, Positions]:
    """Strict JSON (duplicate keys refused); positions come from a YAML reading of the same text."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                raise _DuplicateKey(k)
            out[k] = v
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON syntax error: {exc.msg}", display, exc.lineno, exc.colno,
                         source=text) from None
    except _DuplicateKey as exc:
        line, col = _find_key(text, exc.key, occurrence=2)
        raise InputError(f"duplicate key '{exc.key}'", display, line, col, source=text) from None
    except RecursionError:
        raise InputError(f"JSON nesting is deeper than {MAX_DEPTH} levels", display) from None
    _check_shape(data, display)
    try:
        _, positions = parse_yaml(text, display)
    except InputError:
        positions = {(): (1, 1)}
    return data, positions


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _find_key(text: str, key: str, occurrence: int) -> tuple[int | None, int | None]:
    needle = json.dumps(key)
    start = -1
    for _ in range(occurrence):
        start = text.find(needle, start + 1)
        if start < 0:
            return None, None
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def _check_shape(data: Any, display: str) -> None:
    """Apply the depth and size limits to data that did not come through the YAML reader."""
    count = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise InputError(f"more than {MAX_NODES:,} values; refusing to read further", display)
        if depth > MAX_DEPTH:
            raise InputError(f"nested deeper than {MAX_DEPTH} levels", display)
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


# ---------------------------------------------------------------- TOML

_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_TOML_KEY = re.compile(r"^\s*([A-Za-z0-9_\-.\" ]+?)\s*=")


def parse_toml(text: str, display: str) -> tuple[Any, Positions]:
    """TOML via tomllib; positions of tables and keys found by a line scan (best effort)."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_AT.search(msg)
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        raise InputError(f"TOML syntax error: {_TOML_AT.sub('', msg).strip()}", display, line, col,
                         source=text) from None
    _check_shape(data, display)
    return data, _toml_positions(text)


def _toml_positions(text: str) -> Positions:
    positions: Positions = {(): (1, 1)}
    table: PathKey = ()
    counters: dict[PathKey, int] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        header = _TOML_HEADER.match(line)
        if header:
            keys = tuple(k.strip().strip('"') for k in header.group(2).split("."))
            col = line.index(header.group(1)) + 1
            if header.group(1) == "[[":
                index = counters.get(keys, -1) + 1
                counters[keys] = index
                table = (*keys, index)
                positions.setdefault(keys, (lineno, col))
            else:
                table = _resolve_table(keys, counters)
            positions[table] = (lineno, col)
            continue
        key = _TOML_KEY.match(line)
        if key:
            keys = tuple(k.strip().strip('"') for k in key.group(1).split("."))
            col = len(line) - len(line.lstrip()) + 1
            positions.setdefault((*table, *keys), (lineno, col))
    return positions


def _resolve_table(keys: PathKey, counters: dict[PathKey, int]) -> PathKey:
    """Map `[a.b]` under an array of tables `[[a]]` to ('a', n, 'b')."""
    out: list[str | int] = []
    for k in keys:
        out.append(k)
        if tuple(k2 for k2 in out if not isinstance(k2, int)) in counters and k == out[-1]:
            plain = tuple(k2 for k2 in out if not isinstance(k2, int))
            out.append(counters[plain])
    return tuple(out)


# ---------------------------------------------------------------- validation

def parse_data(text: str, display: str, fmt: str) -> tuple[Any, Positions]:
    """Plain data and positions from text in `fmt` (yaml, json or toml)."""
    if fmt == "json":
        return parse_json(text, display)
    if fmt == "toml":
        return parse_toml(text, display)
    return parse_yaml(text, display)


def format_for(path: str) -> str:
    """The input format implied by a file name."""
    lower = path.lower()
    if lower.endswith(".json"):
        return "json"
    if lower.endswith(".toml"):
        return "toml"
    return "yaml"


def load_constitution(path: str | Path, display: str | None = None) -> LoadedConstitution:
    """Read, parse and validate one constitution file, or read a constitution document
    (.docx, .pdf, .html, .md: facts found in it, with their clauses). Raises `InputError`."""
    p = Path(path)
    shown = display if display is not None else str(path)
    from .documents import document_kind

    if document_kind(shown) is not None:
        from .documents.load import load_document

        return load_document(p, shown)
    text, raw = read_text(p, shown)
    return parse_constitution(text, shown, format_for(shown), raw=raw)


def parse_constitution(text: str, display: str = "<input>", fmt: str = "yaml",
                       raw: bytes | None = None) -> LoadedConstitution:
    """Validate constitution text already read into memory."""
    data, positions = parse_data(text, display, fmt)
    provenance: dict[PathKey, Source] = {}
    document = None
    if isinstance(data, dict) and "provenance" in data:
        document, provenance = parse_provenance(data.pop("provenance"), positions, display,
                                                text)
    facts = validate(data, positions, display, text)
    sha = hashlib.sha256(raw if raw is not None else text.encode("utf-8")).hexdigest()
    return LoadedConstitution(data=facts, path=display, sha256=sha, positions=positions,
                              text=text, provenance=provenance, document=document)


_SOURCE_FIELDS = {"clause": str, "page": int, "paragraph": int, "quote": str,
                  "confidence": float, "method": str}
_PROVENANCE_KEYS = {"document", "sha256", "reader", "changes", "extracted_by", "facts",
                    "not_found", "warnings"}
_PATH_PART = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]{1,6})\]")


def parse_path(text: str) -> PathKey | None:
    """('board', 'members', 2, 'role') from `board.members[2].role` (None if malformed)."""
    out: list[str | int] = []
    pos = 0
    while pos < len(text):
        m = _PATH_PART.match(text, pos)
        if m is None or (pos == 0 and text.startswith(".")):
            return None
        out.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
        pos = m.end()
    return tuple(out) or None


def parse_provenance(value: Any, positions: Positions, display: str,
                     text: str) -> tuple[str | None, dict[PathKey, Source]]:
    """The `provenance:` map of a facts file made by `ics-rules extract` (see
    docs/documents.md): the document's name and, per fact path, where it was read."""
    def at(path: PathKey, message: str) -> InputError:
        pos = nearest_position(positions, ("provenance", *path))
        return InputError(message, display, pos[0] if pos else None, pos[1] if pos else None,
                          source=text)

    if not isinstance(value, dict):
        raise at((), "provenance must be a mapping (document, facts, not_found, ...)")
    for key in value:
        if key not in _PROVENANCE_KEYS:
            raise at((key,), f"unknown provenance key '{key}'"
                     f"{did_you_mean(str(key), _PROVENANCE_KEYS)}")
    document = value.get("document")
    if document is not None and not isinstance(document, str):
        raise at(("document",), "provenance.document must be the document's file name")
    facts = value.get("facts") or {}
    if not isinstance(facts, dict):
        raise at(("facts",), "provenance.facts must map fact paths to where they were read")
    out: dict[PathKey, Source] = {}
    for key, entry in facts.items():
        path = parse_path(str(key))
        if path is None:
            raise at(("facts", key), f"'{key}' is not a fact path (like board.members[0].role)")
        if not isinstance(entry, dict):
            raise at(("facts", key), "each provenance entry must be a mapping (clause, page, "
                                     "paragraph, quote, confidence, method)")
        fields: dict[str, Any] = {}
        for name, item in entry.items():
            kind = _SOURCE_FIELDS.get(str(name))
            if kind is None:
                raise at(("facts", key, name), f"unknown provenance field '{name}'"
                         f"{did_you_mean(str(name), _SOURCE_FIELDS)}")
            if item is None:
                continue
            ok = isinstance(item, kind) and not isinstance(item, bool) if kind is not float \
                else isinstance(item, int | float) and not isinstance(item, bool)
            if kind is str and isinstance(item, int | float) and not isinstance(item, bool):
                item, ok = str(item), True  # a clause written as a bare number: 3.2
            if not ok:
                raise at(("facts", key, name), f"provenance field '{name}' must be "
                         f"{'text' if kind is str else 'a number'}")
            fields[str(name)] = printable(item) if isinstance(item, str) else item
        conf = fields.get("confidence")
        if conf is not None and not 0 <= conf <= 1:
            raise at(("facts", key, "confidence"), "confidence must be between 0 and 1")
        out[path] = Source(**fields)
    return document, out


def validate(data: Any, positions: Positions, display: str, text: str) -> dict[str, Any]:
    """Validate against the model, check ids and references; the facts as plain data.

    The fast validator handles well-formed files; pydantic decides (and explains) the rest.
    """
    from .fastcheck import fast_validate

    def at(path: PathKey, message: str, hint: str | None = None) -> InputError:
        pos = nearest_position(positions, path)
        return InputError(message, display, pos[0] if pos else None, pos[1] if pos else None,
                          source=text, hint=hint)

    if not isinstance(data, dict):
        raise at((), "the top level must be a mapping of keys (schema, icb, board, ...)")
    marker = data.get("schema")
    if marker != "ics-constitution/1":
        shown = "missing" if marker is None else repr(marker)
        raise at(("schema",) if "schema" in data else (),
                 f"format marker 'schema' is {shown}; expected 'ics-constitution/1'",
                 hint="start the file with the line: schema: ics-constitution/1")
    facts = fast_validate(data)
    if facts is None:
        facts = validate_with_pydantic(data, at)
    problems = list(_reference_problems(data, at))
    if problems:
        raise SchemaError(problems[:MAX_ERRORS])
    return facts


def validate_with_pydantic(data: Any, at: Any) -> dict[str, Any]:
    """The reference validation: pydantic, with its errors turned into located messages."""
    from pydantic import ValidationError

    from .model import Constitution

    try:
        model = Constitution.model_validate(data)
    except ValidationError as exc:
        errors = [_pydantic_error(err, data, at) for err in exc.errors()[:MAX_ERRORS]]
        raise SchemaError(errors) from None
    return model.model_dump(by_alias=True)


def nearest_position(positions: Positions, path: PathKey) -> tuple[int, int] | None:
    """Line and column of `path`, or of its nearest ancestor in `positions` (None if none)."""
    p = tuple(path)
    while p:
        if p in positions:
            return positions[p]
        p = p[:-1]
    return positions.get(())


def _model_at(loc: PathKey) -> Any:
    """The pydantic model class that holds the value at `loc` (the container of the last key)."""
    import typing

    from pydantic import BaseModel

    from .model import Constitution

    current: Any = Constitution
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        fields = {f.alias or name: f for name, f in current.model_fields.items()}
        if part not in fields:
            return current
        ann = fields[part].annotation
        current = _unwrap(ann, typing)
    return current


def _unwrap(ann: Any, typing: Any) -> Any:
    from pydantic import BaseModel

    seen = 0
    while seen < 10:
        seen += 1
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            return ann
        args = typing.get_args(ann)
        if not args:
            return ann
        models = [a for a in args if _is_model_or_container(a, typing)]
        ann = models[0] if models else args[0]
    return ann


def _is_model_or_container(a: Any, typing: Any) -> bool:
    from pydantic import BaseModel

    if isinstance(a, type) and issubclass(a, BaseModel):
        return True
    return typing.get_origin(a) in (list, typing.Annotated) or bool(typing.get_args(a))


def _fields_of(model: Any) -> list[str]:
    from pydantic import BaseModel

    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or n for n, f in model.model_fields.items()]
    return []


def _pydantic_error(err: Any, data: Any, at: Any) -> InputError:
    loc: PathKey = tuple(p for p in err["loc"] if not isinstance(p, str) or not p.startswith(
        ("function-", "literal[", "constrained-", "list[", "tagged-union")))
    where = format_path(loc)
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1])
        allowed = _fields_of(parent)
        key = loc[-1]
        hint = f"allowed keys here: {', '.join(allowed)}" if allowed else None
        return at(loc, f"unknown key '{key}' in {format_path(loc[:-1])}"
                       f"{did_you_mean(str(key), allowed)}", hint)
    if kind == "missing":
        return at(loc[:-1], f"'{loc[-1]}' is required in {format_path(loc[:-1])}")
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        choices = re.findall(r"'([^']*)'", expected)
        return at(loc, f"{where}: {value!r} is not one of {', '.join(choices)}"
                       f"{did_you_mean(str(value), choices)}")
    if kind == "string_pattern_mismatch":
        return at(loc, f"{where}: {value!r} is not a valid id (lower-case letters, digits and "
                       "hyphens, e.g. 'ned-audit')")
    if kind in ("bool_type", "bool_parsing"):
        return at(loc, f"{where}: expected true or false, got {value!r}")
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing",
                "date_from_datetime_inexact"):
        return at(loc, f"{where}: expected a date YYYY-MM-DD (e.g. 2022-07-01), got {value!r}")
    if kind == "string_type":
        return at(loc, f"{where}: expected text, got {type(value).__name__} {value!r}"
                       + (" (quote it: \"1.2\")" if isinstance(value, int | float) else ""))
    if kind in ("list_type",):
        return at(loc, f"{where}: expected a list, got {type(value).__name__}")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return at(loc, f"{where}: expected a mapping of keys, got {type(value).__name__}")
    return at(loc, f"{where}: {err['msg']}")


def _reference_problems(data: dict[str, Any], at: Any) -> Iterator[InputError]:
    """Duplicate ids, and references that name no defined object."""
    seen: dict[str, PathKey] = {}
    for path, obj in _objects_with_ids(data):
        ident = obj["id"]
        if ident in seen:
            yield at((*path, "id"), f"duplicate id '{ident}' (already used at "
                                    f"{format_path(seen[ident])})")
        else:
            seen[ident] = path
    from .schema import reference_fields

    collections = {name: _ids(data, name) for name in {r.target for r in reference_fields()}}
    for spec in reference_fields():
        valid = collections[spec.target]
        for path, value in _values_at(data, spec.path):
            values = value if isinstance(value, list) else [value]
            for i, v in enumerate(values):
                if v is None or v in valid or v in spec.vocabulary:
                    continue
                vpath = (*path, i) if isinstance(value, list) else path
                choices = sorted(valid) + list(spec.vocabulary)
                what = spec.target
                yield at(vpath, f"{format_path(vpath)}: '{v}' names no entry of {what}"
                                f"{did_you_mean(v, choices)}",
                         hint=f"defined ids: {', '.join(sorted(valid)) or '(none)'}"
                              + (f"; or one of: {', '.join(spec.vocabulary)}"
                                 if spec.vocabulary else ""))


def _objects_with_ids(value: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, dict[str, Any]]]:
    if isinstance(value, dict):
        if isinstance(value.get("id"), str):
            yield path, value
        for k, v in value.items():
            yield from _objects_with_ids(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _objects_with_ids(v, (*path, i))


def _ids(data: dict[str, Any], dotted: str) -> set[str]:
    out: set[str] = set()
    for _, items in _values_at(data, dotted):
        for item in items or []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                out.add(item["id"])
    return out


def _values_at(value: Any, dotted: str, path: PathKey = ()) -> Iterator[tuple[PathKey, Any]]:
    """Every (path, value) reached by following `dotted`, mapping over lists on the way."""
    if not dotted:
        yield path, value
        return
    head, _, rest = dotted.partition(".")
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from _values_at(item, dotted, (*path, i))
        return
    if isinstance(value, dict) and value.get(head) is not None:
        yield from _values_at(value[head], rest, (*path, head))

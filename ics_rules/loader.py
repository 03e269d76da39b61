"""Read a constitution file (YAML, JSON or TOML) into the pydantic model, keeping line and column.

Only safe YAML is read: no custom tags, no merge keys, no code. A hostile file is refused fast:
size, nesting depth and node count (which bounds alias expansion, the "billion laughs") are
limited, and binary junk is named as such. Every problem becomes an `InputError` (or a
`SchemaError` carrying several) that points at the file, line and column.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ErrorList, InputError, did_you_mean
from .location import Location, Source, printable

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000
MAX_ERRORS = 25
MAX_DIGITS = 30  # a longer run of digits is no number a constitution holds (and int() is slow)

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

    @property
    def document_only(self) -> bool:
        """Read from a document directly: facts have sources, never file positions."""
        return self.document is not None and self.document == self.path

    def locate(self, path: PathKey | None, *, fact: str | None = None, not_stated: bool = False,
               at: PathKey | None = None) -> Location:
        """The location of a finding about `path` (None: the constitution as a whole): the
        file position of `at` (default `path`) and, for facts read from a document, the
        clause, page and words they were read from."""
        if path is None:
            pos = self.positions.get(())
        else:
            pos = self.position(at if at is not None else path)
        if fact is None and path is not None:
            fact = format_path(path)
        src = self.source(path) if path is not None else None
        document = self.document if self.document not in (None, self.path) else None
        line, column = (pos[0], pos[1]) if pos else (None, None)
        if src is None:
            return Location(self.path, line, column, fact, not_stated, document=document)
        return Location(self.path, line, column, fact, not_stated, clause=src.clause,
                        page=src.page, paragraph=src.paragraph, quote=src.quote,
                        confidence=src.confidence, document=document)


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
    """The file's UTF-8 text and bytes, refusing what is too big, binary, not UTF-8 or not a
    regular file (`guard.read_input`: a FIFO or a device never hangs)."""
    from .guard import read_input

    raw = read_input(path, display, max_bytes)
    return decode(raw, display), raw


_DOCUMENTS = (  # leading bytes -> what the file is (documents hold text, not facts)
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Word 97-2003 document (.doc)"),
    (b"{\\rtf", "a rich text (RTF) document"),
)


def _not_text(raw: bytes) -> str | None:
    """What a file is when it is a document or an archive rather than a text file."""
    for magic, what in _DOCUMENTS:
        if raw.startswith(magic):
            return what
    if raw.startswith(b"PK\x03\x04"):
        if b"word/" in raw[:65536]:
            return "a Word document (.docx)"
        if b"opendocument.text" in raw[:4096]:
            return "an OpenDocument text file (.odt)"
        return "a zip archive"
    return None


def _utf16(raw: bytes) -> bool:
    """UTF-16 text: a byte-order mark, or a NUL in every other byte of ASCII-range text."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = raw[:4096]
    return len(head) >= 8 and (head[1::2].count(0) > len(head) * 0.4
                               or head[0::2].count(0) > len(head) * 0.4)


def decode(raw: bytes, display: str) -> str:
    """Decode UTF-8 (a BOM is allowed), naming the line and column of the first bad byte.

    A document (Word, PDF, zip) or UTF-16 text is named as such, with what to do instead.
    """
    document = _not_text(raw)
    if document is not None:
        readable = next((ext for ext in (".docx", ".pdf") if ext[1:] in document.lower()), None)
        hint = (f"named with {readable}, `ics-rules check` reads it as a document; "
                f"`ics-rules extract` writes the facts it finds as YAML") if readable else \
            "save it as a Word (.docx) document, then `ics-rules extract FILE` writes the " \
            "facts it finds as YAML"
        raise InputError(f"this is {document}, not a constitution file (YAML, JSON or TOML)",
                         display, 1, 1, hint=hint)
    if _utf16(raw):
        raise InputError("this file is UTF-16 text; ics-rules reads UTF-8", display, 1, 1,
                         hint="save it again as UTF-8 (in most editors: Save As, Encoding: "
                              "UTF-8)")
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
        raise _yaml_syntax_error(exc, text, display) from None
    except yaml.reader.ReaderError as exc:
        line, col = _char_position(text, exc.position)
        raise InputError(f"character U+{exc.character:04X} is not allowed in YAML (a control "
                         "character)", display, line, col, source=text,
                         hint="delete it, or write it as an escape inside double quotes "
                              "(\\x1b)") from None
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


def _char_position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset in `text`."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _yaml_syntax_error(exc: Any, text: str, display: str) -> InputError:
    """PyYAML's syntax error, placed where the user must look and with a hint at the cause."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    if exc.context and exc.problem and "while" not in exc.context:
        problem = f"{exc.context}: {exc.problem}"
    lines = text.splitlines()
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    hint = None
    here = lines[line - 1] if line and 0 < line <= len(lines) else ""
    if "\t" in here and (problem.startswith("found character") or "\t" in here[: (col or 1)]):
        col = here.index("\t") + 1
        problem = "a tab character"
        hint = "YAML indents with spaces only: replace the tab with spaces"
    elif exc.problem == "could not find expected ':'" and exc.context_mark is not None:
        line, col = exc.context_mark.line + 1, exc.context_mark.column + 1
        key = lines[line - 1].strip() if line <= len(lines) else ""
        problem = "missing ':' after the key"
        hint = f"write `{_with_colon(key)}`"
    elif exc.problem and exc.problem.startswith("mapping values are not allowed") and line:
        found = _line_missing_colon(lines, line)
        if found is not None:
            line, col, key = found
            problem = "missing ':' after the key"
            hint = f"write `{_with_colon(key)}`"
        else:
            problem = "a key here is indented more than the key above it"
            hint = ("keys of one mapping start in the same column; a value that contains ': ' "
                    "must be quoted")
    elif exc.problem in ("did not find expected key", "did not find expected '-' indicator") \
            or (exc.problem or "").startswith("expected <block end>"):
        problem = "the indentation of this line does not match the lines above it"
        hint = ("check the indentation: the keys of one mapping, and the '-' of one list, line "
                "up in the same column, indented with spaces")
    return InputError(f"YAML syntax error: {problem}", display, line, col, source=text, hint=hint)


def _with_colon(line: str) -> str:
    """`name NHS X` -> `name: NHS X` (the line as it should have been written)."""
    body = line[2:] if line.startswith("- ") else line
    key, _, rest = body.partition(" ")
    fixed = f"{key}: {rest}".rstrip() if rest else f"{key}:"
    return ("- " if line.startswith("- ") else "") + fixed


def _line_missing_colon(lines: list[str], error_line: int) -> tuple[int, int, str] | None:
    """The line above `error_line` (same indentation) that holds a key without its colon."""
    current = lines[error_line - 1]
    indent = len(current) - len(current.lstrip(" "))
    for number in range(error_line - 1, 0, -1):
        text = lines[number - 1]
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        their = len(text) - len(text.lstrip(" "))
        if their != indent or ":" in stripped or stripped.startswith(("-", "[", "{", "'", '"')):
            return None
        return number, their + 1, stripped
    return None


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
            return self.scalar(node)
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

    def scalar(self, node: Any) -> Any:
        """A scalar by YAML 1.2's core rules, whether its tag is implied or written (`!!int`).

        Only `true`/`false` are booleans: `yes`, `no`, `on` and `off` stay text, so they mean
        the same quoted or not (and a true/false field says so). Numbers are plain decimals:
        YAML 1.1's base-60 (`1:30`), hex, octal, binary and `1_000` forms are refused rather
        than silently turned into other numbers.
        """
        tag, value = node.tag[len(_YAML):], node.value
        if tag == "str":
            return value
        if tag == "null":
            if value in _NULLS:
                return None
            raise self.error(f"{value!r} is tagged !!null but is not empty, ~ or null", node)
        if tag == "bool":
            if value in _TRUE or value in _FALSE:
                return value in _TRUE
            if value.lower() in _YES_NO:
                return value
            raise self.error(f"{value!r} is not true or false", node)
        if tag in ("int", "float"):
            return self.number(node, tag, value)
        return self.timestamp(node, value)

    def number(self, node: Any, tag: str, value: str) -> int | float:
        """A plain decimal integer or float, or a located error saying how to write it."""
        longest = max((len(run) for run in re.findall(r"[0-9_]+", value)), default=0)
        if longest > MAX_DIGITS:
            raise self.error(f"a number with more than {MAX_DIGITS} digits in a row", node)
        pattern = _DECIMAL_INT if tag == "int" else _DECIMAL_FLOAT
        if pattern.fullmatch(value):
            number = int(value) if tag == "int" else float(value)
            if isinstance(number, float) and not math.isfinite(number):
                raise self.error(f"{value} is too large a number", node)
            return number
        raise self.error(_number_problem(value, tag), node)

    def timestamp(self, node: Any, value: str) -> Any:
        """A date (YYYY-MM-DD) or date and time, checked to be a real one."""
        if not _TIMESTAMP.fullmatch(value):
            raise self.error(f"{value!r} is not a date; dates are YYYY-MM-DD, e.g. 2022-07-01",
                             node)
        try:
            return self.constructor.construct_yaml_timestamp(node)
        except (ValueError, TypeError, OverflowError) as exc:
            raise self.error(f"{value!r} is not a real date ({exc}); dates are YYYY-MM-DD, "
                             "e.g. 2022-07-01", node) from None


_NULLS = ("", "~", "null", "Null", "NULL")
_TRUE = ("true", "True", "TRUE")
_FALSE = ("false", "False", "FALSE")
_YES_NO = ("yes", "no", "on", "off", "y", "n")
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DECIMAL_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
                        r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
                        r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?")


def _number_problem(value: str, tag: str) -> str:
    """Why a YAML 1.1 number form is refused, and what to write instead."""
    quoted = f'quote it ("{value}") if it is text'
    if not value:
        return f"an empty !!{tag}: write a number"
    if re.fullmatch(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?", value):
        return (f"{value} would be read as a base-60 number (YAML 1.1); {quoted}, or write "
                "the number in decimal")
    if re.fullmatch(r"[-+]?0[xX][0-9a-fA-F_]+", value):
        return f"{value} is a hexadecimal number; write it in decimal, or {quoted}"
    if re.fullmatch(r"[-+]?0[bB][01_]+", value):
        return f"{value} is a binary number; write it in decimal, or {quoted}"
    if re.fullmatch(r"[-+]?0[oO]?[0-7_]+", value):
        return (f"{value} has a leading zero (an octal number in YAML 1.1); write it without "
                f"the zero, or {quoted}")
    if "_" in value:
        return f"{value}: write numbers without '_' separators, or {quoted}"
    if value.lower().lstrip("+-") in (".inf", ".nan"):
        return f"{value} is not a finite number"
    return f"{value!r} is not a number"


# ---------------------------------------------------------------- JSON

def parse_json(text: str, display: str) -> tuple[Any, Positions]:
    """Strict JSON (duplicate keys, NaN, lone surrogates refused); positions from a YAML reading
    of the same text. Depth, size and number limits are checked on the text first, so every
    refusal has a line and column."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                raise _DuplicateKey(k)
            out[k] = v
        return out

    _scan_limits(text, display, json_values=True)
    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=_refuse_constant,
                          parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON syntax error: {exc.msg}", display, exc.lineno, exc.colno,
                         source=text) from None
    except _DuplicateKey as exc:
        line, col = _find_key(text, exc.key, occurrence=2)
        raise InputError(f"duplicate key '{exc.key}'", display, line, col, source=text) from None
    except _BadNumber as exc:
        line, col = _find_token(text, exc.token)
        raise InputError(exc.problem, display, line, col, source=text) from None
    try:
        _, positions = parse_yaml(text, display)
    except InputError:
        positions = {(): (1, 1)}
    surrogate = _lone_surrogate(data)
    if surrogate:
        pos = nearest_position(positions, surrogate[0]) or (None, None)
        escape = re.search(re.escape(surrogate[1]), text, re.IGNORECASE)
        if escape and pos == (1, 1):  # the YAML reading (for positions) refused it too
            pos = _char_position(text, escape.start())
        raise InputError(f"{format_path(surrogate[0])}: {surrogate[1]} is half of a UTF-16 "
                         "surrogate pair, not a character", display, pos[0], pos[1], source=text,
                         hint="write the character itself, or both halves of the pair")
    return data, positions


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _BadNumber(Exception):
    def __init__(self, token: str, problem: str) -> None:
        self.token = token
        self.problem = problem


def _refuse_constant(token: str) -> Any:
    raise _BadNumber(token, f"{token} is not a number JSON allows (nor a constitution needs)")


def _finite_float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        too_big = any(c.isdigit() for c in token)
        raise _BadNumber(token, f"{token} is " + ("too large a number" if too_big
                                                   else "not a finite number"))
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(data: Any) -> tuple[PathKey, str] | None:
    """The path of the first key or text holding half a UTF-16 surrogate pair (JSON's
    `\\ud800` escape decodes to one; it cannot be written out in UTF-8 later)."""
    stack: list[tuple[Any, PathKey]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            m = _SURROGATE.search(value)
            if m:
                return path, f"\\u{ord(m.group()):04x}"
        elif isinstance(value, dict):
            for k, v in reversed(value.items()):
                stack.append((v, (*path, k)))
                stack.append((k, (*path, k)))
        elif isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in reversed(list(enumerate(value))))
    return None


def _find_key(text: str, key: str, occurrence: int) -> tuple[int | None, int | None]:
    needle = json.dumps(key)
    start = -1
    for _ in range(occurrence):
        start = text.find(needle, start + 1)
        if start < 0:
            return None, None
    return _char_position(text, start)


def _find_token(text: str, token: str) -> tuple[int | None, int | None]:
    m = re.search(r"(?<![\w.])" + re.escape(token) + r"(?![\w.])", text)
    return _char_position(text, m.start()) if m else (None, None)


_LONG_DIGITS = rf"[0-9](?:_?[0-9]){{{MAX_DIGITS},}}"
# Tokens that matter for the limits; strings (and TOML comments) are matched whole so that
# brackets and digits inside them are skipped. An unterminated string runs to the line end.
_JSON_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"?|(?P<empty>\[(?=\s*\]))|[\[\]{},:]|'
                          + _LONG_DIGITS)
_TOML_TOKENS = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*(?:""")?'
                          r"|'''(?:[^']|'(?!''))*(?:''')?"
                          r'|"(?:[^"\\\n]|\\.)*"?'
                          r"|'[^'\n]*'?|#[^\n]*|[\[\]{}]|" + _LONG_DIGITS)


def _scan_limits(text: str, display: str, *, json_values: bool) -> None:
    """Depth, digit-run and (for JSON) value-count limits, found in one pass over the text.

    Runs before the parser, so a file nested 100,000 deep or holding a 5,000-digit number is
    refused in linear time at the place it goes wrong, never by a recursion error. Value
    starts are counted the way the YAML reader counts nodes (the root, each object member's
    value, each array element), so every format meets the same limit.
    """
    depth = 0
    values = 1
    stack: list[str] = []
    for m in (_JSON_TOKENS if json_values else _TOML_TOKENS).finditer(text):
        token = m.group()
        ch = token[0]
        if ch.isdigit():
            raise _located(f"a number with more than {MAX_DIGITS} digits in a row", text,
                           m.start(), display)
        if ch in "[{" and len(token) == 1:
            depth += 1
            stack.append(ch)
            if depth > MAX_DEPTH:
                raise _located(f"nested deeper than {MAX_DEPTH} levels", text, m.start(),
                               display)
            if json_values and ch == "[" and m.group("empty") is None:
                values += 1
        elif ch in "]}" and len(token) == 1:
            depth = max(0, depth - 1)
            if stack:
                stack.pop()
        elif json_values and (ch == ":" or (ch == "," and stack and stack[-1] == "[")):
            values += 1
        if values > MAX_NODES:
            raise _located(f"more than {MAX_NODES:,} values; refusing to read further",
                           text, m.start(), display)


def _located(message: str, text: str, offset: int, display: str) -> InputError:
    line, col = _char_position(text, max(0, offset))
    return InputError(message, display, line, col, source=text)


def _check_shape(data: Any, display: str, positions: Positions) -> None:
    """Depth and size limits on parsed data, located at the nearest position (TOML tables and
    dotted keys nest without brackets, so the text scan cannot see all of it)."""
    count = 0
    stack: list[tuple[Any, PathKey]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        count += 1
        problem = None
        if count > MAX_NODES:
            problem = f"more than {MAX_NODES:,} values; refusing to read further"
        elif len(path) > MAX_DEPTH:
            problem = f"nested deeper than {MAX_DEPTH} levels"
        if problem:
            pos = nearest_position(positions, path) or (None, None)
            raise InputError(problem, display, pos[0], pos[1])
        if isinstance(value, dict):
            stack.extend((v, (*path, k)) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in reversed(list(enumerate(value))))


# ---------------------------------------------------------------- TOML

_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_TOML_KEY = re.compile(r"^\s*([A-Za-z0-9_\-.\" ]+?)\s*=")


def parse_toml(text: str, display: str) -> tuple[Any, Positions]:
    """TOML via tomllib; positions of tables and keys found by a line scan (best effort)."""
    import tomllib

    _scan_limits(text, display, json_values=False)
    try:
        data = tomllib.loads(text, parse_float=_finite_float)
    except _BadNumber as exc:
        line, col = _find_token(text, exc.token)
        raise InputError(exc.problem, display, line, col, source=text) from None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_AT.search(msg)
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        raise InputError(f"TOML syntax error: {_TOML_AT.sub('', msg).strip()}", display, line, col,
                         source=text) from None
    positions = _toml_positions(text)
    _check_shape(data, display, positions)
    return data, positions


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
    problems = _first_problems(_reference_problems(data, at), display)
    if problems:
        raise SchemaError(problems)
    return facts


def _first_problems(found: Iterator[Callable[[], InputError]], display: str) -> list[InputError]:
    """The first MAX_ERRORS problems built in full (their suggestions cost time), the rest
    only counted: a file with 10,000 dangling references is as quick to refuse as one."""
    shown = [make() for make in itertools.islice(found, MAX_ERRORS)]
    hidden = sum(1 for _ in found)
    if hidden:
        shown.append(InputError(f"... and {hidden:,} more problems of these kinds", display))
    return shown


def validate_with_pydantic(data: Any, at: Any) -> dict[str, Any]:
    """The reference validation: pydantic, with its errors turned into located messages."""
    from pydantic import ValidationError

    from .model import Constitution

    try:
        model = Constitution.model_validate(data)
    except ValidationError as exc:
        raise SchemaError(validation_errors(exc, data, at, Constitution)) from None
    return model.model_dump(by_alias=True)


def validation_errors(exc: Any, data: Any, at: Any, root: Any) -> list[InputError]:
    """pydantic's errors as located messages in this tool's words (constitutions, waivers and
    rule tests share them), one per place, the first MAX_ERRORS of them."""
    out: list[InputError] = []
    seen: set[PathKey] = set()
    for err in exc.errors():
        loc = _data_loc(err["loc"], data)
        if loc in seen:  # a union (number: float or int) reports once per member type
            continue
        seen.add(loc)
        out.append(_pydantic_error(err, loc, at, root))
        if len(out) >= MAX_ERRORS:
            break
    return out


def _data_loc(loc: tuple[Any, ...], data: Any) -> PathKey:
    """pydantic's error location without its type tags (`fraction.float`, `literal[...]`):
    only the keys and indexes that lead through the data, plus a missing key at the end."""
    out: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        into_dict = isinstance(current, dict) and isinstance(part, str)
        if (into_dict and part in current) or (
                isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)):
            current = current[part]
        elif not (into_dict and i == len(loc) - 1):  # a missing key at the end is kept
            continue
        out.append(part)
    return tuple(out)


def nearest_position(positions: Positions, path: PathKey) -> tuple[int, int] | None:
    """Line and column of `path`, or of its nearest ancestor in `positions` (None if none)."""
    p = tuple(path)
    while p:
        if p in positions:
            return positions[p]
        p = p[:-1]
    return positions.get(())


def _model_at(loc: PathKey, root: Any = None) -> Any:
    """The pydantic model class that holds the value at `loc` (the container of the last key)."""
    import typing

    from pydantic import BaseModel

    if root is None:
        from .model import Constitution as root

    current: Any = root
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


def _pydantic_error(err: Any, loc: PathKey, at: Any, root: Any) -> InputError:
    """One pydantic error in plain words, with the corrected form where there is one."""
    where = format_path(loc)
    kind = err["type"]
    value = err.get("input")
    key = loc[-1] if loc and isinstance(loc[-1], str) else None
    if kind == "extra_forbidden":
        allowed = _fields_of(_model_at(loc[:-1], root))
        hint = f"allowed keys here: {', '.join(allowed)}" if allowed else None
        return at(loc, f"unknown key '{loc[-1]}' in {format_path(loc[:-1])}"
                       f"{did_you_mean(str(loc[-1]), allowed)}", hint)
    if kind == "missing":
        return at(loc[:-1], f"'{loc[-1]}' is required in {format_path(loc[:-1])}")
    if value is None:
        return at(loc, f"{where}: no value given, and this one is required"
                       + (f": write the {key.replace('_', ' ')}" if key else ""))
    if isinstance(value, list) and kind not in ("list_type", "too_short", "too_long"):
        return at(loc, f"{where}: expected one value, got a list: {_one_value(key, value)}")
    if kind == "list_type" and not isinstance(value, dict):
        shown = _yaml_scalar(value)
        return at(loc, f"{where}: expected a list, got one value: "
                       + (f"write `{key}: [{shown}]`" if key else f"write it in a list: [{shown}]"))
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        choices = re.findall(r"'([^']*)'", expected)
        word = _as_word(value)
        suggestion = f" (did you mean '{word}'?)" if word in choices and word != value \
            else did_you_mean(str(value), choices)
        return at(loc, f"{where}: {value!r} is not one of {', '.join(choices)}{suggestion}")
    if kind == "string_pattern_mismatch":
        word = _as_word(value).replace("_", "-")
        return at(loc, f"{where}: {value!r} is not a valid id (lower-case letters, digits and "
                       "hyphens, e.g. 'ned-audit')"
                       + (f" (did you mean '{word}'?)" if word and word != value else ""))
    if kind in ("bool_type", "bool_parsing"):
        return at(loc, f"{where}: expected true or false, got {value!r}",
                  "write true or false; yes, no, on and off are text in this format, quoted "
                  "or not" if str(value).lower() in _YES_NO else None)
    if kind.startswith("date"):
        return at(loc, f"{where}: expected a date YYYY-MM-DD (e.g. 2022-07-01), got {value!r}")
    if kind == "string_type":
        return at(loc, f"{where}: expected text, got {_kind_of(value)} {value!r}"
                       + (" (quote it: \"1.2\")" if isinstance(value, int | float) else ""))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return at(loc, f"{where}: expected a mapping of keys, got {_kind_of(value)}")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return at(loc, f"{where}: expected a whole number, got {_kind_of(value)} {value!r}")
    if kind in ("float_type", "float_parsing"):
        return at(loc, f"{where}: expected a number, got {_kind_of(value)} {value!r}")
    bound = {"greater_than": "more than {gt}", "greater_than_equal": "at least {ge}",
             "less_than": "less than {lt}", "less_than_equal": "at most {le}",
             "string_too_long": "at most {max_length} characters long",
             "string_too_short": "at least {min_length} characters long",
             "too_short": "at least {min_length} entries", "too_long": "at most {max_length} "
             "entries"}.get(kind)
    if bound is not None:
        ctx = err.get("ctx", {})
        shown = f"{len(value)} characters" if kind.startswith("string") else repr(value)
        return at(loc, f"{where}: must be {bound.format(**ctx)}; got {shown}")
    return at(loc, f"{where}: {_kind_of(value)} {value!r} is not allowed here")


def _kind_of(value: Any) -> str:
    """A value's kind in the file's terms, not Python's."""
    if value is None:
        return "nothing"
    return {bool: "true/false", int: "a number", float: "a number", str: "text",
            list: "a list", dict: "a mapping"}.get(type(value), "a value")


def _yaml_scalar(value: Any) -> str:
    """A value as it is written in YAML (`true`, `nhs_england`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _one_value(key: str | None, value: list[Any]) -> str:
    """The corrected form of a one-item list where one value belongs."""
    if len(value) == 1 and not isinstance(value[0], list | dict):
        shown = _yaml_scalar(value[0])
        return f"write `{key}: {shown}`" if key else f"write only the value: {shown}"
    return "give one value, not a list"


def _as_word(value: Any) -> str:
    """Prose turned into the format's word: 'NHS England' -> 'nhs_england'."""
    if not isinstance(value, str):
        return ""
    words = re.sub(r"[^a-z0-9]+", " ", value.lower()).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return "_".join(words)


def _reference_problems(data: dict[str, Any], at: Any) -> Iterator[Callable[[], InputError]]:
    """Duplicate ids, and references that name no defined object (each as a function that
    builds the message, so only the problems shown pay for a did-you-mean search)."""
    seen: dict[str, PathKey] = {}
    for path, obj in _objects_with_ids(data):
        ident = obj["id"]
        if ident in seen:
            yield functools.partial(at, (*path, "id"), f"duplicate id '{ident}' (already used at "
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
                yield functools.partial(_dangling, at, vpath, v, spec, valid)


def _dangling(at: Any, vpath: PathKey, v: Any, spec: Any, valid: set[str]) -> InputError:
    """The message for a reference `v` at `vpath` that names nothing in `spec.target`."""
    choices = sorted(valid) + list(spec.vocabulary)
    return at(vpath, f"{format_path(vpath)}: '{v}' names no entry of {spec.target}"
                     f"{did_you_mean(str(v), choices)}",
              hint=f"defined ids: {', '.join(sorted(valid)) or '(none)'}"
                   + (f"; or one of: {', '.join(spec.vocabulary)}" if spec.vocabulary else ""))


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

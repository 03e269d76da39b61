"""Parse ruleset text with Lark (LALR, positions on) into the AST of `ast.py`.

Syntax errors become `RulesetError`s naming the file, line and column, the offending text and
what was expected, in words rather than terminal names.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
from typing import Any

from ..errors import RulesetError
from ..evidence import EVIDENCE
from ..resources import data_dir
from . import ast as A

_EXPECTED_WORDS = {
    "RULE_ID": "a rule ID (e.g. SCH1B-3-1-a)",
    "NAME": "a name",
    "SLUG": "a ruleset ID",
    "STRING": "a quoted string",
    "DATE": "a date YYYY-MM-DD",
    "NUMBER": "a number",
    "COMPARE": "a comparison (=, !=, <, <=, >, >=)",
    "ADD_OP": "+ or -",
    "LPAR": "'('", "RPAR": "')'", "LSQB": "'['", "RSQB": "']'", "LBRACE": "'{'",
    "RBRACE": "'}'", "COMMA": "','", "COLON": "':'", "DOT": "'.'", "EQUAL": "'='",
    "$END": "end of file",
}

STRENGTHS = ("statutory", "policy", "guidance", "info")

# One bound on the work a ruleset can ask for, checked on the parse tree before anything walks
# it recursively (the builder, checker, compiler and explainer): a deeper, bigger or longer
# input is a located error, never a RecursionError.
MAX_DEPTH = 100  # levels of the parse tree (the bundled rulesets need about 20)
MAX_NODES = 200_000  # parse-tree nodes in one file
MAX_NUMBER = 15  # characters of a number literal
MAX_STRING = 20_000  # characters of a quoted string (titles, notes, messages)
MAX_MESSAGE_PARTS = 100  # `{expression}`s in one message
MAX_LOOPS = 3  # iterations (every/some, filters) nested in one another: work is n ** loops


@functools.cache
def _lark() -> Any:
    """The parser. Lark's own cache is a pickle, which could run code, so it is not used."""
    from lark import Lark

    text = (data_dir("grammar") / "ics_rules.lark").read_text(encoding="utf-8")
    return Lark(text, parser="lalr", propagate_positions=True, start=["start", "expr"],
                maybe_placeholders=False)


def _unquote(token: str) -> str:
    body = token[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def _pos(meta: Any) -> A.Pos:
    if getattr(meta, "empty", True):
        return A.NOPOS
    return A.Pos(meta.line, meta.column, meta.end_line, meta.end_column)


def _tok_pos(tok: Any) -> A.Pos:
    return A.Pos(tok.line, tok.column, tok.end_line or tok.line,
                 tok.end_column or tok.column + len(tok))


class _Builder:
    """Turns Lark's tree into AST nodes (a hand-written walk keeps meta and source text)."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path

    def src(self, meta: Any) -> str:
        if getattr(meta, "empty", True):
            return ""
        return self.text[meta.start_pos:meta.end_pos]

    def expr(self, tree: Any) -> A.Expr:
        from lark import Token

        if isinstance(tree, Token):
            raise self.error("unexpected token", _tok_pos(tree))
        kind = tree.data if isinstance(tree.data, str) else tree.data.value
        meta = tree.meta
        common = {"pos": _pos(meta), "src": self.src(meta)}
        c = tree.children
        if kind in ("or_", "and_"):
            items = tuple(self.expr(x) for x in c)
            if len(items) == 1:
                return items[0]
            return A.BoolOp(op=kind[:-1], items=items, **common)
        if kind == "not_":
            return A.Not(operand=self.expr(c[0]), **common)
        if kind == "compare":
            return A.Compare(op=str(c[1]), left=self.expr(c[0]), right=self.expr(c[2]), **common)
        if kind in ("in_", "not_in"):
            return A.Member(left=self.expr(c[0]), right=self.expr(c[1]),
                            negate=kind == "not_in", **common)
        if kind in ("contains", "contains_all", "contains_any"):
            mode = {"contains": "one", "contains_all": "all", "contains_any": "any"}[kind]
            return A.Contains(left=self.expr(c[0]), right=self.expr(c[1]), mode=mode, **common)
        if kind == "matches":
            from .regex import problem

            pattern = _unquote(str(c[1]))
            found = problem(pattern)
            if found is not None:
                message, offset = found
                pos = _tok_pos(c[1])
                if offset and "\\" not in str(c[1]):  # no escapes: offsets map one to one
                    pos = self._offset_pos(c[1], offset + 1)
                raise self.error(message, pos)
            return A.Matches(left=self.expr(c[0]), pattern=pattern, **common)
        if kind == "arith":
            return A.Arith(op=str(c[1]), left=self.expr(c[0]), right=self.expr(c[2]), **common)
        if kind == "number":
            s = str(c[0])
            return A.Lit(value=float(s) if "." in s else int(s), kind="number", **common)
        if kind == "string":
            return A.Lit(value=_unquote(str(c[0])), kind="text", **common)
        if kind == "date":
            return A.Lit(value=self.date(c[0]), kind="date", **common)
        if kind in ("true", "false"):
            return A.Lit(value=kind == "true", kind="bool", **common)
        if kind == "as_of":
            return A.AsOf(**common)
        if kind == "word":
            return A.Lit(value=str(c[0]), kind="word", **common)
        if kind in ("path", "call_path"):
            steps: list[A.Expr] = []
            for step in c[1:]:
                sk = step.data if isinstance(step.data, str) else step.data.value
                sc = {"pos": _pos(step.meta), "src": self.src(step.meta)}
                if sk == "field":
                    steps.append(A.FieldStep(name=str(step.children[0]), **sc))
                else:
                    steps.append(A.FilterStep(pred=self.expr(step.children[0]), **sc))
            if kind == "call_path":
                start = self.expr(c[0])
                return A.Path(head="", steps=tuple(steps), base="expr", start=start, **common)
            return A.Path(head=str(c[0]), steps=tuple(steps), **common)
        if kind == "call":
            return A.Call(func=str(c[0]), args=tuple(self.expr(a) for a in c[1:] if a is not None),
                          **common)
        if kind == "quantifier":
            return A.Quant(kind=str(c[0]), var=str(c[1]), source=self.expr(c[2]),
                           body=self.expr(c[3]), **common)
        if kind == "set":
            return A.SetLit(items=tuple(self.expr(x) for x in c if x is not None), **common)
        raise self.error(f"unsupported construct '{kind}'", _pos(meta))  # pragma: no cover

    def date(self, tok: Any) -> datetime.date:
        try:
            return datetime.date.fromisoformat(str(tok))
        except ValueError:
            raise self.error(f"'{tok}' is not a real date", _tok_pos(tok)) from None

    def error(self, message: str, pos: A.Pos, hint: str | None = None) -> RulesetError:
        end = pos.end_column if pos.end_line == pos.line else None
        return RulesetError(message, self.path, pos.line or None, pos.column or None,
                            source=self.text, end_column=end, hint=hint)

    def template(self, tok: Any) -> A.Template:
        """Split a message string into text and `{expression}` parts (`{{` is a brace)."""
        raw = str(tok)
        body = raw[1:-1]
        parts: list[str | A.Expr] = []
        i = 0
        buf = ""
        while i < len(body):
            ch = body[i]
            if body.startswith("{{", i) or body.startswith("}}", i):
                buf += ch
                i += 2
                continue
            if ch == "{":
                end = _closing_brace(body, i)
                if end < 0:
                    raise self.error("unclosed '{' in message", self._offset_pos(tok, i + 1))
                inner = body[i + 1:end]
                if buf:
                    parts.append(_unquote('"' + buf + '"'))
                    buf = ""
                parts.append(self.sub_expr(inner, tok, i + 2))
                if sum(1 for p in parts if not isinstance(p, str)) > MAX_MESSAGE_PARTS:
                    raise self.error(f"message has more than {MAX_MESSAGE_PARTS} '{{...}}' "
                                     "parts", _tok_pos(tok))
                i = end + 1
                continue
            buf += ch
            i += 1
        if buf:
            parts.append(_unquote('"' + buf + '"'))
        return A.Template(parts=tuple(parts), src=_unquote(raw))

    def _offset_pos(self, tok: Any, offset: int) -> A.Pos:
        return A.Pos(tok.line, tok.column + offset, tok.line, tok.column + offset + 1)

    def sub_expr(self, text: str, tok: Any, offset: int) -> A.Expr:
        """Parse an expression embedded in a message, reporting errors at its place in the file."""
        from lark.exceptions import UnexpectedInput

        try:
            tree = _lark().parse(text, start="expr")
        except UnexpectedInput as exc:
            col = tok.column + offset + (exc.column - 1 if exc.column and exc.column > 0 else 0)
            raise RulesetError(f"in message expression {{{text}}}: {_describe(exc)}", self.path,
                               tok.line, col, source=self.text) from None
        problem = _over_limits(tree, depth=2)
        if problem is not None:
            message, (line, column) = problem
            raise RulesetError(f"in message expression: {message}", self.path, tok.line,
                               tok.column + offset - 1 + (column if line == 1 else 0),
                               source=self.text)
        sub = _Builder(text, self.path)
        node = sub.expr(tree)
        return _shift(node, tok.line, tok.column + offset - 1)


def _closing_brace(body: str, start: int) -> int:
    """Index of the `}` closing the `{` at `start` (sets may nest inside), or -1."""
    depth = 0
    for i in range(start, len(body)):
        if body[i] == "{":
            depth += 1
        elif body[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _shift(node: A.Expr, line: int, col: int) -> A.Expr:
    """Move positions of an expression parsed from a message to where it sits in the file."""
    import dataclasses

    def fix(p: A.Pos) -> A.Pos:
        if p is A.NOPOS:
            return p
        return A.Pos(line, p.column + col, line, p.end_column + col)

    def walk(value: Any) -> Any:
        if isinstance(value, A.Expr):
            changes = {f.name: walk(getattr(value, f.name)) for f in dataclasses.fields(value)
                       if f.name not in ("pos", "src", "typ")}
            return dataclasses.replace(value, pos=fix(value.pos), **changes)
        if isinstance(value, tuple):
            return tuple(walk(v) for v in value)
        return value

    return walk(node)


def _describe(exc: Any) -> str:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    expected: set[str] = set(getattr(exc, "expected", None) or getattr(exc, "allowed", None)
                             or [])
    words = sorted({_EXPECTED_WORDS.get(e, _keyword(e)) for e in expected})
    want = ""
    if words:
        want = f"; expected {', '.join(words[:8])}" + (" ..." if len(words) > 8 else "")
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        if tok.type == "$END":
            return "unexpected end of file" + want
        return f"unexpected {tok.value!r}" + want
    if isinstance(exc, UnexpectedCharacters):
        return f"unexpected character {exc.char!r}" + want
    if isinstance(exc, UnexpectedEOF):
        return "unexpected end of file" + want
    return str(exc)


def _keyword(terminal: str) -> str:
    """'REQUIRE' -> \"'require'\" for anonymous keyword terminals."""
    plain = terminal.replace("_", "")
    return f"'{terminal.lower()}'" if plain.isupper() and plain.isalpha() else terminal


_HINTS = [
    (re.compile(r"=="), "use '=' for equality"),
    (re.compile(r"&&|\|\|"), "use 'and' / 'or'"),
    (re.compile(r"^!\w"), "use 'not'"),
]


def parse_ruleset(text: str, path: str = "<ruleset>") -> A.Ruleset:
    """Parse a ruleset file's text into an (unchecked) AST. Raises `RulesetError`."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput

    try:
        tree = _lark().parse(text, start="start")
    except UnexpectedInput as exc:
        line, col = getattr(exc, "line", None), getattr(exc, "column", None)
        if line is not None and line < 0:
            line = col = None
        hint = None
        if isinstance(exc, UnexpectedCharacters) and exc.char == '"':
            hint = "is a string left unterminated on this line?"
        at = exc.pos_in_stream or 0
        near = text[max(0, at - 1):at + 2]
        for pattern, h in _HINTS:
            if pattern.search(near):
                hint = h
        raise RulesetError(_describe(exc), path, line, col, source=text, hint=hint) from None
    problem = _over_limits(tree)
    if problem is not None:
        message, (line, col) = problem
        raise RulesetError(message, path, line, col, source=text)
    return _build(tree, text, path)


def _over_limits(tree: Any, depth: int = 0) -> tuple[str, tuple[int, int]] | None:
    """The first bound the parse tree breaks (what, line and column), walked without recursion.

    `depth` is where the tree starts (an expression inside a message sits a few levels down).
    """
    from lark import Token, Tree

    stack: list[tuple[Any, int, int, tuple[int, int]]] = [(tree, depth, 0, (1, 1))]
    nodes = 0
    while stack:
        node, level, loops, near = stack.pop()
        nodes += 1
        if isinstance(node, Token):
            where = (node.line or near[0], node.column or near[1])
            if node.type == "NUMBER" and len(node) > MAX_NUMBER:
                return (f"number literal of {len(node):,} characters; the limit is "
                        f"{MAX_NUMBER}", where)
            if node.type == "STRING" and len(node) - 2 > MAX_STRING:
                return (f"quoted text of {len(node) - 2:,} characters; the limit is "
                        f"{MAX_STRING:,}", where)
            continue
        if not isinstance(node, Tree):
            continue
        meta = node.meta
        if not getattr(meta, "empty", True):
            near = (meta.line, meta.column)
        if level > MAX_DEPTH:
            return (f"expression nested too deeply (more than {MAX_DEPTH} levels); split it "
                    "into definitions", near)
        if nodes > MAX_NODES:
            return f"ruleset too large (more than {MAX_NODES:,} syntax nodes)", near
        if node.data in ("quantifier", "filter"):
            loops += 1
            if loops > MAX_LOOPS:
                return (f"more than {MAX_LOOPS} iterations (every, some, [filters]) nested in "
                        "one another; the work would grow as the lists' length to that power",
                        near)
        stack.extend((child, level + 1, loops, near) for child in node.children)
    return None


def _build(tree: Any, text: str, path: str) -> A.Ruleset:
    b = _Builder(text, path)
    header, *items = tree.children
    rid_tree, title_tok, *clauses = header.children
    ruleset_id = str(rid_tree.children[0])
    version = "0"
    description = None
    sources: dict[str, A.Source] = {}
    for cl in clauses:
        kind = cl.data
        if kind == "version":
            version = _unquote(str(cl.children[0]))
        elif kind == "description":
            description = _unquote(str(cl.children[0]))
        elif kind == "source":
            name = str(cl.children[0])
            url = _unquote(str(cl.children[2].children[0])) if len(cl.children) > 2 else None
            if name in sources:
                raise b.error(f"source '{name}' is defined twice", _tok_pos(cl.children[0]))
            sources[name] = A.Source(name, _unquote(str(cl.children[1])), url)
    definitions: list[A.Definition] = []
    rules: list[A.Rule] = []
    for item in items:
        if item.data == "definition":
            name_tok, expr = item.children
            definitions.append(A.Definition(str(name_tok), b.expr(expr), _tok_pos(name_tok)))
        else:
            rules.append(_rule(b, item, ruleset_id))
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return A.Ruleset(id=ruleset_id, title=_unquote(str(title_tok)), version=version,
                     sources=sources, definitions=tuple(definitions), rules=tuple(rules),
                     description=description, path=path, sha256=sha, text=text)


_SINGLE = {"strength", "evidence", "in_force_from", "in_force_until", "policy_target", "topic",
           "when", "require", "message", "note", "unverified", "fix"}


def _rule(b: _Builder, tree: Any, ruleset_id: str) -> A.Rule:
    id_tok, title_tok, *clauses = tree.children
    seen: dict[str, Any] = {}
    cites: list[A.Cite] = []
    see: list[str] = []
    values: dict[str, Any] = {}
    for cl in clauses:
        kind = cl.data
        first = cl.children[0] if cl.children else None
        if kind in _SINGLE:
            if kind in seen:
                word = {"in_force_from": "from", "in_force_until": "until",
                        "policy_target": "target"}.get(kind, kind)
                raise b.error(f"rule {id_tok} has more than one '{word}' clause",
                              _pos(cl.meta) if not cl.meta.empty else _tok_pos(first))
            seen[kind] = cl
        if kind == "cite":
            cites.append(A.Cite(str(cl.children[0]), _unquote(str(cl.children[1]))))
        elif kind == "strength":
            word = str(first)
            if word not in STRENGTHS:
                from ..errors import did_you_mean

                raise b.error(f"strength '{word}' is not one of {', '.join(STRENGTHS)}"
                              f"{did_you_mean(word, STRENGTHS)}", _tok_pos(first))
            values["strength"] = word
        elif kind == "evidence":
            word = str(first)
            if word not in EVIDENCE:
                from ..errors import did_you_mean

                raise b.error(f"evidence '{word}' is not one of {', '.join(EVIDENCE)}"
                              f"{did_you_mean(word, EVIDENCE)}", _tok_pos(first))
            values["evidence"] = word
        elif kind in ("in_force_from", "in_force_until", "policy_target"):
            values[kind] = b.date(first)
        elif kind == "topic":
            values["topic"] = str(first)
        elif kind in ("when", "require"):
            values[kind] = b.expr(first)
        elif kind == "message":
            values["message"] = b.template(first)
        elif kind in ("note", "unverified", "fix"):
            values[kind] = _unquote(str(first))
        elif kind == "see":
            see.extend(str(t) for t in cl.children)
    pos = _tok_pos(id_tok)
    if "require" not in values:
        raise b.error(f"rule {id_tok} has no 'require' clause (the condition it checks)", pos)
    if "strength" not in values:
        raise b.error(f"rule {id_tok} has no 'strength' clause "
                      f"({', '.join(STRENGTHS)})", pos)
    if "evidence" not in values:
        raise b.error(f"rule {id_tok} has no 'evidence' clause ({', '.join(EVIDENCE)}): "
                      f"say which document shows the requirement is met", pos)
    if not cites:
        raise b.error(f"rule {id_tok} has no 'cite' clause: every rule cites its source", pos)
    return A.Rule(
        id=str(id_tok), title=_unquote(str(title_tok)), cites=tuple(cites),
        strength=values["strength"], in_force_from=values.get("in_force_from"),
        in_force_until=values.get("in_force_until"), require=values["require"],
        when=values.get("when"), message=values.get("message"), note=values.get("note"),
        unverified=values.get("unverified"), fix=values.get("fix"),
        target=values.get("policy_target"), topic=values.get("topic"), see=tuple(see),
        pos=pos, ruleset=ruleset_id, evidence=values["evidence"])

"""Markdown reader: headings from `#` (or underlines), clause numbers from the text.

A small block parser of its own (no dependency): ATX and setext headings, paragraphs, ordered
and bullet lists (an ordered list is numbered as CommonMark renders it: from its first number
up), pipe tables, block quotes; a fence of plain text (no language, or `text`) is read as
if unfenced, while fenced code and front matter are skipped. Inline markup (emphasis, links,
images, code, HTML tags) is reduced to its text.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .clauses import Clause, Document
from .numbers import ClauseBuilder, Label, leading_label
from .safety import MAX_TEXT_BYTES, check_file

_ATX = re.compile(r" {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)\s*$")
_ITEM = re.compile(r"( *)([-*+]|\d{1,9}[.)])\s+(.*)$")
_FENCE = re.compile(r" {0,3}(```+|~~~+)")
_TABLE_SEP = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HR = re.compile(r" {0,3}([-*_])(\s*\1){2,}\s*$")
# Info strings of a fence that holds text rather than code (text pasted from a web page or a
# PDF is often fenced so): read as if unfenced. Any other fence is code and skipped.
_PROSE = {"", "text", "txt", "plain", "plaintext", "none", "quote"}


def inline(text: str) -> str:
    """Markdown inline markup reduced to plain text."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\[[^\]]*\]", r"\1", text)
    text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text)
    text = re.sub(r"</?[A-Za-z][^>]*>", " ", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\w)", r"\1", text)
    text = re.sub(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?!\w)", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|>~])", r"\1", text)
    return " ".join(text.split())


def read_markdown(path: Path, display: str) -> Document:
    """Read a Markdown file into clauses."""
    check_file(path, display, MAX_TEXT_BYTES)
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise InputError("not a Markdown file (binary data)", display)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", display) from None
    return Document(path=display, kind="markdown", clauses=_Parser().parse(text))


class _Parser(ClauseBuilder):
    def __init__(self) -> None:
        super().__init__()
        self.lists: list[tuple[int, int]] = []  # (indent, last number) of open ordered lists

    def emit(self, text: str, label: Label | None = None, heading: int | None = None,
             cells: tuple[str, ...] = ()) -> None:
        text = inline(text) if not cells else text
        if not text:
            return
        self.add(text, label, heading, cells)

    def parse(self, text: str) -> list[Clause]:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        i = 0
        if lines and lines[0].strip() == "---":  # front matter
            for j in range(1, len(lines)):
                if lines[j].strip() in ("---", "..."):
                    i = j + 1
                    break
        para: list[str] = []
        pending: tuple[Label | None, int] | None = None  # the open list item's label
        fence: str | None = None
        prose = False  # the open fence holds plain text, not code

        def flush() -> None:
            nonlocal para, pending
            if para:
                self.emit(" ".join(para), pending[0] if pending else None)
            para, pending = [], None

        while i < len(lines):
            line = lines[i]
            i += 1
            if fence is not None:
                if line.strip().startswith(fence):
                    flush()
                    fence = None
                    continue
                if not prose:
                    continue
                # plain text in a fence: read as the document's own text
            m = _FENCE.match(line) if fence is None else None
            if m:
                flush()
                fence = m.group(1)
                prose = line.strip()[len(fence):].strip().lower() in _PROSE
                continue
            stripped = line.strip()
            while stripped.startswith(">"):
                stripped = stripped[1:].strip()
            if not stripped:
                flush()
                continue
            if _HR.match(line) and not para:
                continue
            m = _ATX.match(line)
            if m:
                flush()
                self.lists.clear()
                self.emit(m.group(2) or "", heading=len(m.group(1)))
                continue
            if para and pending is None and _SETEXT.match(line):
                level = 1 if line.strip().startswith("=") else 2
                head, para = " ".join(para), []
                self.emit(head, heading=level)
                continue
            if stripped.startswith("|"):
                flush()
                if _TABLE_SEP.match(stripped):
                    continue
                cells = tuple(inline(c) for c in stripped.strip("|").split("|"))
                if any(cells):
                    self.emit(" | ".join(cells), cells=cells)
                continue
            m = _ITEM.match(line)
            if m and not _HR.match(line):
                flush()
                indent, marker, rest = len(m.group(1)), m.group(2), m.group(3)
                while self.lists and self.lists[-1][0] > indent:
                    self.lists.pop()
                label: Label | None = None
                if marker[0].isdigit():
                    if self.lists and self.lists[-1][0] == indent:
                        n = self.lists[-1][1] + 1
                        self.lists[-1] = (indent, n)
                    else:
                        n = int(marker[:-1])
                        self.lists.append((indent, n))
                    nested = len(self.lists) > 1
                    if not nested and self.outline.dotted is None:
                        label = Label(str(n), "dotted", str(n), 0)
                    else:  # a list inside an item is that item's sub-list: 2.1.5(1)(2)
                        label = Label(f"({n})", "roman" if nested else "item", str(n), 0)
                para, pending = [rest], (label, indent)
                continue
            if not para:
                # A paragraph that starts at or left of a list's marker ends that list.
                indent = len(line) - len(line.lstrip())
                while self.lists and self.lists[-1][0] >= indent:
                    self.lists.pop()
            found = leading_label(inline(stripped)) if para else None
            if found is not None and (found.kind != "dotted" or "." in found.value):
                flush()  # a line that starts with a clause number starts a clause
            para.append(stripped)
        flush()
        return self.clauses

"""Clause numbers: read them from the start of a line of text, and place them in the outline.

Shared by the readers whose numbers are literal text (PDF, HTML, Markdown) and by the Word
reader for the labels its numbering resolver prints. A sub-item label such as "(a)" or "ii)"
is cited with its parent, so the clause number of "(a)" under 4.3 is "4.3(a)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clauses import Clause

# "3", "3.", "3.2", "3.2.1.", "A1.2" (annex numbering): a dotted number followed by a space.
_DOTTED = re.compile(r"(?:[A-Z](?=\d))?\d{1,3}(?:\.\d{1,3}){0,5}\.?(?=\s|$)")
# "(a)", "a)", "(iv)", "iv)", "(A)"; "a." only for a single letter (so "i.e." is not one).
_ITEM = re.compile(r"\(([a-z]{1,2}|[ivxlc]{1,6}|[A-Z]|\d{1,2})\)(?=\s|$)|([a-z]{1,2}|[ivxlc]{1,6}|"
                   r"\d{1,2})\)(?=\s|$)|([a-z])\.(?=\s)")
_ROMAN = re.compile(r"[ivxlc]+")
_PREFIX = re.compile(r"(?:clause|section|article|paragraph|part)\s+", re.I)


@dataclass(frozen=True)
class Label:
    """A clause label read from text: its printed form and what kind of counter it is."""

    printed: str  # as in the text: "3.2.1", "(a)", "iv)"
    kind: str  # "dotted", "letter", "roman" or "item" (a bracketed digit)
    value: str  # "3.2.1", "a", "iv", "2"
    length: int  # characters taken from the text, including the space after


def leading_label(text: str) -> Label | None:
    """The clause label at the start of `text`, if it has one."""
    m = _DOTTED.match(text)
    if m:
        printed = m.group(0)
        value = printed.rstrip(".")
        if re.fullmatch(r"\d{4}", value):  # a year ("2022 onwards"), not a clause
            return None
        rest = text[m.end():]
        return Label(printed, "dotted", value, m.end() + len(rest) - len(rest.lstrip()))
    m = _ITEM.match(text)
    if m:
        value = m.group(1) or m.group(2) or m.group(3)
        kind = "item" if value.isdigit() else "letter"
        if _ROMAN.fullmatch(value) and value not in ("c", "l"):
            kind = "roman"  # resolved against the previous sibling by `Outline`
        rest = text[m.end():]
        return Label(m.group(0), kind, value, m.end() + len(rest) - len(rest.lstrip()))
    return None


class Outline:
    """Tracks the numbered clauses seen so far, to give each new one its level and citation."""

    def __init__(self) -> None:
        self.dotted: str | None = None  # the last dotted number, e.g. "4.3"
        self.dotted_level = 0
        self.letter: str | None = None  # the last letter item under it
        self.roman: str | None = None
        self.heading_level = 0  # level of the last heading, for unnumbered text under it

    def place(self, label: Label) -> tuple[str, int]:
        """Clause number and level for a label met next in the document."""
        if label.kind == "dotted":
            self.dotted = label.value
            self.dotted_level = label.value.count(".") + 1
            self.letter = self.roman = None
            return label.value, self.dotted_level
        kind = label.kind
        if kind == "roman" and label.value.isalpha() and self.letter is not None and \
                self.roman is None and \
                len(label.value) == 1 and ord(label.value) == ord(self.letter) + 1:
            kind = "letter"  # "(i)" after "(h)" is the ninth letter, not roman one
        if kind == "roman" and label.value.isalpha() and self.letter is None and \
                self.roman is None and label.value not in ("i",):
            kind = "letter"  # "(v)" with no "(i)" before it is a letter
        base = self.dotted or ""
        if kind in ("letter", "item"):
            self.letter, self.roman = label.value, None
            return f"{base}({label.value})", self.dotted_level + 1
        self.roman = label.value
        parent = f"{base}({self.letter})" if self.letter else base
        return f"{parent}({label.value})", self.dotted_level + (2 if self.letter else 1)

    def heading(self, label: Label | None, level: int) -> tuple[str | None, int]:
        """Number and level of a heading (a numbered heading also starts the outline there)."""
        if label is not None and label.kind == "dotted":
            number, lvl = self.place(label)
            self.heading_level = lvl
            return number, lvl
        self.heading_level = level
        return (label.printed if label else None), level

    def body_level(self) -> int:
        """Level of unnumbered text: one below the clause or heading it follows."""
        return max(self.dotted_level, self.heading_level) + 1 if (
            self.dotted_level or self.heading_level) else 1


class ClauseBuilder:
    """The clause list that a text-based reader (HTML, Markdown) builds as it meets each
    paragraph: clause numbers from the outline, headings as the section path."""

    def __init__(self) -> None:
        self.outline = Outline()
        self.clauses: list[Clause] = []
        self.section: list[tuple[int, str]] = []
        self.index = 0

    def add(self, text: str, label: Label | None, heading: int | None,
            cells: tuple[str, ...]) -> None:
        """One paragraph, already normalised: a heading (its markup level), or a provision
        numbered by its `label` or by a label at the start of its text."""
        self.index += 1
        found = leading_label(text) if not cells else None
        number: str | None = None
        if heading is not None:
            if found is not None:
                text = text[found.length:]
            number, level = self.outline.heading(found, heading)
            if found is not None and found.kind == "dotted":
                level = found.value.count(".") + 1
            while self.section and self.section[-1][0] >= level:
                self.section.pop()
            self.clauses.append(Clause(number, text, level, True,
                                       tuple(t for _, t in self.section), paragraph=self.index))
            self.section.append((level, text))
            return
        if found is not None:
            text, label = text[found.length:], found
        if label is not None:
            number, level = self.outline.place(label)
        else:
            level = self.outline.body_level()
        self.clauses.append(Clause(number, text, level, False, tuple(t for _, t in self.section),
                                   paragraph=self.index, cells=cells))

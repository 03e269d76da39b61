"""The one shape every document reader produces: the clauses of a constitution, in order.

Readers (Word, PDF, HTML, Markdown) turn a document into a `Document`; the fact finder reads
only `Document`s, so it never asks which kind of file a clause came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Clause:
    """One numbered (or unnumbered) provision or heading of a constitution document."""

    number: str | None  # resolved clause number as printed, without a trailing dot: "3.2.1", "4(a)"
    text: str  # the clause's own text, whitespace folded, the number removed
    level: int  # depth in the outline: 1 for a top-level section
    heading: bool = False  # a heading (section title) rather than a body provision
    section: tuple[str, ...] = ()  # titles of the headings above it, outermost first
    page: int | None = None  # 1-based page (PDF), when known
    paragraph: int | None = None  # 1-based paragraph index in the source (Word, HTML, Markdown)
    changed: bool = False  # the clause carries a tracked change (Word)
    cells: tuple[str, ...] = ()  # a table row: the text of each cell (`text` joins them)


@dataclass(slots=True)
class Document:
    """A constitution document read into clauses, with what the reader noticed on the way."""

    path: str
    kind: str  # "docx", "pdf", "html" or "markdown"
    clauses: list[Clause]
    warnings: list[str] = field(default_factory=list)
    pages: int | None = None

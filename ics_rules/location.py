"""Where a finding points: a position in a constitution file, or a clause of a document.

One type for both, so the engine and every reporter handle a location without asking which
kind of input it came from. A fact read from a document carries its `Source` (clause, page or
paragraph, a short quote, the confidence of the reading); a facts file written by
`ics-rules extract` keeps those sources in its `provenance:` map, so findings on that file cite
both its line and the document's clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

LOW_CONFIDENCE = 0.8  # a fact read with less confidence than this is flagged in findings
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def printable(text: str, limit: int = 300) -> str:
    """Untrusted document text made safe to show on one line: controls and bidi marks removed."""
    text = " ".join(_UNPRINTABLE.sub(" ", text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Source:
    """Where in a document one fact was read."""

    clause: str | None = None
    page: int | None = None
    paragraph: int | None = None
    quote: str | None = None
    confidence: float | None = None
    method: str | None = None


@dataclass(frozen=True)
class Location:
    """Where a finding points: file line and column, or document clause and page, or both."""

    path: str
    line: int | None = None
    column: int | None = None
    fact: str | None = None  # the fact's dotted path, list items by id (`committees[audit].chair`)
    not_stated: bool = False  # the fact is absent: the position is where it should go (its parent)
    clause: str | None = None  # document clause the fact was read from ("4.3.2")
    page: int | None = None  # 1-based page (PDF)
    paragraph: int | None = None  # 1-based paragraph (Word, HTML, Markdown)
    quote: str | None = None  # the words of the clause the fact was read from
    confidence: float | None = None  # how sure the reading was (0..1)
    document: str | None = None  # the document read, when `path` is a facts file made from it

    @property
    def in_document(self) -> bool:
        """Whether the location names a place in a document."""
        return self.clause is not None or self.page is not None or self.paragraph is not None

    @property
    def low_confidence(self) -> bool:
        """The fact behind the finding was read with low confidence."""
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE

    def place(self) -> str:
        """`clause 4.3.2 (p. 14)`, `clause 4.3.2 (para. 52)`, `paragraph 52`, or ''."""
        notes = []
        if self.page is not None:
            notes.append(f"p. {self.page}")
        elif self.paragraph is not None and self.clause is not None:
            notes.append(f"para. {self.paragraph}")
        if self.low_confidence:
            notes.append(f"low confidence {self.confidence:.2f}")
        if self.clause is not None:
            head = f"clause {self.clause}"
        elif self.page is not None:
            head, notes = f"page {self.page}", notes[1:]
        elif self.paragraph is not None:
            head = f"paragraph {self.paragraph}"
        else:
            return ""
        return head + (f" ({', '.join(notes)})" if notes else "")

    def label(self) -> str:
        """The finding's prefix: `file:line:col`, or `document: clause 4.3.2 (p. 14)`."""
        if self.line is not None:
            return f"{self.path}:{self.line}:{self.column or 1}"
        if self.in_document and self.document is None:
            return f"{self.path}: {self.place()}"
        return self.path

    def source_text(self) -> str | None:
        """For a facts file made from a document: `constitution.docx clause 4.3.2 (p. 14)`."""
        if self.document is None or not self.in_document:
            return None
        return f"{self.document} {self.place()}"

    def as_dict(self) -> dict[str, Any]:
        """The location's document fields that are known (for JSON and SARIF)."""
        out: dict[str, Any] = {}
        for key in ("clause", "page", "paragraph", "quote", "confidence", "document"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.low_confidence:
            out["low_confidence"] = True
        return out

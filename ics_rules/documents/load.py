"""A constitution document to the same `LoadedConstitution` the YAML loader produces.

Reads the document (`read`), finds the facts with their clauses (`facts.find_facts`, the fact
finder), turns them into `ics-constitution/1` data, validates that data exactly as a file would
be, and keeps each fact's source so findings cite the document's clause, page and words.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..loader import LoadedConstitution, PathKey, SchemaError, validate
from ..location import Source, printable
from .clauses import Document
from .read import read_document
from .safety import EXTRA_HINT

_EXTRA = ("lxml", "pypdfium2", "rapidfuzz")


@dataclass
class Extracted:
    """A document read and its facts found: what `extract` writes and `check` evaluates."""

    document: Document
    extraction: Any  # facts.Extraction: facts, not_found, warnings
    data: dict[str, Any]  # the facts as ics-constitution/1 data
    sha256: str
    changes: str


def _fact_finder(display: str) -> Any:
    """The fact finder module (its heavy imports named as the missing extra)."""
    try:
        from . import facts
    except ModuleNotFoundError as exc:
        if exc.name == "ics_rules.documents.facts":
            raise InputError("this build of ics-rules reads documents but has no fact finder "
                             "to extract facts from them", display) from None
        raise _missing(exc, display) from None
    return facts


def _missing(exc: ModuleNotFoundError, display: str) -> Exception:
    """A missing package of the documents extra as a message naming the extra."""
    if exc.name and exc.name.split(".")[0] in _EXTRA:
        return InputError(f"reading documents needs the '{exc.name.split('.')[0]}' package, "
                          "which is not installed", display, hint=EXTRA_HINT)
    return exc


def extract_document(path: str | Path, display: str | None = None,
                     changes: str = "accepted") -> Extracted:
    """Read a document and find its facts (with provenance). Raises `InputError`."""
    shown = display if display is not None else str(path)
    doc = read_document(path, shown, changes)
    facts = _fact_finder(shown)
    try:
        extraction = facts.find_facts(doc)
    except ModuleNotFoundError as exc:  # the fact finder imports rapidfuzz when it runs
        raise _missing(exc, shown) from None
    for warning in doc.warnings:
        if warning not in extraction.warnings:
            extraction.warnings.insert(0, warning)
    data = facts.to_constitution_data(extraction)
    sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return Extracted(doc, extraction, data, sha, changes)


def sources(extraction: Any) -> dict[PathKey, Source]:
    """Each fact's path to where it was read (quotes made safe to display)."""
    out: dict[PathKey, Source] = {}
    for f in extraction.facts:
        out[tuple(f.path)] = Source(clause=f.clause, page=f.page, paragraph=f.paragraph,
                                    quote=printable(f.quote) if f.quote else None,
                                    confidence=f.confidence, method=f.method)
    return out


def load_document(path: str | Path, display: str | None = None,
                  changes: str = "accepted") -> LoadedConstitution:
    """Extract a document's facts and validate them like a constitution file."""
    shown = display if display is not None else str(path)
    ex = extract_document(path, shown, changes)
    return loaded(ex, shown)


def loaded(ex: Extracted, shown: str) -> LoadedConstitution:
    """The `LoadedConstitution` of an extraction (validated as a file would be)."""
    if not (ex.data.get("icb") or {}).get("name"):
        raise InputError("no integrated care board name found in the document, which every "
                         "constitution states; is this an ICB constitution?", shown,
                         hint="run `ics-rules extract` on it to see what was read")
    try:
        facts = validate(ex.data, {}, shown, "")
    except SchemaError as exc:
        problems = "; ".join(e.message for e in exc.errors[:5])
        raise InputError(f"the facts read from the document do not form a valid "
                         f"constitution: {problems}", shown,
                         hint="run `ics-rules extract` on it to see what was read") from None
    except InputError as exc:
        raise InputError(f"the facts read from the document do not form a valid "
                         f"constitution: {exc.message}", shown) from None
    notes = list(ex.extraction.warnings)
    return LoadedConstitution(data=facts, path=shown, sha256=ex.sha256, positions={},
                              text="", provenance=sources(ex.extraction), document=shown,
                              notes=notes)

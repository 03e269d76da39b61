"""Read constitution documents (Word, PDF, HTML, Markdown) into clauses, then facts with provenance.

Flow: a reader (`docx`, `pdf`, `html`, `markdown`) turns a file into a `clauses.Document`;
the fact finder (`facts`) lines the clauses up with the model constitution and states each
fact with its clause, page and quote; `load` turns those facts into the same
`LoadedConstitution` the YAML loader produces, so the engine never asks where facts came from.

This package's heavy dependencies (lxml, pypdfium2, rapidfuzz) are the `documents` extra and
are imported only when a document is read; importing this module costs nothing.
"""

from __future__ import annotations

DOCUMENT_KINDS = {".docx": "docx", ".docm": "docx", ".pdf": "pdf", ".html": "html",
                  ".htm": "html", ".xhtml": "html", ".md": "markdown", ".markdown": "markdown"}
# Formats people try that we refuse with a clear message rather than reading as text.
UNSUPPORTED = {".doc": "Word 97-2003 (.doc) files cannot be read; save it as .docx",
               ".odt": "OpenDocument (.odt) files cannot be read; save it as .docx or PDF",
               ".rtf": "RTF files cannot be read; save it as .docx or PDF"}


def document_kind(path: str) -> str | None:
    """`docx`, `pdf`, `html` or `markdown` for a document file name, else None."""
    lower = path.lower()
    for suffix in (*DOCUMENT_KINDS, *UNSUPPORTED):
        if lower.endswith(suffix):
            return DOCUMENT_KINDS.get(suffix, "unsupported")
    return None

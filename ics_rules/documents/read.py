"""One front door for the readers: a document file in, a `Document` of clauses out."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from . import UNSUPPORTED, document_kind
from .clauses import Document

CHANGES = ("accepted", "original")


def read_document(path: str | Path, display: str | None = None,
                  changes: str = "accepted") -> Document:
    """Read a .docx, .pdf, .html/.htm or .md file into clauses. Raises `InputError`.

    `changes` chooses the view of a Word document's tracked changes: "accepted" (as if all
    were accepted) or "original" (as before them); other formats have none.
    """
    p = Path(path)
    shown = display if display is not None else str(path)
    kind = document_kind(shown)
    if changes not in CHANGES:
        raise InputError(f"--changes must be one of {', '.join(CHANGES)}", shown)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(p, shown, changes)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(p, shown)
    if kind == "html":
        from .html import read_html

        return read_html(p, shown)
    if kind == "markdown":
        from .markdown import read_markdown

        return read_markdown(p, shown)
    suffix = next((s for s in UNSUPPORTED if shown.lower().endswith(s)), None)
    if suffix is not None:
        raise InputError(UNSUPPORTED[suffix], shown)
    raise InputError("not a document this tool reads (.docx, .pdf, .html, .htm, .md)", shown)

"""Reporters: one module per output format, imported only when that format is asked for.

Every reporter takes the evaluation results and returns the whole document (text or bytes).
The same inputs give byte-identical output (no clocks, no dict-order surprises).

`check` streams: each check format has a `stream(run, ...)` that takes one result at a time
from a `Run` and yields text as it goes, so memory stays flat however many files are checked
(parts that must come first, such as totals, are held in a temporary file until known).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Run:
    """A check run as a reporter sees it: results one at a time, never all held; `errors`
    (inputs that could not be read: path, line, column, message) and `skipped` (files in a
    folder that are not constitution files) are complete once `results` is used up."""

    results: Iterable[Any]
    errors: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def load_error(exc: Any, path: str) -> dict[str, Any]:
    """An input error as the JSON `errors` entry of the contract."""
    return {"path": exc.path or path, "line": exc.line, "column": exc.column,
            "message": exc.message}


class Spool:
    """Text held in a temporary file (in memory while small) and replayed later in order:
    for the parts of a streamed document that follow a header not yet known."""

    def __init__(self) -> None:
        import tempfile  # only for streamed batches: a one-file check never needs it

        self.file = tempfile.SpooledTemporaryFile(  # noqa: SIM115 (closed by replay)
            max_size=1 << 20, mode="w+", encoding="utf-8", newline="")

    def write(self, text: str) -> None:
        self.file.write(text)

    def replay(self) -> Iterator[str]:
        """Everything written, in pieces, then the file is closed."""
        try:
            self.file.seek(0)
            while chunk := self.file.read(1 << 16):
                yield chunk
        finally:
            self.file.close()


def joined(stream: Callable[..., Iterator[str]], results: Iterable[Any], *args: Any,
           **kwargs: Any) -> str:
    """The whole document a streaming reporter writes for these results."""
    return "".join(stream(Run(results), *args, **kwargs))

# format name -> (module, function); modules are imported lazily
CHECK_FORMATS: dict[str, tuple[str, str]] = {
    "text": ("text", "render"),
    "json": ("json_report", "render"),
    "sarif": ("sarif", "render"),
    "junit": ("junit", "render"),
    "markdown": ("markdown", "render_check"),
    "html": ("html", "render_check"),
}
REPORT_FORMATS: dict[str, tuple[str, str]] = {
    "json": ("json_report", "render"),
    "markdown": ("markdown", "render_report"),
    "html": ("html", "render_report"),
    "pdf": ("pdf", "render"),
}
# `diff`: the same formats, rendered from a `diff.Diff`
DIFF_FORMATS: dict[str, tuple[str, str]] = {
    "text": ("diff_text", "render"),
    "json": ("diff_json", "render"),
    "markdown": ("variation", "render_markdown"),
    "html": ("variation", "render_html"),
    "pdf": ("variation", "render_pdf"),
}
EXTENSIONS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".html": "html",
              ".htm": "html", ".pdf": "pdf", ".sarif": "sarif", ".xml": "junit", ".txt": "text"}


# check format -> (module, function) of its streaming form
CHECK_STREAMS: dict[str, tuple[str, str]] = {
    "text": ("text", "stream"),
    "json": ("json_report", "stream"),
    "sarif": ("sarif", "stream"),
    "junit": ("junit", "stream"),
    "markdown": ("markdown", "stream_check"),
    "html": ("html", "stream_check"),
}


def reporter(name: str, table: dict[str, tuple[str, str]] | None = None) -> Callable[..., Any]:
    """The render function for a format."""
    module, func = (table or CHECK_FORMATS)[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), func)

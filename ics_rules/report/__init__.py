"""Reporters: one module per output format, imported only when that format is asked for.

Every reporter takes the evaluation results and returns the whole document (text or bytes).
The same inputs give byte-identical output (no clocks, no dict-order surprises).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

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


def reporter(name: str, table: dict[str, tuple[str, str]] | None = None) -> Callable[..., Any]:
    """The render function for a format."""
    module, func = (table or CHECK_FORMATS)[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), func)

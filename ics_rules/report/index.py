"""The index of a folder of reports (`report DIR -o OUTDIR`): one line per constitution with
its status and counts, linking to its report. HTML for PDF and HTML reports, else the same
format as the reports."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..version import __version__
from .assurance import display_path, status_of

SUFFIX = {"pdf": ".pdf", "html": ".html", "markdown": ".md", "json": ".json"}
INDEX = {"pdf": "index.html", "html": "index.html", "markdown": "index.md",
         "json": "index.json"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def report_names(files: list[str], root: str, fmt: str) -> dict[str, str]:
    """A distinct, portable report file name for each constitution file (stable order)."""
    suffix = SUFFIX[fmt]
    names: dict[str, str] = {}
    taken: set[str] = {INDEX[fmt]}
    for f in sorted(files):
        try:
            rel = Path(f).resolve().relative_to(Path(root).resolve())
        except ValueError:
            rel = Path(Path(f).name)
        base = _UNSAFE.sub("_", "__".join(rel.with_suffix("").parts)) or "constitution"
        name = base + suffix
        if name in taken:
            name = _UNSAFE.sub("_", "__".join(rel.parts)) + suffix
        n = 2
        while name in taken:
            name = f"{base}-{n}{suffix}"
            n += 1
        taken.add(name)
        names[f] = name
    return names


def rows(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per constitution: path, ICB, status, counts, report file (or the error)."""
    out = []
    for e in entries:
        r = e["result"]
        row: dict[str, Any] = {"path": display_path(e["path"]), "report": e["report"],
                               "href": quote(e["report"]) if e["report"] else None,
                               "error": e["error"]}
        if r is not None:
            rag, label = status_of(r)
            fails = [f for f in r.findings if f.outcome == "fail"]
            row.update({"icb": r.icb, "rag": rag, "status": label, "summary": r.summary,
                        "sha256": r.sha256,
                        "errors": sum(1 for f in fails if f.severity == "error"),
                        "warnings": sum(1 for f in fails if f.severity == "warning")})
        else:
            row.update({"icb": None, "rag": "grey", "status": "Could not be read",
                        "summary": None, "sha256": None, "errors": 0, "warnings": 0})
        out.append(row)
    return out


def render_index(entries: list[dict[str, Any]], rulesets: Any, as_of: datetime.date,
                 fmt: str) -> tuple[str, str]:
    """(file name, text) of the index for reports written in `fmt`."""
    table = rows(entries)
    name = INDEX[fmt]
    if fmt == "json":
        doc = {"tool": {"name": "ics-rules", "version": __version__},
               "as_of": as_of.isoformat(),
               "rulesets": [{"id": rs.id, "version": rs.version, "sha256": rs.sha256}
                            for rs in rulesets],
               "reports": [{k: row[k] for k in ("path", "icb", "report", "status", "summary",
                                                "sha256", "error")} for row in table]}
        return name, json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    context = {"rows": table, "rulesets": list(rulesets), "as_of": as_of.isoformat(),
               "tool_version": __version__}
    if fmt == "markdown":
        from .markdown import _tidy
        from .templating import md_env

        return name, _tidy(md_env().get_template("index.md.j2").render(**context))
    from .html import _css
    from .templating import html_env

    return name, str(html_env().get_template("index.html.j2").render(css=_css(), **context))

"""Markdown output: the assurance report (`report -o x.md`) and the `check --format markdown`
summary for pull-request comments and CI job summaries. Constitution text is escaped so it
can never become a link, an image or HTML."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from .html import check_stream, views


def render_report(results: list[Any], rulesets: Any, as_of: datetime.date, *,
                  constitution: Any = None, **_: Any) -> str:
    """The assurance report as Markdown."""
    from .templating import md_env

    reports = views(results, rulesets, as_of, constitution)
    text = md_env().get_template("assurance.md.j2").render(reports=reports)
    return _tidy(text)


def render_check(results: list[Any], rulesets: Any, as_of: datetime.date,
                 **options: Any) -> str:
    """`check --format markdown`: a summary table and the findings of every constitution."""
    from . import joined

    return joined(stream_check, results, rulesets, as_of, **options)


def stream_check(run: Any, rulesets: Any, as_of: datetime.date, *, verbose: bool = False,
                 quiet: bool = False, **_: Any) -> Iterator[str]:
    """`check --format markdown`, streamed (sections spooled until the table is known)."""
    from .templating import md_env

    macros = md_env().get_template("check.md.j2").module
    yield from check_stream(run, rulesets, as_of, verbose, quiet, macros,
                            lambda rows, totals: _tidy(str(macros.head(
                                rows, totals, list(rulesets), as_of.isoformat(), run.errors,
                                run.skipped))),
                            lambda: macros.failed(run.errors), tidy=_piece)


def _piece(text: Any) -> str:
    """One streamed piece of Markdown after the head: tidied, after a blank line."""
    body = _tidy(str(text))
    return "\n" + body if body.strip() else ""


def _tidy(text: str) -> str:
    """No runs of blank lines, no trailing spaces, one final newline."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"

"""Markdown output: the assurance report (`report -o x.md`) and the `check --format markdown`
summary for pull-request comments and CI job summaries. Constitution text is escaped so it
can never become a link, an image or HTML."""

from __future__ import annotations

import datetime
from typing import Any

from .html import check_context, views


def render_report(results: list[Any], rulesets: Any, as_of: datetime.date, *,
                  constitution: Any = None, **_: Any) -> str:
    """The assurance report as Markdown."""
    from .templating import md_env

    reports = views(results, rulesets, as_of, constitution)
    text = md_env().get_template("assurance.md.j2").render(reports=reports)
    return _tidy(text)


def render_check(results: list[Any], rulesets: Any, as_of: datetime.date, *,
                 verbose: bool = False, quiet: bool = False, **_: Any) -> str:
    """`check --format markdown`: a summary table and the findings of every constitution."""
    from .templating import md_env

    context = check_context(results, rulesets, as_of, verbose, quiet)
    return _tidy(md_env().get_template("check.md.j2").render(**context))


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

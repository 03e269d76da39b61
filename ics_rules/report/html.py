"""HTML output: the assurance report as one self-contained page (`report -o x.html`), and the
`check --format html` summary of many constitutions. No scripts, fonts, images or links out."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from ..version import __version__
from .assurance import Report, build, display_path, source_date, status_of


def _css() -> Any:
    from markupsafe import Markup

    from .templating import template_text

    return Markup(template_text("assurance.css"))


def _loaded(constitution: Any, result: Any) -> Any:
    """The loaded constitution for `result`: one object, or a mapping path -> object."""
    if isinstance(constitution, dict):
        return constitution.get(result.constitution)
    if constitution is not None and getattr(constitution, "path", None) == result.constitution:
        return constitution
    return None


def views(results: list[Any], rulesets: Any, as_of: datetime.date,
          constitution: Any = None) -> list[Report]:
    """The report view of every result."""
    return [build(r, rulesets, as_of, _loaded(constitution, r)) for r in results]


def page(reports: list[Report], as_of: datetime.date, medium: str = "screen") -> str:
    """The assurance report page for one or more constitutions."""
    from .templating import html_env

    if len(reports) == 1:
        title = f"Constitution assurance report: {reports[0].icb}"
    else:
        title = f"Constitution assurance reports ({len(reports)} constitutions)"
    created = source_date(as_of).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(html_env().get_template("assurance.html.j2").render(
        reports=reports, css=_css(), title=title, created=created, medium=medium,
        as_of=as_of.isoformat(), tool_version=__version__))


def render_report(results: list[Any], rulesets: Any, as_of: datetime.date, *,
                  constitution: Any = None, **_: Any) -> str:
    """The assurance report as a self-contained HTML page."""
    return page(views(results, rulesets, as_of, constitution), as_of, "screen")


def check_row(r: Any, n: int) -> dict[str, Any]:
    """The summary row of one constitution (shared by the HTML and Markdown check outputs);
    small, and holding nothing of the result, so a stream can keep every row."""
    from ..evidence import describes_words, not_assessed_groups

    rag, label = status_of(r)
    fails = [f for f in r.findings if f.outcome == "fail"]
    return {"n": n, "path": display_path(r.constitution), "icb": r.icb, "sha256": r.sha256,
            "rag": rag, "status": label, "summary": r.summary, "notes": list(r.notes),
            "not_assessed": not_assessed_groups(r.findings),
            "describes": describes_words(r.describes, r.describes_source),
            "errors": sum(1 for f in fails if f.severity == "error"),
            "warnings": sum(1 for f in fails if f.severity == "warning"),
            "infos": sum(1 for f in fails if f.severity == "info")}


def shown_findings(result: Any, verbose: bool) -> list[Any]:
    """Failed and waived findings (every finding when verbose), in file order (by line)."""
    chosen = [f for f in result.findings if verbose or f.outcome in ("fail", "waived")]

    def line(f: Any) -> tuple[int, int]:
        loc = f.location
        return (0, 0) if loc is None or loc.line is None else (loc.line, loc.column or 0)

    return sorted(chosen, key=line)


def render_check(results: list[Any], rulesets: Any, as_of: datetime.date, **options: Any) -> str:
    """`check --format html`: every constitution checked, in one self-contained page."""
    from . import joined

    return joined(stream_check, results, rulesets, as_of, **options)


def stream_check(run: Any, rulesets: Any, as_of: datetime.date, *, verbose: bool = False,
                 quiet: bool = False, **_: Any) -> Iterator[str]:
    """`check --format html`, streamed: sections are held in a temporary file until the
    summary table that heads the page is complete."""
    from .templating import html_env

    macros = html_env().get_template("check.html.j2").module
    yield from check_stream(run, rulesets, as_of, verbose, quiet, macros,
                            lambda rows, totals: macros.head(
                                rows, totals, list(rulesets), as_of.isoformat(),
                                __version__, _css(), run.errors, run.skipped),
                            lambda: macros.tail(run.errors))


def check_stream(run: Any, rulesets: Any, as_of: datetime.date, verbose: bool, quiet: bool,
                 macros: Any, head: Any, tail: Any, tidy: Any = str) -> Iterator[str]:
    """What the HTML and Markdown `check` outputs share: a row per constitution, its
    section written to a spool as it is checked, then head, sections and tail."""
    from . import Spool

    fixes = {r.id: r.rule.fix for r in rulesets.rules() if r.rule.fix}
    rows: list[dict[str, Any]] = []
    spool = Spool()
    try:
        for r in run.results:
            row = check_row(r, len(rows) + 1)
            rows.append(row)
            if not quiet:
                spool.write(tidy(macros.section({"row": row, "fixes": fixes,
                                                 "findings": shown_findings(r, verbose)})))
    except BaseException:
        spool.file.close()
        raise
    yield str(head(rows, _totals(rows)))
    yield from spool.replay()
    yield tidy(tail())


def _totals(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {"errors": sum(r["errors"] for r in rows),
            "warnings": sum(r["warnings"] for r in rows),
            "infos": sum(r["infos"] for r in rows),
            "failing": sum(1 for r in rows if r["errors"] or r["warnings"] or r["infos"])}

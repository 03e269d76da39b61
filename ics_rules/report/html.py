"""HTML output: the assurance report as one self-contained page (`report -o x.html`), and the
`check --format html` summary of many constitutions. No scripts, fonts, images or links out."""

from __future__ import annotations

import datetime
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


def check_rows(results: list[Any]) -> list[dict[str, Any]]:
    """One summary row per constitution (shared by the HTML and Markdown check outputs)."""
    from ..evidence import describes_words, not_assessed_groups

    rows = []
    for r in results:
        rag, label = status_of(r)
        fails = [f for f in r.findings if f.outcome == "fail"]
        rows.append({"result": r, "path": display_path(r.constitution), "icb": r.icb,
                     "rag": rag, "status": label, "summary": r.summary,
                     "not_assessed": not_assessed_groups(r.findings),
                     "describes": describes_words(r.describes, r.describes_source),
                     "errors": sum(1 for f in fails if f.severity == "error"),
                     "warnings": sum(1 for f in fails if f.severity == "warning"),
                     "infos": sum(1 for f in fails if f.severity == "info")})
    return rows


def shown_findings(result: Any, verbose: bool) -> list[Any]:
    """Failed and waived findings (every finding when verbose), failures first."""
    from .assurance import OUTCOME_ORDER, SEVERITY_RANK

    chosen = [f for f in result.findings if verbose or f.outcome in ("fail", "waived")]
    return sorted(chosen, key=lambda f: (OUTCOME_ORDER.index(f.outcome),
                                          SEVERITY_RANK.get(f.severity, 9)
                                          if f.outcome == "fail" else 0))


def render_check(results: list[Any], rulesets: Any, as_of: datetime.date, *,
                 verbose: bool = False, quiet: bool = False, **_: Any) -> str:
    """`check --format html`: every constitution checked, in one self-contained page."""
    from .templating import html_env

    return str(html_env().get_template("check.html.j2").render(
        css=_css(), verbose=verbose, **check_context(results, rulesets, as_of, verbose, quiet)))


def check_context(results: list[Any], rulesets: Any, as_of: datetime.date, verbose: bool,
                  quiet: bool) -> dict[str, Any]:
    """What the HTML and Markdown `check` templates show: summary rows and findings."""
    rows = check_rows(results)
    sections = [] if quiet else [
        {"row": row, "findings": shown_findings(row["result"], verbose)} for row in rows]
    return {"rows": rows, "sections": sections, "rulesets": list(rulesets),
            "as_of": as_of.isoformat(), "tool_version": __version__, "totals": _totals(rows)}


def _totals(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {"errors": sum(r["errors"] for r in rows),
            "warnings": sum(r["warnings"] for r in rows),
            "infos": sum(r["infos"] for r in rows),
            "failing": sum(1 for r in rows if r["errors"] or r["warnings"] or r["infos"])}

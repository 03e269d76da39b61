"""The variation assurance report: what an amendment changes, as one view that the HTML,
PDF and Markdown diff templates render (the same stylesheet, escaping and PDF machinery
as the assurance report of `report`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from ..diff import RULE_KIND_LABELS, RULE_KINDS, Diff, FactChange
from ..dsl.explain import show
from ..version import __version__
from .assurance import Requirement, display_path, requirement, source_date, source_labels


@dataclass(frozen=True)
class Side:
    """One version compared: file, hash and the constitution's own version and dates."""

    path: str
    sha256: str
    icb: str
    version: str | None
    effective_from: str | None


@dataclass(frozen=True)
class FactRow:
    """One fact change as a table row."""

    kind: str
    path: str
    old: str
    new: str
    old_where: str
    new_where: str


@dataclass(frozen=True)
class Change:
    """One requirement change: the rule's view in each version."""

    kind: str
    old: Requirement
    new: Requirement


@dataclass(frozen=True)
class Section:
    """The requirement changes of one kind."""

    kind: str
    label: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Variation:
    """Everything the variation assurance report shows."""

    icb: str
    old: Side
    new: Side
    as_of: str
    tool_version: str
    rulesets: tuple[Any, ...]
    status: str
    status_label: str
    status_text: str
    counts: dict[str, int]
    fact_counts: dict[str, int]
    facts: tuple[FactRow, ...]
    sections: tuple[Section, ...]


def _side(result: Any, c: Any) -> Side:
    meta = ((c.data.get("icb") or {}).get("constitution") or {}) if c is not None else {}
    eff = meta.get("effective_from")
    return Side(display_path(result.constitution), result.sha256, result.icb,
                result.version, eff.isoformat() if isinstance(eff, datetime.date) else
                (str(eff) if eff is not None else None))


def _where(loc: Any) -> str:
    if loc is None:
        return ""
    where = [f"line {loc.line}"] if loc.line is not None else []
    if loc.in_document:
        where.append(loc.source_text() or loc.place())
    return ", ".join(where)


def _fact_row(f: FactChange) -> FactRow:
    return FactRow(f.kind, f.path, "" if f.old is None else show(f.old),
                   "" if f.new is None else show(f.new), _where(f.old_location),
                   _where(f.new_location))


def build(d: Diff, rulesets: Any, as_of: datetime.date, old_c: Any = None,
          new_c: Any = None) -> Variation:
    """The variation report's view of one comparison."""
    compiled = {r.id: r for r in rulesets.rules()}
    by_id = {rs.id: rs for rs in rulesets}
    labels = {rs.id: source_labels(rs) for rs in rulesets}

    def view(f: Any, c: Any) -> Requirement:
        lines = (getattr(c, "text", "") or "").splitlines()
        return requirement(f, compiled.get(f.rule), by_id.get(f.ruleset), lines,
                           labels.get(f.ruleset))

    sections = []
    for kind in RULE_KINDS:
        changes = tuple(Change(kind, view(r.old, old_c), view(r.new, new_c))
                        for r in d.of_kind(kind))
        if changes:
            sections.append(Section(kind, RULE_KIND_LABELS[kind], changes))
    counts = {k: len(d.of_kind(k)) for k in RULE_KINDS}
    new_fails = [r.new for r in d.of_kind("newly_failing")]
    errors = sum(1 for f in new_fails if f.severity == "error")
    if errors:
        status, label = "red", "Introduces failures"
        text = (f"The amendment makes {errors} requirement{'s' if errors != 1 else ''} of law "
                f"or NHS England policy fail that the earlier version met.")
    elif new_fails:
        status, label = "amber", "Introduces recommendations"
        text = (f"The amendment breaks no requirement of law or policy, but "
                f"{len(new_fails)} good-practice recommendation"
                f"{'s are' if len(new_fails) != 1 else ' is'} no longer followed.")
    else:
        status, label = "green", "Introduces no failure"
        text = "The amendment makes no requirement fail that the earlier version met."
    if counts["newly_passing"]:
        n = counts["newly_passing"]
        text += f" It resolves {n} failing requirement{'s' if n != 1 else ''}."
    return Variation(
        icb=d.new.icb, old=_side(d.old, old_c), new=_side(d.new, new_c),
        as_of=as_of.isoformat(), tool_version=__version__, rulesets=tuple(rulesets),
        status=status, status_label=label, status_text=text, counts=counts,
        fact_counts={k: len(d.facts_of_kind(k)) for k in ("added", "removed", "changed")},
        facts=tuple(_fact_row(f) for f in d.facts), sections=tuple(sections))


def html_page(v: Variation, as_of: datetime.date, medium: str) -> str:
    """The variation report as one self-contained HTML page (screen, or print for PDF)."""
    from markupsafe import Markup

    from .templating import html_env, template_text

    created = source_date(as_of).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(html_env().get_template("variation.html.j2").render(
        v=v, css=Markup(template_text("assurance.css")), medium=medium, created=created,
        title=f"Variation assurance report: {v.icb}"))


def render_html(d: Diff, rulesets: Any, as_of: datetime.date, *, old: Any = None,
                new: Any = None, **_: Any) -> str:
    """`diff --format html`."""
    return html_page(build(d, rulesets, as_of, old, new), as_of, "screen")


def render_markdown(d: Diff, rulesets: Any, as_of: datetime.date, *, old: Any = None,
                    new: Any = None, **_: Any) -> str:
    """`diff --format markdown` (for pull-request comments)."""
    from .markdown import _tidy
    from .templating import md_env

    text = md_env().get_template("variation.md.j2").render(v=build(d, rulesets, as_of, old, new))
    return _tidy(text)


def render_pdf(d: Diff, rulesets: Any, as_of: datetime.date, *, old: Any = None,
               new: Any = None, **_: Any) -> bytes:
    """`diff --format pdf`: the variation assurance report on A4, tagged."""
    from .pdf import html_to_pdf, identifier

    html = html_page(build(d, rulesets, as_of, old, new), as_of, "print")
    return html_to_pdf(html, identifier([d.old, d.new], rulesets, as_of), as_of)

"""The assurance report's view model: one plain structure that the HTML, PDF and Markdown
templates render, so every format shows the same facts in the same order.

Nothing here reads a clock or the environment except `source_date` (which honours
SOURCE_DATE_EPOCH), so the same inputs give the same view.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine import BASIS_WORDS
from ..evidence import NotAssessed, by_kind, describes_words, not_assessed_groups
from ..topics import topic_label
from ..version import __version__

# Outcomes in the order a reviewer reads them: what needs action first.
OUTCOME_ORDER = ("fail", "waived", "pass", "not_applicable", "not_in_force", "not_assessed")
OUTCOME_LABELS = {"fail": "Not met", "waived": "Waived", "pass": "Met",
                  "not_applicable": "Not applicable", "not_in_force": "Not in force",
                  "not_assessed": "Not assessed"}
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
SHORT_TITLE = 60  # source titles longer than this are numbered in tables



@dataclass(frozen=True)
class Citation:
    """One pinpoint citation: the source document, the place in it, and its address.

    `label` is how tables name the source: its title when short, else `[n]`, a number in
    the ruleset's list of sources (long titles would fill every row of a table).
    """

    source: str
    pinpoint: str
    url: str | None
    label: str = ""

    @property
    def short(self) -> str:
        """`NHS Act 2006, Sch. 1B, para. 3(1)` or `[2] p. 19`."""
        label = self.label or self.source
        sep = " " if label.startswith("[") else ", "
        return f"{label}{sep}{self.pinpoint}" if self.pinpoint else label


@dataclass(frozen=True)
class Requirement:
    """One rule's outcome on the constitution, with everything a reviewer needs beside it."""

    id: str
    title: str
    outcome: str
    outcome_label: str
    severity: str
    strength: str
    topic: str
    area: str
    citation: str
    citations: tuple[Citation, ...]
    unverified: str | None
    message: str
    evidence: tuple[str, ...]
    not_stated: tuple[str, ...]
    missing: tuple[str, ...]
    line: int | None
    column: int | None
    fact: str | None
    source_line: str | None
    fix: str | None
    note: str | None
    in_force_from: str | None
    in_force_until: str | None
    waiver: dict[str, Any] | None
    absent: bool = False  # the fact is not in the file; the position is only the file's start
    place: str | None = None  # a document's clause and page: `constitution.docx clause 4.3 (p. 9)`
    quote: str | None = None  # the words of that clause
    basis: str | None = None  # on a failure: silent or contradicts (engine.BASES)

    @property
    def basis_words(self) -> str:
        """What the basis means: `the constitution does not state the deciding fact`."""
        return BASIS_WORDS.get(self.basis or "", "")

    @property
    def basis_text(self) -> str:
        """`silent: the constitution does not state the deciding fact` (empty when none)."""
        return f"{self.basis}: {self.basis_words}" if self.basis else ""

    @property
    def where(self) -> str:
        """`line 30, column 3` (or empty when the file gives no position)."""
        if self.line is None:
            return ""
        return f"line {self.line}" + (f", column {self.column}" if self.column else "")


@dataclass(frozen=True)
class Group:
    """The requirements of one ruleset (one source document), failures first."""

    id: str
    title: str
    version: str
    sha256: str
    description: str | None
    sources: tuple[Citation, ...]
    requirements: tuple[Requirement, ...]
    counts: dict[str, int]
    anchor: str


@dataclass(frozen=True)
class Area:
    """Counts of outcomes for one topic, with its RAG status."""

    topic: str
    label: str
    counts: dict[str, int]
    total: int
    rag: str
    rag_label: str
    worst: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """Everything an assurance report shows, for one constitution."""

    icb: str
    short_name: str | None
    path: str
    sha256: str
    version: str | None
    effective_from: str | None
    approved_by_nhs_england: str | None
    published_url: str | None
    as_of: str
    tool_version: str
    rulesets: tuple[Group, ...]
    areas: tuple[Area, ...]
    counts: dict[str, int]
    total: int
    status: str
    status_label: str
    status_text: str
    errors: int
    warnings: int
    infos: int
    failures: tuple[Requirement, ...]
    waivers: tuple[Requirement, ...]
    expired_waivers: tuple[Requirement, ...]
    not_in_force: tuple[Requirement, ...]
    notes: tuple[str, ...]
    # What the file was taken to describe (in words) and what was therefore not assessed.
    describes: str = ""
    not_assessed: tuple[NotAssessed, ...] = ()

    @property
    def not_assessed_kinds(self) -> list[NotAssessed]:
        """What was not assessed, one line per kind of document the file does not describe."""
        return by_kind(self.not_assessed)
    outcome_labels: dict[str, str] = field(default_factory=lambda: dict(OUTCOME_LABELS))

    @property
    def outcomes(self) -> tuple[str, ...]:
        """Outcome keys in reading order."""
        return OUTCOME_ORDER


def _text(value: Any) -> str | None:
    """A date or scalar from the constitution as text (None when absent)."""
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _source_lines(constitution: Any) -> list[str]:
    text = getattr(constitution, "text", "") or ""
    return text.splitlines()


def source_labels(ruleset: Any) -> dict[str, str]:
    """Table labels of a ruleset's sources: the title when short, else [1], [2], ...

    Numbers follow the order of the `source` lines, counting only long titles.
    """
    labels: dict[str, str] = {}
    n = 0
    for key, src in ruleset.ast.sources.items():
        if len(src.title) <= SHORT_TITLE:
            labels[key] = src.title
        else:
            n += 1
            labels[key] = f"[{n}]"
    return labels


def requirement(finding: Any, compiled: Any, ruleset: Any, lines: list[str],
                labels: dict[str, str] | None = None) -> Requirement:
    """The view of one finding, joined with its rule's metadata."""
    rule = compiled.rule if compiled is not None else None
    cites: list[Citation] = []
    if rule is not None:
        for c in rule.cites:
            src = ruleset.ast.sources.get(c.source) if ruleset is not None else None
            cites.append(Citation(src.title if src else c.source, c.pinpoint,
                                  src.url if src else None,
                                  (labels or {}).get(c.source, "")))
    evidence = finding.evidence or {}
    checks = evidence.get("checks", [])
    texts = tuple(str(c.get("text", "")) for c in checks)
    # facts already named in the evidence or the message are not listed a second time
    said = " ".join(texts) + " " + str(finding.message)
    not_stated = tuple(str(p) for p in evidence.get("not_stated", []) or []
                       if str(p) not in said)
    missing: list[str] = []
    for chk in checks:
        missing.extend(str(m) for m in chk.get("missing", []) or [])
    loc = finding.location
    line = loc.line if loc is not None else None
    source_line = None
    absent = bool(loc is not None and loc.fact and getattr(loc, "not_stated", False))
    if line is not None and 0 < line <= len(lines) and not absent:
        raw = lines[line - 1].rstrip()
        source_line = raw if len(raw) <= 160 else raw[:157] + "..."
    topic = (rule.topic if rule is not None else None) or "other"
    return Requirement(
        id=finding.rule, title=finding.title, outcome=finding.outcome,
        outcome_label=OUTCOME_LABELS.get(finding.outcome, finding.outcome),
        severity=finding.severity, strength=finding.strength, topic=topic,
        area=topic_label(topic), citation=finding.citation, citations=tuple(cites),
        unverified=rule.unverified if rule is not None else None,
        message=finding.message,
        evidence=texts, not_stated=not_stated,
        missing=tuple(missing),
        line=line, column=loc.column if loc is not None else None,
        fact=loc.fact if loc is not None else None, source_line=source_line,
        fix=rule.fix if rule is not None else None,
        note=rule.note if rule is not None else None,
        in_force_from=_text(rule.in_force_from) if rule is not None else None,
        in_force_until=_text(rule.in_force_until) if rule is not None else None,
        waiver=dict(finding.waiver) if finding.waiver else None, absent=absent,
        place=(loc.source_text() or loc.place() or None) if loc is not None else None,
        quote=loc.quote if loc is not None else None,
        basis=getattr(finding, "basis", None))


def _sort_key(req: Requirement, index: int) -> tuple[int, int, int]:
    return (OUTCOME_ORDER.index(req.outcome) if req.outcome in OUTCOME_ORDER else 9,
            SEVERITY_RANK.get(req.severity, 9) if req.outcome == "fail" else 0, index)


def _counts(reqs: Any) -> dict[str, int]:
    counts = dict.fromkeys(OUTCOME_ORDER, 0)
    for r in reqs:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    return counts


def _rag(reqs: list[Requirement]) -> tuple[str, str]:
    fails = [r for r in reqs if r.outcome == "fail"]
    if any(r.severity == "error" for r in fails):
        return "red", "Not met"
    if fails:
        return "amber", "Recommendations"
    if any(r.outcome == "waived" for r in reqs):
        return "amber", "Met with waivers"
    if any(r.outcome == "pass" for r in reqs):
        return "green", "Met"
    if any(r.outcome == "not_assessed" for r in reqs):
        return "grey", "Not assessed"
    return "grey", "Nothing to assess"


def anchor(text: str) -> str:
    """An HTML id made of letters, digits and hyphens only."""
    out = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in text.lower())
    return "-".join(p for p in out.split("-") if p) or "x"


STRENGTH_RANK = {"statutory": 0, "policy": 1, "guidance": 2, "info": 3}


def legal_strength(ruleset: Any) -> tuple[int, int, str]:
    """Sort key of a ruleset in a report: statute first, then NHS England policy, then
    guidance, by the strongest requirement it holds (then by how many of those it has)."""
    ranks = [STRENGTH_RANK.get(cr.rule.strength, 9) for cr in ruleset.rules] or [9]
    best = min(ranks)
    return (best, -ranks.count(best), ruleset.id)


def build(result: Any, rulesets: Any, as_of: datetime.date,
          constitution: Any = None) -> Report:
    """The report view of one constitution's result."""
    compiled = {r.id: r for r in rulesets.rules()}
    by_id = {rs.id: rs for rs in rulesets}
    lines = _source_lines(constitution)
    labels = {rs.id: source_labels(rs) for rs in rulesets}
    reqs = [requirement(f, compiled.get(f.rule), by_id.get(f.ruleset), lines,
                        labels.get(f.ruleset))
            for f in result.findings]

    groups: list[Group] = []
    for rs in sorted(rulesets, key=legal_strength):
        members = [(i, r) for i, (r, f) in enumerate(zip(reqs, result.findings, strict=True))
                   if f.ruleset == rs.id]
        ordered = tuple(r for i, r in sorted(members, key=lambda m: _sort_key(m[1], m[0])))
        sources = tuple(Citation(s.title, "", s.url, labels[rs.id][key])
                        for key, s in rs.ast.sources.items())
        groups.append(Group(id=rs.id, title=str(rs.ast.title), version=rs.version,
                            sha256=rs.sha256, description=rs.ast.description, sources=sources,
                            requirements=ordered, counts=_counts(ordered),
                            anchor="ruleset-" + anchor(rs.id)))

    topics: dict[str, list[Requirement]] = {}
    for r in reqs:
        topics.setdefault(r.topic, []).append(r)
    areas = []
    for topic in sorted(topics, key=lambda t: (topic_label(t) == "Other", topic_label(t))):
        members = topics[topic]
        rag, rag_label = _rag(members)
        worst = tuple(r.id for r in members if r.outcome == "fail")
        areas.append(Area(topic=topic, label=topic_label(topic), counts=_counts(members),
                          total=len(members), rag=rag, rag_label=rag_label, worst=worst))

    fails = sorted((r for r in reqs if r.outcome == "fail"),
                   key=lambda r: (SEVERITY_RANK.get(r.severity, 9), reqs.index(r)))
    errors = sum(1 for r in fails if r.severity == "error")
    warnings = sum(1 for r in fails if r.severity == "warning")
    infos = sum(1 for r in fails if r.severity == "info")
    if errors:
        status, label = "red", "Not met"
        text = (f"{errors} requirement{'s' if errors != 1 else ''} of law or NHS England policy "
                f"{'are' if errors != 1 else 'is'} not met.")
    elif warnings or infos:
        status, label = "amber", "Met, with recommendations"
        n = warnings + infos
        text = (f"Every statutory and policy requirement in force is met; {n} good-practice "
                f"recommendation{'s' if n != 1 else ''} {'are' if n != 1 else 'is'} not followed.")
    else:
        status, label = "green", "Met"
        text = "Every requirement in force on the date of assessment is met."
    waived = tuple(r for r in reqs if r.outcome == "waived")
    if waived and status == "green":
        status, label = "amber", "Met, with waivers"
        text = (f"Every requirement in force is met or covered by an accepted waiver "
                f"({len(waived)} waived).")

    data = getattr(constitution, "data", None) or {}
    icb = data.get("icb", {}) if isinstance(data, dict) else {}
    meta = icb.get("constitution", {}) or {}
    return Report(
        icb=result.icb, short_name=_text(icb.get("short_name")), path=result.constitution,
        sha256=result.sha256, version=_text(meta.get("version")) or _text(result.version),
        effective_from=_text(meta.get("effective_from")),
        approved_by_nhs_england=_text(meta.get("approved_by_nhs_england")),
        published_url=_text(meta.get("published_url")),
        as_of=as_of.isoformat(), tool_version=__version__, rulesets=tuple(groups),
        areas=tuple(areas), counts=_counts(reqs), total=len(reqs), status=status,
        status_label=label, status_text=text, errors=errors, warnings=warnings, infos=infos,
        failures=tuple(fails), waivers=waived,
        expired_waivers=tuple(r for r in reqs if r.waiver and r.waiver.get("status") == "expired"),
        not_in_force=tuple(r for r in reqs if r.outcome == "not_in_force"),
        notes=tuple(result.notes),
        describes=describes_words(getattr(result, "describes", ()),
                                  getattr(result, "describes_source", "default")),
        not_assessed=tuple(not_assessed_groups(result.findings)))


def status_of(result: Any) -> tuple[str, str]:
    """(RAG colour, label) of a result without building the whole view (for summaries)."""
    fails = [f for f in result.findings if f.outcome == "fail"]
    if any(f.severity == "error" for f in fails):
        return "red", "Not met"
    if fails:
        return "amber", "Met, with recommendations"
    if any(f.outcome == "waived" for f in result.findings):
        return "amber", "Met, with waivers"
    return "green", "Met"


def source_date(as_of: datetime.date) -> datetime.datetime:
    """The date stamped into a document's metadata: SOURCE_DATE_EPOCH, else the as-of date.

    Never the clock, so rendering the same inputs twice gives the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
        except (ValueError, OverflowError, OSError):
            pass
    return datetime.datetime(as_of.year, as_of.month, as_of.day, tzinfo=datetime.UTC)


def display_path(path: str) -> str:
    """A path as shown in reports: forward slashes, relative to the working folder if inside."""
    p = Path(path)
    if p.is_absolute():
        with contextlib.suppress(ValueError, OSError):
            p = p.resolve().relative_to(Path.cwd().resolve())
    return p.as_posix()

"""Terminal output: one grep-able line per finding (`path:line:col: severity RULE: message`),
evidence and citation indented beneath, a summary per file; colour only when asked.
Every string from a file, a rule or a path passes `display.clean` first, so the colour codes
added here are the only escapes in the output."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..display import clean
from ..engine import BASIS_WORDS
from ..evidence import describes_words, not_assessed_groups

_COLOURS = {"error": "red", "warning": "yellow", "info": "blue", "pass": "green",
            "waived": "magenta", "not_applicable": "bright_black", "not_in_force": "bright_black",
            "not_assessed": "bright_black"}


def _style(text: str, colour: str | None, colour_on: bool, bold: bool = False) -> str:
    if not colour_on or colour is None:
        return text
    import click

    return click.style(text, fg=colour, bold=bold)


def render(results: list[Any], rulesets: Any, as_of: Any, **options: Any) -> str:
    """The text report for several constitutions."""
    from . import joined

    return joined(stream, results, rulesets, as_of, **options)


def stream(run: Any, rulesets: Any, as_of: Any, *, verbose: bool = False,
           colour: bool = False, fail_on: str = "error", quiet: bool = False,
           width: int | None = None, **_: Any) -> Iterator[str]:
    """The text report, one constitution at a time, then the totals.

    Findings are in file order (by line); rules that fail only because a whole section is
    absent are rolled up into one line per file (`-v` lists each). With `width` (a
    terminal's), explanation lines are wrapped to it; a finding's first line never is.
    """
    fixes = {r.id: r.rule.fix for r in rulesets.rules()} if hasattr(rulesets, "rules") else {}
    totals = {"error": 0, "warning": 0, "info": 0}
    files_failing = n = 0
    for r in run.results:
        n += 1
        lines: list[str] = []
        if not quiet:
            shown = sorted((f for f in r.findings if f.outcome in ("fail", "waived") or verbose),
                           key=_by_line)
            rolled = {} if verbose else absent_sections(shown)
            if rolled:
                lines.append(_rollup(r, rolled, colour))
            for f in shown:
                if not any(f in group for group in rolled.values()):
                    lines.extend(_finding(f, r, colour, fixes.get(f.rule), width))
            for note in r.notes:
                lines.append(f"{clean(r.constitution)}: note: {clean(note)}")
        s = r.summary
        fails = [f for f in r.findings if f.outcome == "fail"]
        for f in fails:
            totals[f.severity] += 1
        if fails:
            files_failing += 1
        counts = ", ".join(f"{s[k]} {k.replace('_', ' ')}" for k in
                           ("pass", "fail", "waived", "not_applicable", "not_in_force",
                            "not_assessed") if s[k]
                           or k in ("pass", "fail"))
        head = _style(clean(r.constitution), None, colour, bold=True)
        status = _style("FAIL", "red", colour, True) if any(
            f.severity == "error" for f in fails) else (_style("WARN", "yellow", colour, True)
                                                       if fails else _style("OK", "green",
                                                                            colour, True))
        lines.append(f"{head}: {status} {clean(r.icb)}: {counts}")
        lines.extend(_not_assessed(r))
        yield "\n".join(lines) + "\n"
    tail: list[str] = []
    if verbose:
        tail.extend(f"{clean(path)}: skipped: no 'ics-constitution/1' marker"
                    for path in run.skipped)
    summary = (f"{n} constitution{'s' if n != 1 else ''} checked as of {as_of.isoformat()}: "
               f"{totals['error']} error{'s' if totals['error'] != 1 else ''}, "
               f"{totals['warning']} warning{'s' if totals['warning'] != 1 else ''}, "
               f"{totals['info']} info")
    if n > 1:
        summary += f"; {files_failing} with findings"
    if run.errors:
        k = len(run.errors)
        summary += f"; {k} file{'s' if k != 1 else ''} could not be read"
    if run.skipped:
        k = len(run.skipped)
        summary += (f"; {k} file{'s' if k != 1 else ''} skipped (not constitution files"
                    f"{'' if verbose else ': -v lists them'})")
    tail.append(summary)
    yield "\n".join(tail) + "\n"


def _not_assessed(r: Any) -> list[str]:
    """What was not assessed and why, so that nothing is dropped silently."""
    groups = not_assessed_groups(r.findings)
    if not groups:
        return []
    path = clean(r.constitution)
    out = [f"{path}: describes {describes_words(r.describes, r.describes_source)}"]
    out += [f"{path}: not assessed: {clean(g.sentence)}" for g in groups]
    return out


def _by_line(f: Any) -> tuple[int, int]:
    loc = f.location
    if loc is None or loc.line is None:
        return (0, 0)
    return (loc.line, loc.column or 0)


def absent_sections(findings: Iterable[Any]) -> dict[str, list[Any]]:
    """Failures that come only from a whole top-level section being absent, by section
    (sections with at least two such findings: one is shown as itself)."""
    groups: dict[str, list[Any]] = {}
    for f in findings:
        loc = f.location
        if f.outcome != "fail" or loc is None or not loc.not_stated or not loc.fact:
            continue
        if "." in loc.fact or "[" in loc.fact or " " in loc.fact:
            continue
        groups.setdefault(loc.fact, []).append(f)
    return {k: v for k, v in groups.items() if len(v) > 1}


def _rollup(r: Any, rolled: dict[str, list[Any]], colour: bool) -> str:
    """One line for the sections the file lacks: `not stated: places (10 requirements), ...`."""
    every = [f for group in rolled.values() for f in group]
    worst = max(every, key=lambda f: _RANK.get(f.severity, 0))
    loc = worst.location
    where = clean(loc.label() if loc is not None else r.constitution)
    parts = ", ".join(f"{name} ({len(group)} requirement{'s' if len(group) != 1 else ''})"
                      for name, group in sorted(rolled.items(), key=lambda kv: -len(kv[1])))
    label = _style(worst.severity, _COLOURS.get(worst.severity), colour, True)
    return f"{where}: {label} not stated: {parts}; -v lists each requirement"


_RANK = {"error": 3, "warning": 2, "info": 1}


def _finding(f: Any, r: Any, colour: bool, fix: str | None = None,
             width: int | None = None) -> list[str]:
    loc = f.location
    where = clean(loc.label() if loc is not None else r.constitution)
    label = f.severity if f.outcome == "fail" else f.outcome.replace("_", " ")
    colour_key = f.severity if f.outcome == "fail" else f.outcome
    out = [f"{where}: {_style(label, _COLOURS.get(colour_key), colour, True)} "
           f"{_style(clean(f.rule), None, colour, True)}: {clean(f.message)}"]
    detail: list[str] = []
    if f.outcome in ("fail", "waived"):
        detail.append(f"rule: {clean(f.title)} [{clean(f.strength)}]")
        if f.basis:
            detail.append(f"basis: {f.basis} ({BASIS_WORDS.get(f.basis, f.basis)})")
        for check in (f.evidence or {}).get("checks", [])[:6]:
            line = f" (line {check['line']})" if check.get("line") else ""
            detail.append(f"found: {clean(check['text'])}{line}")
        if loc is not None and loc.source_text():
            detail.append(f"read from: {clean(loc.source_text())}")
        if loc is not None and loc.quote:
            detail.append(f'clause text: "{clean(loc.quote)}"')
        if fix and f.outcome == "fail":
            detail.append(f"fix: {clean(fix)}")
        detail.append(f"cite: {clean(f.citation)}")
    out.extend(_wrap(d, width) for d in detail)
    return out


def _wrap(text: str, width: int | None) -> str:
    """An explanation line, indented, wrapped to `width` when given."""
    return fit("    " + text, width, indent=8)


def fit(line: str, width: int | None, indent: int = 4) -> str:
    """A line wrapped at spaces to a terminal's width (continuations indented); unchanged
    when not on a terminal or when it fits. Never breaks inside a word, an id or a path."""
    if width is None or len(line) <= width:
        return line
    import textwrap

    return textwrap.fill(line, width=max(width, 40), subsequent_indent=" " * indent,
                         break_long_words=False, break_on_hyphens=False)


def finding_lines(f: Any, r: Any, colour: bool = False) -> list[str]:
    """The lines `check` prints for one finding (shared with `diff`)."""
    return _finding(f, r, colour)


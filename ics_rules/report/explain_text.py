"""Terminal output of `explain`: one rule on one constitution, in plain words and sections a
governance lead can read top to bottom."""

from __future__ import annotations

import textwrap
from typing import Any

from ..display import clean
from ..explainer_view import OUTCOME_WORDS, RuleExplanation

WIDTH = 88


def _para(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(clean(text), WIDTH, initial_indent=indent,
                         subsequent_indent=indent + "  ", break_on_hyphens=False) or [indent]


def render(e: RuleExplanation, **_: Any) -> str:
    """The explanation as text."""
    out = [clean(f"{e.rule}: {e.title}"),
           clean(f"{OUTCOME_WORDS.get(e.outcome, e.outcome)} on {e.constitution} "
                 f"as of {e.as_of} ({e.strength}, severity {e.severity})"), ""]
    out.append("The requirement")
    out.extend(_para(e.title + "."))
    for s in e.sources:
        out.extend(_para(f"Source: {s.title}, {s.pinpoint}" + (f" ({s.url})" if s.url else "")))
    if e.unverified:
        out.extend(_para(f"The paragraph cited has not been checked against the published "
                         f"text: {e.unverified}"))
    if e.note:
        out.extend(_para(f"Note: {e.note}"))
    out.extend(_para(f"In force {e.in_force}."))
    out += ["", "What the rule reads"]
    out.extend(line for p in e.reads for line in _para(f"- {p}"))
    out += ["", "What it found in this constitution"]
    if e.facts:
        out.extend(line for f in e.facts for line in _para(f"- {f.name}: {f.value} ({f.where})"))
    elif e.outcome == "not_in_force":
        out.extend(_para("Nothing: the rule is not in force on this date, so it was not "
                         "assessed."))
    else:
        out.extend(_para("No single fact decides it (see below)."))
    out += ["", "Why it passes" if e.outcome == "pass" else "Why"]
    out.extend(line for w in e.why for line in _para(w))
    if e.fix:
        out += ["", "What would make it pass"]
        out.extend(line for f in e.fix for line in _para(f))
    if e.related:
        out += ["", "Related rules"]
        out.extend(line for r in e.related for line in _para(
            f"- {r.id}: {r.title} ({OUTCOME_WORDS.get(r.outcome, r.outcome).lower()})"))
    return "\n".join(out) + "\n"

"""Terminal output of `diff`: the facts an amendment changes (with both values and both
locations), then the requirements it affects, each with the lines `check` prints for it."""

from __future__ import annotations

from typing import Any

from ..diff import RULE_KIND_LABELS, RULE_KINDS, Diff
from ..display import clean as safe
from ..dsl.explain import show
from .text import finding_lines


def where(loc: Any) -> str:
    """`path:line:column` of a location (the path alone when it has no line)."""
    if loc is None:
        return "-"
    source = loc.source_text()
    return safe(loc.label() + (f", {source}" if source else ""))


def value(v: Any) -> str:
    """A fact's value as people read it, one line, quoted when it is text."""
    text = show(v)
    if isinstance(v, str):
        text = repr(v) if len(v) <= 120 else repr(v[:117] + "...")
    return safe(text)


def render(d: Diff, rulesets: Any, as_of: Any, *, colour: bool = False, **_: Any) -> str:
    """The text report of one comparison."""
    old, new = d.old, d.new
    lines = [safe(f"diff {old.constitution} -> {new.constitution} (as of {as_of.isoformat()})")]
    still = d.of_kind("still_failing")
    changes = [r for r in d.rules if r.kind != "still_failing"]
    if not d.facts and not changes:
        tail = f" ({len(still)} requirement{'s' if len(still) != 1 else ''} fail in both)" \
            if still else ""
        lines.append(f"no changes: both versions state the same facts{tail}")
        return "\n".join(lines) + "\n"
    counts = {k: len(d.facts_of_kind(k)) for k in ("added", "removed", "changed")}
    lines.append(f"facts: {counts['added']} added, {counts['removed']} removed, "
                 f"{counts['changed']} changed")
    for f in d.facts:
        path = safe(f.path)
        if f.kind == "changed":
            lines.append(f"  changed {path}: {value(f.old)} ({where(f.old_location)}) -> "
                         f"{value(f.new)} ({where(f.new_location)})")
        elif f.kind == "added":
            lines.append(f"  added   {path}: {value(f.new)} ({where(f.new_location)})")
        else:
            lines.append(f"  removed {path}: {value(f.old)} ({where(f.old_location)})")
    n = {k: len(d.of_kind(k)) for k in RULE_KINDS}
    lines.append(f"requirements: {n['newly_failing']} newly failing, {n['newly_passing']} no "
                 f"longer failing, {n['still_failing']} still failing, "
                 f"{n['changed_strength']} changed strength, {n['changed_scope']} changed scope")
    for kind in RULE_KINDS:
        group = d.of_kind(kind)
        if not group:
            continue
        lines.append(f"{RULE_KIND_LABELS[kind].lower()}:")
        for r in group:
            if kind in ("newly_failing", "still_failing", "changed_strength"):
                shown = finding_lines(r.new, new, colour)
                if kind == "changed_strength":
                    shown.insert(1, f"    was: {r.old.severity}"
                                 + (f" ({r.old.basis})" if getattr(r.old, "basis", None)
                                    else ""))
            else:
                shown = [safe(f"{r.rule}: was {r.old.outcome.replace('_', ' ')}, now "
                              f"{r.new.outcome.replace('_', ' ')}: {r.new.message}"),
                         safe(f"    rule: {r.new.title} [{r.new.strength}]"),
                         safe(f"    cite: {r.new.citation}")]
                shown[0] = f"{where(r.old.location)}: {shown[0]}"
            # finding_lines and the lines above show file text through the display sanitiser
            lines.extend("  " + s for s in shown)
    introduced = [r for r in d.rules if r.kind == "newly_failing"]
    lines.append(f"{len(introduced)} newly failing requirement"
                 f"{'s' if len(introduced) != 1 else ''} in {safe(new.constitution)}")
    return "\n".join(lines) + "\n"

"""What evidences a rule, and what a constitution file describes.

Every rule declares its evidence (`constitution`, `icb` or `system`); every constitution file
describes some of these (its `describes:` field, `--describes`, or the default worked out
here). A rule whose evidence the file does not describe is `not_assessed`, never failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

EVIDENCE = ("constitution", "icb", "system")

# Plain words for each kind of evidence (rule book, `rules show`, not-assessed reasons).
EVIDENCE_WORDS = {
    "constitution": "the constitution itself must say it",
    "icb": "a duty on the ICB, shown by its other documents: registers, plans, the annual "
           "report, committee terms of reference",
    "system": "a duty on another body or a joint one: the integrated care partnership, local "
              "authorities, NHS England, partner trusts",
}

# Sections of the file that hold what the ICB's constitution itself states. A file holding no
# other section describes only the constitution (see `default_describes`).
OWN_SECTIONS = frozenset({"schema", "describes", "icb", "board", "committees", "governance"})

# What the file does not describe, in words, for each kind of evidence beyond the constitution.
NOT_DESCRIBED = {
    "constitution": "the constitution",
    "icb": "the ICB's other documents",
    "system": "the wider system",
}
NOT_ASSESSED_PREFIX = "not assessed: the file does not describe "

STRENGTH_ORDER = ("statutory", "policy", "guidance", "info")


def default_describes(data: dict[str, Any]) -> tuple[str, ...]:
    """What a file describes when it does not say: the documented default.

    A file holding only the ICB's own sections (`icb`, `board`, `committees`, `governance`)
    describes the constitution alone; a file holding any other section (partnership, places,
    providers, plans, finance, digital, ...) describes the whole system, so all three.
    """
    if any(key not in OWN_SECTIONS and value is not None for key, value in data.items()):
        return EVIDENCE
    return ("constitution",)


def describes(data: dict[str, Any], override: Iterable[str] | None = None
              ) -> tuple[tuple[str, ...], str]:
    """What the file describes, in `EVIDENCE` order, and where that came from.

    The second item is `option` (`--describes`), `file` (its `describes:` field) or `default`.
    """
    if override is not None:
        chosen, source = set(override), "option"
    elif data.get("describes") is not None:
        chosen, source = set(data["describes"]), "file"
    else:
        chosen, source = set(default_describes(data)), "default"
    return tuple(k for k in EVIDENCE if k in chosen), source


def parse_describes(text: str) -> tuple[str, ...]:
    """`--describes constitution,icb`: the words, checked. Raises `ValueError` with a message."""
    from .errors import did_you_mean

    words = [w.strip() for w in text.split(",") if w.strip()]
    if not words:
        raise ValueError(f"give one or more of {', '.join(EVIDENCE)}, separated by commas")
    for w in words:
        if w not in EVIDENCE:
            raise ValueError(f"'{w}' is not one of {', '.join(EVIDENCE)}"
                             f"{did_you_mean(w, EVIDENCE)}")
    return tuple(k for k in EVIDENCE if k in words)


def not_assessed_message(evidence: str, topic: str | None) -> str:
    """The message of a `not_assessed` finding: what the file does not describe, in words."""
    from .topics import topic_label

    what = NOT_DESCRIBED[evidence]
    if topic:
        what += f" ({topic_label(topic).lower()})"
    return NOT_ASSESSED_PREFIX + what


def describes_words(kinds: Iterable[str], source: str) -> str:
    """`the constitution and the ICB's other documents (the file's describes: field)`."""
    why = {"option": "--describes", "file": "the file's describes: field",
           "default": "default: " + ("the file holds sections beyond the ICB's own"
                                     if tuple(kinds) == EVIDENCE else
                                     "the file holds only the ICB's own sections")}[source]
    words = [NOT_DESCRIBED[k] for k in kinds]
    listed = " and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"{listed or 'nothing'} ({why})"


@dataclass(frozen=True)
class NotAssessed:
    """Requirements not assessed for one reason: how many, by strength."""

    reason: str  # "the wider system (integrated care partnership)"
    counts: tuple[tuple[str, int], ...]  # (strength, count), strongest first

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def what(self) -> str:
        """The kind of document not described: `the wider system`."""
        return self.reason.split(" (", 1)[0]

    @property
    def area(self) -> str:
        """The rules' topic in words (`integrated care partnership`), or empty."""
        rest = self.reason.split(" (", 1)[1:]
        return rest[0][:-1] if rest and rest[0].endswith(")") else ""

    def count(self, strength: str) -> int:
        """How many requirements of one strength."""
        return dict(self.counts).get(strength, 0)

    @property
    def sentence(self) -> str:
        """`the file does not describe X: 8 statutory requirements not assessed`."""
        parts = [f"{n} {s} requirement{'s' if n != 1 else ''}" for s, n in self.counts]
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"the file does not describe {self.reason}: {listed} not assessed"


def by_kind(groups: Iterable[NotAssessed]) -> list[NotAssessed]:
    """The groups merged per kind of document not described (`the wider system: ...`)."""
    merged: dict[str, dict[str, int]] = {}
    for g in groups:
        by = merged.setdefault(g.what, {})
        for s, n in g.counts:
            by[s] = by.get(s, 0) + n
    return [NotAssessed(what, tuple((s, by[s]) for s in STRENGTH_ORDER if s in by) +
                        tuple((s, n) for s, n in sorted(by.items()) if s not in STRENGTH_ORDER))
            for what, by in merged.items()]


def not_assessed_groups(findings: Iterable[Any]) -> list[NotAssessed]:
    """The `not_assessed` findings grouped by reason, most statutory requirements first."""
    groups: dict[str, dict[str, int]] = {}
    for f in findings:
        if f.outcome != "not_assessed":
            continue
        reason = f.message.removeprefix(NOT_ASSESSED_PREFIX)
        by = groups.setdefault(reason, {})
        by[f.strength] = by.get(f.strength, 0) + 1
    out = []
    for reason, by in groups.items():
        order = sorted(by, key=lambda s: (STRENGTH_ORDER.index(s) if s in STRENGTH_ORDER
                                          else len(STRENGTH_ORDER), s))
        out.append(NotAssessed(reason, tuple((s, by[s]) for s in order)))
    out.sort(key=lambda g: (-dict(g.counts).get("statutory", 0), -g.total, g.reason))
    return out

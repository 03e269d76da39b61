"""Line a document's clauses up with the provisions of the model constitution.

Each clause is scored against each provision on three kinds of evidence: keyword cues in its
text, its headings (a cue pattern plus fuzzy similarity to the provision's title, via
rapidfuzz) and, weakly, its number (documents that follow the model keep its numbering).
A Viterbi pass over the clauses then prefers runs (a clause usually belongs where the one
before it does, and the next provision usually follows), without requiring the model's
order, so renumbered, reordered, inserted and deleted clauses are all tolerated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .clauses import Clause, Document
from .model_constitution import PROVISIONS, Provision

NONE_SCORE = 0.30  # what a clause scores for "belongs to no provision" (added text)
STAY = 0.12  # bonus for staying in the provision of the clause before
STAY_DEEPER = 0.10  # extra when the clause is a sub-clause of the one before
NEXT = 0.04  # bonus for moving on to the model's next provision


@dataclass(frozen=True, slots=True)
class Alignment:
    """For every clause of a document, the provision it was aligned to (or None) and why."""

    keys: tuple[str | None, ...]
    scores: tuple[float, ...]
    fit: tuple[tuple[float, ...], ...] = ()  # fit[i][j]: clause i against PROVISIONS[j]

    def clauses_of(self, key: str) -> list[int]:
        """Indices of the clauses aligned to the provision `key`, in document order."""
        return [i for i, k in enumerate(self.keys) if k == key]


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=4096)
def _title_similarity(title: str, heading: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(title.lower(), heading.lower()) / 100.0


@lru_cache(maxsize=1024)
def required_literal(pattern: str) -> str | None:
    """A lower-case word every match of `pattern` contains (the longest run of literal
    letters in its top-level sequence), or None when there is none: a quick pre-test that
    lets most clauses skip the regex."""
    try:
        from re import _parser as sre  # type: ignore[attr-defined]

        parsed = sre.parse(pattern, re.IGNORECASE)
    except Exception:
        return None
    best, run = "", ""
    for op, arg in parsed:
        if str(op) == "LITERAL" and chr(arg).isalpha():
            run += chr(arg).lower()
            best = max(best, run, key=len)
        elif str(op) == "AT":
            continue
        else:
            run = ""
    return best if len(best) >= 3 else None


def cue_search(pattern: str, text: str, lower: str) -> re.Match[str] | None:
    """`pattern` searched in `text` (`lower` is its lower-case form, for the pre-test)."""
    lit = required_literal(pattern)
    if lit is not None and lit not in lower:
        return None
    return _compiled(pattern).search(text)


def _heading_score(p: Provision, headings: tuple[str, ...]) -> float:
    return _heading_score_of(p.key, p.heading, p.title, headings) if headings else 0.0


@lru_cache(maxsize=8192)
def _heading_score_of(key: str, heading: str, title: str, headings: tuple[str, ...]) -> float:
    pat = _compiled(heading)
    best = 0.0
    for depth, h in enumerate(reversed(headings)):
        weight = 1.0 if depth == 0 else 0.6 if depth == 1 else 0.3
        s = 0.8 if pat.search(h) else 0.0
        s += 0.2 * _title_similarity(title, h)
        best = max(best, weight * s)
    return best


def _number_score(p: Provision, number: str | None) -> float:
    if not number:
        return 0.0
    return 1.0 if number == p.number or number.startswith(p.number + ".") else 0.0


def headings_of(c: Clause) -> tuple[str, ...]:
    """The headings a clause sits under, its own text too when it is a heading."""
    return (*c.section, c.text) if c.heading else c.section


def score(p: Provision, c: Clause) -> float:
    """How well clause `c` fits provision `p` (0..1)."""
    cue = 0.0
    if p.cues:
        lower = c.text.lower()
        hits = sum(1 for cue in p.cues if cue_search(cue, c.text, lower))
        cue = min(1.0, hits / min(3, len(p.cues)))
    return (0.5 * cue + 0.4 * _heading_score(p, headings_of(c))
            + 0.1 * _number_score(p, c.number))


def align(doc: Document) -> Alignment:
    """Align every clause of `doc` to the model's provisions (or to none)."""
    provisions = PROVISIONS
    n = len(provisions)
    if not doc.clauses:
        return Alignment((), ())
    # state n is "no provision"
    emissions = [[score(p, c) for p in provisions] + [NONE_SCORE] for c in doc.clauses]
    best = emissions[0][:]
    back: list[list[int]] = []
    prev_level = doc.clauses[0].level
    for i in range(1, len(doc.clauses)):
        c = doc.clauses[i]
        stay = STAY + (STAY_DEEPER if c.level > prev_level else 0.0)
        top = max(range(n + 1), key=best.__getitem__)
        row_back = []
        new = []
        for s in range(n + 1):
            cand_state, cand = top, best[top]
            if s < n and best[s] + stay > cand:
                cand_state, cand = s, best[s] + stay
            if 0 < s < n and best[s - 1] + NEXT > cand:
                cand_state, cand = s - 1, best[s - 1] + NEXT
            new.append(cand + emissions[i][s])
            row_back.append(cand_state)
        back.append(row_back)
        best = new
        prev_level = c.level
    state = max(range(n + 1), key=best.__getitem__)
    path = [state]
    for row in reversed(back):
        state = row[state]
        path.append(state)
    path.reverse()
    keys = tuple(provisions[s].key if s < n else None for s in path)
    scores = tuple(emissions[i][s] for i, s in enumerate(path))
    return Alignment(keys, scores, tuple(tuple(row[:n]) for row in emissions))

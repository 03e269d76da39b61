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


def _heading_score(p: Provision, headings: tuple[str, ...]) -> float:
    if not headings:
        return 0.0
    pat = _compiled(p.heading)
    best = 0.0
    for depth, h in enumerate(reversed(headings)):
        weight = 1.0 if depth == 0 else 0.6 if depth == 1 else 0.3
        s = 0.8 if pat.search(h) else 0.0
        s += 0.2 * _title_similarity(p.title, h)
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
    hits = sum(1 for cue in p.cues if _compiled(cue).search(c.text))
    cue = min(1.0, hits / min(3, len(p.cues))) if p.cues else 0.0
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
    return Alignment(keys, scores)

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
from collections.abc import Iterable
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
    index: ClauseIndex | None = None  # which clauses a pattern matches

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


def _top_level_alternatives(pattern: str) -> list[str]:
    """`pattern` split at its top-level `|` (none inside brackets or groups)."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


@lru_cache(maxsize=1024)
def _literals(pattern: str) -> tuple[str, ...] | None:
    """A literal for each top-level alternative of `pattern` (one of them must be in any
    text it matches), or None when some alternative has none."""
    out = []
    for alt in _top_level_alternatives(pattern):
        lit = required_literal(alt)
        if lit is None:
            return None
        out.append(lit)
    return tuple(out)


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


def headings_of(c: Clause) -> tuple[str, ...]:
    """The headings a clause sits under, its own text too when it is a heading."""
    return (*c.section, c.text) if c.heading else c.section


SEPARATOR = " .\n. "  # between clause texts in the joined lower-case document


class ClauseIndex:
    """Which clauses a pattern matches, found quickly: a literal the pattern needs is looked
    up in the whole document at once (one lower-case string), and the regex is run only on
    the clauses that hold it. Results are kept per pattern."""

    def __init__(self, doc: Document) -> None:
        self.texts = [c.text for c in doc.clauses]
        self.lower = SEPARATOR.join(self.texts).lower()
        self.starts: list[int] = []
        pos = 0
        for t in self.texts:
            self.starts.append(pos)
            pos += len(t) + len(SEPARATOR)
        self._seen: dict[str, frozenset[int]] = {}

    def matching(self, pattern: str) -> frozenset[int]:
        """Indices of the clauses whose text `pattern` (case-insensitive) matches."""
        hit = self._seen.get(pattern)
        if hit is not None:
            return hit
        from bisect import bisect_right

        needs = _literals(pattern)
        candidates: Iterable[int]
        if needs is None:
            candidates = range(len(self.texts))
        else:
            near: set[int] = set()
            for lit in needs:
                at = self.lower.find(lit)
                while at != -1:
                    near.add(bisect_right(self.starts, at) - 1)
                    at = self.lower.find(lit, at + 1)
            candidates = near
        pat = _compiled(pattern)
        hit = frozenset(i for i in candidates if pat.search(self.texts[i]))
        self._seen[pattern] = hit
        return hit


def fit(doc: Document, index: ClauseIndex) -> list[list[float]]:
    """How well each clause fits each provision (0..1): fit[i][j] for clause i and
    PROVISIONS[j]. Each cue is looked up once for the whole document (`index`); headings are
    scored once per distinct set of headings."""
    where = {cue: index.matching(cue) for p in PROVISIONS for cue in p.cues}
    texts = index.texts
    rows = [[0.0] * len(PROVISIONS) for _ in texts]
    for j, p in enumerate(PROVISIONS):
        if not p.cues:
            continue
        counts: dict[int, int] = {}
        for cue in p.cues:
            for i in where[cue]:
                counts[i] = counts.get(i, 0) + 1
        cap = min(3, len(p.cues))
        for i, hits in counts.items():
            rows[i][j] = 0.5 * min(1.0, hits / cap)
    by_number = {p.number: j for j, p in enumerate(PROVISIONS)}
    heading_rows: dict[tuple[str, ...], list[float]] = {}
    for i, c in enumerate(doc.clauses):
        hs = headings_of(c)
        if hs not in heading_rows:
            heading_rows[hs] = [0.4 * _heading_score(p, hs) for p in PROVISIONS]
        row = rows[i]
        for j, h in enumerate(heading_rows[hs]):
            if h:
                row[j] += h
        if c.number:
            parts = c.number.split(".")
            for k in range(len(parts), 0, -1):
                j = by_number.get(".".join(parts[:k]))
                if j is not None:
                    row[j] += 0.1
    return rows


def align(doc: Document) -> Alignment:
    """Align every clause of `doc` to the model's provisions (or to none)."""
    provisions = PROVISIONS
    n = len(provisions)
    if not doc.clauses:
        return Alignment((), (), (), ClauseIndex(doc))
    # state n is "no provision"
    index = ClauseIndex(doc)
    emissions = [[*row, NONE_SCORE] for row in fit(doc, index)]
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
    return Alignment(keys, scores, tuple(tuple(row[:n]) for row in emissions), index)

"""The many ways drafters name the same thing: bodies, board roles, sectors and numbers.

Pure regular expressions and small helpers, shared by the model-constitution description, the
aligner and the fact patterns, so that "at least 2", "not less than two" and "a minimum of
two" are read the same way everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

NUMBER_WORDS = {
    "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_NUM = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
NUM = _NUM
# "at least two", "not less than 2", "a minimum of two", "no fewer than two", "two or more"
AT_LEAST = (r"(?:at\s+least|not\s+less\s+than|no\s+less\s+than|not\s+fewer\s+than|"
            r"no\s+fewer\s+than|a\s+minimum\s+of|minimum\s+of|a\s+minimum\s+number\s+of)")
COUNT = rf"(?:(?P<atleast>{AT_LEAST})\s+)?(?:\(?(?P<num>{_NUM})\)?(?:\s*\(\d{{1,2}}\))?)(?P<ormore>\s+or\s+more)?"

FRACTIONS = {
    "half": 0.5, "one half": 0.5, "one-half": 0.5, "50%": 0.5, "50 per cent": 0.5,
    "one third": 1 / 3, "one-third": 1 / 3, "a third": 1 / 3, "third": 1 / 3,
    "two thirds": 2 / 3, "two-thirds": 2 / 3,
    "one quarter": 0.25, "a quarter": 0.25, "quarter": 0.25,
    "three quarters": 0.75, "three-quarters": 0.75,
}


def number(word: str) -> int | None:
    """The integer a numeral or number word stands for ("two" -> 2, "3" -> 3)."""
    w = word.strip().lower().strip("()")
    if w.isdigit():
        return int(w)
    return NUMBER_WORDS.get(w)


def rx(pattern: str) -> re.Pattern[str]:
    """A case-insensitive pattern (every cue in this package is one)."""
    return re.compile(pattern, re.IGNORECASE)


# ---------------------------------------------------------------- bodies and roles

BODY_PATTERNS: dict[str, str] = {
    "secretary_of_state": r"(?:the\s+)?Secretary\s+of\s+State(?:\s+for\s+Health(?:\s+and\s+Social\s+Care)?)?",
    "nhs_england": r"NHS\s*England|NHSE\b|NHS\s+Commissioning\s+Board",
    "chief_executive": r"(?:(?:the|our|its)\s+)?(?:ICB(?:'s)?\s+)?Chief\s+Executive(?:\s+Officer)?(?:\s+of\s+the\s+(?:ICB|Board))?|(?:the\s+)?CEO\b",
    "chair": (r"(?:(?:the|our|its)\s+)?(?<!Deputy\s)(?<!Vice\s)(?<!Vice-)(?<!Audit\s)(?<!Committee\s)"
              r"(?:ICB(?:'s)?\s+)?Chair(?:person|man|woman)?(?:\s+of\s+the\s+(?:ICB|Board|Integrated\s+Care\s+Board))?"
              r"(?![\w-])(?!\s+of\s+(?:the\s+)?(?:Audit|Remuneration|\w+\s+Committee))"),
    "board": r"(?:(?:the|our|its)\s+)?(?:ICB\s+)?Board(?!\s+members?)|(?:a\s+)?resolution\s+of\s+the\s+(?:ICB|Board)|the\s+members\s+of\s+the\s+(?:ICB|Board)",
}
BODY = {k: rx(v) for k, v in BODY_PATTERNS.items()}
BODY_ALT = "|".join(f"(?P<{k}>{v})" for k, v in BODY_PATTERNS.items())


def body_at(text: str) -> str | None:
    """The body named at the start of `text` (after an optional 'the'), if any."""
    m = re.match(rf"\s*(?:{BODY_ALT})", text, re.IGNORECASE)
    if not m:
        return None
    return next(k for k, v in m.groupdict().items() if v)


# Kinds of board member, as drafters name them (the most specific first).
KIND_PATTERNS: list[tuple[str, str]] = [
    ("deputy_chair", r"\b(?:Deputy|Vice)[\s-]Chair(?:person|man|woman)?\b"),
    ("audit_chair", r"\b(?:Audit\s+(?:Committee\s+)?Chair|Chair\s+of\s+(?:the\s+)?Audit(?:\s+and\s+Risk)?\s+Committee)\b"),
    ("partner_member", r"\bPartner\s+Members?\b"),
    ("non_executive", r"\b(?:independent\s+)?Non[\s-]?Executive\s+(?:Members?|Directors?)\b|\bNEMs?\b|\bNEDs?\b"),
    ("finance", r"\b(?:Director\s+of\s+Finance|Finance\s+Director|Chief\s+Finance\s+Officer|Chief\s+Financial\s+Officer|Executive\s+Director\s+of\s+Finance|CFO)\b"),
    ("medical", r"\b(?:Medical\s+Director|Chief\s+Medical\s+Officer|Director\s+of\s+Clinical\s+(?:Leadership|Quality))\b"),
    ("nursing", r"\b(?:Director\s+of\s+Nursing|Chief\s+Nurs(?:e|ing\s+Officer)|Nursing\s+Director|Executive\s+Director\s+of\s+Nursing)\b"),
    ("executive", r"\bExecutive\s+(?:Members?|Directors?)\b(?<!Non-Executive Members)(?<!Non-Executive Member)"),
    ("chief_executive", r"\bChief\s+Executive(?:\s+Officer)?\b|\bCEO\b"),
    ("chair", BODY_PATTERNS["chair"]),
]
KIND = [(k, rx(p)) for k, p in KIND_PATTERNS]


def kinds_in(text: str) -> list[tuple[int, str]]:
    """Every board-member kind named in `text`, as (offset, kind), in order, not overlapping."""
    found: list[tuple[int, int, str]] = []
    taken = bytearray(len(text) + 1)  # characters already part of a kind found
    for kind, pat in KIND:
        for m in pat.finditer(text):
            start, end = m.start(), m.end()
            if kind == "executive" and _NON.search(text, max(0, start - 6), start):
                continue
            if kind == "chair" and not m.group(0).strip():
                continue
            if any(taken[start:max(end, start + 1)]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            found.append((start, end, kind))
    return sorted((s, k) for s, _, k in found)


_NON = re.compile(r"non[\s-]?$", re.I)  # "non-" just before "executive"


SECTOR_PATTERNS: list[tuple[str, str]] = [
    ("mental_health", r"\bmental\s+health\s+(?:trusts?|providers?|services\s+providers?)\b"),
    ("nhs_trusts", r"\bNHS\s+(?:trusts?|providers?)\b|\bfoundation\s+trusts?\b|\bprovider\s+trusts?\b|\btrusts\s+and\s+foundation\s+trusts\b|\bNHS\s+(?:and\s+)?foundation\s+trusts\b"),
    ("primary_medical_services", r"\bprimary\s+medical\s+services\b|\bgeneral\s+practi(?:ce|tioners?)\b|\bGP\s+(?:practices|providers)\b|\bprimary\s+care\s+(?:providers|medical)\b"),
    ("local_authorities", r"\blocal\s+authorit(?:y|ies)\b|\bcouncils?\b"),
]
SECTOR = [(k, rx(p)) for k, p in SECTOR_PATTERNS]


def sector_in(text: str) -> str | None:
    """The sector (nominating group) a text names first, if any."""
    best: tuple[int, str] | None = None
    for sector, pat in SECTOR:
        m = pat.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), sector)
    return best[1] if best else None


def sectors_in(text: str) -> list[str]:
    """Every sector a text names, in order of first mention."""
    hits = []
    for sector, pat in SECTOR:
        m = pat.search(text)
        if m:
            hits.append((m.start(), sector))
    return [s for _, s in sorted(hits)]


# ---------------------------------------------------------------- sentences and quotes

_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[A-Z(‘'\"“])")


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """The sentences of a clause, with their offsets (';' ends one too: list items)."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        yield start, text[start:m.start()]
        start = m.end()
    if start < len(text):
        yield start, text[start:]


def quote(text: str, start: int = 0, end: int | None = None, limit: int = 160) -> str:
    """A short quote of `text` around [start, end), at most `limit` characters."""
    end = len(text) if end is None else end
    if len(text) <= limit:
        return text
    if end - start >= limit:
        return text[start:start + limit - 1].rstrip() + "…"
    pad = (limit - (end - start)) // 2
    a = max(0, start - pad)
    b = min(len(text), a + limit)
    a = max(0, b - limit)
    out = text[a:b].strip()
    return ("…" if a > 0 else "") + out + ("…" if b < len(text) else "")


def slug(text: str) -> str:
    """A lower-case id slug for a name ("Exampleshire County Council" -> "exampleshire-cc")."""
    t = text.lower().replace("&", "and")
    t = re.sub(r"\b(?:the|of)\b", " ", t)
    t = re.sub(r"\bcounty council\b", "cc", t)
    t = re.sub(r"\bcity council\b", "city", t)
    t = re.sub(r"\bborough council\b", "bc", t)
    t = re.sub(r"\bdistrict council\b", "dc", t)
    t = re.sub(r"\bcouncil\b", "council", t)
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    return t[:80] or "x"

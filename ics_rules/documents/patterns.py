"""Sentence-level readers: who appoints, approves or removes; who chairs; what the quorum is.

Each reader takes one sentence and returns what it states (with the span it read), or None
when the sentence does not say it in a way the reader recognises. Readers never guess: an
unrecognised phrasing is simply not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .wording import AT_LEAST, BODY_ALT, FRACTIONS, NUM, kinds_in, number, rx

_B = BODY_ALT


def _body(m: re.Match[str]) -> str:
    return next(k for k, v in m.groupdict().items() if v and k in _BODY_KEYS)


_BODY_KEYS = ("secretary_of_state", "nhs_england", "chief_executive", "chair", "board")
_GUIDANCE = rx(r"\bin\s+(?:accordance|line)\s+with\s+[^,.;]*?guidance[^,.;]*|"
               r"\bhaving\s+regard\s+to\s+[^,.;]*|\bguidance\s+(?:issued|published)\s+by\s+[^,.;]*")
_APPROVAL = [rx(p) for p in (
    rf"\b(?:with|subject\s+to|following|requires?|requiring|after|upon|on)\s+(?:the\s+)?(?:prior\s+|formal\s+|written\s+)?(?:approval|agreement|consent|confirmation|ratification)\s+(?:of|by|from)\s+(?:{_B})",
    rf"\b(?:with|subject\s+to|following|after)\s+(?:{_B})(?:'s|’s)\s+(?:prior\s+|formal\s+)?(?:approval|agreement|consent)",
    rf"\b(?:approved|ratified|confirmed|agreed)\s+(?:in\s+advance\s+)?by\s+(?:{_B})",
    rf"(?:{_B})\s+(?:must|will|shall|is\s+to|has\s+to|needs\s+to)\s+(?:first\s+)?(?:approve|agree\s+to|consent\s+to|ratify)",
)]
_APPOINTER = [rx(p) for p in (
    rf"\bappointed\s+(?:jointly\s+)?by\s+(?:{_B})",
    rf"(?:{_B})[\s,]*(?:will|shall|must|may|is\s+to|is\s+responsible\s+for|has\s+responsibility\s+for)?\s*(?:appoints?|appointing)\b",
    rf"\bappointments?\s+(?:is|are|will\s+be|shall\s+be)\s+(?:made\s+)?by\s+(?:{_B})",
    rf"\b(?:power|responsibility)\s+to\s+appoint\b[^.;]{{0,60}}?\b(?:rests?|lies|sits)\s+with\s+(?:{_B})",
)]
_REMOVER = [rx(p) for p in (
    rf"\b(?:removed|dismissed|removable)\s+(?:from\s+(?:office|the\s+board)\s+)?(?:only\s+)?by\s+(?:{_B})",
    rf"(?:{_B})[\s,]*(?:(?:alone\s+)?(?:will|shall|must|may|can|is\s+able\s+to|has\s+(?:the\s+)?power\s+to|is\s+entitled\s+to)\s+)?(?:removes?|dismiss(?:es)?)\b",
    rf"\b(?:removal|dismissal)\s+(?:of\s+the\s+[\w\s]{{1,30}}?\s+)?(?:from\s+office\s+)?(?:is|will\s+be|shall\s+be)\s+(?:a\s+matter\s+)?(?:for|by)\s+(?:{_B})",
)]


@dataclass(frozen=True, slots=True)
class Read:
    """A value read from a sentence and the span it came from."""

    value: object
    start: int
    end: int


def _first(patterns: list[re.Pattern[str]], text: str) -> tuple[str, int, int] | None:
    best: tuple[str, int, int] | None = None
    for pat in patterns:
        m = pat.search(text)
        if m and (best is None or m.start() < best[1]):
            best = (_body(m), m.start(), m.end())
    return best


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    out = list(text)
    for a, b in spans:
        for i in range(a, b):
            out[i] = " "
    return "".join(out)


_DESIGNATION = rx(r"\bappoint\w*\s+(?:one\s+of\s+)?(?:the\s+|its\s+)?[^.;]{0,60}?\bas\s+(?:the\s+|its\s+)?"
                  r"(?:Deputy|Vice|Senior|Chair\s+of|Conflicts?\s+of\s+Interests?\s+Guardian|Lead)|"
                  r"\bappointed\s+(?:as\s+)?(?:the\s+)?(?:Deputy|Vice)[\s-]Chair")


def appointment(sentence: str) -> tuple[Read | None, Read | None]:
    """Who appoints and who approves, as a sentence states them: (appointer, approver).

    Designating a member to a role ("appoints one of the non-executive members as Deputy
    Chair") is not an appointment to the board, and is not read as one."""
    if not re.search(r"\bappoint", sentence, re.I) or _DESIGNATION.search(sentence):
        return None, None
    text = _blank(sentence, [m.span() for m in _GUIDANCE.finditer(sentence)])
    approver = _first(_APPROVAL, text)
    rest = _blank(text, [(approver[1], approver[2])]) if approver else text
    appointer = _first(_APPOINTER, rest)
    return (Read(appointer[0], appointer[1], appointer[2]) if appointer else None,
            Read(approver[0], approver[1], approver[2]) if approver else None)


def approval(sentence: str) -> Read | None:
    """The approver a sentence names ("the appointment is subject to NHS England's approval")."""
    if not re.search(r"\bapprov|\bconsent|\bagree|\bratif", sentence, re.I):
        return None
    text = _blank(sentence, [m.span() for m in _GUIDANCE.finditer(sentence)])
    hit = _first(_APPROVAL, text)
    return Read(hit[0], hit[1], hit[2]) if hit else None


def removal(sentence: str) -> tuple[Read | None, Read | None]:
    """Who may remove from office, and whose approval that needs: (remover, approver)."""
    if not re.search(r"\bremov|\bdismiss", sentence, re.I):
        return None, None
    approver = _first(_APPROVAL, sentence)
    rest = _blank(sentence, [(approver[1], approver[2])]) if approver else sentence
    remover = _first(_REMOVER, rest)
    return (Read(remover[0], remover[1], remover[2]) if remover else None,
            Read(approver[0], approver[1], approver[2]) if approver else None)


# ---------------------------------------------------------------- committee chairs

_CHAIRED = [rx(p) for p in (
    r"\bchaired\s+by\s+(?P<who>[^.;]{3,160})",
    r"\b(?:its|the\s+committee(?:'s)?|the)\s+chair(?:person)?\s+(?:of\s+the\s+(?:audit|remuneration)[\w\s]{0,30}?committee\s+)?(?:is|will\s+be|shall\s+be|must\s+be)\s+(?P<who>[^.;]{3,160})",
    r"\bchair(?:person)?\s+of\s+the\s+(?:audit|remuneration)[\w\s]{0,30}?committee\s+(?:is|will\s+be|shall\s+be|must\s+be)\s+(?P<who>[^.;]{3,160})",
)]
_WHO_CHAIRS = rx(r"(?P<who>[^.;]{3,120}?)\s+(?:will|shall|must)\s+chair\s+the\s+(?:audit|remuneration)")
_OTHER_THAN = rx(r"\b(?:other\s+than|not|except|excluding|who\s+is\s+not|but\s+not|apart\s+from)\b(?P<rest>[^.;]*)")


@dataclass(frozen=True, slots=True)
class ChairSpec:
    """Who chairs a committee, as described: a member kind and the kinds it may not be."""

    kind: str  # chair | non_executive | audit_chair | chief_executive | deputy_chair | ...
    not_kinds: tuple[str, ...]
    expertise: tuple[str, ...]
    start: int
    end: int


def committee_chair(sentence: str) -> ChairSpec | None:
    """Who a sentence says chairs the committee it is about."""
    for pat in _CHAIRED:
        m = pat.search(sentence)
        if m:
            who, start = m.group("who"), m.start("who")
            break
    else:
        m = _WHO_CHAIRS.search(sentence)
        if not m:
            return None
        who, start = m.group("who"), m.start("who")
    main, not_kinds = who, ()
    other = _OTHER_THAN.search(who)
    if other:
        main = who[:other.start()]
        not_kinds = tuple(k for _, k in kinds_in(other.group("rest")))
        if re.search(r"\bchair\b", other.group("rest"), re.I) and not not_kinds:
            not_kinds = ("chair",)
        if re.search(r"\baudit\b", other.group("rest"), re.I) and "audit_chair" not in not_kinds:
            not_kinds = (*not_kinds, "audit_chair")
    found = kinds_in(main)
    if not found:
        return None
    kind = found[-1][1] if _WHO_CHAIRS.search(sentence) and not m.re.pattern.startswith(
        r"\bchaired") else found[0][1]
    expertise = tuple(w for w, stem in (("finance", "financ"), ("audit", "audit"))
                      if re.search(rf"\b{stem}", who, re.I)
                      and re.search(r"\b(?:expertise|experience|qualifi|knowledge)", who, re.I))
    return ChairSpec(kind, not_kinds, expertise, start, start + len(who))


# ---------------------------------------------------------------- quorum

_FRACTION_WORDS = "|".join(sorted((re.escape(k) for k in FRACTIONS), key=len, reverse=True))
_QUORUM_FRACTION = rx(
    rf"(?P<cmp>more\s+than|over|greater\s+than|in\s+excess\s+of|{AT_LEAST}|at\s+least)?\s*"
    rf"(?P<frac>{_FRACTION_WORDS}|a\s+majority|(?:a\s+)?simple\s+majority|majority)\b"
    r"(?:\s+of\s+(?:the\s+)?(?:voting\s+)?(?:members|membership|board\s+members))?")
_QUORUM_COUNT = rx(rf"(?P<cmp>{AT_LEAST}|at\s+least)?\s*(?P<num>{NUM})\s+(?:\(\d+\)\s+)?(?:voting\s+)?members\b")


@dataclass(frozen=True, slots=True)
class QuorumRead:
    """A quorum as a sentence states it."""

    fraction: float | None
    comparator: str | None  # more_than | at_least
    members: int | None
    start: int
    end: int


def quorum(sentence: str) -> QuorumRead | None:
    """The quorum a sentence states ("a majority of members", "one third", "six members")."""
    if not re.search(r"\bquor(?:um|ate)\b", sentence, re.I):
        return None
    m = _QUORUM_FRACTION.search(sentence)
    if m:
        frac = m.group("frac").lower()
        cmp_word = (m.group("cmp") or "").lower()
        if "majority" in frac:
            return QuorumRead(0.5, "more_than", None, m.start(), m.end())
        value = FRACTIONS[re.sub(r"\s+", " ", frac)]
        comparator = ("more_than" if cmp_word and re.match(r"more|over|greater|in\s+excess",
                                                            cmp_word) else "at_least")
        return QuorumRead(round(value, 4), comparator, None, m.start(), m.end())
    m = _QUORUM_COUNT.search(sentence)
    if m:
        n = number(m.group("num"))
        if n:
            return QuorumRead(None, None, n, m.start(), m.end())
    return None


_ROLE_OF_KIND = {"chair": "chair", "chief_executive": "chief_executive",
                 "partner_member": "partner_member", "non_executive": "non_executive",
                 "executive": "executive", "finance": "executive", "medical": "executive",
                 "nursing": "executive"}


def quorum_roles(text: str) -> tuple[list[str], bool | None]:
    """Roles a quorum must include, and whether the chair (without alternative) is required."""
    roles: list[str] = []
    chair_required: bool | None = None
    alt: bool | None = None  # the text lets a deputy stand in for the chair (looked up once)
    for _, kind in kinds_in(text):
        role = _ROLE_OF_KIND.get(kind)
        if role is None:
            continue
        if kind == "chair":
            if alt is None:
                alt = bool(re.search(r"\bchair\b[^.;]{0,40}\bor\b[^.;]{0,40}\b(?:deputy|vice)",
                                     text, re.I) or
                           re.search(r"\b(?:deputy|vice)[\s-]chair\b[^.;]{0,20}\bor\b", text,
                                     re.I))
            if alt:
                chair_required = False
                continue
            chair_required = True
        if role not in roles:
            roles.append(role)
    return roles, chair_required

"""Find the facts a constitution document states, each with the clause it came from.

`find_facts(doc)` aligns the document with the model constitution (`align`), then reads each
fact from the clauses aligned to the provision where the model puts it, falling back (with
lower confidence) to clauses elsewhere that say it plainly. A value is never guessed: what is
not found is listed with the model clause where it normally sits, and two clauses that state
different values make the fact not found, with both clauses named.
`to_constitution_data(extraction)` builds the `ics-constitution/1` data the loader accepts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import patterns as pt
from .align import Alignment, align, headings_of
from .clauses import Clause, Document
from .model_constitution import BY_KEY
from .wording import COUNT, SECTOR, kinds_in, number, quote, rx, sector_in, sentences, slug

PathKey = tuple[str | int, ...]
SCHEMA = "ics-constitution/1"


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact read from the document, with where it came from and how sure the reading is."""

    path: PathKey  # keys and list indices into the constitution data
    value: Any
    clause: str | None  # clause number as printed ("3.3.1"), None for an unnumbered paragraph
    page: int | None
    paragraph: int | None
    quote: str  # <= about 160 characters of the clause, around what was read
    confidence: float  # 0..1
    method: str  # the reader that found it ("appointment", "count", "keyword", ...)


@dataclass(frozen=True, slots=True)
class NotFound:
    """A fact looked for and not found, with the model clause where it normally sits."""

    path: PathKey
    model_clause: str
    why: str


@dataclass(slots=True)
class Extraction:
    """Everything `find_facts` read from one document."""

    document: str
    facts: list[Fact] = field(default_factory=list)
    not_found: list[NotFound] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def value(self, path: PathKey) -> Any:
        """The value found at `path`, or None."""
        return next((f.value for f in self.facts if f.path == path), None)

    def fact(self, path: PathKey) -> Fact | None:
        """The fact found at `path`, or None."""
        return next((f for f in self.facts if f.path == path), None)


# ---------------------------------------------------------------- internal bookkeeping

# A symbolic path names members and committees by key ("@pm-la") until the end, when the
# keys are turned into list indices in a stable order.
Sym = tuple[str, ...]

_MEMBER_ORDER = ("chair", "chief_executive", "partner_member", "executive", "non_executive")
_SECTOR_ORDER = ("nhs_trusts", "primary_medical_services", "local_authorities", "mental_health",
                 "other")
_PORTFOLIO_ID = {"finance": "cfo", "medical": "md", "nursing": "dn"}
_SECTOR_ID = {"nhs_trusts": "pm-trusts", "primary_medical_services": "pm-primary",
              "local_authorities": "pm-la", "mental_health": "pm-mh", "other": "pm-other"}
_PM_PROVISION = {"nhs_trusts": "pm-trusts", "primary_medical_services": "pm-primary",
                 "local_authorities": "pm-la"}
_APPOINTER = {"nhs_england", "chair", "chief_executive", "board"}
_APPROVER = {"secretary_of_state", "nhs_england", "chair"}


@dataclass(slots=True)
class _Hit:
    value: Any
    clause: int
    quote: str
    confidence: float
    method: str


@dataclass
class _State:
    doc: Document
    al: Alignment
    hits: dict[Sym, list[_Hit]] = field(default_factory=dict)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> role etc.
    committees: dict[str, str] = field(default_factory=dict)  # key -> type
    warnings: list[str] = field(default_factory=list)
    looked_for: dict[Sym, str] = field(default_factory=dict)  # path -> provision key
    why: dict[Sym, str] = field(default_factory=dict)

    # -- recording
    def put(self, path: Sym, value: Any, clause: int, text: str, span: tuple[int, int],
            confidence: float, method: str) -> None:
        self.hits.setdefault(path, []).append(
            _Hit(value, clause, quote(text, span[0], span[1]), confidence, method))

    def look(self, path: Sym, provision: str, why: str | None = None) -> None:
        self.looked_for.setdefault(path, provision)
        if why:
            self.why.setdefault(path, why)

    # -- clauses
    def clauses(self, key: str) -> list[int]:
        return self.al.clauses_of(key)

    def clause(self, i: int) -> Clause:
        return self.doc.clauses[i]

    def conf(self, i: int, key: str, base: float = 0.95) -> float:
        """Confidence for a reading in clause `i` for provision `key`: lower off its place."""
        return base if self.al.keys[i] == key else round(base - 0.15, 2)

    def elsewhere(self, key: str, pattern: str) -> list[int]:
        """Clauses not aligned to `key` whose text matches `pattern` (the fallback places)."""
        assert self.al.index is not None
        hits = self.al.index.matching(pattern)
        return [i for i in sorted(hits)
                if self.al.keys[i] != key and not self.doc.clauses[i].heading]

    def candidates(self, key: str, pattern: str) -> list[int]:
        """The provision's own clauses first, then other clauses that match `pattern`."""
        own = [i for i in self.clauses(key) if not self.clause(i).heading]
        return own + self.elsewhere(key, pattern)

    # -- members
    def member(self, key: str, role: str, clause: int, text: str, span: tuple[int, int],
               method: str, **attrs: Any) -> str:
        if key not in self.members:
            self.members[key] = {"role": role, **attrs}
            conf = self.conf(clause, self.al.keys[clause] or "", 0.9)
            self.put(("board", "members", "@" + key, "id"), key, clause, text, span, conf, method)
            self.put(("board", "members", "@" + key, "role"), role, clause, text, span, conf,
                     method)
            for k, v in attrs.items():
                self.put(("board", "members", "@" + key, k), v, clause, text, span, conf,
                         method)
        return key

    def of_role(self, role: str, **match: Any) -> list[str]:
        return [k for k, m in self.members.items()
                if m["role"] == role and all(m.get(a) == v for a, v in match.items())]


def _blocks(doc: Document, i: int) -> str:
    """The lead-in of clause `i`: the text of the nearest shallower body clause above it."""
    c = doc.clauses[i]
    for j in range(i - 1, max(-1, i - 30), -1):
        d = doc.clauses[j]
        if d.heading:
            return ""
        if d.level < c.level:
            return d.text
    return ""


_SUBJECT_KINDS = {"chair", "chief_executive", "finance", "medical", "nursing", "executive",
                  "non_executive", "partner_member"}


def _under(doc: Document, i: int, j: int) -> bool:
    """Clause `j` is a sub-item of clause `i` (deeper, with nothing shallower between)."""
    base = doc.clauses[i].level
    return all(not doc.clauses[k].heading and doc.clauses[k].level > base
               for k in range(i + 1, j + 1))


def _subject_kinds(sentence: str, verb: str) -> list[str]:
    """The member kinds a sentence is about: named before a passive verb ("The Chair is
    appointed by ..."), after an active one ("NHS England appoints the Chair") or after
    "appointment of"."""
    m = re.search(rf"\b(?:{verb})\w*", sentence, re.I)
    if not m:
        return []
    word = m.group(0).lower()
    passive = word.endswith(("ed", "able")) and bool(re.search(
        r"\b(?:is|are|be|been|being|was|were)\s+(?:\w+\s+){0,2}$", sentence[:m.start()], re.I))
    if word.endswith(("ment", "al")):  # "the appointment of X", "the removal of X"
        of = re.match(r"\s+of\s+(?P<np>[^.;]*?)(?:\s+(?:is|will|shall|must|may|requires?)\b|,|$)",
                      sentence[m.end():], re.I)
        zone = of.group("np") if of else ""
        if not zone:
            zone = sentence[:m.start()]
    elif passive:
        zone = sentence[:m.start()]
    else:
        zone = re.split(r"\b(?:subject\s+to|with\s+the|following|after|in\s+accordance|on\s+the)\b",
                        sentence[m.end():], maxsplit=1, flags=re.I)[0]
    zone = re.split(r"\b(?:other\s+than|except(?:\s+for)?|excluding|apart\s+from|save\s+for)\b",
                    zone, maxsplit=1, flags=re.I)[0]
    kinds: list[str] = []
    for _, k in kinds_in(zone):
        if k in _SUBJECT_KINDS and k not in kinds:
            kinds.append(k)
    return kinds


def _heading_kind(c: Clause) -> str | None:
    for h in reversed(headings_of(c)):
        found = kinds_in(h)
        if found:
            return found[0][1]
    return None


# ---------------------------------------------------------------- the readers

# An ICB's name: "NHS <area> Integrated Care Board" (every establishment order's form). The
# area is capitalised words, joined by connectives or commas ("Bath and North East Somerset,
# Swindon and Wiltshire", "Cornwall and the Isles of Scilly", "Stoke-on-Trent"); case matters
# there, so "NHS England and the Integrated Care Board" names no area.
_WORD = r"(?:St\.|[A-Z][\w'’&-]*)"
# Connectives are lower case only, so no word can be read two ways: the pattern stays linear
# (a run of "The The The ..." took exponential time when "The" could be either).
_AREA = rf"{_WORD}(?:,?\s+(?:(?:and|of|the|upon|on|in)\s+){{0,3}}{_WORD}){{0,12}}?"
_BOARD = r"(?i:integrated\s+care\s+board)\b"
# (pattern, method, weight), most certain first: the short forms count only when no clause
# gives the full name.
_NAME_FORMS = (
    (re.compile(rf"\bNHS\s+(?P<area>{_AREA})\s+{_BOARD}"), "name", 1.0),
    (re.compile(rf"\bNHS\s+(?P<area>{_AREA})\s+ICB\b"), "name-abbreviated", 0.8),
    (re.compile(rf"(?<![\w-])(?P<area>{_AREA})\s+(?:{_BOARD}|ICB\b)"), "name-without-nhs",
     0.65),
)
# Words that start a sentence or name something else, never part of an ICB's area
_NOT_AREA = {"The", "This", "That", "Each", "Every", "Any", "An", "A", "Our", "Its", "Their",
             "Your", "Summary", "Draft", "Government", "Policy", "England", "NHS", "ICB", "ICS",
             "Integrated", "Care", "Board", "Members", "Member", "Committee", "Partnership",
             "System", "Local", "New", "Former", "Statutory", "Proposed", "Chair", "Chief",
             "Executive", "Constitution"}
_CONNECTIVES = {"and", "of", "the", "upon", "on", "in"}


def icb_names(text: str) -> Iterator[tuple[str, tuple[int, int], str, float]]:
    """Every ICB name in `text`, in its legal form: (name, span, how it was written, weight),
    the full form's matches first.

    Read as the full name: "NHS <area> Integrated Care Board"; "NHS <area> ICB"; "<area>
    Integrated Care Board" or "<area> ICB" without "NHS" (the form every ICB's name has).
    """
    for pattern, method, weight in _NAME_FORMS:
        for m in pattern.finditer(text):
            words = m.group("area").replace(",", " ,").split()
            lead = 0
            while lead < len(words) and (words[lead].strip(",") in _NOT_AREA
                                         or words[lead].lower() in _CONNECTIVES):
                lead += 1  # "The West Yorkshire ICB": the area starts at West
            kept = words[lead:]
            if not kept or any(w.strip(",") in _NOT_AREA or w.endswith(("'s", "’s"))
                               for w in kept):
                continue
            if " ".join(kept).isupper():  # a title page in capitals
                kept = ["-".join(_title(p) for p in w.split("-")) for w in kept]
            area = " ".join(kept).replace(" ,", ",")
            start = m.start() if method != "name-without-nhs" else \
                m.start("area") + len(" ".join(words[:lead])) + (1 if lead else 0)
            yield f"NHS {area} Integrated Care Board", (start, m.end()), method, weight


def icb_name(text: str) -> tuple[str, tuple[int, int], str, float] | None:
    """The first ICB name in `text` (see `icb_names`), the full form preferred."""
    return next(icb_names(text), None)


def _title(word: str) -> str:
    return word.lower() if word.lower() in _CONNECTIVES else word.capitalize()


def _name(st: _State) -> None:
    """The ICB's name: the first full name, in the name provision, a clause that names or
    calls it, else the body; failing that, the short form the document uses most (a page may
    also mention a successor or a partner ICB), read as the full name with a warning."""
    path: Sym = ("icb", "name")
    st.look(path, "name")
    named = st.candidates("name", r"\bname\b|\bcalled\b|\bknown\s+as\b")
    body_first = sorted(range(len(st.doc.clauses)), key=lambda i: st.clause(i).heading)
    own = set(named)
    mentions: dict[str, list[tuple[int, tuple[int, int], str, float]]] = {}
    for i in dict.fromkeys(named + body_first):  # a title page last
        text = st.clause(i).text
        seen: set[str] = set()
        for value, span, method, weight in icb_names(text):
            if weight == 1.0:  # the full name: the first one wins
                st.put(path, value, i, text, span, st.conf(i, "name") if i in own else 0.7,
                       method if i in own else "first-mention")
                return
            if value not in seen:  # a clause counts once for each ICB it names
                seen.add(value)
                mentions.setdefault(value, []).append((i, span, method, weight))
    if not mentions:
        return
    value = max(mentions, key=lambda v: (len(mentions[v]), max(m[3] for m in mentions[v])))
    i, span, method, weight = max(mentions[value], key=lambda m: m[3])
    text = st.clause(i).text
    st.put(path, value, i, text, span, round(0.7 * weight, 2), method)
    st.warnings.append(f"the ICB's full name is not given; '{text[span[0]:span[1]]}' is read "
                       f"as '{value}' (named in {len(mentions[value])} clause(s))")


_COUNCIL = re.compile(
    r"\b(?:the\s+)?(?P<name>(?:(?:London\s+|Royal\s+)?Borough\s+of\s+[A-Z][\w'-]+(?:\s+(?:and\s+|upon\s+)?[A-Z][\w'-]+){0,3}(?:\s+Council)?)|"
    r"(?:City\s+of\s+[A-Z][\w'-]+\s+Council)|"
    r"(?:[A-Z][\w'-]+(?:\s+(?:and\s+|upon\s+|on\s+)?[A-Z][\w'-]+){0,4}?\s+(?:County\s+|City\s+|Borough\s+|District\s+|Metropolitan\s+Borough\s+)?Council))\b")
_NOT_A_NAME = {"the", "each", "any", "all", "a", "every", "relevant", "such", "local", "this",
               "partner", "county", "city", "borough", "district", "that", "member", "members"}


_AREA = r"\bareas?\b|\bboundar|\bserves\b|\bcovers?\b"


def _area(st: _State) -> None:
    """The area as described, and the councils named in it (from the clauses aligned to the
    model's area provision, else the first clause that names the ICB's area and a council)."""
    st.look(("icb", "area", "description"), "area")
    st.look(("icb", "area", "local_authorities"), "area")
    found: list[tuple[str, int, str, tuple[int, int]]] = []
    described = False
    pool = [i for i in st.clauses("area") if not st.clause(i).heading]
    conf = 0.9
    if not pool:
        pool = [i for i in st.elsewhere("area", _AREA)
                if _COUNCIL.search(st.clause(i).text)][:1]
        conf = 0.75
    for i in pool:
        c = st.clause(i)
        if not described and re.search(_AREA, c.text, re.I):
            desc = c.text if len(c.text) <= 600 else c.text[:600].rsplit(" ", 1)[0]
            st.put(("icb", "area", "description"), desc, i, c.text, (0, len(desc)), conf, "area")
            described = True
        for m in _COUNCIL.finditer(c.text):
            name = re.sub(r"\s+", " ", m.group("name"))
            first = name.split()[0].lower()
            if first in _NOT_A_NAME:
                continue
            if all(n != name for n, *_ in found):
                found.append((name, i, c.text, m.span()))
    for k, (name, i, text, span) in enumerate(found):
        base = ("icb", "area", "local_authorities", f"@la{k}")
        st.put((*base, "id"), slug(name), i, text, span, conf, "council-name")
        st.put((*base, "name"), name, i, text, span, conf, "council-name")


def _composition(st: _State) -> None:
    """Members named in the composition section: chair, chief executive, partner members by
    nominating sector, executive directors by portfolio, non-executive members by number."""
    ned_count: tuple[int, int, str, tuple[int, int]] | None = None
    own = [i for k in ("composition", "partner-nomination") for i in st.clauses(k)]
    lead = rx(r"\b(?:consists?|comprises?|is\s+made\s+up|shall\s+be\s+made\s+up|is\s+composed)\s+of\b|"
              r"\b(?:board|ICB)\s+(?:also\s+)?(?:includes?|has)\b|\bwe\s+(?:also\s+)?have\b[^.;]{0,40}\bmembers\b|"
              r"\b(?:the\s+)?(?:members|membership)\s+of\s+the\s+(?:board|ICB)\s+(?:are|is|will\s+be|shall\s+be)\b")
    for i, c in enumerate(st.doc.clauses):
        if not c.heading and lead.search(c.text):
            own.append(i)  # a membership list: the clause and all its items
            own.extend(j for j in range(i + 1, min(i + 30, len(st.doc.clauses)))
                       if _under(st.doc, i, j))
    for i in sorted(set(own)):
        c = st.clause(i)
        if c.heading:
            continue
        lead = _blocks(st.doc, i)
        for off, s in sentences(c.text):
            if re.search(r"\bparticipant|\bobserver|\bnon[\s-]?voting", s, re.I):
                continue
            kinds = kinds_in(s)
            partner_ctx = bool(re.search(r"\bpartner\s+members?\b", s + " " + lead, re.I))
            nominated_ctx = bool(re.search(r"\bnominat", s + " " + lead, re.I))
            for pos, kind in kinds:
                span = (off + pos, off + pos + 20)
                if kind == "chair" and not re.search(r"\b(?:deputy|vice)\b",
                                                     s[max(0, pos - 8):pos], re.I):
                    st.member("chair", "chair", i, c.text, span, "composition")
                elif kind == "chief_executive":
                    st.member("ceo", "chief_executive", i, c.text, span, "composition")
                elif kind in _PORTFOLIO_ID:
                    st.member(_PORTFOLIO_ID[kind], "executive", i, c.text, span, "composition",
                              portfolio=kind)
                elif kind == "non_executive":
                    m = re.search(COUNT + r"\s+(?:independent\s+)?non[\s-]?executive", s, re.I)
                    n = number(m.group("num")) if m else None
                    if n and (ned_count is None or n > ned_count[0]):
                        ned_count = (n, i, c.text, (off + m.start(), off + m.end()))
            if partner_ctx and (nominated_ctx or re.search(r"\bpartner\s+members?\b", s, re.I)):
                for part_off, part, n in _sector_parts(s):
                    sector = sector_in(part)
                    if sector is None:
                        continue
                    for seq in range(1, n + 1):
                        key = _SECTOR_ID[sector] + ("" if seq == 1 else f"-{seq}")
                        st.member(key, "partner_member", i, c.text,
                                  (off + part_off, off + part_off + len(part)), "composition",
                                  sector=sector, nominated_by=sector)
    if ned_count:
        n, i, text, span = ned_count
        for k in range(1, n + 1):
            st.member(f"ned-{k}", "non_executive", i, text, span, "count")


def _sector_parts(s: str) -> list[tuple[int, str, int]]:
    """A sentence about partner members cut into one part per nominating sector, each with
    the number of members it gives ("two nominated by the trusts, one by the councils").
    A part naming several sectors at once (a summary) gives none."""
    from .wording import sectors_in

    if len(sectors_in(s)) <= 1:
        m = re.search(COUNT + r"\s+(?:partner\s+)?members?\b", s, re.I)
        n = number(m.group("num")) if m else 1
        return [(0, s, n or 1)] if sectors_in(s) else []
    parts: list[tuple[int, str, int]] = []
    pos = 0
    for piece in re.split(r"(,\s*(?:and\s+)?|[;:]\s*|\s+and\s+(?=(?:one|two|three|four|\d)\b))", s):
        start = pos
        pos += len(piece)
        if len(sectors_in(piece)) != 1:
            continue
        # the number nearest before the sector: "three Partner Members: one nominated by
        # the trusts" gives the trusts one, not three
        at = next(p.search(piece).start() for k, p in SECTOR if k == sectors_in(piece)[0])
        counts = list(re.finditer(r"\b(?:" + COUNT + r")\b", piece[:at], re.I))
        n = number(counts[-1].group("num")) if counts else None
        if n is None:
            continue  # a sector named without saying how many members it nominates
        parts.append((start, piece, n))
    return parts


_KIND_ROLE = {"chair": ("chair", {}), "chief_executive": ("chief_executive", {}),
              "finance": ("executive", {"portfolio": "finance"}),
              "medical": ("executive", {"portfolio": "medical"}),
              "nursing": ("executive", {"portfolio": "nursing"}),
              "executive": ("executive", {}),
              "non_executive": ("non_executive", {}), "partner_member": ("partner_member", {})}
_APPOINT_PROVISIONS = {"chair-appointment": "chair", "ceo-appointment": "chief_executive",
                       "finance-director": "finance", "medical-director": "medical",
                       "nursing-director": "nursing", "nem-appointment": "non_executive",
                       "pm-trusts": "partner_member", "pm-primary": "partner_member",
                       "pm-la": "partner_member"}
_PROVISION_SECTOR = {"pm-trusts": "nhs_trusts", "pm-primary": "primary_medical_services",
                     "pm-la": "local_authorities"}


def _targets(st: _State, kind: str, c: Clause, sentence: str, i: int) -> list[str]:
    """The member keys a sentence about `kind` applies to. A member is created when its own
    section of the model names it and the composition did not (a heading "Medical Director"
    with its appointment rule states that the board has one)."""
    role, attrs = _KIND_ROLE[kind]
    provision = st.al.keys[i] or ""
    if role == "partner_member":
        sector = sector_in(sentence) if re.search(r"\bpartner\s+members?\b", sentence, re.I) \
            else None
        for h in reversed(headings_of(c)):
            sector = sector or sector_in(h)
        sector = sector or _PROVISION_SECTOR.get(provision)
        if sector is None:
            if re.search(r"\bpartner\s+members\b", sentence, re.I) or re.search(
                    r"\b(?:each|every)\s+partner\s+member\b", sentence, re.I):
                return st.of_role("partner_member")  # the partner members as a whole
            return []
        keys = st.of_role("partner_member", sector=sector)
        if not keys and provision in _PROVISION_SECTOR:
            keys = [st.member(_SECTOR_ID[sector], "partner_member", i, c.text, (0, 40),
                              "section", sector=sector, nominated_by=sector)]
        return keys
    keys = st.of_role(role, **attrs)
    named = [k for _, k in kinds_in(sentence)]
    if not keys and kind in ("chair", "chief_executive", "finance", "medical", "nursing") \
            and (_APPOINT_PROVISIONS.get(provision) == kind or kind in named):
        key = {"chair": "chair", "chief_executive": "ceo"}.get(kind) or _PORTFOLIO_ID[kind]
        keys = [st.member(key, role, i, c.text, (0, 40), "section", **attrs)]
    return keys


def _appointments(st: _State) -> None:
    """Who appoints and who approves each member, from the appointment sections (and, with
    lower confidence, from any clause that names the member it is about)."""
    own_clauses = {i for p in (*_APPOINT_PROVISIONS, "partner-nomination")
                   for i in st.clauses(p)}
    loose = rx(r"\bappoint")
    for i, c in enumerate(st.doc.clauses):
        if c.heading or not loose.search(c.text):
            continue
        own = i in own_clauses
        for off, s in sentences(c.text):
            appointer, approver = pt.appointment(s)
            if approver is None and re.search(r"\bappointments?\b", s, re.I):
                approver = pt.approval(s)
            if appointer is None and approver is None:
                continue
            kinds = _subject_kinds(s, r"appoint")
            if not kinds and own:
                heading = _heading_kind(c)
                default = _APPOINT_PROVISIONS.get(st.al.keys[i] or "")
                kinds = [heading or default] if (heading or default) else []
            if not kinds:
                continue
            conf = 0.95 if own else 0.8
            for kind in kinds:
                if kind not in _KIND_ROLE:
                    continue
                for key in _targets(st, kind, c, s, i):
                    base = ("board", "members", "@" + key)
                    if appointer:
                        v = appointer.value if appointer.value in _APPOINTER else "other"
                        st.put((*base, "appointed_by"), v, i, c.text,
                               (off + appointer.start, off + appointer.end), conf, "appointment")
                    if approver and approver.value in _APPROVER:
                        st.put((*base, "approved_by"), approver.value, i, c.text,
                               (off + approver.start, off + approver.end), conf, "approval")
    for key, m in st.members.items():
        prov = {"chair": "chair-appointment", "chief_executive": "ceo-appointment",
                "non_executive": "nem-appointment"}.get(m["role"])
        if m["role"] == "partner_member":
            prov = _PM_PROVISION.get(m.get("sector", ""), "pm-trusts")
        elif m["role"] == "executive":
            prov = {"finance": "finance-director", "medical": "medical-director",
                    "nursing": "nursing-director"}.get(m.get("portfolio", ""), "composition")
        if prov:
            st.look(("board", "members", "@" + key, "appointed_by"), prov)


def _nominations(st: _State) -> None:
    """Nomination stated in a partner member's own section (model 3.5 to 3.7)."""
    for provision, sector in (("pm-trusts", "nhs_trusts"), ("pm-primary", "primary_medical_services"),
                              ("pm-la", "local_authorities")):
        for i in st.clauses(provision):
            c = st.clause(i)
            if c.heading:
                continue
            m = re.search(r"\bnominat\w*\s+(?:jointly\s+)?by\s+(?P<who>[^.;]{3,120})", c.text, re.I)
            if m and sector_in(m.group("who")) == sector:
                for key in _targets(st, "partner_member", c, provision, i):
                    st.put(("board", "members", "@" + key, "nominated_by"), sector, i, c.text,
                           m.span(), 0.95, "nomination")


_PRONOUN = rx(r"^\W*(?:they|these\s+members|this\s+member|each\s+such\s+member|such\s+members?|each(?:\s+of\s+them)?|the\s+(?:member|members|post-?holders?))\b")
_MAIN_VERB = rx(r"\b(?:is|are|shall|will|must|may|should|has|have)\b")


def _sentence_subjects(st: _State, i: int) -> Iterator[tuple[int, str, list[str]]]:
    """Each sentence of clause `i` with the member kinds it is about: those named before its
    main verb; for "They ..." the previous sentence's; otherwise the clause's heading's."""
    c = st.clause(i)
    prev: list[str] = []
    for off, s in sentences(c.text):
        v = _MAIN_VERB.search(s)
        zone = s[:v.start()] if v else s
        zone = re.split(r"\b(?:other\s+than|except(?:\s+for)?|excluding|apart\s+from)\b",
                        zone, maxsplit=1, flags=re.I)[0]
        kinds = [k for _, k in kinds_in(zone) if k in _SUBJECT_KINDS]
        if not kinds and _PRONOUN.search(s):
            kinds = prev
        if not kinds and not re.search(
                r"\b(?:a|any|no)\s+(?:person|one|individual)\b", zone, re.I):
            heading = _heading_kind(c)
            kinds = [heading] if heading in _SUBJECT_KINDS else []
        yield off, s, kinds
        prev = kinds or prev


def _members_of_kind(st: _State, kind: str) -> list[str]:
    role, attrs = _KIND_ROLE[kind]
    return st.of_role(role, **attrs)


def _employment(st: _State) -> None:
    """Chief executive and executive directors: employed by (or seconded to) the ICB."""
    pat = rx(r"\bemployees?\s+of\s+the\s+ICB\b|\bemployed\s+by\s+the\s+ICB\b")
    for i, c in enumerate(st.doc.clauses):
        if c.heading or not pat.search(c.text):
            continue
        for off, s, kinds in _sentence_subjects(st, i):
            m = pat.search(s)
            if not m or re.search(r"\bnot\s+(?:be\s+)?(?:an?\s+)?(?:employee|employed)|\bno\s+employee",
                                  s, re.I):
                continue
            for kind in kinds:
                if kind in ("chief_executive", "finance", "medical", "nursing", "executive"):
                    for key in _members_of_kind(st, kind):
                        st.put(("board", "members", "@" + key, "icb_employee"), True, i, c.text,
                               (off + m.start(), off + m.end()), 0.85, "employment")


def _independence(st: _State) -> None:
    """Chair and non-executive members: independent (no role in a local health or care body)."""
    pat = rx(r"\b(?:will|must|shall)\s+be\s+independent\b|\b(?:who\s+)?is\s+(?:an?\s+)?independent\b|"
             r"\bnot\s+(?:hold|have)\s+(?:a|any)\s+(?:other\s+)?(?:role|post|position)\s+in\s+(?:another|any)\s+health")
    for i, c in enumerate(st.doc.clauses):
        if c.heading or not pat.search(c.text):
            continue
        for off, s, kinds in _sentence_subjects(st, i):
            m = pat.search(s)
            if not m:
                continue
            for kind in kinds:
                if kind in ("chair", "non_executive"):
                    for key in _members_of_kind(st, kind):
                        st.put(("board", "members", "@" + key, "independent"), True, i, c.text,
                               (off + m.start(), off + m.end()), 0.85, "independence")


def _mental_health_expertise(st: _State) -> None:
    """A member said to have knowledge and experience of mental health services (a fact
    about the member, not the chair's duty to seek one, which `mental_health_duty` records)."""
    pat = rx(r"\b(?:has|have|brings?|holds?)\b[^.;]{0,40}\b(?:knowledge|experience|expertise)\b[^.;]{0,80}"
             r"\bmental\s+(?:health|illness)\b")
    duty = rx(r"\b(?:at\s+least\s+one|seek|ensure|must|should|shall)\b")
    for i, c in enumerate(st.doc.clauses):
        if c.heading or not pat.search(c.text):
            continue
        for off, s, kinds in _sentence_subjects(st, i):
            m = pat.search(s)
            if not m or duty.search(s[:m.start()]):
                continue
            for kind in kinds:
                for key in _targets(st, kind, c, s, i):
                    st.put(("board", "members", "@" + key, "mental_health_expertise"), True, i,
                           c.text, (off + m.start(), off + m.end()), 0.8, "mental-health")


def _removal(st: _State) -> None:
    path_by: Sym = ("board", "members", "@chair", "removable_by")
    path_ok: Sym = ("board", "members", "@chair", "removal_approved_by")
    if "chair" not in st.members:
        return
    st.look(path_by, "removal")
    st.look(path_ok, "removal")
    for i in st.candidates("removal", r"\bchair\b[^.;]{0,80}\bremov|\bremov[^.;]{0,80}\bchair\b"):
        c = st.clause(i)
        for off, s in sentences(c.text):
            if re.search(r"\b(?:exception\s+of|other\s+than|except(?:\s+for)?|apart\s+from)\s+the\s+(?:ICB\s+)?chair",
                         s, re.I):
                continue
            remover, approver = pt.removal(s)
            if remover is None:
                continue
            kinds = _subject_kinds(s, r"remov|dismiss") or [_heading_kind(c)]
            if kinds != ["chair"]:
                continue
            conf = st.conf(i, "removal")
            v = remover.value if remover.value in _APPOINTER else "other"
            st.put(path_by, v, i, c.text, (off + remover.start, off + remover.end), conf,
                   "removal")
            if approver and approver.value in _APPROVER:
                st.put(path_ok, approver.value, i, c.text,
                       (off + approver.start, off + approver.end), conf, "approval")


_ELIGIBILITY = (("fit_and_proper_person", r"\bfit\s+and\s+proper\b"),
                ("nolan_principles", r"\bNolan\b|\bSeven\s+Principles\s+of\s+Public\s+Life\b"),
                ("role_specification", r"\b(?:role|person|job)\s+specification\b"))
_DISQUALIFICATION = (
    ("member_of_parliament", r"\bMembers?\s+of\s+Parliament\b|\bMPs?\b"),
    ("conviction_5y", r"\bconvicted\b|\bconviction\b"),
    ("bankruptcy_restriction", r"\bbankruptcy\s+restrictions?\b"),
    ("health_body_dismissal_5y", r"\bdismissed\b[^.;]{0,200}\b(?:health\s+service\s+body|NHS\s+body)|\bhealth\s+service\s+body\b[^.;]{0,80}\bdismiss"),
    ("private_healthcare_independence",
     r"\bundermin\w*\s+the\s+independence\s+of\s+the\s+(?:national\s+)?health\s+service\b"),
)


def _lists(st: _State, provision: str, path: Sym, vocab: tuple[tuple[str, str], ...],
           method: str) -> list[str]:
    st.look(path, provision)
    got: list[str] = []
    first: tuple[int, str, tuple[int, int]] | None = None
    where: set[int] = set()
    own = [i for i in st.clauses(provision) if not st.clause(i).heading]
    anywhere = "|".join(f"(?:{p})" for _, p in vocab)
    pool = own if own else st.elsewhere(provision, anywhere)[:1]  # a list stated elsewhere
    for i in list(pool):  # the whole list an item belongs to, wherever its items aligned
        parent = _parent(st.doc, i)
        if parent is not None:
            pool.extend(j for j in range(parent, min(parent + 30, len(st.doc.clauses)))
                        if j == parent or _under(st.doc, parent, j))
    pool = sorted(set(pool))
    for i in pool:
        c = st.clause(i)
        for word, pattern in vocab:
            m = rx(pattern).search(c.text)
            if m and word not in got:
                got.append(word)
                where.add(i)
                if first is None:
                    first = (i, c.text, m.span())
    if got and first:
        order = [w for w, _ in vocab]
        parents = {_parent(st.doc, i) for i in where}
        cite = first[0]
        if len(where) > 1 and len(parents) == 1 and None not in parents:
            cite = parents.pop()  # items of one list: cite the clause that introduces it
        st.put(path, sorted(got, key=order.index), cite, first[1], first[2],
               0.9 if own else 0.75, method)
    return got


def _parent(doc: Document, i: int) -> int | None:
    """The body clause a sub-item belongs to (the nearest shallower one above it)."""
    c = doc.clauses[i]
    for j in range(i - 1, max(-1, i - 40), -1):
        d = doc.clauses[j]
        if d.heading:
            return None
        if d.level < c.level:
            return j
    return None


def _appointment_terms(st: _State) -> None:
    """Eligibility and disqualification lists, the independence prohibition, terms of office,
    the chair's mental health duty and whether the ordinary members' procedure is set out."""
    _lists(st, "eligibility", ("board", "appointments", "eligibility"), _ELIGIBILITY, "eligibility")
    _lists(st, "disqualification", ("board", "appointments", "disqualifications"),
           _DISQUALIFICATION, "disqualification")
    path: Sym = ("board", "appointments", "private_healthcare_independence_test")
    st.look(path, "disqualification")
    pat = rx(_DISQUALIFICATION[-1][1])
    for i in st.candidates("disqualification", _DISQUALIFICATION[-1][1]):
        c = st.clause(i)
        m = pat.search(c.text)
        if m:
            st.put(path, True, i, c.text, m.span(), st.conf(i, "disqualification"),
                   "disqualification")
            break
    _flag(st, ("board", "appointments", "terms_of_office"), "terms",
          r"\bterms?\s+of\s+(?:office|appointment)\b|\bappointed\s+for\s+(?:a\s+)?(?:term|period)\s+of\b|"
          r"\bhold\s+office\s+for\b|\bterm\s+of\s+(?:up\s+to\s+)?\w+\s+years\b")
    _flag(st, ("board", "appointments", "mental_health_duty"), "composition",
          r"\bmental\s+(?:health|illness)\b[^.]{0,200}\b(?:knowledge|experience|expertise)\b|"
          r"\b(?:knowledge|experience|expertise)\b[^.]{0,200}\bmental\s+(?:health|illness)\b",
          everywhere=True)
    path = ("board", "appointments", "ordinary_members_procedure")
    st.look(path, "pm-trusts", "no clause says how the partner members are appointed")
    for key in st.of_role("partner_member"):
        hits = st.hits.get(("board", "members", "@" + key, "appointed_by"))
        if hits:
            h = hits[0]
            st.hits.setdefault(path, []).append(_Hit(True, h.clause, h.quote, 0.8, "section"))
            break


def _flag(st: _State, path: Sym, provision: str, pattern: str, *,
          everywhere: bool = False, negate: str | None = None, fallback: bool = True) -> None:
    """A true/false fact that is stated when a clause says it (never set false by silence)."""
    st.look(path, provision)
    pat = rx(pattern)
    pool = st.candidates(provision, pattern) if everywhere else [
        i for i in st.clauses(provision) if not st.clause(i).heading] + (
        st.elsewhere(provision, pattern)[:3] if fallback else [])
    for i in pool:
        c = st.clause(i)
        m = pat.search(c.text)
        if m:
            if negate and re.search(negate, c.text, re.I):
                st.put(path, False, i, c.text, m.span(), st.conf(i, provision, 0.85), "keyword")
            else:
                st.put(path, True, i, c.text, m.span(), st.conf(i, provision, 0.9), "keyword")
            return


def _governance(st: _State) -> None:
    g = ("governance",)
    _flag(st, (*g, "standing_orders"), "standing-orders", r"\bstanding\s+orders\b", everywhere=True)
    _flag(st, (*g, "scheme_of_reservation_and_delegation"), "sord",
          r"\bscheme\s+of\s+reservation\s+and\s+delegation\b|\bSoRD\b", everywhere=True)
    _flag(st, (*g, "standing_financial_instructions"), "sfis",
          r"\bstanding\s+financial\s+instructions\b", everywhere=True)
    _flag(st, (*g, "functions_and_decisions_map"), "decision-map",
          r"\bfunctions\s+and\s+decisions?\s+map\b", everywhere=True)
    _flag(st, (*g, "governance_handbook"), "related-documents", r"\bgovernance\s+handbook\b",
          everywhere=True)
    _flag(st, (*g, "employees_terms_and_conditions"), "remuneration-committee",
          r"\bterms\s+and\s+conditions\b[^.]{0,80}\b(?:employees|staff)\b|\b(?:employees|staff)\b[^.]{0,120}\bterms\s+and\s+conditions\b|\bappoint\s+employees\b")
    coi = (*g, "conflicts_of_interest")
    _flag(st, (*coi, "policy"), "coi",
          r"\bconflicts?\s+of\s+interests?\s+(?:policy|policies)\b|\bmanag\w*\s+(?:of\s+)?conflicts?\s+of\s+interest|"
          r"\bstandards\s+of\s+business\s+conduct\s+polic|\bpolicy\b[^.]{0,60}\bconflicts?\s+of\s+interest")
    _flag(st, (*coi, "registers_published"), "coi",
          r"\bpublish\w*\b[^.]{0,80}\bregisters?\b|\bregisters?\s+of\s+interests?\b[^.]{0,200}\bpublish", everywhere=True)
    _flag(st, (*coi, "declarations_at_meetings"), "coi",
          r"\bdeclar\w*\b[^.]{0,120}\bmeetings?\b|\bmeetings?\b[^.]{0,120}\bdeclar\w*\b")
    _registers(st)
    t = (*g, "transparency")
    _flag(st, (*t, "board_meetings_in_public"), "transparency",
          r"\b(?:board\s+)?meetings\b[^.]{0,160}\b(?:held|take\s+place|open)\s+(?:in\s+public|to\s+the\s+public)\b|\bmeets?\s+in\s+public\b|"
          r"\bholds?\s+(?:its\s+|all\s+)?(?:board\s+)?meetings\s+in\s+public\b")
    _flag(st, (*t, "exclusion_by_resolution_only"), "transparency",
          r"\bresolution\b[^.]{0,80}\bexclud|\bexclud\w*\b[^.]{0,80}\bresolution\b|\bresolves?\s+to\s+exclude\b")
    _flag(st, (*t, "papers_published"), "transparency",
          r"\bpapers\b[^.]{0,80}\bpublish|\bpublish\w*\b[^.]{0,40}\bpapers\b")
    _flag(st, (*t, "minutes_published"), "transparency",
          r"\bminutes\b[^.]{0,80}\bpublish|\bpublish\w*\b[^.]{0,40}\bminutes\b")
    _flag(st, (*t, "annual_report"), "transparency", r"\bannual\s+report\b", everywhere=True)
    _flag(st, (*t, "audited_accounts_published"), "transparency",
          r"\baccounts\b[^.]{0,60}\baudited\b[^.]{0,60}\bpublish|\baudited\s+(?:annual\s+)?accounts\b[^.]{0,60}\bpublish|"
          r"\bpublish\w*\b[^.]{0,80}\baudited\s+(?:annual\s+)?accounts")
    p = (*g, "public_involvement")
    _flag(st, (*p, "arrangements"), "public-involvement",
          r"\b14Z45\b|\barrangements\b[^.]{0,120}\binvolv|\binvolv\w*\b[^.]{0,80}\b(?:public|people|patients|individuals)\b")
    _flag(st, (*p, "planning"), "public-involvement", r"\bplanning\s+(?:of\s+)?(?:the\s+|its\s+|our\s+)?commissioning\b")
    _flag(st, (*p, "proposals"), "public-involvement",
          r"\bproposals\b[^.;]{0,80}\bchanges?\b[^.;]{0,40}\bcommissioning\b|\bproposals\s+for\s+(?:changes?|change)\b")
    _flag(st, (*p, "decisions"), "public-involvement",
          r"\bdecisions\b[^.;]{0,60}\baffecting\b[^.;]{0,40}\b(?:commissioning|operation)\b|\bdecisions\b[^.;]{0,80}\boperation\s+of\s+(?:the\s+)?commissioning")
    _flag(st, (*p, "carers_and_representatives"), "public-involvement",
          r"\bcarers\b[^.;]{0,20}\b(?:and|or)\s+representatives\b")
    _flag(st, (*p, "plan_consultation"), "public-involvement",
          r"\b14Z54\b|\bconsult\w*\b[^.]{0,80}\b(?:system|forward|five[\s-]year|joint)\s+plan")
    _flag(st, (*p, "principles_adopted"), "public-involvement",
          r"\bprinciples\b[^.]{0,80}\bworking\s+with\s+people\s+and\s+communities\b")
    _flag(st, (*p, "healthwatch_involved"), "public-involvement", r"\bHealthwatch\b",
          fallback=False)
    v = ("icb", "constitution", "variation")
    _flag(st, (*v, "on_icb_application_with_nhs_england_approval"), "variation",
          r"\bappl(?:ication|ying|ies|y)\b[^.]{0,120}\bNHS\s*England\b|\bNHS\s*England\b[^.]{0,120}\bapplication\b|"
          r"\bvar\w+\b[^.]{0,80}\b(?:approval|agreement)\s+of\s+NHS\s*England\b")
    _flag(st, (*v, "nhs_england_own_initiative"), "variation",
          r"\bNHS\s*England\b[^.]{0,80}\bown\s+(?:initiative|motion)\b|\bown\s+initiative\b")
    _flag(st, ("icb", "establishment_order"), "status", r"\bEstablishment\)\s+Order\s+\d{4}\b",
          everywhere=True)
    _order_name(st)
    _flag(st, ("board", "unitary"), "composition", r"\bunitary\s+board\b", everywhere=True)
    _flag(st, ("board", "skills_review"), "composition",
          r"\breview\w*\b[^.]{0,40}\bskills\b|\bskills\b[^.]{0,60}\breviewed\b", everywhere=True)
    _flag(st, (*v, "board_may_vary_unilaterally"), "variation",
          r"\b(?:board|ICB)\s+(?:may|can|cannot|may\s+not|shall\s+not|must\s+not)\s+(?:itself\s+)?(?:vary|amend|change)\b",
          negate=r"\b(?:cannot|may\s+not|shall\s+not|must\s+not)\s+(?:itself\s+)?(?:vary|amend|change)\b",
          fallback=False)
    _constitution_meta(st)
    d = ("board", "decisions")
    _flag(st, (*d, "consensus_first"), "decisions", r"\bconsensus\b")
    _flag(st, (*d, "chair_casting_vote"), "decisions", r"\bcasting\s+vote\b",
          negate=r"\bno\s+casting\s+vote\b|\bnot\s+have\s+a\s+casting\s+vote\b")
    _voting(st)


_MONTHS = {m: n for n, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1)}
_DATE = (r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m>January|February|March|April|May|June|July|"
         r"August|September|October|November|December)\s+(?P<y>\d{4})|(?P<iso>\d{4}-\d{2}-\d{2})")


def _date(m: re.Match[str]) -> str | None:
    """The ISO date a `_DATE` match stands for, or None when it is no real date."""
    import datetime

    try:
        if m.group("iso"):
            return datetime.date.fromisoformat(m.group("iso")).isoformat()
        return datetime.date(int(m.group("y")), _MONTHS[m.group("m").lower()],
                             int(m.group("d"))).isoformat()
    except ValueError:
        return None


def _constitution_meta(st: _State) -> None:
    """The constitution's version, the date NHS England approved it, the date it took
    effect, and where it is published."""
    meta = ("icb", "constitution")
    readers: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("version", (r"\b(?:this\s+is\s+)?version\s+(?P<v>\d+(?:\.\d+){0,3})\b",)),
        ("approved_by_nhs_england", (
            rf"\bNHS\s*England\s+approved\s+(?:it|this\s+(?:version|constitution))\s+on\s+(?:{_DATE})",
            rf"\bapproved\s+by\s+NHS\s*England\s+on\s+(?:{_DATE})")),
        ("effective_from", (
            rf"\b(?:took|takes|came\s+into|comes\s+into)\s+(?:effect|force)\s+(?:on|from)\s+(?:{_DATE})",
            rf"\beffective\s+from\s+(?:{_DATE})")),
        ("published_url", (
            r"\bpublished\b[^.]{0,80}?(?P<url>https?://[^\s<>\"')]+[^\s<>\"').,;])",)),
    )
    for key, alternatives in readers:
        path: Sym = (*meta, key)
        st.look(path, "status")
        pats = [rx(p) for p in alternatives]
        for i, c in enumerate(st.doc.clauses):
            m = None if c.heading else next(
                (hit for hit in (p.search(c.text) for p in pats) if hit), None)
            if m is None:
                continue
            groups = m.groupdict()
            if key == "version":
                value: Any = groups["v"]
            elif key == "published_url":
                value = groups["url"]
            else:
                value = _date(m)
            if value:
                st.put(path, value, i, c.text, m.span(), 0.85, "constitution-" + key)
                break


def _order_name(st: _State) -> None:
    """The establishment order is text: replace the keyword flag with the order's name."""
    path: Sym = ("icb", "establishment_order")
    hits = st.hits.get(path)
    if not hits:
        return
    h = hits[0]
    text = st.clause(h.clause).text
    m = (re.search(r"(?:The\s+)?(?:National\s+Health\s+Service\s+\()?Integrated\s+Care\s+Boards?"
                   r"\s*\(Establishment\)\s+Order\s+\d{4}", text)
         or re.search(r"\b[A-Z][\w()]*(?:\s+[A-Z(][\w()]*){0,8}\s+\(Establishment\)\s+Order\s+\d{4}",
                      text))
    if m:
        hits[0] = _Hit(m.group(0).strip(), h.clause, h.quote, h.confidence, "order-name")
    else:
        del st.hits[path]


def _voting(st: _State) -> None:
    path: Sym = ("board", "decisions", "voting")
    st.look(path, "decisions")
    for i in st.clauses("decisions"):
        c = st.clause(i)
        m = re.search(r"\b(?:majority\s+(?:of\s+(?:the\s+)?)?(?:votes|those\s+(?:present|voting))|"
                      r"put\s+to\s+a\s+vote|by\s+a\s+(?:simple\s+)?majority)\b", c.text, re.I)
        if m and not re.search(r"\bquor", c.text, re.I):
            st.put(path, "majority", i, c.text, m.span(), 0.85, "voting")
            return


def _registers(st: _State) -> None:
    path: Sym = ("governance", "conflicts_of_interest", "registers")
    st.look(path, "coi")
    got: list[str] = []
    first = None
    for i in st.candidates("coi", r"\bregisters?\s+of\s+(?:\w+\s+){0,3}?interests?\b"):
        c = st.clause(i)
        m = re.search(r"\bregisters?\s+of\s+(?:\w+\s+){0,3}?interests?\b", c.text, re.I)
        if not m:
            continue
        block = c.text + " " + " ".join(
            st.clause(j).text for j in range(i + 1, min(i + 6, len(st.doc.clauses)))
            if st.clause(j).level > c.level and not st.clause(j).heading)
        for word, pattern in (("members", r"\b(?:board\s+)?members\b"),
                              ("employees", r"\bemployees\b|\bstaff\b"),
                              ("committee_members", r"\bcommittees?\b|\bsub-committees?\b")):
            if word not in got and re.search(pattern, block, re.I):
                got.append(word)
        if got:
            first = first or (i, c.text, m.span())
            break
    if first:
        st.put(path, got, first[0], first[1], first[2], 0.85, "registers")


def _guardian(st: _State) -> None:
    path: Sym = ("governance", "conflicts_of_interest", "guardian")
    for i in st.candidates("coi", r"\bGuardian\b"):
        c = st.clause(i)
        m = re.search(r"\bconflicts?\s+of\s+interests?\s+guardian\b", c.text, re.I)
        if not m:
            continue
        kinds = [k for _, k in kinds_in(c.text)]
        if "audit_chair" in kinds and st.committees.get("audit"):
            chair = _committee_chair_key(st, "audit")
            if chair:
                st.put(path, "@" + chair, i, c.text, m.span(), 0.8, "guardian")
        return


def _committee_chair_key(st: _State, ckey: str) -> str | None:
    hits = st.hits.get(("committees", "@" + ckey, "chair"))
    return hits[0].value.lstrip("@") if hits else None


_COMMITTEE = {"audit": (r"\bAudit(?:\s+and\s+(?:Risk|Assurance|Governance))?(?:\s+Committee)\b",
                        "audit-committee"),
              "remuneration": (r"\bRemuneration(?:\s+and\s+(?:Nominations?|People))?(?:\s+Committee)\b",
                               "remuneration-committee")}


def _committees(st: _State) -> None:
    for ckey, (pattern, provision) in _COMMITTEE.items():
        base = ("committees", "@" + ckey)
        st.look((*base, "chair"), provision)
        pat = rx(pattern)
        est = None
        setup = rx(pattern + r"|\b(?:establish\w*|set\s+up|constitut\w*)\b")
        for i, c in enumerate(st.doc.clauses):
            m = pat.search(c.text)
            if m and not c.heading and len(setup.findall(c.text)) > 1 and re.search(
                    r"\b(?:establish\w*|set\s+up|constitut\w*)\b", c.text[:m.end() + 1], re.I):
                est = (i, c, m)
                break
        for i in [] if est else st.candidates(provision, pattern):
            c = st.clause(i)
            m = pat.search(c.text)
            if m and not c.heading:
                est = (i, c, m)
                break
        if est is None:
            st.look(base, provision, f"no clause establishes the {ckey} committee")
            continue
        i, c, m = est
        st.committees[ckey] = ckey
        st.put((*base, "id"), ckey, i, c.text, m.span(), 0.9, "committee")
        st.put((*base, "name"), re.sub(r"\s+", " ", m.group(0)), i, c.text, m.span(), 0.9,
               "committee")
        st.put((*base, "type"), ckey, i, c.text, m.span(), 0.9, "committee")
        _committee_chair(st, ckey, provision, pat)
        if ckey == "audit":
            panel = rx(pattern + r"[^.;]{0,40}\b(?:acts?|serves?|is|will\s+act|will\s+serve)\s+"
                                 r"(?:also\s+)?as\s+(?:the\s+)?(?:ICB's\s+)?auditor\s+panel\b")
            for j, d in enumerate(st.doc.clauses):
                hit = None if d.heading else panel.search(d.text)
                if hit:
                    st.put((*base, "auditor_panel"), True, j, d.text, hit.span(), 0.85,
                           "auditor-panel")
                    break
    _guardian(st)
    _nem_roles(st)


_NEM_ROLES = (("deputy_chair", r"\b(?:Deputy|Vice)[\s-]Chair(?:person|man|woman)?\b"),
              ("senior_non_executive",
               r"\bSenior\s+(?:Independent\s+)?(?:Non[\s-]?Executive(?:\s+Member)?|Independent\s+(?:Director|Member))\b"))


def _nem_roles(st: _State) -> None:
    """The deputy chair and the senior non-executive member, when a clause says a
    non-executive member holds the role. Which one is never stated, so the role goes to a
    non-executive member who is not the audit chair; a warning says when the document does
    not itself rule the audit chair out."""
    audit = _committee_chair_key(st, "audit")
    for flag, pattern in _NEM_ROLES:
        pat = rx(pattern)
        for i, c in enumerate(st.doc.clauses):
            if c.heading or not pat.search(c.text):
                continue
            for off, s in sentences(c.text):
                m = pat.search(s)
                if not m or re.search(r"\bquor|\bpresides?\b|\babsen", s, re.I):
                    continue
                if not re.search(r"\bnon[\s-]?executive\b", s, re.I) or not re.search(
                        r"\b(?:appoint|designat|elect|nominat|serve|act|will\s+be|is\s+to\s+be)\w*",
                        s, re.I):
                    continue
                excluded = bool(re.search(r"\b(?:not|other\s+than)\b[^.;]{0,60}\baudit", s, re.I))
                free = [k for k in st.of_role("non_executive") if k != audit]
                if not free:
                    break
                key = free[-1] if flag == "deputy_chair" else free[0]
                st.put(("board", "members", "@" + key, flag), True, i, c.text,
                       (off + m.start(), off + m.end()), 0.7, "role-holder")
                if not excluded:
                    st.warnings.append(
                        f"clause {_cited(st, i) or '?'}: the {flag.replace('_', ' ')} is not said "
                        "to be someone other than the audit committee chair")
                break
            else:
                continue
            break


def _committee_chair(st: _State, ckey: str, provision: str, pat: re.Pattern[str]) -> None:
    base = ("committees", "@" + ckey)
    for i in st.candidates(provision, pattern=pat.pattern + r".{0,160}\bchair"):
        c = st.clause(i)
        for off, s in sentences(c.text):
            spec = pt.committee_chair(s)
            if spec is None or _committee_meant(st, i, off + spec.start) != ckey:
                continue
            key = _resolve_chair(st, ckey, spec, c, i, (off + spec.start, off + spec.end))
            if key is None:
                continue
            st.put((*base, "chair"), "@" + key, i, c.text, (off + spec.start, off + spec.end),
                   st.conf(i, provision, 0.9), "committee-chair")
            st.put((*base, "members"), ["@" + key], i, c.text,
                   (off + spec.start, off + spec.end), 0.6, "chair-is-member")
            if spec.expertise:
                st.put(("board", "members", "@" + key, "expertise"), list(spec.expertise), i,
                       c.text, (off + spec.start, off + spec.end), 0.8, "committee-chair")
            if ckey == "remuneration" and not ({"audit_chair"} & set(spec.not_kinds)) \
                    and spec.kind == "non_executive":
                st.warnings.append(
                    f"clause {c.number or '?'}: the remuneration committee's chair is not said "
                    "to be someone other than the audit committee chair")
            return


def _committee_meant(st: _State, i: int, at: int) -> str | None:
    """The committee a chair phrase at offset `at` of clause `i` is about: the last one named
    before it in the clause, else the one its lead-in or its headings name."""
    c = st.clause(i)
    last: tuple[int, str] | None = None
    for ckey, (pattern, _) in _COMMITTEE.items():
        for m in rx(pattern).finditer(c.text[:at]):
            if last is None or m.start() > last[0]:
                last = (m.start(), ckey)
    if last:
        return last[1]
    for text in (_blocks(st.doc, i), *reversed(headings_of(c))):
        for ckey, (pattern, _) in _COMMITTEE.items():
            if rx(pattern.replace(r"(?:\s+Committee)", r"(?:\s+Committee)?")).search(text):
                return ckey
    return None


def _resolve_chair(st: _State, ckey: str, spec: pt.ChairSpec, c: Clause, i: int,
                   span: tuple[int, int]) -> str | None:
    """The member key a chair description designates (a non-executive member other than
    the ones it excludes), or None with a reason recorded."""
    path: Sym = ("committees", "@" + ckey, "chair")
    if spec.kind == "chair":
        return "chair" if "chair" in st.members else None
    if spec.kind == "chief_executive":
        return "ceo" if "ceo" in st.members else None
    if spec.kind == "audit_chair":
        return _committee_chair_key(st, "audit")
    if spec.kind in ("non_executive", "deputy_chair"):
        taken = set()
        if ckey != "audit":
            audit = _committee_chair_key(st, "audit")
            if audit:
                taken.add(audit)
        free = [k for k in st.of_role("non_executive") if k not in taken]
        if not free:
            st.why[path] = "no non-executive member is listed to take the role"
            return None
        return free[0]
    if spec.kind in _PORTFOLIO_ID:
        return _PORTFOLIO_ID[spec.kind] if _PORTFOLIO_ID[spec.kind] in st.members else None
    return None


def _quorum(st: _State) -> None:
    q = ("board", "quorum")
    st.look((*q, "fraction"), "quorum")
    st.look((*q, "must_include"), "quorum")
    for i in st.candidates("quorum", r"\bquor(?:um|ate)\b"):
        c = st.clause(i)
        for off, s in sentences(c.text):
            r = pt.quorum(s)
            if r is None:
                continue
            if re.search(r"\bcommittee", s, re.I) and not re.search(r"\bboard\b", s, re.I):
                continue
            conf = st.conf(i, "quorum", 0.9)
            span = (off + r.start, off + r.end)
            if r.fraction is not None:
                st.put((*q, "fraction"), r.fraction, i, c.text, span, conf, "quorum")
                st.put((*q, "comparator"), r.comparator, i, c.text, span, conf, "quorum")
            else:
                st.put((*q, "members"), r.members, i, c.text, span, conf, "quorum")
            # required attendance: the rest of this clause and its sub-items
            rest = s[r.end:] + " " + " ".join(
                st.clause(j).text for j in range(i + 1, min(i + 8, len(st.doc.clauses)))
                if st.clause(j).level > c.level and not st.clause(j).heading)
            rest = re.split(r"\b(?:for\s+the\s+sake\s+of|for\s+the\s+purposes\s+of\s+the\s+quorum)",
                            rest, flags=re.I)[0]
            roles, chair_required = pt.quorum_roles(rest)
            if roles or re.search(r"\binclud|\bof\s+whom\b", rest, re.I):
                st.put((*q, "must_include"), roles, i, c.text, span, conf - 0.1, "quorum")
            st.put((*q, "chair_required"), bool(chair_required), i, c.text, span,
                   conf - (0.1 if chair_required is not None else 0.25), "quorum")
            return


# ---------------------------------------------------------------- assembly

_READERS = (_name, _area, _composition, _appointments, _nominations, _employment,
            _independence, _mental_health_expertise, _removal, _appointment_terms, _committees, _quorum, _governance)


def find_facts(doc: Document) -> Extraction:
    """Read every fact `doc` states, with provenance; list what it looked for and missed."""
    st = _State(doc, align(doc))
    st.warnings.extend(doc.warnings)
    for reader in _READERS:
        reader(st)
    _expected_members(st)
    return _finish(st)


def _expected_members(st: _State) -> None:
    """Members the model always has: looked for, so that their absence is reported."""
    for key, role, provision in (("chair", "chair", "composition"),
                                 ("ceo", "chief_executive", "composition"),
                                 ("pm-trusts", "partner_member", "pm-trusts"),
                                 ("pm-primary", "partner_member", "pm-primary"),
                                 ("pm-la", "partner_member", "pm-la"),
                                 ("cfo", "executive", "finance-director"),
                                 ("md", "executive", "medical-director"),
                                 ("dn", "executive", "nursing-director")):
        if key not in st.members:
            st.look(("board", "members", "@" + key), provision,
                    f"no {role.replace('_', ' ')} of this kind is named")
    if not st.of_role("non_executive"):
        st.look(("board", "members", "@ned-1"), "nem-appointment",
                "the number of non-executive members is not stated")


def _member_sort(st: _State, key: str) -> tuple[int, int, str]:
    m = st.members[key]
    role_rank = _MEMBER_ORDER.index(m["role"])
    sub = 0
    if m["role"] == "partner_member":
        sub = _SECTOR_ORDER.index(m.get("sector") or "other")
    elif m["role"] == "executive":
        sub = ("finance", "medical", "nursing").index(m["portfolio"]) if m.get(
            "portfolio") in ("finance", "medical", "nursing") else 3
    num = int(re.sub(r"\D", "", key) or 0)
    return role_rank, sub, f"{num:04d}{key}"


def _finish(st: _State) -> Extraction:
    out = Extraction(st.doc.path, warnings=list(st.warnings))
    members = sorted(st.members, key=lambda k: _member_sort(st, k))
    index: dict[str, int] = {"@" + k: n for n, k in enumerate(members)}
    committees = [k for k in _COMMITTEE if k in st.committees]
    cindex = {"@" + k: n for n, k in enumerate(committees)}
    las = sorted({p[3] for p in st.hits if p[:3] == ("icb", "area", "local_authorities")},
                 key=lambda s: int(s[3:]))
    laindex = {k: n for n, k in enumerate(las)}

    def real(path: Sym) -> PathKey | None:
        out_path: list[str | int] = []
        for n, part in enumerate(path):
            if isinstance(part, str) and part.startswith("@"):
                table = (index if path[:2] == ("board", "members") and n == 2 else
                         cindex if path[0] == "committees" and n == 1 else laindex)
                if part not in table:
                    return None
                out_path.append(table[part])
            else:
                out_path.append(part)
        return tuple(out_path)

    def value(v: Any) -> Any:
        if isinstance(v, str) and v.startswith("@"):
            return v[1:]
        if isinstance(v, list):
            return [value(x) for x in v]
        return v

    found: set[Sym] = set()
    for path, hits in st.hits.items():
        p = real(path)
        if p is None:
            continue
        values = {repr(value(h.value)) for h in hits}
        if len(values) > 1:
            top = max(hits, key=lambda h: h.confidence)
            rivals = [h for h in hits if repr(value(h.value)) != repr(value(top.value))]
            if all(top.confidence - r.confidence >= 0.15 for r in rivals):
                out.warnings.append(
                    f"{_dotted(p)}: clause {_num(st, top.clause)} says {value(top.value)!r}, "
                    f"clause {_num(st, rivals[0].clause)} says {value(rivals[0].value)!r}; "
                    "kept the first (it sits where the model puts this)")
            else:
                clauses = ", ".join(sorted({_num(st, h.clause) for h in hits}))
                out.not_found.append(NotFound(p, _model_clause(st, path),
                                              f"clauses {clauses} state different values"))
                found.add(path)
                continue
        else:
            top = max(hits, key=lambda h: h.confidence)
        c = st.clause(top.clause)
        out.facts.append(Fact(p, value(top.value), _cited(st, top.clause), c.page, c.paragraph,
                              top.quote,
                              round(min(1.0, max(0.0, top.confidence)), 2), top.method))
        found.add(path)
    for path, provision in st.looked_for.items():
        if path in found or any(f[:len(path)] == path for f in st.hits):
            continue
        p = real(path)
        shown: PathKey = p if p is not None else tuple(
            x.lstrip("@") if isinstance(x, str) else x for x in path)
        prov = BY_KEY[provision]
        why = st.why.get(path) or f"nothing in the document states it ({prov.title})"
        out.not_found.append(NotFound(shown, f"{prov.number} ({prov.title})", why))
    out.facts.sort(key=lambda f: [str(x) for x in f.path])
    return out


def _cited(st: _State, i: int) -> str | None:
    """The clause number to cite for clause `i`: its own, or (for an unnumbered list item)
    that of the numbered clause it belongs to."""
    c = st.clause(i)
    if c.number or c.heading:
        return c.number
    for j in range(i - 1, max(-1, i - 40), -1):
        d = st.clause(j)
        if d.heading:
            return None
        if d.level < c.level and d.number:
            return d.number
    return None


def _num(st: _State, i: int) -> str:
    return _cited(st, i) or f"paragraph {st.clause(i).paragraph or i + 1}"


def _model_clause(st: _State, path: Sym) -> str:
    provision = st.looked_for.get(path)
    if provision is None:
        return "-"
    p = BY_KEY[provision]
    return f"{p.number} ({p.title})"


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _walk(path: PathKey) -> Iterator[tuple[str | int, str | int | None]]:
    for n, part in enumerate(path):
        yield part, path[n + 1] if n + 1 < len(path) else None


def to_constitution_data(extraction: Extraction) -> dict[str, Any]:
    """The `ics-constitution/1` data the facts make up (what the YAML loader would read).

    Facts below a list (members, committees, local authorities) are grouped by index; the
    ICB's name is left out when it was not found (the loader then says it is missing).
    """
    data: dict[str, Any] = {"schema": SCHEMA}
    for fact in sorted(extraction.facts, key=lambda f: [(0, x) if isinstance(x, int) else (1, x)
                                                        for x in f.path]):
        cur: Any = data
        for part, nxt in _walk(fact.path):
            if nxt is None:
                if isinstance(cur, list):
                    while len(cur) <= int(part):
                        cur.append({})
                    cur[int(part)] = fact.value
                else:
                    cur[part] = fact.value
                break
            child: Any = [] if isinstance(nxt, int) else {}
            if isinstance(cur, list):
                while len(cur) <= int(part):
                    cur.append({})
                if not cur[int(part)]:
                    cur[int(part)] = child
                cur = cur[int(part)]
            else:
                cur = cur.setdefault(part, child)
    return data


def provenance(extraction: Extraction) -> dict[str, dict[str, Any]]:
    """Where each fact came from, keyed by its dotted path (for a `provenance:` map)."""
    return {_dotted(f.path): {"clause": f.clause, "page": f.page, "paragraph": f.paragraph,
                              "quote": f.quote, "confidence": f.confidence, "method": f.method}
            for f in extraction.facts}


def as_json(extraction: Extraction) -> dict[str, Any]:
    """The `--format json` shape: facts, not_found and warnings."""
    return {
        "facts": [{"path": _dotted(f.path), "value": f.value, "clause": f.clause,
                   "page": f.page, "paragraph": f.paragraph, "quote": f.quote,
                   "confidence": f.confidence, "method": f.method} for f in extraction.facts],
        "not_found": [{"path": _dotted(n.path), "model_clause": n.model_clause, "why": n.why}
                      for n in extraction.not_found],
        "warnings": list(extraction.warnings),
    }

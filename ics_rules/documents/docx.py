"""Word (.docx) reader: clauses with their automatic numbers resolved, tables, tracked changes.

python-docx is not used: it drops tracked insertions and does not resolve numbering. This
reader works on the XML with lxml: `Numbering` turns `w:numPr` (direct, or inherited from a
paragraph style through `w:basedOn`) into the printed label with Word's rules (counters shared
by every `w:num` of one abstract list, `startOverride` restarts, `lvlRestart`, multi-level
`lvlText` such as "%1.%2.%3.", numFmt decimal / lowerLetter / upperLetter / lowerRoman /
upperRoman / none / bullet). Tracked changes are read as accepted (`w:ins`, `w:moveTo` kept;
`w:del`, `w:moveFrom` dropped) or, with `changes="original"`, as before them; the changed
clauses are named in a warning. Headers and footers live in other parts and are never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import InputError
from .clauses import Clause, Document
from .numbers import Label, Outline, leading_label
from .safety import SafeZip, parse_xml

_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEADING = re.compile(r"heading\s*([1-9])$", re.I)
_LABEL_ONLY = re.compile(r"\(?([A-Za-z]{1,4}|\d{1,3})[).]?$")


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # restart after this (1-based) level; 0 never; None: any higher
    legal: bool = False  # w:isLgl: show every level's counter as a decimal


@dataclass
class _Style:
    based_on: str | None = None
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None  # 0-based outline level (Heading 1 -> 0)
    name: str = ""


@dataclass
class _Num:
    abstract: str
    overrides: dict[int, int] = field(default_factory=dict)  # ilvl -> startOverride
    levels: dict[int, _Level] = field(default_factory=dict)  # lvlOverride/w:lvl replacements
    used: bool = False


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letter(n: int) -> str:
    # Word repeats the letter past z: 27 -> "aa", 28 -> "bb".
    if n <= 0:
        return ""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_counter(n: int, fmt: str) -> str:
    """One counter in a numFmt (unknown formats print as decimals, as Word falls back)."""
    if fmt == "none":
        return ""
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class Numbering:
    """Word's list numbering: which label each numbered paragraph prints."""

    def __init__(self, root: Any, w: str) -> None:
        self.w = w
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, _Num] = {}
        self.counters: dict[str, dict[int, int]] = {}  # per abstract list: ilvl -> counter
        if root is None:
            return
        q = self._q
        for a in root.findall(q("abstractNum")):
            self.abstract[a.get(q("abstractNumId"), "")] = self._levels(a)
        for n in root.findall(q("num")):
            ref = n.find(q("abstractNumId"))
            num = _Num(ref.get(q("val"), "") if ref is not None else "")
            for o in n.findall(q("lvlOverride")):
                ilvl = _int(o.get(q("ilvl")), 0)
                so = o.find(q("startOverride"))
                if so is not None:
                    num.overrides[ilvl] = _int(so.get(q("val")), 1)
                lvl = o.find(q("lvl"))
                if lvl is not None:
                    num.levels[ilvl] = self._level(lvl)
                    if so is None:
                        num.overrides[ilvl] = num.levels[ilvl].start
            self.nums[n.get(q("numId"), "")] = num

    def _q(self, tag: str) -> str:
        return f"{{{self.w}}}{tag}"

    def _levels(self, a: Any) -> dict[int, _Level]:
        return {_int(lvl.get(self._q("ilvl")), 0): self._level(lvl)
                for lvl in a.findall(self._q("lvl"))}

    def _level(self, lvl: Any) -> _Level:
        q = self._q
        out = _Level()
        for tag, attr in (("start", "start"), ("numFmt", "fmt"), ("lvlText", "text"),
                          ("lvlRestart", "restart")):
            el = lvl.find(q(tag))
            if el is not None and el.get(q("val")) is not None:
                val = el.get(q("val"), "")
                setattr(out, attr, _int(val, 1) if attr in ("start", "restart") else val)
        out.legal = lvl.find(q("isLgl")) is not None
        return out

    def level(self, num_id: str, ilvl: int) -> _Level | None:
        num = self.nums.get(num_id)
        if num is None:
            return None
        if ilvl in num.levels:
            return num.levels[ilvl]
        return self.abstract.get(num.abstract, {}).get(ilvl)

    def label(self, num_id: str, ilvl: int) -> tuple[str | None, str | None]:
        """Advance the list: (printed label or None for a bullet, the abstract list's id)."""
        num = self.nums.get(num_id)
        lvl = self.level(num_id, ilvl)
        if num is None or lvl is None:
            return None, None
        counters = self.counters.setdefault(num.abstract, {})
        if not num.used:
            # A w:num with overrides restarts the shared list at the overridden levels.
            num.used = True
            for o_lvl, start in num.overrides.items():
                counters[o_lvl] = start - 1
                for deeper in [k for k in counters if k > o_lvl]:
                    del counters[deeper]
        counters[ilvl] = counters.get(ilvl, lvl.start - 1) + 1
        for deeper in sorted(k for k in counters if k > ilvl):
            d = self.level(num_id, deeper)
            restart = d.restart if d is not None else None
            if restart is None or (restart != 0 and ilvl <= restart - 1):
                del counters[deeper]
        if lvl.fmt == "bullet":
            return None, num.abstract

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            other = self.level(num_id, k)
            start = other.start if other is not None else 1
            fmt = other.fmt if other is not None else "decimal"
            if lvl.legal and fmt != "none":
                fmt = "decimal"
            return format_counter(counters.get(k, start), fmt)

        text = re.sub(r"%([1-9])", sub, lvl.text)
        return text.strip() or None, num.abstract


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass
class _Para:
    text: str
    label: str | None
    ilvl: int | None
    heading_level: int | None
    changed: bool
    index: int
    cells: tuple[str, ...] = ()
    abstract: str | None = None  # the Word list the label came from


class _Reader:
    """Walks document.xml in order, producing paragraphs with resolved labels."""

    def __init__(self, w: str, styles: dict[str, _Style], numbering: Numbering,
                 original: bool, default_style: str | None) -> None:
        self.w = w
        self.styles = styles
        self.numbering = numbering
        self.original = original
        self.default_style = default_style
        self.paras: list[_Para] = []
        self.index = 0
        self.pending = ""  # text of a paragraph whose mark was deleted (joins the next one)
        self.pending_changed = False
        self.changes = 0

    def q(self, tag: str) -> str:
        return f"{{{self.w}}}{tag}"

    # -- structure -------------------------------------------------------------------------
    def block(self, el: Any) -> None:
        """Body-level content in order: paragraphs, tables, content controls."""
        for child in el:
            tag = child.tag
            if tag == self.q("p"):
                self.paragraph(child)
            elif tag == self.q("tbl"):
                self.table(child)
            elif tag == self.q("sdt"):
                content = child.find(self.q("sdtContent"))
                if content is not None:
                    self.block(content)
            elif tag in (self.q("ins"), self.q("moveTo"), self.q("customXml")):
                # Inserted paragraphs/tables wrapped at block level (rare, but valid).
                if not (self.original and tag != self.q("customXml")):
                    self.block(child)
                else:
                    self.changes += 1
            elif tag in (self.q("del"), self.q("moveFrom")):
                self.changes += 1
                if self.original:
                    self.block(child)

    def table(self, tbl: Any) -> None:
        for tr in tbl.findall(self.q("tr")):
            cells: list[str] = []
            changed = False
            for tc in tr.findall(self.q("tc")):
                inner = _Reader(self.w, self.styles, self.numbering, self.original,
                                self.default_style)
                inner.index = self.index
                inner.block(tc)
                self.index = inner.index
                self.changes += inner.changes
                changed = changed or any(p.changed for p in inner.paras)
                parts = [(p.label + " " if p.label else "") + p.text for p in inner.paras]
                cells.append(" ".join(x for x in parts if x).strip())
            if any(cells):
                self.paras.append(_Para(" | ".join(cells), None, None, None, changed,
                                        self.index, tuple(cells)))

    def paragraph(self, p: Any) -> None:
        self.index += 1
        ppr = p.find(self.q("pPr"))
        props = ppr
        changed = False
        if ppr is not None:
            change = ppr.find(self.q("pPrChange"))
            if change is not None:
                changed = True
                self.changes += 1
                if self.original and change.find(self.q("pPr")) is not None:
                    props = change.find(self.q("pPr"))
        texts: list[str] = []
        changed = self.runs(p, texts) or changed
        text = _fold("".join(texts))
        mark = ppr.find(self.q("rPr")) if ppr is not None else None
        mark_inserted = mark is not None and mark.find(self.q("ins")) is not None
        mark_deleted = mark is not None and mark.find(self.q("del")) is not None
        if mark_inserted or mark_deleted:
            changed = True
        # The paragraph mark: deleted (accepted view) or inserted (original view) means this
        # paragraph's text runs on into the next paragraph.
        if (mark_deleted and not self.original) or (mark_inserted and self.original):
            self.pending = _fold(self.pending + " " + text)
            self.pending_changed = True
            return
        if self.pending:
            text = _fold(self.pending + " " + text)
            changed = True
            self.pending = ""
        changed = changed or self.pending_changed
        self.pending_changed = False
        _style, num_id, ilvl, outline = self.props(props)
        label: str | None = None
        abstract: str | None = None
        if num_id is not None and num_id != "0" and text:
            label, abstract = self.numbering.label(num_id, ilvl or 0)
        if not text:
            return
        self.paras.append(_Para(text, label, ilvl if label else None, outline, changed,
                                self.index, abstract=abstract))

    def props(self, ppr: Any) -> tuple[str | None, str | None, int | None, int | None]:
        """Style, numId, ilvl and outline level: direct formatting over the style chain."""
        style_id = self.default_style
        num_id: str | None = None
        ilvl: int | None = None
        outline: int | None = None
        if ppr is not None:
            ps = ppr.find(self.q("pStyle"))
            if ps is not None:
                style_id = ps.get(self.q("val"))
            numpr = ppr.find(self.q("numPr"))
            if numpr is not None:
                n = numpr.find(self.q("numId"))
                i = numpr.find(self.q("ilvl"))
                num_id = n.get(self.q("val")) if n is not None else None
                ilvl = _int(i.get(self.q("val")), 0) if i is not None else None
            ol = ppr.find(self.q("outlineLvl"))
            if ol is not None:
                outline = _int(ol.get(self.q("val")), 9)
        seen: set[str] = set()
        sid = style_id
        while sid and sid not in seen and sid in self.styles:
            seen.add(sid)
            st = self.styles[sid]
            if num_id is None and st.num_id is not None:
                num_id = st.num_id
            if ilvl is None and st.ilvl is not None:
                ilvl = st.ilvl
            if outline is None and st.outline is not None:
                outline = st.outline
            sid = st.based_on
        if outline is not None and outline > 8:
            outline = None  # 9 is "body text"
        return style_id, num_id, ilvl, outline

    # -- text ------------------------------------------------------------------------------
    def runs(self, el: Any, out: list[str], state: str | None = None) -> bool:
        """Append the visible text of `el` for this view; True if it holds a tracked change."""
        changed = False
        q = self.q
        for child in el:
            tag = child.tag
            if tag in (q("ins"), q("moveTo")):
                changed = True
                self.changes += 1
                if not self.original:
                    self.runs(child, out, "ins")
            elif tag in (q("del"), q("moveFrom")):
                changed = True
                self.changes += 1
                if self.original:
                    self.runs(child, out, "del")
            elif tag == q("r"):
                self.run(child, out)
            elif tag in (q("hyperlink"), q("smartTag"), q("fldSimple"), q("customXml"),
                         q("sdtContent"), q("dir"), q("bdo")):
                changed = self.runs(child, out, state) or changed
            elif tag == q("sdt"):
                content = child.find(q("sdtContent"))
                if content is not None:
                    changed = self.runs(content, out, state) or changed
        return changed

    def run(self, r: Any, out: list[str]) -> None:
        q = self.q
        for child in r:
            tag = child.tag
            if tag in (q("t"), q("delText")):
                out.append(child.text or "")
            elif tag in (q("tab"), q("ptab"), q("br"), q("cr")):
                out.append(" ")
            elif tag == q("noBreakHyphen"):
                out.append("-")


def _fold(text: str) -> str:
    return " ".join(text.split())


def _styles(root: Any, w: str) -> tuple[dict[str, _Style], str | None]:
    q = lambda tag: f"{{{w}}}{tag}"  # noqa: E731
    styles: dict[str, _Style] = {}
    default: str | None = None
    if root is None:
        return styles, None
    for s in root.findall(q("style")):
        if s.get(q("type")) not in (None, "paragraph"):
            continue
        sid = s.get(q("styleId"), "")
        st = _Style()
        name = s.find(q("name"))
        st.name = name.get(q("val"), "") if name is not None else ""
        based = s.find(q("basedOn"))
        st.based_on = based.get(q("val")) if based is not None else None
        ppr = s.find(q("pPr"))
        if ppr is not None:
            numpr = ppr.find(q("numPr"))
            if numpr is not None:
                n = numpr.find(q("numId"))
                i = numpr.find(q("ilvl"))
                st.num_id = n.get(q("val")) if n is not None else None
                st.ilvl = _int(i.get(q("val")), 0) if i is not None else None
            ol = ppr.find(q("outlineLvl"))
            if ol is not None:
                st.outline = _int(ol.get(q("val")), 9)
        m = _HEADING.match(st.name)
        if st.outline is None and m:
            st.outline = int(m.group(1)) - 1
        if s.get(q("default")) in ("1", "true", "on"):
            default = sid
        styles[sid] = st
    return styles, default


def _part_names(z: SafeZip) -> tuple[str, str | None, str | None]:
    """The main document part and its styles and numbering parts, from the relationships."""
    main = "word/document.xml"
    rels = z.read("_rels/.rels")
    if rels is not None:
        root = parse_xml(rels, z.display, "_rels/.rels")
        for rel in root.iter(f"{{{_REL}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                main = rel.get("Target", main).lstrip("/")
    if main not in z.names:
        raise InputError("not a Word document: the .docx has no main document part "
                         f"({main})", z.display)
    folder = PurePosixPath(main).parent
    styles = numbering = None
    rels_name = str(folder / "_rels" / (PurePosixPath(main).name + ".rels"))
    data = z.read(rels_name)
    if data is not None:
        root = parse_xml(data, z.display, rels_name)
        for rel in root.iter(f"{{{_REL}}}Relationship"):
            kind = rel.get("Type", "")
            target = str(folder / rel.get("Target", "")) if not rel.get(
                "Target", "").startswith("/") else rel.get("Target", "").lstrip("/")
            if kind.endswith("/styles"):
                styles = target
            elif kind.endswith("/numbering"):
                numbering = target
    for name, default in (("styles", "word/styles.xml"), ("numbering", "word/numbering.xml")):
        if (styles if name == "styles" else numbering) is None and default in z.names:
            if name == "styles":
                styles = default
            else:
                numbering = default
    return main, styles, numbering


def read_docx(path: Path, display: str, changes: str = "accepted") -> Document:
    """Read a .docx into clauses; `changes` is "accepted" (default) or "original"."""
    z = SafeZip(path, display)
    try:
        main, styles_name, numbering_name = _part_names(z)
        data = z.read(main)
        assert data is not None
        root = parse_xml(data, display, main)
        w = root.tag[1:].split("}")[0] if root.tag.startswith("{") else _MAIN
        if w not in (_MAIN, _STRICT):
            raise InputError("not a Word document: unexpected XML namespace in the main part",
                             display)
        st_data = z.read(styles_name) if styles_name else None
        nb_data = z.read(numbering_name) if numbering_name else None
        styles, default = _styles(parse_xml(st_data, display, styles_name or "")
                                  if st_data else None, w)
        numbering = Numbering(parse_xml(nb_data, display, numbering_name or "")
                              if nb_data else None, w)
    finally:
        z.close()
    body = root.find(f"{{{w}}}body")
    if body is None:
        raise InputError("not a Word document: the main part has no body", display)
    reader = _Reader(w, styles, numbering, changes == "original", default)
    reader.block(body)
    if reader.pending:
        reader.paras.append(_Para(reader.pending, None, None, None, True, reader.index))
    clauses = _clauses(reader.paras)
    doc = Document(path=display, kind="docx", clauses=clauses)
    changed = [c for c in clauses if c.changed]
    if reader.changes:
        names = [c.number or f"paragraph {c.paragraph}" for c in changed]
        shown = ", ".join(dict.fromkeys(names[:12])) + (
            f" and {len(names) - 12} more" if len(names) > 12 else "")
        if changes == "original":
            doc.warnings.append(f"the document has tracked changes; read as before them "
                                f"(--changes original); changes touch: {shown or 'no clause'}")
        else:
            doc.warnings.append(f"the document has tracked changes; read as if all were "
                                f"accepted; changed clauses: {shown or 'none left'} (use "
                                "--changes original to read it as before the changes)")
    if not clauses:
        doc.warnings.append("the document has no text")
    return doc


def _clauses(paras: list[_Para]) -> list[Clause]:
    """Paragraphs to clauses: numbers composed with their parents, levels, section titles."""
    outline = Outline()
    out: list[Clause] = []
    section: list[tuple[int, str]] = []  # (level, title) of the headings above
    main_list: str | None = None  # the Word list that carries the clause outline
    for p in paras:
        number: str | None = None
        level: int
        text = p.text
        label_text = p.label
        if label_text is None and p.heading_level is not None:
            # A heading whose number is typed rather than automatic.
            found = leading_label(text)
            if found is not None and found.kind == "dotted":
                label_text, text = found.printed, text[found.length:]
        if label_text is not None:
            found = leading_label(label_text + " ")
            if found is not None and found.kind == "dotted" and "." not in found.value and \
                    outline.dotted is not None and main_list is not None and \
                    p.abstract != main_list:
                # "1." from a separate simple list inside a clause: an item of that clause.
                found = Label(found.printed, "item", found.value, found.length)
            if found is not None and found.kind == "dotted":
                if main_list is None and ("." in found.value or p.heading_level is not None):
                    main_list = p.abstract
                number, level = outline.place(found)
            elif found is not None:
                number, level = outline.place(found)
            elif _LABEL_ONLY.match(label_text):
                number, level = label_text, outline.body_level()
            else:
                number, level = label_text.rstrip("."), outline.body_level()
        elif p.heading_level is not None:
            level = p.heading_level + 1
        elif p.cells:
            level = outline.body_level()
        else:
            found = leading_label(text)
            if found is not None and found.kind == "dotted" and found.value.count(".") >= 1:
                number, level = outline.place(found)
                text = text[found.length:]
            else:
                level = outline.body_level()
        heading = p.heading_level is not None
        if heading:
            outline.heading_level = level
            while section and section[-1][0] >= level:
                section.pop()
        titles = tuple(t for _, t in section)
        out.append(Clause(number=number, text=text, level=level, heading=heading,
                          section=titles, paragraph=p.index, changed=p.changed, cells=p.cells))
        if heading:
            section.append((level, text))
    return out

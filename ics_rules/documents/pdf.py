"""PDF reader (pypdfium2 for text, pdfplumber for the structure tree): clauses with their page.

A tagged PDF (one with a structure tree, as accessible public-sector PDFs are) is read from
its tree: each paragraph, heading, list item and table row is one block, with no guessing, and
page furniture (running headers, footers) is outside the tree. An untagged PDF is read from
its text lines: running headers, footers and page numbers are stripped by their repetition
across pages, and a line that begins with a number starts a clause only if it is not the
wrapped tail of the line before (a wrap lands at the previous clause's text indent and the
number would not have fitted on the previous line). Encrypted, damaged, over-long and
text-less (scanned) PDFs are refused with a message; nothing is ever fetched.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from .clauses import Clause, Document
from .numbers import Label, Outline, leading_label
from .safety import MAX_PAGES, check_file, needs

_BLOCK = {"P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "Title", "LI", "TR", "Caption",
          "TOCI", "BlockQuote", "Note"}
_PAGE_NUMBER = re.compile(r"(?:page\s*)?[-–]?\s*\d+\s*[-–]?(?:\s*(?:of|/)\s*\d+)?", re.I)
_FURNITURE_ZONE = 0.1  # top and bottom tenth of the page


@dataclass
class _Block:
    text: str
    page: int
    heading: int | None = None  # heading level (1-based) when a heading
    cells: tuple[str, ...] = ()
    parts: list[str] = field(default_factory=list)


def read_pdf(path: Path, display: str) -> Document:
    """Read a PDF into clauses (tagged structure when present, else text layout)."""
    check_file(path, display)
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise InputError("not a PDF file (no %PDF- header)", display)
    pdfium = needs("pypdfium2", "PDF documents", display)
    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:
        raise _pdf_error(exc, display) from None
    try:
        count = len(pdf)
        if count > MAX_PAGES:
            raise InputError(f"the PDF has {count} pages, over the {MAX_PAGES}-page limit "
                             "for a constitution", display)
        if count == 0:
            raise InputError("the PDF has no pages", display)
        pages = _read_pages(pdf)
        tagged = bool(pdfium.raw.FPDFCatalog_IsTagged(pdf))
    except InputError:
        raise
    except Exception as exc:
        raise _pdf_error(exc, display) from None
    finally:
        pdf.close()
    if not any(p.chars for p in pages):
        raise InputError("the PDF has no text layer (a scanned image?); run it through OCR "
                         "or use the Word original", display)
    blocks: list[_Block] = []
    if tagged:
        try:
            blocks = _tagged_blocks(path, display, pages)
        except InputError:
            raise
        except Exception as exc:
            raise _pdf_error(exc, display) from None
    used_tags = bool(blocks)
    if not blocks:
        blocks = _layout_blocks(pages)
    doc = Document(path=display, kind="pdf", clauses=_clauses(blocks), pages=count)
    if tagged and not used_tags:
        doc.warnings.append("the PDF is marked as tagged but its structure tree gave no "
                            "text; read from the page layout")
    return doc


def _pdf_error(exc: Exception, display: str) -> InputError:
    chain = [exc, exc.__cause__, exc.__context__]
    text = " ".join(f"{type(e).__name__} {e}" for e in chain if isinstance(e, BaseException))
    if re.search(r"password|encrypt|security", text, re.I):
        return InputError("the PDF is encrypted with a password; remove the password (or "
                          "export it again) and try once more", display)
    detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return InputError(f"damaged PDF: cannot read it ({detail})", display)


@dataclass
class _Page:
    number: int
    height: float
    # (text, x0, x1, top, bottom, mcid) per character, in content order; line ends as "\n"
    chars: list[tuple[str, float, float, float, float, int]]
    sizes: dict[int, tuple[float, int]]  # char index -> (font size, weight), line starts only


def _read_pages(pdf: Any) -> list[_Page]:
    """Every character with its box and marked-content id (pdfium: fast, in C)."""
    import ctypes

    import pypdfium2.raw as raw

    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    out = []
    for i in range(len(pdf)):
        page = pdf[i]
        height = float(page.get_height())
        tp = page.get_textpage()
        chars: list[tuple[str, float, float, float, float, int]] = []
        sizes: dict[int, tuple[float, int]] = {}
        line_start = True
        last_obj = None
        mcid = -1
        for k in range(tp.count_chars()):
            code = raw.FPDFText_GetUnicode(tp, k)
            if code in (10, 13):
                if chars and chars[-1][0] != "\n":
                    chars.append(("\n", 0.0, 0.0, 0.0, 0.0, mcid))
                line_start = True
                continue
            ch = chr(code) if 0 < code < 0x110000 else " "
            obj = raw.FPDFText_GetTextObject(tp, k)
            if obj != last_obj:
                last_obj = obj
                mcid = raw.FPDFPageObj_GetMarkedContentID(obj) if obj else -1
            if ch.isspace():
                chars.append((" ", 0.0, 0.0, 0.0, 0.0, mcid))
                continue
            raw.FPDFText_GetCharBox(tp, k, left, right, bottom, top)
            if line_start:
                sizes[len(chars)] = (float(raw.FPDFText_GetFontSize(tp, k)),
                                     int(raw.FPDFText_GetFontWeight(tp, k)))
                line_start = False
            chars.append((ch, left.value, right.value, height - top.value,
                          height - bottom.value, mcid))
        tp.close()
        page.close()
        out.append(_Page(i + 1, height, chars, sizes))
    return out


# ------------------------------------------------------------------------- tagged PDFs

def _tagged_blocks(path: Path, display: str, pages: list[_Page]) -> list[_Block]:
    """Blocks from the structure tree (pdfplumber), text from the marked content (pdfium)."""
    pdfplumber = needs("pdfplumber", "tagged PDF documents", display)
    from pdfplumber.structure import PDFStructTree, StructTreeMissing

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    text_by_mcid: dict[tuple[int, int], list[str]] = {}
    for page in pages:
        for ch in page.chars:
            if ch[5] >= 0:
                text_by_mcid.setdefault((page.number, ch[5]), []).append(ch[0])
    with pdfplumber.open(str(path)) as pdf:
        try:
            tree = list(PDFStructTree(pdf))
        except StructTreeMissing:
            return []

    def text_of(pairs: Any) -> tuple[str, int | None]:
        pieces = []
        first_page = None
        for page_no, mcid in pairs:
            got = text_by_mcid.get((page_no or 0, mcid))
            if got:
                first_page = first_page or page_no
                pieces.append("".join(got))
        return " ".join(" ".join(pieces).split()), first_page

    def own_mcids(el: Any) -> list[tuple[int | None, int]]:
        out = [(el.page_number, m) for m in el.mcids]
        for child in el.children:
            if child.type not in _BLOCK and child.type not in ("L", "Table"):
                out.extend(own_mcids(child))
        return out

    blocks: list[_Block] = []

    def walk(el: Any, depth: int) -> None:
        if depth > 200:
            raise InputError("the PDF's structure tree is nested too deeply", display)
        kind = el.type
        if kind == "TR":
            cells = []
            page = None
            for cell in el.children:
                text, p = text_of(cell.all_mcids())
                cells.append(text)
                page = page or p
            if any(cells) and page is not None:
                blocks.append(_Block(" | ".join(cells), page, cells=tuple(cells)))
            return
        if kind in _BLOCK:
            text, page = text_of(own_mcids(el))
            if text and page is not None:
                level = None
                if kind in ("H", "Title"):
                    level = 1
                elif kind.startswith("H") and kind[1:].isdigit():
                    level = int(kind[1:])
                blocks.append(_Block(text, page, level))
        for child in el.children:
            if kind not in _BLOCK or child.type in _BLOCK or child.type in ("L", "Table"):
                walk(child, depth + 1)

    for el in tree:
        walk(el, 0)
    return blocks


# ------------------------------------------------------------------------ untagged PDFs

@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    body_x: float  # where the text after a leading clause number starts
    label_width: float
    page: int


def _lines(pages: list[_Page]) -> tuple[list[list[_Line]], list[float]]:
    """Text lines of each page with their boxes, font size and weight."""
    out_pages: list[list[_Line]] = []
    heights: list[float] = []
    for page in pages:
        heights.append(page.height)
        out: list[_Line] = []
        start = 0
        chars = page.chars
        for end in [*(i for i, c in enumerate(chars) if c[0] == "\n"), len(chars)]:
            seg = chars[start:end]
            first = start
            start = end + 1
            inked = [c for c in seg if c[0] != " "]
            if not inked:
                continue
            text = " ".join("".join(c[0] for c in seg).split())
            size, weight = next((page.sizes[i] for i in range(first, end) if i in page.sizes),
                                (0.0, 400))
            x0 = min(c[1] for c in inked)
            body_x, width = x0, 0.0
            label = leading_label(text)
            if label is not None:
                n = len(label.printed)
                if n < len(inked):
                    body_x = inked[n][1]
                    width = inked[n - 1][2] - x0
            out.append(_Line(text, x0, max(c[2] for c in inked), min(c[3] for c in inked),
                             max(c[4] for c in inked), round(size, 1), weight >= 600, body_x,
                             width, page.number))
        out.sort(key=lambda ln: (round(ln.top, 0), ln.x0))
        out_pages.append(out)
    return out_pages, heights


def _strip_furniture(pages: list[list[_Line]], heights: list[float]) -> list[list[_Line]]:
    """Drop running headers, footers and page numbers (repeated in the page margins)."""
    def key(ln: _Line) -> str:
        return re.sub(r"\d+", "#", ln.text.lower())

    def in_zone(ln: _Line, height: float) -> bool:
        return ln.top < height * _FURNITURE_ZONE or ln.bottom > height * (1 - _FURNITURE_ZONE)

    seen: Counter[str] = Counter()
    for lines, h in zip(pages, heights, strict=True):
        seen.update({key(ln) for ln in lines if in_zone(ln, h)})
    need = max(2, (len(pages) + 1) // 2)
    out = []
    for lines, h in zip(pages, heights, strict=True):
        out.append([ln for ln in lines if not (in_zone(ln, h) and (
            seen[key(ln)] >= need or _PAGE_NUMBER.fullmatch(ln.text.strip())))])
    return out


def _layout_blocks(read: list[_Page]) -> list[_Block]:
    pages, heights = _lines(read)
    pages = _strip_furniture(pages, heights)
    every = [ln for lines in pages for ln in lines]
    if not every:
        return []
    body_size = Counter(ln.size for ln in every).most_common(1)[0][0]
    # Font sizes are only compared with each other (a PDF may scale them); distances use the
    # height of the body text's glyph boxes on the page (about one em).
    body = sorted(ln.bottom - ln.top for ln in every if ln.size == body_size)
    em = max(body[len(body) // 2], 1.0)
    # Line pitch inside a paragraph: the smallest ordinary gap between lines anywhere in the
    # document (capped, for documents where no paragraph wraps at all).
    gaps = [b.top - a.top for lines in pages for a, b in itertools.pairwise(lines)
            if 0.8 * em <= b.top - a.top < 3 * em]
    min_gap = min(gaps) if gaps else em * 1.4
    pitch = min(min_gap, em * 1.5)
    left = min(ln.x0 for ln in every)
    blocks: list[_Block] = []
    cur: _Block | None = None
    cur_body = 0.0
    outline_numbers: list[Label] = []
    for lines in pages:
        if not lines:
            continue
        right = max(ln.x1 for ln in lines)
        prev: _Line | None = None
        for ln in lines:
            heading = (ln.size > body_size * 1.15 or ln.bold) and len(ln.text) < 120
            label = leading_label(ln.text)
            gap = (ln.top - prev.top) if prev is not None else None
            full = prev is not None and prev.x1 >= right - 0.15 * (right - left)
            new_para = gap is None or gap < 0 or (
                gap > pitch * 1.25 and not (full and gap <= min_gap * 1.1))
            if cur is not None and cur.heading is not None and not heading:
                new_para = True
            if label is not None and not heading:
                # A wrap lands at the text indent of the clause, after a line the number
                # would not have fitted on; a line ending a sentence before the next number
                # in sequence is a new clause even so.
                wrapped = (prev is not None and not new_para and cur is not None
                           and abs(ln.x0 - cur_body) < 0.5 * em
                           and prev.x1 + 0.3 * em + ln.label_width > right
                           and not (re.search(r"[.;:]$", prev.text)
                                    and _follows(outline_numbers, label)))
                start = not wrapped
            else:
                start = heading and (cur is None or cur.heading is None or new_para)
            if prev is None and cur is not None and label is None and not heading and \
                    cur.heading is None and not re.search(r"[.;:]$", cur.parts[-1]):
                start = False  # a paragraph running on from the previous page
            elif new_para and prev is not None:
                start = True
            if start and label is not None and not heading:
                outline_numbers.append(label)
            if start or cur is None:
                level = None
                if heading:
                    level = 1 if ln.size > body_size * 1.15 else 2
                cur = _Block("", ln.page, level)
                blocks.append(cur)
                cur_body = ln.body_x
            cur.parts.append(ln.text)
            prev = ln
    for b in blocks:
        b.text = " ".join(" ".join(b.parts).split())
    return blocks


def _follows(seen: list[Label], label: Label) -> bool:
    """Whether `label` is a number that could come next after the clauses seen so far."""
    if label.kind != "dotted":
        return True  # (a), (i): sub-items may start anywhere
    last = next((s for s in reversed(seen) if s.kind == "dotted"), None)
    if last is None:
        return True
    try:
        cur = [int(x) for x in last.value.split(".")]
        new = [int(x) for x in label.value.split(".")]
    except ValueError:
        return False
    if new == [*cur, 1]:
        return True
    return any(new[:k + 1] == [*cur[:k], cur[k] + 1] and all(x == 1 for x in new[k + 1:])
               for k in range(len(cur)))


# ---------------------------------------------------------------------- both: clauses

def _clauses(blocks: list[_Block]) -> list[Clause]:
    outline = Outline()
    section: list[tuple[int, str]] = []
    out: list[Clause] = []
    for b in blocks:
        text = b.text
        label = leading_label(text) if not b.cells else None
        number: str | None = None
        if b.heading is not None:
            if label is not None:
                text = text[label.length:]
            number, level = outline.heading(label, b.heading)
            if label is not None and label.kind == "dotted":
                level = label.value.count(".") + 1
            while section and section[-1][0] >= level:
                section.pop()
            out.append(Clause(number, text, level, True, tuple(t for _, t in section),
                              page=b.page))
            section.append((level, text))
            continue
        if label is not None:
            number, level = outline.place(label)
            text = text[label.length:]
        else:
            level = outline.body_level()
        out.append(Clause(number, text, level, False, tuple(t for _, t in section),
                          page=b.page, cells=b.cells))
    return out

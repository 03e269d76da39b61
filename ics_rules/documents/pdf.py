"""PDF reader (pypdfium2): clauses with the page each starts on.

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
_GLUED = re.compile(r"(?:\d{1,3}(?:\.\d{1,3}){0,5}\.?|\([a-z]{1,4}\)|\(\d{1,2}\))(?=[A-Za-z(])")


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
        tagged = bool(pdfium.raw.FPDFCatalog_IsTagged(pdf))
        pages = _read_pages(pdf, tagged)
    except InputError:
        raise
    except Exception as exc:
        raise _pdf_error(exc, display) from None
    finally:
        pdf.close()
    if not any(p.text.strip() for p in pages):
        raise InputError("the PDF has no text layer (a scanned image?); run it through OCR "
                         "or use the Word original", display)
    blocks = _tagged_blocks(pages) if tagged else []
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
    text: str  # every character of the page in content order; line ends are "\n"
    mcids: list[int]  # marked-content id of each character (tagged PDFs only, else empty)
    lines: list[_Line] = field(default_factory=list)
    tree: list[_El] = field(default_factory=list)  # the tagged structure (tagged PDFs)


def _read_pages(pdf: Any, tagged: bool) -> list[_Page]:
    """Each page's text, its lines with their boxes, and (tagged PDFs) the marked-content id
    of every character and the structure tree. pdfium does the work in C; Python only asks
    for the boxes of the few characters that place a line."""
    import ctypes

    import pypdfium2.raw as raw

    out = []
    for i in range(len(pdf)):
        page = pdf[i]
        height = float(page.get_height())
        tp = page.get_textpage()
        count = tp.count_chars()
        buf = ctypes.create_string_buffer(2 * (count + 1))
        raw.FPDFText_GetText(tp, 0, count, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
        text = buf.raw[: 2 * count].decode("utf-16-le", "replace")
        if len(text) != count:  # characters outside the BMP: ask one by one
            text = "".join(chr(c) if 0 < (c := raw.FPDFText_GetUnicode(tp, k)) < 0x110000
                           else " " for k in range(count))
        # pdfium marks a hyphen that ends a line as U+FFFE; a line break after any hyphen
        # (or a slash, in a URL) joins the words without a space.
        # (Replacements keep the text's length: indexes are character numbers.)
        text = text.replace("\ufffe", "-").replace("\r\n", " \n").replace("\r", "\n")
        mcids: list[int] = []
        if tagged:
            # Marked content changes at word boundaries: ask pdfium for the text object of
            # the first character of each word only (a fifth of the calls).
            last_obj, mcid, prev = None, -1, " "
            for k in range(count):
                ch = text[k]
                if prev.isspace() or ch.isspace():
                    obj = raw.FPDFText_GetTextObject(tp, k)
                    if obj != last_obj:
                        last_obj = obj
                        mcid = raw.FPDFPageObj_GetMarkedContentID(obj) if obj else -1
                mcids.append(mcid)
                prev = ch
        lines = _page_lines(tp, text, height, i + 1)
        tp.close()
        tree = _struct_tree(page, i + 1) if tagged else []
        page.close()
        out.append(_Page(i + 1, height, text, mcids, lines, tree))
    return out


def _page_lines(tp: Any, text: str, height: float, number: int) -> list[_Line]:
    """The page's text lines, placed by the boxes of their first, last and label characters."""
    import ctypes

    import pypdfium2.raw as raw

    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    ox, oy = ctypes.c_double(), ctypes.c_double()

    def box(k: int) -> tuple[float, float, float, float]:
        raw.FPDFText_GetCharBox(tp, k, left, right, bottom, top)
        return left.value, right.value, height - top.value, height - bottom.value

    def baseline(k: int) -> float:
        raw.FPDFText_GetCharOrigin(tp, k, ox, oy)
        return height - oy.value

    ranges: list[tuple[int, int]] = []  # [start, end) of each line
    start = 0
    for seg in text.split("\n"):
        base, start = start, start + len(seg) + 1
        if not seg.strip():
            continue
        first = base + len(seg) - len(seg.lstrip())
        last = base + len(seg.rstrip()) - 1
        if abs(baseline(first) - baseline(last)) < 2.0:
            ranges.append((base, base + len(seg)))
            continue
        # pdfium ran two lines together: split where the baseline moves.
        cut, y = base, baseline(first)
        for k in range(first, last + 1):
            if not text[k].isspace():
                yk = baseline(k)
                if abs(yk - y) >= 2.0:
                    ranges.append((cut, k))
                    cut, y = k, yk
        ranges.append((cut, base + len(seg)))

    out: list[_Line] = []
    for base, end in ranges:
        seg = text[base:end]
        stripped = seg.strip()
        if not stripped:
            continue
        first = base + len(seg) - len(seg.lstrip())
        last = base + len(seg.rstrip()) - 1
        inked = [first, last, (first + last) // 2]
        glued = _GLUED.match(stripped)
        if glued is not None:
            # "4.2The board": a number set apart by position only (no space character).
            k = first + glued.end()
            a, b = box(k - 1), box(k)
            if b[0] - a[1] > 0.25 * max(b[3] - b[2], a[3] - a[2], 1.0):
                stripped = stripped[:glued.end()] + " " + stripped[glued.end():]
        label = leading_label(" ".join(stripped.split()))
        label_end = body = None
        if label is not None:
            # the character after the label's printed text, skipping spaces
            k, n = first, len(label.printed)
            while k <= last and n:
                if not text[k].isspace():
                    n -= 1
                k += 1
            label_end = k - 1
            while k <= last and text[k].isspace():
                k += 1
            body = k if k <= last else None
            inked += [label_end] + ([body] if body is not None else [])
        boxes = {k: box(k) for k in inked}
        x0 = boxes[first][0]
        body_x = boxes[body][0] if body is not None else x0
        width = boxes[label_end][1] - x0 if label_end is not None else 0.0
        size = float(raw.FPDFText_GetFontSize(tp, first))
        weight = int(raw.FPDFText_GetFontWeight(tp, first))
        # Lines are placed by their baseline (glyph boxes vary with the letters sampled).
        y = baseline(first)
        em = max(b[3] - b[2] for b in boxes.values())
        out.append(_Line(" ".join(stripped.split()), x0, boxes[last][1], y, y,
                         round(size, 1), weight >= 600, body_x, width, number, em))
    out.sort(key=lambda ln: (round(ln.top, 0), ln.x0))
    return out


@dataclass
class _El:
    """One structure element of a page's tagged structure tree (read with pdfium)."""

    type: str
    page_number: int
    mcids: list[int]
    children: list[_El]

    def all_mcids(self) -> list[tuple[int, int]]:
        out = [(self.page_number, m) for m in self.mcids]
        for child in self.children:
            out.extend(child.all_mcids())
        return out


def _struct_tree(page: Any, number: int) -> list[_El]:
    """The page's structure tree (empty when the page has none), depth-limited."""
    import ctypes

    import pypdfium2.raw as raw

    buf = ctypes.create_string_buffer(256)

    def element(handle: Any, depth: int) -> _El:
        n = raw.FPDF_StructElement_GetType(handle, buf, len(buf))
        kind = buf.raw[:max(n - 2, 0)].decode("utf-16-le", "replace") if n else ""
        mcids = [raw.FPDF_StructElement_GetMarkedContentIdAtIndex(handle, i)
                 for i in range(raw.FPDF_StructElement_GetMarkedContentIdCount(handle))]
        children = []
        if depth < 200:
            for i in range(raw.FPDF_StructElement_CountChildren(handle)):
                child = raw.FPDF_StructElement_GetChildAtIndex(handle, i)
                if child:
                    children.append(element(child, depth + 1))
        return _El(kind, number, [m for m in mcids if m >= 0], children)

    tree = raw.FPDF_StructTree_GetForPage(page.raw)
    if not tree:
        return []
    try:
        return [element(raw.FPDF_StructTree_GetChildAtIndex(tree, i), 0)
                for i in range(raw.FPDF_StructTree_CountChildren(tree))
                if raw.FPDF_StructTree_GetChildAtIndex(tree, i)]
    finally:
        raw.FPDF_StructTree_Close(tree)


def _tagged_blocks(pages: list[_Page]) -> list[_Block]:
    """Blocks from each page's structure tree, text from its marked content; a paragraph
    that runs over a page break (two elements, one per page) is joined again."""
    text_by_mcid: dict[tuple[int, int], list[str]] = {}
    for page in pages:
        for ch, mcid in zip(page.text, page.mcids, strict=False):
            if mcid >= 0:
                text_by_mcid.setdefault((page.number, mcid), []).append(
                    "\n" if ch == "\n" else ch)

    def text_of(pairs: list[tuple[int, int]]) -> tuple[str, int | None]:
        pieces = []
        first_page = None
        for page_no, mcid in pairs:
            got = text_by_mcid.get((page_no, mcid))
            if got:
                first_page = first_page or page_no
                pieces.extend(p.strip() for p in "".join(got).split("\n"))
        return _join(pieces), first_page

    def own_mcids(el: _El) -> list[tuple[int, int]]:
        out = [(el.page_number, m) for m in el.mcids]
        for child in el.children:
            if child.type not in _BLOCK and child.type not in ("L", "Table"):
                out.extend(own_mcids(child))
        return out

    blocks: list[_Block] = []

    def walk(el: _El) -> None:
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
                walk(child)

    for page in pages:
        first = len(blocks)
        for el in page.tree:
            walk(el)
        if 0 < first < len(blocks):
            prev, nxt = blocks[first - 1], blocks[first]
            if (prev.heading is None and nxt.heading is None and not prev.cells
                    and not nxt.cells and prev.page < nxt.page
                    and not re.search(r"[.;:]$", prev.text) and leading_label(nxt.text) is None):
                prev.text = f"{prev.text} {nxt.text}"
                del blocks[first]
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
    em: float = 0.0  # height of the tallest sampled glyph box (about one em)


def _lines(pages: list[_Page]) -> tuple[list[list[_Line]], list[float]]:
    """Text lines of each page with their boxes, font size and weight."""
    return [p.lines for p in pages], [p.height for p in pages]


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
    body = sorted(ln.em for ln in every if ln.size == body_size)
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
            if (label is None and not heading and prev is not None and cur is not None
                    and ln.x0 < cur_body - 0.5 * em and re.search(r"[.;:]$", prev.text)):
                new_para = True  # text further left, after a finished sentence: a new block
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
            elif new_para:
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
        b.text = _join(b.parts)
    return blocks


def _join(parts: list[str]) -> str:
    """Lines of one paragraph as one text: a line ending in a hyphen or slash runs on."""
    out = ""
    for part in parts:
        glue = "" if not out or re.search(r"[\w/][-/]$", out) else " "
        out += glue + part
    return " ".join(out.split())


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

"""HTML reader (lxml.html): headings from the markup, clause numbers from the text.

Page furniture (`header`, `footer`, `nav`, scripts, styles, hidden elements) is left out. A list
item takes the label the browser would show (`ol` type, `start`, `value`, a CSS
list-style-type) unless its text carries its own number. Nothing is fetched: the parser reads
no DTD and no external resource.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import InputError
from .clauses import Document
from .docx import format_counter
from .numbers import ClauseBuilder, Label
from .safety import MAX_TEXT_BYTES, check_file, needs

_SKIP = {"script", "style", "template", "noscript", "head", "header", "footer", "nav", "aside",
         "form", "button", "svg", "iframe", "object", "embed", "select", "textarea", "math"}
_BLOCKS = {"p", "li", "dt", "dd", "pre", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
           "div", "section", "article", "main", "body", "ol", "ul", "dl", "table", "tbody",
           "thead", "tfoot", "blockquote", "figure", "figcaption", "address", "details",
           "summary", "fieldset", "hr", "center"}
_TYPES = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman",
          "1": "decimal"}
_CSS_TYPES = {"lower-alpha": "lowerLetter", "lower-latin": "lowerLetter",
              "upper-alpha": "upperLetter", "upper-latin": "upperLetter",
              "lower-roman": "lowerRoman", "upper-roman": "upperRoman", "decimal": "decimal",
              "none": "none"}


def read_html(path: Path, display: str) -> Document:
    """Read an HTML file into clauses."""
    check_file(path, display, MAX_TEXT_BYTES)
    lxml_html = needs("lxml.html", "HTML documents", display)
    raw = path.read_bytes()
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("not an HTML file (binary data)", display)
    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                  huge_tree=False)
    try:
        root = lxml_html.document_fromstring(raw, parser=parser)
    except Exception as exc:  # lxml raises ParserError / XMLSyntaxError on empty or junk input
        raise InputError(f"cannot read the HTML ({exc})", display) from None
    for br in root.iter("br"):
        br.tail = " " + (br.tail or "")
    walker = _Walker()
    body = root.find("body")
    walker.block(body if body is not None else root)
    return Document(path=display, kind="html", clauses=walker.clauses)


def _tag(el: Any) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _hidden(el: Any) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return (el.get("hidden") is not None or el.get("aria-hidden") == "true"
            or "display:none" in style)


def _fold(text: str) -> str:
    return " ".join(text.split())


class _Walker(ClauseBuilder):
    def inline_text(self, el: Any, stop: set[str]) -> str:
        """Text of `el` without its block children named in `stop` (nested lists etc.)."""
        parts = [el.text or ""]
        for child in el:
            tag = _tag(child)
            if tag in _SKIP or _hidden(child) or tag in stop:
                parts.append(child.tail or "")
                continue
            parts.append(self.inline_text(child, stop))
            parts.append(child.tail or "")
        return "".join(parts)

    def emit(self, text: str, label: Label | None = None, heading: int | None = None,
             cells: tuple[str, ...] = ()) -> None:
        text = _fold(text)
        if not text and not cells:
            return
        self.add(text, label, heading, cells)

    def block(self, el: Any) -> None:
        tag = _tag(el)
        if tag in _SKIP or _hidden(el):
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.emit(self.inline_text(el, set()), heading=int(tag[1]))
            return
        if tag == "tr":
            cells = tuple(_fold(self.inline_text(c, set())) for c in el
                          if _tag(c) in ("td", "th"))
            if any(cells):
                self.emit(" | ".join(cells), cells=cells)
            return
        if tag in ("ol", "ul"):
            self.list(el)
            return
        has_blocks = any(_tag(c) in _BLOCKS for c in el)
        if not has_blocks and tag not in ("body", "table", "tbody", "thead", "tfoot"):
            self.emit(self.inline_text(el, set()))
            return
        # Mixed content: loose text between block children is a paragraph of its own.
        loose = [el.text or ""]
        for child in el:
            if _tag(child) in _BLOCKS or _tag(child) in _SKIP:
                self.emit("".join(loose))
                loose = []
                self.block(child)
                loose.append(child.tail or "")
            else:
                loose.append(self.inline_text(child, set()) + (child.tail or ""))
        self.emit("".join(loose))

    def list(self, el: Any) -> None:
        ordered = _tag(el) == "ol"
        fmt = _TYPES.get(el.get("type") or "1", "decimal") if ordered else "bullet"
        style = (el.get("style") or "").lower()
        m = re.search(r"list-style(?:-type)?\s*:\s*([a-z-]+)", style)
        if m and m.group(1) in _CSS_TYPES:
            fmt = _CSS_TYPES[m.group(1)]
        try:
            n = int(el.get("start") or 1) - 1
        except ValueError:
            n = 0
        nested = any(_tag(a) == "li" for a in el.iterancestors())
        for li in el:
            if _tag(li) != "li" or _hidden(li):
                continue
            try:
                n = int(li.get("value")) if li.get("value") else n + 1
            except ValueError:
                n += 1
            label: Label | None = None
            if fmt not in ("bullet", "none"):
                shown = format_counter(n, fmt)
                if fmt == "decimal" and not nested and self.outline.dotted is None:
                    label = Label(shown, "dotted", shown, 0)
                else:
                    kind = ("roman" if nested else "item") if fmt == "decimal" else (
                        "roman" if "Roman" in fmt else "letter")
                    label = Label(f"({shown})", kind, shown, 0)
            children = [c for c in li if _tag(c) in ("ol", "ul", "p", "div", "table")]
            own = self.inline_text(li, {"ol", "ul", "p", "div", "table"})
            if not own.strip() and children and _tag(children[0]) in ("p", "div") and \
                    not any(_tag(c) in _BLOCKS for c in children[0]):
                # <li><p>text</p>...: the item's label belongs to its first paragraph
                own, children = self.inline_text(children[0], set()), children[1:]
            self.emit(own, label)
            for child in children:
                self.block(child)

"""Read the plain clause lists of the fact-finding corpus (tests/data/documents) into Documents.

The corpus tests the fact finder, not the readers, so its documents are simple text: `#`
headings (optionally numbered), numbered clauses ("3.2.1 ...", "Article 4.2 ...", "12. ..."),
lettered or roman sub-items ("(a) ...", "ii) ...") and bullets. Indented lines that start no
new item continue the clause before.
"""

from __future__ import annotations

import re
from pathlib import Path

from ics_rules.documents.clauses import Clause, Document

_HEADING = re.compile(r"^(#{1,6})\s+(?:(?P<num>(?:Part|Section|Article)?\s*\d+(?:\.\d+)*)\.?\s+)?"
                      r"(?P<text>.+)$")
_NUMBERED = re.compile(r"^(?:(?:Article|Clause|Paragraph)\s+)?(?P<num>[A-Z]?\d+(?:\.\d+)*)\.?\s+"
                       r"(?P<text>.+)$")
_SUB = re.compile(r"^(?P<num>\((?:[a-z]{1,2}|[ivx]{1,5}|\d{1,2})\)|(?:[a-z]|[ivx]{1,5})\))\s+"
                  r"(?P<text>.+)$")
_BULLET = re.compile(r"^[-•*]\s+(?P<text>.+)$")


def read_clause_list(path: Path) -> Document:
    """The clauses of one corpus document."""
    return parse_clause_list(path.read_text(encoding="utf-8"), str(path))


def parse_clause_list(text: str, name: str) -> Document:
    """The clauses of a corpus document given as text."""
    clauses: list[Clause] = []
    headings: list[tuple[int, str]] = []
    body_level = 1
    current: dict[str, object] | None = None
    sub_lines: set[int] = set()

    def flush() -> None:
        nonlocal current
        if current is not None:
            clauses.append(Clause(**current))  # type: ignore[arg-type]
            current = None

    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
            continue
        h = _HEADING.match(line)
        if h:
            flush()
            level = len(h.group(1))
            num = h.group("num")
            if num:
                num = re.sub(r"^(?:Part|Section|Article)\s*", "", num.strip())
            headings = [x for x in headings if x[0] < level]
            clauses.append(Clause(num or None, h.group("text").strip(), level, heading=True,
                                  section=tuple(t for _, t in headings), paragraph=n))
            headings.append((level, h.group("text").strip()))
            body_level = level + 1
            continue
        section = tuple(t for _, t in headings)
        m = _NUMBERED.match(line)
        s = _SUB.match(line)
        b = _BULLET.match(line)
        if m and not raw.startswith((" ", "\t")):
            flush()
            num = m.group("num")
            current = {"number": num, "text": m.group("text"),
                       "level": max(body_level, num.count(".") + 1), "section": section,
                       "paragraph": n}
        elif s or b:
            flush()
            main = next((c for c in reversed(clauses) if not c.heading
                         and (c.number is None or "(" not in c.number)
                         and c.paragraph not in sub_lines), None)
            label = s.group("num").strip("()").rstrip(")") if s else None
            number = f"{main.number}({label})" if label and main and main.number else None
            sub_lines.add(n)
            current = {"number": number, "text": (s or b).group("text"),  # type: ignore[union-attr]
                       "level": (main.level if main else body_level) + 1, "section": section,
                       "paragraph": n}
        elif current is not None:
            current["text"] = f"{current['text']} {line}"
        else:
            current = {"number": None, "text": line, "level": body_level, "section": section,
                       "paragraph": n}
    flush()
    return Document(name, "markdown", clauses)


_FIXTURE_TITLE = re.compile(r"^##\s+(?P<title>.+)$")
_SHORT_NUMBERED = re.compile(r"^(?P<num>\d+(?:\.\d+)+)\s+(?P<text>[^.:]{1,80})$")
_INDENTED_ITEM = re.compile(r"^\s+(?P<num>\d{1,2})\.\s+(?P<text>.+)$")


def fixture_document(path: Path) -> Document:
    """A real-constitution fixture (excerpts of published pages in ```text blocks) as a
    Document: each block's numbered lines become clauses, short numbered lines without a
    full stop ("2.1 Background") headings, the page's banner and title lines before the first
    numbered line headings too, indented "1." items sub-items, "[…]" dropped."""
    out: list[str] = []
    in_block = False
    numbered_yet = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_block = not in_block
            numbered_yet = False
            continue
        if not in_block:
            if _FIXTURE_TITLE.match(line):
                out.append("# " + _FIXTURE_TITLE.match(line).group("title"))  # type: ignore[union-attr]
            continue
        if line.strip() in ("[…]", "[...]") or not line.strip():
            out.append("")
            continue
        short = _SHORT_NUMBERED.match(line.strip())
        item = _INDENTED_ITEM.match(line)
        numbered_yet = numbered_yet or bool(_NUMBERED.match(line.strip()))
        if not numbered_yet and len(line.split()) <= 12:
            out.append(f"## {line.strip()}")
        elif short:
            out.append(f"### {short.group('num')} {short.group('text')}")
        elif item:
            out.append(f"({item.group('num')}) {item.group('text')}")
        else:
            out.append(line.strip())
    return parse_clause_list("\n".join(out), str(path))

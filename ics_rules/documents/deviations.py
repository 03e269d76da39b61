"""How a constitution document departs from the model constitution: the reviewer's view.

`deviations(doc)` lists, in the model's order, each provision the document leaves out
(`missing`), each one it keeps but where the facts it states differ from the model's
position, or where the model's position is not found in its clauses (`changed`), and then
the document's own clauses that line up with no provision of the model (`added`). Each
entry names the model clause and the document's clause numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .align import align
from .clauses import Document
from .facts import find_facts, to_constitution_data
from .model_constitution import PROVISIONS
from .wording import quote

KINDS = ("missing", "changed", "added")
STRONG = 0.45  # a clause aligned elsewhere that fits a provision this well also provides it


@dataclass(frozen=True, slots=True)
class Deviation:
    """One departure from the model constitution."""

    kind: str  # missing | changed | added
    model_clause: str | None  # "3.3 (appointing the chair)"; None for added text
    clauses: tuple[str, ...]  # the document's clause numbers concerned (empty when missing)
    detail: str
    required: bool = True  # the model treats the provision as a legal or policy requirement

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of a deviation."""
        return {"kind": self.kind, "model_clause": self.model_clause,
                "clauses": list(self.clauses), "detail": self.detail,
                "required": self.required}


def deviations(doc: Document) -> list[Deviation]:
    """Missing, changed and added provisions of `doc` against the model."""
    al = align(doc)
    extraction = find_facts(doc)
    data = to_constitution_data(extraction)
    read_from = {f.paragraph for f in extraction.facts if f.paragraph is not None}
    read_from_numbers = {f.clause for f in extraction.facts if f.clause}
    out: list[Deviation] = []

    def numbers(indices: list[int]) -> tuple[str, ...]:
        seen: list[str] = []
        for i in indices:
            n = doc.clauses[i].number or f"paragraph {doc.clauses[i].paragraph or i + 1}"
            if n not in seen:
                seen.append(n)
        return tuple(seen)

    for j, p in enumerate(PROVISIONS):
        where = f"{p.number} ({p.title})"
        body = [i for i, c in enumerate(doc.clauses) if not c.heading and (
            al.keys[i] == p.key or al.fit[i][j] >= STRONG)]
        verdicts = [(description, check(data)) for description, check in p.standard]
        if not body and not any(v is True for _, v in verdicts):
            out.append(Deviation("missing", where, (), f"no clause provides for {p.title}",
                                 p.required))
            continue
        for description, verdict in verdicts:
            if verdict is False:
                out.append(Deviation("changed", where, numbers(body),
                                     f"the model: {description}; the document says otherwise",
                                     p.required))
            elif verdict is None and body:
                out.append(Deviation("changed", where, numbers(body),
                                     f"the model: {description}; not found in these clauses",
                                     p.required))
    run: list[int] = []
    for i, c in enumerate([*doc.clauses, None]):
        if c is not None and al.keys[i] is None and not c.heading and not (
                (c.paragraph is not None and c.paragraph in read_from)
                or (c.number and c.number in read_from_numbers)
                or max(al.fit[i], default=0.0) >= STRONG):
            run.append(i)
            continue
        if run:
            first = doc.clauses[run[0]].text
            out.append(Deviation("added", None, numbers(run),
                                 f"not in the model: {quote(first, limit=120)}", False))
            run = []
    return out


def render(found: list[Deviation], fmt: str) -> str:
    """The deviations as JSON (`fmt` "json") or as lines a reviewer reads, in the model's
    order then the added clauses; document text goes through the display sanitiser (it is
    untrusted)."""
    import json

    from ..display import clean

    if fmt == "json":
        return json.dumps({"deviations": [d.as_dict() for d in found]}, indent=2,
                          ensure_ascii=False) + "\n"
    lines = []
    for d in found:
        where = [f"model {d.model_clause}"] if d.model_clause else []
        if d.clauses:
            where.append(f"document clause {', '.join(d.clauses)}")
        note = "" if d.required or d.kind == "added" else " [optional in the model]"
        lines.append(clean(f"{d.kind}: {'; '.join(where)}: {d.detail}{note}"))
    counts = {k: sum(1 for d in found if d.kind == k) for k in KINDS}
    lines.append(", ".join(f"{n} {k}" for k, n in counts.items()))
    return "\n".join(lines) + "\n"

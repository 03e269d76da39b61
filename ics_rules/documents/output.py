"""What `ics-rules extract` writes: an `ics-constitution/1` facts file with its provenance.

The YAML keeps provenance twice: as a comment beside each fact (clause, page or paragraph,
confidence, the quoted words) for a person, and as the `provenance:` map at the end for tools
(the loader reads it, so findings on the file also cite the document's clause). Facts not found
are listed, never guessed. The JSON form is `{"facts": [...], "not_found": [...],
"warnings": [...]}`. See docs/documents.md.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from ..loader import format_path
from ..location import printable
from .load import Extracted

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_ ,.'()/&+-]*")
_ORDER = ("schema", "icb", "board", "committees", "governance", "partnership", "places",
          "providers", "provider_collaboratives", "vcse", "digital", "clinical_leadership",
          "finance", "plans", "pcns")
_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def _quote(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `text`."""
    out = json.dumps(text, ensure_ascii=False)
    # JSON leaves these raw; YAML treats them as line breaks or refuses them.
    return re.sub(r"[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]",
                  lambda m: "\\ufffd" if 0xD800 <= ord(m.group()) <= 0xDFFF
                  else f"\\u{ord(m.group()):04x}", out)


def scalar(value: Any) -> str:
    """One YAML scalar: plain when unambiguous, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED and not text.endswith(
            (" ", ":")) and ": " not in text and " #" not in text:
        return text
    return _quote(text)


def _key(key: Any) -> str:
    return str(key) if _KEY.fullmatch(str(key)) and str(key).lower() not in _RESERVED \
        else _quote(str(key))


def _comment(src: dict[str, Any]) -> str:
    where = []
    if src.get("clause"):
        where.append(f"clause {printable(str(src['clause']), 40)}")
    if src.get("page") is not None:
        where.append(f"p. {src['page']}")
    elif src.get("paragraph") is not None:
        where.append(f"para. {src['paragraph']}")
    if src.get("confidence") is not None:
        where.append(f"confidence {src['confidence']:.2f}")
    quote = printable(str(src.get("quote") or ""), 100)
    return "  # " + ", ".join(where) + (f': "{quote}"' if quote else "")


def _emit(value: Any, indent: int, path: tuple[Any, ...], out: list[str],
          notes: dict[str, dict[str, Any]], first_prefix: str | None = None) -> None:
    """Block-style YAML of `value` (a mapping or list), a comment beside each sourced fact."""
    pad = " " * indent
    items = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
    for n, (k, v) in enumerate(items):
        lead = first_prefix if (first_prefix is not None and n == 0) else pad
        here = (*path, k)
        note = notes.get(format_path(here))
        comment = _comment(note) if note else ""
        head = f"{lead}{_key(k)}:" if isinstance(value, dict) else f"{lead}-"
        if isinstance(v, dict) and v:
            if isinstance(value, dict):
                out.append(head + comment)
                _emit(v, indent + 2, here, out, notes)
            else:
                _emit(v, indent + 2, here, out, notes, first_prefix=f"{lead}- ")
        elif isinstance(v, list) and v:
            out.append(head + comment)
            _emit(v, indent + 2, here, out, notes)
        else:
            empty = "{}" if isinstance(v, dict) else "[]" if isinstance(v, list) else scalar(v)
            out.append(f"{head} {empty}{comment}")


def facts_yaml(ex: Extracted, version: str) -> str:
    """The facts file: header comments, the facts (commented), then the provenance map."""
    from .facts import provenance

    extraction = ex.extraction
    doc = ex.document
    notes = provenance(extraction)
    name = printable(doc.path, 200)
    out = [f"# Facts read from {name} by ics-rules {version} extract "
           f"(tracked changes: {ex.changes}).",
           "# Beside each fact: the clause it was read from, how sure the reading is, and the",
           "# words. Check every fact against the document before relying on it; facts that",
           "# were looked for and not found are listed at the end and have no value here."]
    for w in extraction.warnings:
        out.append(f"# warning: {printable(w, 300)}")
    data = dict(ex.data)
    data.setdefault("schema", "ics-constitution/1")
    ordered = {k: data.pop(k) for k in _ORDER if k in data}
    ordered.update(data)
    _emit(ordered, 0, (), out, notes)
    if extraction.not_found:
        out.append("")
        out.append("# Not found in the document (the model constitution puts them at the "
                   "clause named):")
        for nf in extraction.not_found:
            out.append(f"#   {format_path(nf.path)}: model clause {printable(nf.model_clause, 40)}"
                       f" ({printable(nf.why, 200)})")
    prov: dict[str, Any] = {
        "document": doc.path, "sha256": ex.sha256, "reader": doc.kind, "changes": ex.changes,
        "extracted_by": f"ics-rules {version}",
        "facts": {k: {f: v for f, v in src.items() if v is not None}
                  for k, src in notes.items()},
        "not_found": [{"path": format_path(nf.path), "model_clause": nf.model_clause,
                       "why": nf.why} for nf in extraction.not_found],
        "warnings": list(extraction.warnings)}
    out.append("")
    out.append("# Machine-readable provenance (read by ics-rules; see docs/documents.md).")
    out.append("provenance:")
    _emit(prov, 2, ("provenance",), out, {})
    return "\n".join(out) + "\n"


def facts_json(ex: Extracted) -> str:
    """`{"facts": [...], "not_found": [...], "warnings": [...]}` as JSON text."""
    from .facts import as_json

    return json.dumps(as_json(ex.extraction), indent=2, ensure_ascii=False,
                      default=lambda v: v.isoformat() if isinstance(v, datetime.date) else str(v)
                      ) + "\n"

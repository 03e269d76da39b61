"""`ics-rules init`: a starter constitution for a new ICB, and the check for leftover example
values.

The starter holds the facts the user gave (the ICB's name, its councils, its board) and every
other fact that a statutory or NHS England policy rule reads, each left empty with a
`# TODO` comment saying what to write. An empty value is "not stated", so `check` reports
every one until it is filled in; nothing in the starter passes a rule on the user's behalf.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

REQUIRED_STRENGTHS = ("statutory", "policy")
ROLES = ("chair", "chief_executive", "partner_member", "executive", "non_executive", "other")


@dataclass
class Member:
    """A board member named on the command line: `role=name`."""

    role: str
    name: str


@dataclass
class StarterFacts:
    """What the user told `init`."""

    name: str | None = None
    local_authorities: list[str] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)


def slug(text: str) -> str:
    """An id from a name: `Sampletown City Council` -> `sampletown-city-council`."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-")
    return out or "x"


def parse_member(text: str) -> Member:
    """`chair=Jane Smith` (or `chair:Jane Smith`) -> Member; ValueError naming the roles."""
    role, _, name = text.replace(":", "=", 1).partition("=")
    role = slug(role).replace("-", "_")
    if role not in ROLES:
        raise ValueError(f"'{text}': the role must be one of {', '.join(ROLES)} "
                         "(write ROLE=NAME, e.g. chair=Jane Smith)")
    return Member(role, name.strip())


def needed_fields(rulesets: Any) -> set[tuple[str, str]]:
    """(model, field) pairs read by a statutory or policy rule."""
    from .dsl.reads import rule_reads

    strength = {r.id: r.rule.strength for r in rulesets.rules()}
    out: set[tuple[str, str]] = set()
    for rule_id, reads in rule_reads(rulesets).items():
        if strength.get(rule_id) in REQUIRED_STRENGTHS:
            out |= reads
    return out


def skeleton(facts: StarterFacts, rulesets: Any) -> str:
    """The starter file's text (YAML with `# TODO` comments)."""
    from .model import Constitution

    needed = needed_fields(rulesets)
    name = facts.name or None
    given: dict[str, Any] = {"schema": "ics-constitution/1", "icb": {"name": name}}
    if "describes" in Constitution.model_fields:
        # The TODOs cover the constitution, the ICB's other documents and the system, so the
        # rules on all three are assessed (and report what is not stated) rather than skipped.
        given["describes"] = ["constitution", "icb", "system"]
    if facts.local_authorities:
        given["icb"]["area"] = {"local_authorities": [
            {"id": slug(n), "name": n} for n in facts.local_authorities]}
    if facts.members:
        ids: dict[str, int] = {}
        members = []
        for m in facts.members:
            base = {"chief_executive": "ceo", "non_executive": "ned",
                    "partner_member": "pm"}.get(m.role, m.role)
            ids[base] = ids.get(base, 0) + 1
            ident = base if ids[base] == 1 and m.role in ("chair", "chief_executive") \
                else f"{base}-{ids[base]}"
            members.append({"id": ident, "role": m.role, "name": m.name or None})
        given["board"] = {"members": members}
    title = name or "your ICB"
    head = [f"# A starter constitution for {title}, written by `ics-rules init`.",
            "#",
            "# Every `# TODO` is a fact the law or NHS England policy asks for: `ics-rules check`",
            "# reports each one as not stated until you write it in. docs/format.md explains",
            "# every field and its allowed words. Lines under a TODO that start with `#` show",
            "# what goes there: remove the `# ` to use them. For hover help and completion in",
            "# your editor:",
            "#   ics-rules schema > ics-constitution.schema.json",
            "# and keep the next line:",
            "# yaml-language-server: $schema=ics-constitution.schema.json"]
    body = _emit(Constitution, given, needed, 0)
    return "\n".join(head + body) + "\n"


def _emit(model: Any, given: dict[str, Any], needed: set[tuple[str, str]],
          indent: int, commented: bool = False) -> list[str]:
    """The lines for one mapping of `model`: given values, and TODOs for needed fields."""
    from pydantic import BaseModel

    from .docgen import _model_in
    from .schema import ListOf, allowed_words, model_type

    pad = " " * indent
    types = model_type(model).fields
    lines: list[str] = []
    for fname, info in model.model_fields.items():
        key = info.alias or fname
        value = given.get(key)
        inner_model = _model_in(info.annotation, BaseModel)
        is_needed = (model.__name__, key) in needed or info.is_required()
        if value is None and not is_needed:
            continue
        t = types[key]
        if isinstance(value, dict) and inner_model is not None:
            lines.append(f"{pad}{key}:")
            lines += _emit(inner_model, value, needed, indent + 2)
            continue
        if isinstance(value, list) and inner_model is not None:
            lines.append(f"{pad}{key}:")
            for item in value:
                sub = _emit(inner_model, item, needed, indent + 4)
                sub[0] = f"{pad}  - {sub[0].lstrip()}"
                lines += sub
            continue
        if value is not None:
            lines.append(f"{pad}{key}: {_scalar(value)}")
            continue
        words = allowed_words(t)
        what = " ".join((info.description or "").split())
        if words:
            what += f" [{', '.join(words)}]"
        if model.__name__ == "Board" and key == "members":
            what += "; the law asks for a chair, a chief executive and partner members " \
                    "nominated by trusts, GP practices and councils"
        lines.append(f"{pad}{key}:  # TODO: {what}")
        if inner_model is not None:
            # Left empty (so "not stated"), with what goes inside shown as comments: a
            # mapping of empty values would count as present and pass an existence rule.
            listed = isinstance(t, ListOf)
            sub = _emit(inner_model, {}, needed, indent + (4 if listed else 2), commented=True)
            if sub and listed:
                sub[0] = f"{pad}  - {sub[0].lstrip()}"
            lines += sub if commented else [f"{pad}# {line[len(pad):]}" for line in sub]
    return lines


def _scalar(value: Any) -> str:
    """A text value as YAML, quoted when it could be read as something else."""
    import yaml

    return str(yaml.safe_dump(value, default_flow_style=True, allow_unicode=True,
                              width=10_000)).removesuffix("\n...\n").strip()


# ---------------------------------------------------------------- leftover example values

@functools.cache
def _example() -> tuple[frozenset[str], str]:
    """The bundled example, read once: every whole value of a key in it (by line, not parsed,
    to keep `check` quick: `name: NHS Example ...`, `- name: Exampleshire County Council`) and
    the SHA-256 of its bytes."""
    from .resources import example_constitution

    raw = example_constitution().read_bytes()
    values: set[str] = set()
    for m in re.finditer(r"^[ \t]*(?:- )?[a-z_]+: (.+)$", raw.decode("utf-8"), re.M):
        whole = m.group(1).rstrip()
        values.add(whole)  # a value holding '#' (a web address's fragment)
        values.add(re.sub(r"[ \t]*#.*$", "", whole))  # without a trailing comment
    values.discard("")
    return frozenset(values), hashlib.sha256(raw).hexdigest()


def example_leftovers(data: dict[str, Any]) -> list[str]:
    """The example's own values still in a constitution's facts (the ICB's name and short
    name, its councils' names, its web address): each a whole value of a key in the example."""
    icb = data.get("icb") or {}
    found = [icb.get("name"), icb.get("short_name"),
             (icb.get("constitution") or {}).get("published_url")]
    found += [la.get("name") for la in ((icb.get("area") or {}).get("local_authorities") or [])
              if isinstance(la, dict)]
    values = _example()[0]
    return [v for v in found if isinstance(v, str) and v.strip() and v in values]


def example_warning(c: Any) -> str | None:
    """The warning for a file other than the bundled example that still holds its names."""
    from pathlib import Path

    from .resources import example_constitution

    leftovers = example_leftovers(c.data)
    if not leftovers:
        return None
    try:  # the bundled example itself, or the source tree's (same name, same bytes)
        bundled = example_constitution()
        if Path(c.path).resolve() == bundled.resolve() or (
                Path(c.path).name == bundled.name and c.sha256 == _example()[1]):
            return None
    except OSError:
        pass
    shown = ", ".join(f"'{v}'" for v in leftovers[:3])
    return (f"{c.path}: warning: still holds the example's own values ({shown}); replace "
            "them with your ICB's facts")

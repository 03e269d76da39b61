"""Accepted exceptions to rules: who approved them, why, for which constitution, until when.

A waiver turns a `fail` into `waived` while it is in force. An expired waiver no longer
applies and is itself reported; statutory requirements cannot be waived (the law is not ours
to set aside), and a waiver naming an unknown rule is an error in the waivers file.
"""

from __future__ import annotations

import dataclasses
import datetime
import fnmatch
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ErrorList, InputError, did_you_mean
from .loader import (
    Positions,
    format_for,
    nearest_position,
    parse_data,
    read_text,
    validation_errors,
)


@dataclass(frozen=True)
class Waiver:
    """One accepted exception."""

    rule: str
    constitution: str
    justification: str
    approved_by: str
    expires: datetime.date
    approved_on: datetime.date | None = None
    line: int | None = None

    def matches(self, path: str, icb: str) -> bool:
        """Whether this waiver is for the constitution at `path` (glob) or named `icb`."""
        pattern = self.constitution
        norm = path.replace("\\", "/")
        return (pattern == icb or fnmatch.fnmatch(norm, pattern)
                or fnmatch.fnmatch(Path(norm).name, pattern))

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "constitution": self.constitution,
                "justification": self.justification, "approved_by": self.approved_by,
                "approved_on": self.approved_on.isoformat() if self.approved_on else None,
                "expires": self.expires.isoformat()}


@dataclass
class Waivers:
    """The waivers of one file."""

    path: str
    waivers: list[Waiver]

    def validate_rules(self, rules: dict[str, Any], text: str = "") -> None:
        """Refuse waivers of unknown or statutory rules, naming the line."""
        errors: list[InputError] = []
        for w in self.waivers:
            if w.rule not in rules:
                errors.append(InputError(f"waiver names unknown rule '{w.rule}'"
                                         f"{did_you_mean(w.rule, rules)}", self.path, w.line, None))
            elif rules[w.rule].rule.strength == "statutory":
                errors.append(InputError(f"rule {w.rule} is statutory and cannot be waived",
                                         self.path, w.line, None,
                                         hint="a constitution that does not meet the Act must be "
                                              "changed; waivers are for policy and guidance"))
        if errors:
            raise errors[0] if len(errors) == 1 else ErrorList(errors)

    def apply(self, result: Any, rules: dict[str, Any]) -> None:
        """Turn failing findings into waived ones where a waiver is in force; note the rest."""
        for i, f in enumerate(result.findings):
            for w in self.waivers:
                if w.rule != f.rule or not w.matches(result.constitution, result.icb):
                    continue
                if w.expires < result.as_of:
                    if f.outcome == "fail":
                        result.findings[i] = dataclasses.replace(
                            f, message=f"{f.message} (waiver expired on {w.expires})",
                            waiver={**w.as_dict(), "status": "expired"})
                    result.notes.append(f"waiver for {w.rule} expired on {w.expires} "
                                        f"({self.path}:{w.line})")
                elif f.outcome == "fail":
                    result.findings[i] = dataclasses.replace(
                        f, outcome="waived", waiver={**w.as_dict(), "status": "active"},
                        message=f"{f.message} (waived until {w.expires} by {w.approved_by}: "
                                f"{w.justification})")
                elif f.outcome == "pass":
                    result.notes.append(f"waiver for {w.rule} is not needed: the rule passes "
                                        f"({self.path}:{w.line})")
                break


@functools.cache
def _models() -> tuple[Any, Any]:
    """The pydantic models of a waivers file (built once)."""
    from pydantic import BaseModel, ConfigDict, Field

    class _W(BaseModel):
        model_config = ConfigDict(extra="forbid")
        rule: str = Field(min_length=1)
        constitution: str = Field(min_length=1)
        justification: str = Field(min_length=10)
        approved_by: str = Field(min_length=1)
        approved_on: datetime.date | None = None
        expires: datetime.date

    class _File(BaseModel):
        model_config = ConfigDict(extra="forbid")
        waivers: list[_W]

    return _W, _File


def load_waivers(path: str | Path) -> Waivers:
    """Read and validate a waivers file (YAML, JSON or TOML)."""
    shown = str(path)
    text, _ = read_text(Path(path), shown)
    return parse_waivers(text, shown, format_for(shown))


def parse_waivers(text: str, shown: str, fmt: str) -> Waivers:
    """Validate the text of a waivers file. Raises `InputError` naming file, line, column."""
    from pydantic import ValidationError

    _W, _File = _models()
    data, positions = parse_data(text, shown, fmt)
    try:
        parsed = _File.model_validate(data)
    except ValidationError as exc:
        def at(loc: tuple[Any, ...], message: str, hint: str | None = None) -> InputError:
            line, col = _pos(positions, loc)
            if loc and loc[-1] in _W.model_fields and message.startswith(f"'{loc[-1]}' is req"):
                hint = "each waiver needs rule, constitution, justification, approved_by and " \
                       "expires"
            return InputError(message, shown, line, col, source=text, hint=hint)

        errors = validation_errors(exc, data, at, _File)
        raise errors[0] if len(errors) == 1 else ErrorList(errors) from None
    out = []
    for i, w in enumerate(parsed.waivers):
        line = _pos(positions, ("waivers", i))[0]
        out.append(Waiver(w.rule, w.constitution, w.justification, w.approved_by, w.expires,
                          w.approved_on, line))
    return Waivers(shown, out)


def _pos(positions: Positions, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
    return nearest_position(positions, loc) or (None, None)

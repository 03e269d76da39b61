"""Errors raised for bad input: every one names the file, line and column, and renders the same way.

The CLI turns any of these into a message on stderr and exit status 2, never a traceback.
Paths, messages and source lines pass the display sanitiser (they quote untrusted files).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Position:
    """A place in a file: 1-based line and column (column may be None when unknown)."""

    line: int
    column: int | None = None


class IcsRulesError(Exception):
    """Base class of all errors ics-rules raises on purpose."""


class InputError(IcsRulesError):
    """A problem with a file the user gave us (constitution, ruleset, waivers): where and what."""

    kind = "error"

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        *,
        source: str | None = None,
        end_column: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.source = source
        self.end_column = end_column
        self.hint = hint

    def location(self) -> str:
        """`path:line:column` as far as known (the path shown safely)."""
        from .display import clean

        parts = [clean(self.path or "<input>")]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def render(self) -> str:
        """The message with its location, the offending source line and a caret under it."""
        from .display import clean

        out = [f"{self.location()}: {self.kind}: {clean(self.message)}"]
        if self.source is not None and self.line is not None:
            lines = self.source.split("\n")
            if 0 < self.line <= len(lines):
                out.extend(_source_excerpt(lines[self.line - 1], self.line, self.column,
                                           self.end_column))
        if self.hint:
            out.append(f"  hint: {clean(self.hint)}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.render()


def _source_excerpt(line: str, number: int, column: int | None,
                    end_column: int | None) -> list[str]:
    """The offending source line (at most 200 characters around the column, shown safely)
    and a caret under the column."""
    from .display import clean

    text = line.rstrip("\r").expandtabs(1)
    start = 0
    if column is not None and column > 160:
        start = column - 80  # a long line: show the part around the column
    shown = text[start:start + 200]
    prefix = "…" if start else ""
    suffix = "…" if len(text) > start + 200 else ""
    # Escapes are wider than the characters they replace: the caret counts them.
    lead = clean(shown[:column - 1 - start]) if column is not None else ""
    out = [f"  {number:>4} | {prefix}{clean(shown)}{suffix}"]
    if column is not None:
        width = 1
        if end_column is not None and end_column > column:
            width = end_column - column
        width = max(1, min(width, max(1, len(shown) - (column - 1 - start))))
        out.append("       | " + " " * (len(prefix) + len(lead)) + "^" * width)
    return out


class ErrorList(InputError):
    """Several problems found in one file; renders them all, one after another."""

    def __init__(self, errors: list[InputError]) -> None:
        first = errors[0]
        super().__init__(first.message, first.path, first.line, first.column, source=first.source)
        self.errors = errors

    def render(self) -> str:
        return "\n".join(e.render() for e in self.errors)


class RulesetError(InputError):
    """A syntax, name or type error in a ruleset file."""


class UsageError(IcsRulesError):
    """The command was asked to do something it cannot (bad option value, missing file)."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix when a close match exists, else ''."""
    import difflib  # only when a suggestion is wanted: not on a clean check's path

    matches = difflib.get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""

"""Problems found in notes and topics, reported as ``path:line: severity: message``."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from generator.characters import visible


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, pointing at the line an editor must fix."""

    path: str
    line: int
    severity: Severity
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity.value}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity.value,
            "field": self.field,
            "message": self.message,
        }


def error(path: str, line: int, field: str, message: str) -> Problem:
    return Problem(path, line, Severity.ERROR, field, message)


def warning(path: str, line: int, field: str, message: str) -> Problem:
    return Problem(path, line, Severity.WARNING, field, message)


def has_errors(problems: list[Problem] | tuple[Problem, ...]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


def shorten(value: object, limit: int = 60) -> str:
    """Quote a found value for a message, cut so a hostile or huge value is never echoed whole.

    Control, invisible and bidi characters are written as escapes (``\\u202e``):
    a message shows where they are, and never reorders or hides what follows.
    """
    text = value if isinstance(value, str) else repr(value)
    text = visible(text.replace("\n", "\\n"))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'" if isinstance(value, str) else text

"""The one finding type, used from the validator through the catalogue to the web page.

Modelled on publiccode-parser-go's ``ValidationError``/``ValidationWarning``: a key in the
reference's JSONPath-like form (``maintenance.contacts[0].email``), a 1-based line and column
(0 when the problem has no place in the file, e.g. a missing top-level key), a message, and
a severity. Only errors make a file invalid; warnings never do. A ``note`` is not the
validator's: it says how the best-effort reader (``reading.py``) read a value the standard does
not allow, so the maintainer sees what to fix; the reference has no such severity.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Finding:
    key: str
    message: str
    line: int = 0
    column: int = 0
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        """The shape of one entry in the CLI's JSON ``errors``/``warnings`` lists."""
        return {"key": self.key, "line": self.line, "column": self.column, "message": self.message}

    def to_stored(self) -> dict[str, Any]:
        """The shape kept in the catalogue: the JSON entry plus its severity."""
        return {**self.to_dict(), "severity": self.severity.value}

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> Finding:
        return cls(
            key=data.get("key", ""),
            message=data.get("message", ""),
            line=int(data.get("line", 0)),
            column=int(data.get("column", 0)),
            severity=Severity(data.get("severity", "error")),
        )

    def format(self, path: str) -> str:
        """One compiler-style line: ``PATH:LINE:COLUMN: error: KEY: MESSAGE``."""
        where = f"{path}:{self.line}:{self.column}: {self.severity.value}: "
        return where + (f"{self.key}: {self.message}" if self.key else self.message)


def error(key: str, message: str, line: int = 0, column: int = 0) -> Finding:
    return Finding(key, message, line, column, Severity.ERROR)


def warning(key: str, message: str, line: int = 0, column: int = 0) -> Finding:
    return Finding(key, message, line, column, Severity.WARNING)


def note(key: str, message: str, line: int = 0, column: int = 0) -> Finding:
    return Finding(key, message, line, column, Severity.NOTE)


def sort_key(finding: Finding) -> tuple[int, int, str]:
    """Findings in file order; placeless ones (line 0) first, as the reference lists them."""
    return (finding.line, finding.column, finding.key)


_PLAIN_KEY = __import__("re").compile(r"^[A-Za-z]+$")


def join_key(parent: str, child: str | int) -> str:
    """The reference's key notation: ``a.b`` for names, ``a[0]`` for list items.

    Map keys that are not purely alphabetic (language tags such as ``en-US``) are written
    in brackets, as the reference does (it rewrites ``[alpha]`` to ``.alpha`` only):
    ``description.en.features`` but ``description[en-US].shortDescription``.
    """
    if isinstance(child, int):
        return f"{parent}[{child}]"
    if not parent:
        return child
    if not _PLAIN_KEY.match(child):
        return f"{parent}[{child}]"
    return f"{parent}.{child}"

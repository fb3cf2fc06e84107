"""publiccode.yml parsing and validation, behaving like italia/publiccode-parser-go v5.

The pipeline is: bytes → ``loader.load`` (hostile-input limits, located YAML 1.2 tree) →
``schema.check_document`` (keys, types, enumerations, formats, version rules) →
``external.check_external`` (files beside the publiccode.yml; the network only when asked).
Every stage speaks the one ``Finding`` type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import external, schema
from .findings import Finding, Severity, sort_key
from .loader import load
from .reading import Reading, read

__all__ = ["FILE_NAMES", "Finding", "Reading", "Severity", "ValidationResult", "read_bytes",
           "validate_bytes"]

FILE_NAMES = ("publiccode.yml", "publiccode.yaml")
"""Where a repository keeps its description, at its root, in this order of preference."""


@dataclass(slots=True)
class ValidationResult:
    findings: list[Finding] = field(default_factory=list)
    document: dict[str, Any] | None = None
    """The file as plain data (YAML 1.2 reading); ``None`` when it could not be parsed at all."""
    text: str | None = None
    """The decoded file, ``None`` when it was not valid UTF-8 or too large."""
    reading: Reading | None = None
    """What the file says, read leniently (``reading.py``); ``None`` when it could not be
    parsed to a mapping. Its notes are kept apart from the validator's ``findings``."""

    @property
    def valid(self) -> bool:
        return not any(f.is_error for f in self.findings)

    @property
    def readable(self) -> bool:
        """Whether a town may see it: a name and a description could be read."""
        return self.reading is not None and self.reading.readable

    @property
    def unreadable_reason(self) -> str | None:
        if self.reading is not None:
            return self.reading.unreadable_reason
        first = self.errors[0].message if self.errors else "it could not be read"
        return f"publiccode.yml cannot be read: {first}"

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def notes(self) -> list[Finding]:
        """How the best-effort reader read values the standard does not allow."""
        return list(self.reading.notes) if self.reading is not None else []


def validate_bytes(
    data: bytes,
    *,
    base_dir: Path | None = None,
    base_url: str | None = None,
    network: bool = False,
    fetcher: Any = None,
) -> ValidationResult:
    """Validate one publiccode.yml.

    ``base_dir`` is the directory relative paths (logo, screenshots, authorsFile) are resolved
    from; ``base_url`` plays that role for a file fetched from the web. Network checks run only
    with ``network=True`` and always go through ``fetcher`` (an SSRF-safe ``registry.fetch``
    fetcher; one is made when none is given).
    """
    loaded = load(data)
    result = ValidationResult(findings=list(loaded.findings), text=loaded.text)
    if loaded.root is None:
        return result
    result.document = loaded.root.to_python()
    result.reading = read(loaded.root)
    result.findings += schema.check_document(loaded.root)
    result.findings += external.check_external(
        loaded.root, base_dir=base_dir, base_url=base_url, network=network, fetcher=fetcher
    )
    result.findings.sort(key=sort_key)
    return result


def read_bytes(data: bytes) -> ValidationResult:
    """Only load and read a stored file (no validation): for re-reading the catalogue's stored
    texts with a newer reader. ``findings`` holds the loader's finding when it cannot load."""
    loaded = load(data)
    result = ValidationResult(findings=list(loaded.findings), text=loaded.text)
    if loaded.root is not None:
        result.document = loaded.root.to_python()
        result.reading = read(loaded.root)
    return result

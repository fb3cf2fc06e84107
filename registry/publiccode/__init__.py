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

__all__ = ["FILE_NAMES", "Finding", "Severity", "ValidationResult", "validate_bytes"]

FILE_NAMES = ("publiccode.yml", "publiccode.yaml")
"""Where a repository keeps its description, at its root, in this order of preference."""


@dataclass(slots=True)
class ValidationResult:
    findings: list[Finding] = field(default_factory=list)
    document: dict[str, Any] | None = None
    """The file as plain data (YAML 1.2 reading); ``None`` when it could not be parsed at all."""
    text: str | None = None
    """The decoded file, ``None`` when it was not valid UTF-8 or too large."""

    @property
    def valid(self) -> bool:
        return not any(f.is_error for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]


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
    result.findings += schema.check_document(loaded.root)
    result.findings += external.check_external(
        loaded.root, base_dir=base_dir, base_url=base_url, network=network, fetcher=fetcher
    )
    result.findings.sort(key=sort_key)
    return result

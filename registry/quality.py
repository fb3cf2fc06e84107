"""The metadata-quality grade: a few explained levels, transparent like Open CoDE's badges.

Every harvested publiccode.yml gets one grade, computed from rules a person can read on the
solution page:

- ``complete`` — valid against the standard, and it also says what a town needs to decide:
  a logo, a named release (version and date), a list of features, and whom to ask;
- ``valid`` — valid against the standard (the reference validator's verdict), something
  recommended is missing;
- ``readable`` — it breaks rules of the standard, but a name and a description could be read;
  shown with a calm notice and its findings;
- ``unreadable`` — no usable name or description, or no file that could be read: recorded with
  its reason for the maintainer, never shown.

The grade informs ranking (better metadata first at equal relevance) and a search facet; it
never hides readable software. Each grade comes with *reasons*: ``{"code", "args"}`` entries
with a stable code from ``REASON_CODES`` and the values a page needs to say it in words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .models.catalogue import SHOWN_QUALITIES
from .publiccode import Finding, Reading

GRADES = SHOWN_QUALITIES
"""The grades that are shown, best first (declared with the catalogue's visibility rule)."""
UNREADABLE = "unreadable"
QUALITY_LEVELS = (*GRADES, UNREADABLE)

REASON_CODES = (
    "missing_required",  # args: keys — required keys the validator found missing or empty
    "rule_errors",  # args: count — the validator's other errors
    "lenient_readings",  # args: count — values read only leniently (severity note)
    "old_version",  # args: version — written for an older version of the standard
    "missing_recommended",  # args: keys — what "complete" asks for and the file lacks
    "earlier_version_shown",  # the current file cannot be read: an earlier reading is shown
    "unreadable",  # args: reason — why nothing can be shown
)

RECOMMENDED = (
    ("logo", lambda doc, desc: bool(doc.get("logo"))),
    ("softwareVersion", lambda doc, desc: bool(doc.get("softwareVersion"))),
    ("releaseDate", lambda doc, desc: bool(doc.get("releaseDate"))),
    ("description.features", lambda doc, desc: any(entry.get("features")
                                                   for entry in desc.values())),
    ("maintenance.contacts", lambda doc, desc: bool(
        doc.get("maintenance", {}).get("contacts")
        or doc.get("maintenance", {}).get("contractors"))),
)
"""What ``complete`` asks beyond validity, each a (key, test on the read document) pair."""

_REQUIRED_MESSAGES = ("is a required field", "must contain more than 0 items")
CURRENT_VERSIONS = ("0.3", "0.4", "0.5", "0.7")
"""Versions a file may name without being "written for an older version" (the reference
warns below 0.3, and 0.1 is not supported at all)."""


@dataclass(frozen=True, slots=True)
class Grade:
    level: str
    reasons: list[dict[str, Any]] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.level in GRADES


def grade(findings: Iterable[Finding], reading: Reading | None, *,
          unreadable_reason: str | None = None) -> Grade:
    """The grade of one file from the validator's ``findings`` and the best-effort ``reading``.

    ``unreadable_reason`` says why an unreadable file is not shown (defaults to the reading's).
    """
    findings = list(findings)
    if reading is None or not reading.readable:
        reason = unreadable_reason or (reading.unreadable_reason if reading else None)
        return Grade(UNREADABLE, [_reason("unreadable", reason=reason or "unreadable")])
    errors = [f for f in findings if f.is_error]
    missing = _unique(f.key for f in errors if f.message.endswith(_REQUIRED_MESSAGES))
    others = sum(not f.message.endswith(_REQUIRED_MESSAGES) for f in errors)
    version = reading.document.get("publiccodeYmlVersion")
    old = isinstance(version, str) and version.removesuffix(".0") not in CURRENT_VERSIONS
    reasons = [reason for wanted, reason in (
        (bool(missing), _reason("missing_required", keys=missing)),
        (others > 0, _reason("rule_errors", count=others)),
        (old, _reason("old_version", version=version)),
        (bool(reading.notes), _reason("lenient_readings", count=len(reading.notes))),
    ) if wanted]
    if errors:
        return Grade("readable", reasons)
    lacking = [key for key, test in RECOMMENDED
               if not test(reading.document, reading.descriptions)]
    if lacking:
        return Grade("valid", [_reason("missing_recommended", keys=lacking), *reasons])
    return Grade("complete", reasons)


def earlier_version_shown() -> Grade:
    """The grade when the current file cannot be read but an earlier reading is kept."""
    return Grade("readable", [_reason("earlier_version_shown")])


def _reason(code: str, **args: Any) -> dict[str, Any]:
    assert code in REASON_CODES, code
    return {"code": code, "args": args}


def _unique(keys: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(keys))

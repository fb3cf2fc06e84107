"""Parts of publiccode.yml the catalogue keeps only in the text of the file it shows.

Contacts, contractors, dependencies and ``isBasedOn`` have no columns (nothing searches or
filters by them), so the solution page reads them from the shown file's text (``shown_text``)
through the registry's hardened loader (size cap, no aliases) — the same reading the harvest
did. Everything is reduced to plain strings here; the templates escape them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from registry.models import Solution
from registry.publiccode.loader import load

DEPENDENCY_KINDS = ("open", "proprietary", "hardware")


@dataclass(slots=True)
class Extras:
    contacts: list[dict[str, str]] = field(default_factory=list)
    contractors: list[dict[str, str]] = field(default_factory=list)
    dependencies: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    based_on: list[str] = field(default_factory=list)


def shown_text(solution: Solution) -> str | None:
    """The text of the file whose fields are shown: the last valid one, or — for a solution
    that never validated — the latest file, which the best-effort reader read."""
    return solution.valid_text if solution.last_valid_at else solution.raw_text


def extras(text: str | None) -> Extras:
    """The extra sections of one publiccode.yml text (``shown_text``); empty when unreadable."""
    if not text:
        return Extras()
    root = load(text.encode()).root
    document = root.to_python() if root is not None else None
    if not isinstance(document, dict):
        return Extras()
    maintenance = _mapping(document.get("maintenance"))
    depends = _mapping(document.get("dependsOn"))
    based_on = document.get("isBasedOn")
    return Extras(
        contacts=_records(maintenance.get("contacts"), ("name", "email", "affiliation", "phone")),
        contractors=_records(maintenance.get("contractors"), ("name", "email", "website", "until")),
        dependencies={kind: records for kind in DEPENDENCY_KINDS
                      if (records := _records(depends.get(kind),
                                              ("name", "version", "versionMin", "versionMax",
                                               "optional")))},
        based_on=[str(u) for u in (based_on if isinstance(based_on, list) else [based_on])
                  if isinstance(u, str) and u],
    )


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _records(value: Any, keys: tuple[str, ...]) -> list[dict[str, str]]:
    if not isinstance(value, list):
        return []
    return [{key: str(item[key]) for key in keys if item.get(key) not in (None, "")}
            for item in value if isinstance(item, dict)]

"""The catalogue as rows for ``allmende export`` (JSON and CSV) and, later, the web exports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from .models import Publisher, Solution, Source, iso_utc, shown_in_catalogue

CSV_COLUMNS = (
    "id", "name", "url", "publisher", "source", "valid", "quality", "status", "status_reason",
    "development_status", "software_type", "license", "categories", "software_version",
    "release_date", "landing_url", "first_seen_at", "last_changed_at", "last_valid_at",
    "last_harvested_at",
)


def export_solutions(session: Session, include_all: bool = False) -> list[dict[str, Any]]:
    """The catalogue as plain rows (keys ``CSV_COLUMNS``), sorted by name then URL.

    By default: what the site shows — every readable solution, valid or not (``valid`` is the
    validator's verdict, ``quality`` the grade of registry.quality; an invalid solution with a
    last valid version shows that version's fields). ``include_all`` adds unreadable, unlisted
    and removed solutions.
    Times are ISO 8601 in UTC (``2026-01-31T12:00:00Z``).
    """
    query = (select(Solution, Source.name, Publisher.name)
             .join(Source, Source.id == Solution.source_id)
             .outerjoin(Publisher, Publisher.id == Solution.publisher_id))
    if not include_all:
        query = query.where(shown_in_catalogue())
    rows = [_export_row(solution, source_name, publisher)
            for solution, source_name, publisher in session.exec(query)]
    return sorted(rows, key=lambda row: ((row["name"] or "").casefold(), row["url"]))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell starting with one of these as a formula (OWASP: CSV injection)."""


def csv_row(row: Mapping[str, Any]) -> dict[str, str]:
    """An export row as CSV cells: lists joined with "; ", booleans as true/false, None empty,
    and every text a spreadsheet would run as a formula defused (:func:`spreadsheet_safe`)."""
    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return spreadsheet_safe("; ".join(str(item) for item in value))
        return spreadsheet_safe(str(value))

    return {column: cell(row.get(column)) for column in CSV_COLUMNS}


def spreadsheet_safe(text: str) -> str:
    """``=HYPERLINK(…)`` from a harvested name must stay text in Excel and LibreOffice: a cell
    starting with ``= + - @``, tab or CR gets a leading apostrophe, as OWASP recommends."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _export_row(solution: Solution, source_name: str, publisher: str | None) -> dict[str, Any]:
    return {
        "id": solution.id,
        "name": solution.name,
        "url": solution.url,
        "publisher": publisher,
        "source": source_name,
        "valid": solution.status == "valid",
        "quality": solution.quality,
        "status": solution.status,
        "status_reason": solution.status_reason,
        "development_status": solution.development_status,
        "software_type": solution.software_type,
        "license": solution.license,
        "categories": list(solution.categories),
        "software_version": solution.software_version,
        "release_date": solution.release_date.isoformat() if solution.release_date else None,
        "landing_url": solution.landing_url,
        "first_seen_at": iso_utc(solution.first_seen_at),
        "last_changed_at": iso_utc(solution.last_changed_at),
        "last_valid_at": iso_utc(solution.last_valid_at),
        "last_harvested_at": iso_utc(solution.last_harvested_at),
    }

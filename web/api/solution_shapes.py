"""Solutions as the API shows them: a summary for lists, a detail for one solution.

Shapes are built field by field from the catalogue, never by dumping rows: a new column does
not leak into the API unnoticed, and the OpenAPI schemas (``additionalProperties: false``)
describe exactly what is sent. Forge facts and signals are whatever the harvest stored, so
only their known keys are passed on.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from registry.models import Adoption, Organisation, Publisher, Solution, iso_utc
from search import Hit

from ..catalogue_reads import SolutionRow

FORGE_FACTS = {"default_branch": str, "last_activity_at": str, "archived": bool, "stars": int,
               "forks": int, "topics": list, "forge_license": str, "namespace": str}
SIGNAL_RULE_KEYS = ("id", "level", "label", "label_de", "met", "derivation", "derivation_de")
ACTIVITY_KEYS = ("total_commits", "last_commit_at", "commits_60d", "commits_180d", "authors_60d",
                 "authors_180d", "tags_60d", "tags_180d", "latest_tag", "latest_tag_at")
AUDIENCE_KEYS = {"countries": "countries", "unsupportedCountries": "unsupported_countries",
                 "scope": "scope"}


def publisher_ref(publisher: Publisher | None) -> dict[str, Any] | None:
    if publisher is None:
        return None
    return {"id": publisher.id, "name": publisher.name,
            "href": url_for("api.publisher", publisher_id=publisher.id, _external=True)}


def summary(row: SolutionRow) -> dict[str, Any]:
    s = row.solution
    return {
        "id": s.id,
        "name": s.name,
        "url": s.url,
        "href": url_for("api.solution", solution_id=s.id, _external=True),
        "publisher": publisher_ref(row.publisher),
        "short_descriptions": {lang: str(d["short"]) for lang, d in _descriptions(s).items()
                               if d.get("short")},
        "development_status": s.development_status,
        "software_type": s.software_type,
        "license": s.license,
        "categories": list(s.categories),
        "platforms": list(s.platforms),
        "maintenance": {"type": s.maintenance_type, "level": _level(s.signals)},
        "status": s.status,
        "quality": s.quality,
        "quality_reasons": [_reason(r) for r in s.quality_reasons or [] if isinstance(r, dict)],
        "last_changed_at": iso_utc(s.last_changed_at),
    }


def search_hit(row: SolutionRow, hit: Hit) -> dict[str, Any]:
    """A summary in a search's list, with what found it where the words typed did not
    (abbreviations, compound parts, other-language terms: ``{"query": "Lärm", "term":
    "noise", "language": "en", "kind": "concept"}``)."""
    return {**summary(row), "matched_via": [via.to_json() for via in hit.matched_via]}


def detail(row: SolutionRow) -> dict[str, Any]:
    s = row.solution
    return {
        **summary(row),
        "descriptions": {lang: {"short": d.get("short"), "long": d.get("long"),
                                "features": [str(f) for f in d.get("features", [])]}
                         for lang, d in _descriptions(s).items()},
        "software_version": s.software_version,
        "release_date": s.release_date.isoformat() if s.release_date else None,
        "landing_url": s.landing_url,
        "available_languages": list(s.available_languages),
        "intended_audience": {ours: list(s.intended_audience.get(theirs, []))
                              for theirs, ours in AUDIENCE_KEYS.items()},
        "findings": [{"key": str(f.get("key", "")), "line": int(f.get("line", 0)),
                      "column": int(f.get("column", 0)), "message": str(f.get("message", "")),
                      "severity": str(f.get("severity", "error"))} for f in s.findings],
        "signals": _signals(s.signals),
        "forge": {key: s.forge.get(key) if isinstance(s.forge.get(key), kind) else None
                  for key, kind in FORGE_FACTS.items()},
        "adoptions": {"used_by": [_adoption(a) for a in row.adoptions if a.origin == "publiccode"],
                      "declared": [_declared(a, row.organisations) for a in row.adoptions
                                   if a.origin == "declared"]},
        "source": row.source.name if row.source else None,
        "harvest": {"first_seen_at": iso_utc(s.first_seen_at),
                    "last_harvested_at": iso_utc(s.last_harvested_at),
                    "last_valid_at": iso_utc(s.last_valid_at),
                    "status_reason": s.status_reason,
                    "last_error": s.last_error, "last_error_at": iso_utc(s.last_error_at)},
    }


def _reason(reason: dict[str, Any]) -> dict[str, Any]:
    args = reason.get("args")
    return {"code": str(reason.get("code", "")), "args": args if isinstance(args, dict) else {}}


def _descriptions(s: Solution) -> dict[str, dict[str, Any]]:
    return {str(k): v for k, v in (s.descriptions or {}).items() if isinstance(v, dict)}


def _level(signals: dict[str, Any]) -> int | None:
    level = (signals or {}).get("level")
    return level if isinstance(level, int) and not isinstance(level, bool) else None


def _signals(signals: dict[str, Any]) -> dict[str, Any] | None:
    if not signals:
        return None
    activity = signals.get("activity") if isinstance(signals.get("activity"), dict) else {}
    return {"level": _level(signals), "computed_at": signals.get("computed_at"),
            "rules": [{key: rule.get(key) for key in SIGNAL_RULE_KEYS}
                      for rule in signals.get("signals", []) if isinstance(rule, dict)],
            "activity": {key: activity.get(key) for key in ACTIVITY_KEYS} if activity else None}


def _adoption(adoption: Adoption) -> dict[str, Any]:
    return {"organisation": adoption.organisation,
            "publisher_id": adoption.publisher_id,
            "use_case": adoption.use_case,
            "since": adoption.since.isoformat() if adoption.since else None,
            "instance_url": adoption.instance_url}


def _declared(adoption: Adoption, organisations: dict[int, Organisation]) -> dict[str, Any]:
    organisation_id = adoption.organisation_id
    organisation = organisations.get(organisation_id) if organisation_id else None
    return {"organisation": adoption.organisation,
            "organisation_id": organisation_id,
            "organisation_slug": organisation.slug if organisation else None,
            "organisation_href": (url_for("api.organisation", organisation_id=organisation_id,
                                          _external=True) if organisation_id else None),
            "publisher_id": adoption.publisher_id,
            "use_case": adoption.use_case,
            "since": adoption.since.isoformat() if adoption.since else None,
            "instance_url": adoption.instance_url,
            "contact_ok": bool(adoption.contact_ok)}

"""The JSON Schemas (2020-12, as OpenAPI 3.1 uses) of every API response.

Every object is closed (``additionalProperties: false``): tests/web validate each response the
tests receive, so a field sent but not described here fails the build.
"""

from __future__ import annotations

from typing import Any

from registry.models import ORGANISATION_KINDS, RUN_COUNTS
from registry.quality import GRADES, REASON_CODES
from search import FACETS, SORTS

Schema = dict[str, Any]


def obj(properties: dict[str, Schema], description: str = "") -> Schema:
    schema: Schema = {"type": "object", "properties": properties,
                      "required": list(properties), "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


STR, INT, BOOL = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
URI = {"type": "string", "format": "uri"}
TIME = {"type": "string", "format": "date-time", "description": "ISO 8601, UTC (`…Z`)"}
STRS = {"type": "array", "items": STR}
N_STR, N_INT, N_TIME, N_URI = nullable(STR), nullable(INT), nullable(TIME), nullable(URI)
LINKS = obj({"self": URI, "next": {**N_URI, "description": "The next page; null on the last."}})

SCHEMAS: dict[str, Schema] = {
    "Problem": {**obj({"type": STR, "title": STR, "status": INT, "detail": STR, "instance": STR},
                      "RFC 9457 problem details."), "required": ["type", "title", "status"]},
    "PublisherRef": obj({"id": INT, "name": STR, "href": URI}),
    "Maintenance": obj({"type": N_STR, "level": {
        **N_INT, "description": "0–3 from the harvest's activity rules; null if not measured."}}),
    "SolutionSummary": obj({
        "id": INT, "name": N_STR, "url": {**STR, "description": "The repository."},
        "href": URI, "publisher": nullable(ref("PublisherRef")),
        "short_descriptions": {"type": "object", "additionalProperties": STR,
                               "description": "Language code → short description."},
        "development_status": N_STR, "software_type": N_STR, "license": N_STR,
        "categories": STRS, "platforms": STRS, "maintenance": ref("Maintenance"),
        "status": {"enum": ["valid", "invalid"],
                   "description": "invalid: the latest file does not validate; the fields are "
                                  "those of the last valid version, or, when none ever "
                                  "validated, what the best-effort reader read."},
        "quality": {"enum": list(GRADES),
                    "description": "The metadata grade: complete (valid and says what a town "
                                   "needs), valid (something recommended is missing), readable "
                                   "(breaks rules of the standard, but could be read)."},
        "quality_reasons": {"type": "array", "items": ref("QualityReason"),
                            "description": "Why that grade (empty when there is nothing to "
                                           "say)."},
        "last_changed_at": TIME}),
    "QualityReason": {**obj({"code": {"enum": list(REASON_CODES)}, "args": {
        "type": "object",
        "description": "The values the reason names: missing_required and missing_recommended "
                       "`keys` (publiccode.yml keys), rule_errors and lenient_readings `count`, "
                       "old_version `version`; earlier_version_shown none."}}),
        "description": "One reason for the grade, with a stable code."},
    "Description": obj({"short": N_STR, "long": N_STR, "features": STRS}),
    "Finding": obj({"key": STR, "line": INT, "column": INT, "message": STR,
                    "severity": {"enum": ["error", "warning", "note"]}}),
    "SignalRule": obj({"id": STR, "level": N_INT, "label": STR, "label_de": STR, "met": BOOL,
                       "derivation": STR, "derivation_de": STR}),
    "Activity": obj({"total_commits": N_INT, "last_commit_at": N_STR, "commits_60d": N_INT,
                     "commits_180d": N_INT, "authors_60d": N_INT, "authors_180d": N_INT,
                     "tags_60d": N_INT, "tags_180d": N_INT, "latest_tag": N_STR,
                     "latest_tag_at": N_STR}),
    "Signals": obj({"level": N_INT, "computed_at": N_STR,
                    "rules": {"type": "array", "items": ref("SignalRule")},
                    "activity": nullable(ref("Activity"))}),
    "Forge": obj({"default_branch": N_STR, "last_activity_at": N_STR, "archived": nullable(BOOL),
                  "stars": N_INT, "forks": N_INT, "topics": nullable(STRS),
                  "forge_license": N_STR, "namespace": N_STR}),
    "Adoption": obj({"organisation": STR, "publisher_id": N_INT, "use_case": N_STR,
                     "since": N_STR, "instance_url": N_STR}),
    "DeclaredAdoption": obj({
        "organisation": STR, "organisation_id": N_INT, "organisation_slug": N_STR,
        "organisation_href": {**N_URI, "description": "This API's organisation."},
        "publisher_id": N_INT, "use_case": N_STR,
        "since": {**N_STR, "description": "ISO date (`2024-03-01`)."},
        "instance_url": N_STR,
        "contact_ok": {**BOOL, "description": "Open to an exchange of experience."}},
        "An organisation's own declaration that it uses the solution (hidden ones are "
        "never sent)."),
    "Harvest": obj({"first_seen_at": TIME, "last_harvested_at": TIME, "last_valid_at": N_TIME,
                    "status_reason": N_STR, "last_error": N_STR, "last_error_at": N_TIME}),
    "FacetValue": obj({"value": STR, "count": INT, "selected": BOOL}),
    "Publisher": obj({"id": INT, "name": STR, "slug": STR, "website": N_STR, "region": N_STR,
                      "solution_count": INT, "href": URI}),
    "Run": obj({"id": INT, "status": {"enum": ["running", "ok", "partial", "failed"]},
                "started_at": TIME, "finished_at": N_TIME,
                "counts": obj({name: INT for name in RUN_COUNTS}),
                "errors": {"type": "array", "items": obj({"url": STR, "message": STR})}}),
    "Source": obj({"id": INT, "name": STR, "type": STR,
                   "url": {**N_STR, "description": "Forges only; null for local folders."},
                   "runs": {"type": "array", "items": ref("Run"),
                            "description": "The latest runs, newest first (at most 5)."}}),
}
_summary = SCHEMAS["SolutionSummary"]["properties"]
SCHEMAS["SolutionDetail"] = obj({
    **_summary,
    "descriptions": {"type": "object", "additionalProperties": ref("Description")},
    "software_version": N_STR, "release_date": N_STR, "landing_url": N_STR,
    "available_languages": STRS,
    "intended_audience": obj({"countries": STRS, "unsupported_countries": STRS, "scope": STRS}),
    "findings": {"type": "array", "items": ref("Finding"),
                 "description": "Of the latest harvested file (also when it is invalid)."},
    "signals": nullable(ref("Signals")), "forge": ref("Forge"),
    "adoptions": obj({"used_by": {"type": "array", "items": ref("Adoption"),
                                  "description": "Stated by the maintainers (usedBy)."},
                      "declared": {"type": "array", "items": ref("DeclaredAdoption"),
                                   "description": "Declared by the adopting organisation."}}),
    "source": N_STR, "harvest": ref("Harvest")})
SCHEMAS["MatchedVia"] = obj({
    "query": {**STR, "description": "The words typed (or a compound's part): Lärm."},
    "term": {**STR, "description": "What the solution says instead: noise."},
    "language": {**STR, "description": "The language of term."},
    "kind": {"enum": ["abbreviation", "concept", "compound"]}})
SCHEMAS["SearchHit"] = obj({
    **_summary,
    "matched_via": {"type": "array", "items": ref("MatchedVia"),
                    "description": "Abbreviations, compound parts and other-language terms "
                                   "that found this solution where the words typed did not "
                                   "(docs/search.md)."}})
SCHEMAS["SolutionList"] = obj({
    "items": {"type": "array", "items": ref("SearchHit")}, "total": INT, "per_page": INT,
    "sort": {"enum": list(SORTS)}, "suggestion": N_STR,
    "facets": obj({facet: {"type": "array", "items": ref("FacetValue")} for facet in FACETS}),
    "links": LINKS})
SCHEMAS["PublisherList"] = obj({"items": {"type": "array", "items": ref("Publisher")},
                                "total": INT, "per_page": INT, "links": LINKS})
SCHEMAS["PublisherDetail"] = obj({
    **SCHEMAS["Publisher"]["properties"],
    "solutions": {"type": "array", "items": ref("SolutionSummary")},
    "uses": {"type": "array", "items": obj({"solution_id": INT, "name": N_STR, "href": URI,
                                            "origin": {"enum": ["used_by", "declared"]}})}})
SCHEMAS["Organisation"] = obj({
    "id": INT, "name": STR, "slug": STR,
    "kind": {"enum": list(ORGANISATION_KINDS)},
    "state": {**N_STR, "description": "Bundesland."},
    "official_key": {**N_STR, "description": "AGS (8 digits) or ARS (12 digits)."},
    "other_identifier": N_STR, "website": N_STR,
    "publisher": {**nullable(ref("PublisherRef")),
                  "description": "The catalogue publisher that is this organisation."},
    "member_count": {**INT, "description": "Active members (who they are is not public)."},
    "href": URI})
SCHEMAS["OrganisationList"] = obj({"items": {"type": "array", "items": ref("Organisation")},
                                   "total": INT, "per_page": INT, "links": LINKS})
SCHEMAS["OrganisationDetail"] = obj({
    **SCHEMAS["Organisation"]["properties"],
    "adoptions": {"type": "array", "description": "The organisation's declarations of shown "
                  "solutions (hidden ones are never sent).",
                  "items": obj({"solution_id": INT, "name": N_STR, "href": URI,
                                "use_case": N_STR, "since": N_STR, "instance_url": N_STR,
                                "contact_ok": BOOL})}})
SCHEMAS["Me"] = obj({
    "id": INT, "email": STR, "name": STR,
    "is_admin": {**BOOL, "description": "A site administrator."},
    "organisations": {"type": "array", "description": "Active memberships, by name.",
                      "items": obj({"id": INT, "name": STR, "slug": STR,
                                    "role": {"enum": ["member", "admin"]}})}},
    "The account a personal API token belongs to.")
SCHEMAS["SourceList"] = obj({"items": {"type": "array", "items": ref("Source")}})

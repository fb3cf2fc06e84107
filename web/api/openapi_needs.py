"""The OpenAPI description of ``/needs`` (``needs``): merged into the document's paths by
``openapi``. The vocabularies (fields of action, operating models, budget bands, statuses,
categories, Länder) are enums from the one place each is declared, so a value the document
allows is one the API takes."""

from __future__ import annotations

from typing import Any

from registry.accounts.organisations import LAENDER
from registry.models import NEED_STATUSES
from registry.needs.service import (
    MAX_DESCRIPTION,
    MAX_LIST_ITEMS,
    MAX_PLATFORM,
    MAX_TITLE,
    MIN_DESCRIPTION,
)
from registry.needs.vocabulary import BUDGET_BANDS, FIELDS_OF_ACTION, OPERATING_MODELS
from registry.publiccode.vocabularies import CATEGORIES

from ..community.need_reads import MAX_TEXT
from .openapi_parts import CURSOR, ID, NO_NUL, PROBLEM, per_page, query
from .openapi_schemas import BOOL, INT, LINKS, N_INT, N_STR, STR, TIME, URI, nullable, obj
from .openapi_writes import TOKEN, UNAUTHORISED

FIELD = {"enum": list(FIELDS_OF_ACTION), "description": "A field of action (docs/needs.md)."}
STATUS = {"enum": list(NEED_STATUSES)}
CATEGORY = {"enum": sorted(CATEGORIES)}
MODEL = {"enum": list(OPERATING_MODELS)}
BUDGET = {"enum": list(BUDGET_BANDS), "description": "Euro per year, all costs."}
LAND = {"enum": sorted(LAENDER.values())}

NEED = obj({
    "id": INT, "title": STR, "description": {**STR, "description": "Plain text."},
    "field_of_action": FIELD, "categories": {"type": "array", "items": CATEGORY},
    "operating_models": {"type": "array", "items": MODEL}, "budget_band": nullable(BUDGET),
    "platforms": {"type": "array", "items": STR},
    "deadline": {**N_STR, "description": "ISO date (`2025-06-30`)."},
    "contact_ok": {**BOOL, "description": "Other towns may write about it (via the site)."},
    "status": STATUS,
    "solved_with_id": {**N_INT, "description": "The solution used (status `solved`)."},
    "hidden": {**BOOL, "description": "Hidden by moderation (only admins receive these)."},
    "organisation": obj({"id": INT, "name": STR, "slug": STR,
                         "state": {**N_STR, "description": "Bundesland."}, "href": URI}),
    "created_at": TIME, "updated_at": TIME, "href": URI,
    "matches_href": URI, "page": {**URI, "description": "The need's web page."},
}, "What an organisation is looking for, in its own words.")
NEED_LIST = obj({"items": {"type": "array", "items": NEED}, "total": INT, "per_page": INT,
                 "links": LINKS})
REASON = {"type": "object", "required": ["code"],
          "properties": {"code": {**STR, "description": "A stable reason code "
                                  "(market/reasons.py, docs/needs.md)."}},
          "description": "Why it matched: `code` and the values that code names (e.g. "
                         "`field_of_action` with `field`, `words` with `words`)."}
_MATCH = {"rank": {**INT, "description": "1 is the best."}, "score": {"type": "number"},
          "reasons": {"type": "array", "items": REASON}}
MATCHES = obj({
    "need_id": INT,
    "solutions": {"type": "array", "items": obj({"id": INT, "name": N_STR, "href": URI,
                                                 **_MATCH})},
    "organisations": {"type": "array", "items": obj({
        "id": INT, "name": STR, "slug": STR, "state": N_STR, "href": URI, **_MATCH})},
}, "The matches as last computed (they are recomputed when needs or the catalogue change).")
REFUSAL = {"type": "object", "required": ["type", "title", "status"],
           "additionalProperties": False,
           "properties": {"type": STR, "title": STR, "status": INT, "detail": STR,
                          "instance": STR,
                          "code": {**STR, "description": "The rule's stable code: "
                                   "`title_too_long`, `description_too_short`, "
                                   "`status_transition`, `solution_required`, `not_member` …"}},
           "description": "RFC 9457 problem details; `code` when a rule of needs refused."}

_TEXT = {"type": "string", "pattern": NO_NUL}
FIELDS = {
    "title": {**_TEXT, "minLength": 1, "maxLength": MAX_TITLE},
    "description": {**_TEXT, "minLength": MIN_DESCRIPTION, "maxLength": MAX_DESCRIPTION},
    "field_of_action": FIELD,
    "categories": {"type": "array", "items": CATEGORY, "maxItems": MAX_LIST_ITEMS},
    "operating_models": {"type": "array", "items": MODEL, "maxItems": MAX_LIST_ITEMS},
    "budget_band": nullable(BUDGET),
    "platforms": {"type": "array", "maxItems": MAX_LIST_ITEMS,
                  "items": {**_TEXT, "minLength": 1, "maxLength": MAX_PLATFORM}},
    "deadline": nullable({"type": "string", "format": "date"}),
    "contact_ok": BOOL,
}
ID_MIN = {"type": "integer", "minimum": 1}
CREATE = {"type": "object", "additionalProperties": False,
          "required": ["organisation_id", "title", "description", "field_of_action"],
          "properties": {"organisation_id": ID_MIN, **FIELDS}}
CHANGE = {"type": "object", "additionalProperties": False,
          "properties": {**FIELDS, "status": STATUS,
                         "solution_id": {**nullable(ID_MIN),
                                         "description": "With status `solved`: the solution "
                                                        "now used."}}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _problem(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    content = PROBLEM if schema is None else {"application/problem+json": {"schema": schema}}
    return {"description": description, "content": content}


THROTTLED = {**_problem("Too many needs posted or changed from this client or token; try "
                        "again after `Retry-After` seconds."),
             "headers": {"Retry-After": {"schema": {"type": "integer"},
                                         "description": "Seconds to wait."}}}
NOT_FOUND = _problem("No such need (or it is hidden).")
BAD = _problem("A parameter is not valid; `detail` says which and why.")
REFUSED = _problem("The body is not valid, or a rule refused it: `detail` says what, `code` "
                   "which rule.", REFUSAL)
FORBIDDEN = _problem("Only verified members of the organisation (and admins for changes).",
                     REFUSAL)

NEED_PATHS: dict[str, Any] = {
    "/needs": {
        "get": {
            "summary": "Needs towns posted", "operationId": "listNeeds",
            "description": "Newest first; hidden needs never, withdrawn ones only with "
                           "`status=withdrawn`.",
            "parameters": [
                query("field_of_action", "Filter by field of action.", FIELD),
                query("state", "Filter by the organisation's Land.", LAND),
                query("status", "Filter by status.", STATUS),
                query("category", "Filter by a publiccode.yml category.", CATEGORY),
                query("q", "Words in title or description (case-insensitive).",
                      {"type": "string", "maxLength": MAX_TEXT, "pattern": NO_NUL}),
                CURSOR, per_page(20)],
            "responses": {"200": _json(NEED_LIST, "A page of needs."), "400": BAD}},
        "post": {
            "summary": "Post a need for your organisation", "operationId": "createNeed",
            "security": TOKEN,
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": CREATE}}},
            "responses": {"201": {**_json(NEED, "The need, posted."),
                                  "headers": {"Location": {"schema": {"type": "string"}}}},
                          "400": REFUSED, "401": UNAUTHORISED, "403": FORBIDDEN,
                          "404": _problem("No such organisation."), "429": THROTTLED}}},
    "/needs/{id}": {
        "get": {
            "summary": "One need", "operationId": "getNeed", "parameters": [ID],
            "security": [{}, {"token": []}],
            "description": "Hidden needs are 404 unless an admin's token is sent.",
            "responses": {"200": _json(NEED, "The need."), "400": BAD, "404": NOT_FOUND}},
        "patch": {
            "summary": "Change a need: its fields and/or its status",
            "operationId": "changeNeed", "security": TOKEN, "parameters": [ID],
            "description": "Members of the need's organisation and admins. `status` follows "
                           "open → in_exchange → solved (with `solution_id`, which also "
                           "declares the adoption) or withdrawn; solved and withdrawn may be "
                           "opened again. Nothing is stored when any part is refused.",
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": CHANGE}}},
            "responses": {"200": _json(NEED, "The need after the change."), "400": REFUSED,
                          "401": UNAUTHORISED, "403": FORBIDDEN, "404": NOT_FOUND,
                          "429": THROTTLED}}},
    "/needs/{id}/matches": {"get": {
        "summary": "Solutions and organisations matched to a need, with reasons",
        "operationId": "getNeedMatches", "parameters": [ID],
        "responses": {"200": _json(MATCHES, "The stored matches, best first."), "400": BAD,
                      "404": NOT_FOUND}}},
}

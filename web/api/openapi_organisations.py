"""The OpenAPI description of ``/organisations`` (``organisations``): merged into the
document's paths by ``openapi``."""

from __future__ import annotations

from typing import Any

from . import params
from .openapi_schemas import ref

PROBLEM = {"application/problem+json": {"schema": ref("Problem")}}


def _ok(schema: str, description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": ref(schema)}}}


_PAGING = [
    {"name": "cursor", "in": "query", "required": False,
     "description": "Opaque; take it from `links.next`.", "schema": {"type": "string"}},
    {"name": "per_page", "in": "query", "required": False, "description": "Items per page.",
     "schema": {"type": "integer", "minimum": 1, "maximum": params.MAX_PER_PAGE,
                "default": 50}}]
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}

ORGANISATION_PATHS: dict[str, Any] = {
    "/organisations": {"get": {
        "summary": "Organisations by name", "operationId": "listOrganisations",
        "description": "Municipalities, districts, states, federal bodies, companies and "
                       "associations registered on the site (created by its admins).",
        "parameters": _PAGING,
        "responses": {"200": _ok("OrganisationList", "A page of organisations."),
                      "400": {"description": "A parameter is not valid.",
                              "content": PROBLEM}}}},
    "/organisations/{id}": {"get": {
        "summary": "One organisation and the solutions it declares it uses",
        "operationId": "getOrganisation", "parameters": [_ID],
        "responses": {"200": _ok("OrganisationDetail", "The organisation."),
                      "400": {"description": "A parameter is not valid.", "content": PROBLEM},
                      "404": {"description": "No such organisation.", "content": PROBLEM}}}},
}

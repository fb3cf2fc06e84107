"""The OpenAPI description of ``/organisations`` (``organisations``): merged into the
document's paths by ``openapi``."""

from __future__ import annotations

from typing import Any

from .openapi_parts import CURSOR, ID, PROBLEM, ok, per_page

_PAGING = [CURSOR, per_page(50)]

ORGANISATION_PATHS: dict[str, Any] = {
    "/organisations": {"get": {
        "summary": "Organisations by name", "operationId": "listOrganisations",
        "description": "Municipalities, districts, states, federal bodies, companies and "
                       "associations registered on the site (created by its admins).",
        "parameters": _PAGING,
        "responses": {"200": ok("OrganisationList", "A page of organisations."),
                      "400": {"description": "A parameter is not valid.",
                              "content": PROBLEM}}}},
    "/organisations/{id}": {"get": {
        "summary": "One organisation and the solutions it declares it uses",
        "operationId": "getOrganisation", "parameters": [ID],
        "responses": {"200": ok("OrganisationDetail", "The organisation."),
                      "400": {"description": "A parameter is not valid.", "content": PROBLEM},
                      "404": {"description": "No such organisation.", "content": PROBLEM}}}},
}

"""The OpenAPI 3.1 document at ``/api/v1/openapi.json``, built from ``openapi_schemas``.

Written as Python data rather than generated from the code: it is the contract consumers
read, and tests/web/test_openapi.py holds the code to it by validating every response.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from search import FACETS, SORTS

from . import blueprint, params
from .openapi_alternatives import ALTERNATIVE_PATHS
from .openapi_needs import NEED_PATHS
from .openapi_organisations import ORGANISATION_PATHS
from .openapi_parts import CURSOR, ID, NO_NUL, PROBLEM, ok, per_page, query
from .openapi_schemas import SCHEMAS
from .openapi_writes import WRITE_PATHS

INDEX_DAMAGED = {"description": "The search index is damaged and is being rebuilt from the "
                                "catalogue; try again after `Retry-After` seconds.",
                 "content": PROBLEM,
                 "headers": {"Retry-After": {"schema": {"type": "integer"}}}}
ERRORS = {"400": {"description": "A parameter is not valid; `detail` says which and why.",
                  "content": PROBLEM},
          "404": {"description": "No such item.", "content": PROBLEM}}

SOLUTION_LIST_PARAMETERS = [
    query("q", "Free text (German and English stemming, `\"phrases\"`, `-exclusions`).",
           {"type": "string", "maxLength": params.MAX_TEXT_CHARS}),
    query("sort", "Default: relevance with `q`, else name.", {"enum": list(SORTS)}),
    *[query(facet, "Filter; repeat for OR, facets combine with AND.",
            {"type": "string", "maxLength": params.MAX_TEXT_CHARS, "pattern": NO_NUL},
            repeat=True) for facet in FACETS],
    CURSOR, per_page(params.DEFAULT_PER_PAGE)]


def document(server_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Allmende API", "version": "1.0.0",
                 "description": "Reusable public-sector software for municipalities. "
                                "Reads are open to any origin (CORS); writes need a personal "
                                "API token or, for webhooks, the forge's signature."},
        "servers": [{"url": server_url}],
        "paths": {
            "/solutions": {"get": {
                "summary": "Search solutions", "operationId": "listSolutions",
                "parameters": SOLUTION_LIST_PARAMETERS,
                "responses": {"200": ok("SolutionList", "A page of solutions."),
                              "400": ERRORS["400"], "503": INDEX_DAMAGED}}},
            "/solutions/{id}": {"get": {
                "summary": "One solution", "operationId": "getSolution", "parameters": [ID],
                "responses": {"200": ok("SolutionDetail", "The solution."), **ERRORS}}},
            "/publishers": {"get": {
                "summary": "Publishers by name", "operationId": "listPublishers",
                "parameters": [CURSOR, per_page(50)],
                "responses": {"200": ok("PublisherList", "A page of publishers."),
                              "400": ERRORS["400"]}}},
            "/publishers/{id}": {"get": {
                "summary": "One publisher", "operationId": "getPublisher", "parameters": [ID],
                "responses": {"200": ok("PublisherDetail", "The publisher."), **ERRORS}}},
            "/sources": {"get": {
                "summary": "Harvest sources and their latest runs", "operationId": "listSources",
                "responses": {"200": ok("SourceList", "Every source.")}}},
            "/me": {"get": {
                "summary": "The token's account", "operationId": "getMe",
                "description": "Who the personal API token belongs to, and the "
                               "organisations the account is an active member of.",
                "security": [{"token": []}],
                "responses": {"200": ok("Me", "The token's account."),
                              "400": ERRORS["400"],
                              "401": {"description": "No valid API token (missing, unknown, "
                                                     "revoked, or its account is suspended or "
                                                     "unverified).", "content": PROBLEM}}}},
            "/openapi.json": {"get": {
                "summary": "This document", "operationId": "getOpenApi",
                "responses": {"200": {"description": "OpenAPI 3.1",
                                      "content": {"application/json": {}}}}}},
            **ORGANISATION_PATHS,
            **NEED_PATHS,
            **ALTERNATIVE_PATHS,
            **WRITE_PATHS,
        },
        "components": {"schemas": SCHEMAS,
                       "securitySchemes": {"token": {
                           "type": "http", "scheme": "bearer",
                           "description": "A personal API token (`alm_…`) from the account "
                                          "page."}}},
    }


@blueprint.get("/openapi.json")
def openapi() -> Response:
    params.reject_unknown(())
    return jsonify(document(request.url_root.rstrip("/") + "/api/v1"))

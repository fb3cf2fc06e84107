"""Pieces the OpenAPI path modules share (``openapi``, ``openapi_organisations``,
``openapi_writes``): the problem body, a JSON answer, query and path parameters."""

from __future__ import annotations

from typing import Any

from . import params
from .openapi_schemas import ref

PROBLEM = {"application/problem+json": {"schema": ref("Problem")}}
NO_NUL = "^[^\\u0000]*$"
"""No NUL character: the catalogue's text columns cannot hold one, so the API refuses it."""
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}


def ok(schema: str, description: str) -> dict[str, Any]:
    """A 200 answer whose JSON body is the named schema."""
    return {"description": description,
            "content": {"application/json": {"schema": ref(schema)}}}


def query(name: str, description: str, schema: dict[str, Any], *,
          repeat: bool = False) -> dict[str, Any]:
    parameter = {"name": name, "in": "query", "required": False, "description": description,
                 "schema": {"type": "array", "items": schema} if repeat else schema}
    if repeat:
        parameter.update(style="form", explode=True)
    return parameter


CURSOR = query("cursor", "Take it from `links.next`: `p` and a page number.",
               {"type": "string", "pattern": params.CURSOR_PATTERN})


def per_page(default: int) -> dict[str, Any]:
    return query("per_page", "Items per page.", {"type": "integer", "minimum": 1,
                                                 "maximum": params.MAX_PER_PAGE,
                                                 "default": default})

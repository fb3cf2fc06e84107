"""Holds API responses to the OpenAPI document: every response a test receives is validated.

A response is matched to its path template and status, then validated with ``jsonschema``
(Draft 2020-12, the dialect of OpenAPI 3.1) against the documented schema; ``$ref`` resolves
inside the document. Undocumented paths, statuses or content types fail, and so does any
field the schemas do not name (they are all ``additionalProperties: false``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from web.api.openapi import document

API_PREFIX = "/api/v1"


@cache
def spec() -> dict[str, Any]:
    return document("http://localhost/api/v1")


def _template(path: str) -> str | None:
    for template in spec()["paths"]:
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return template
    return None


def schema_for(path: str, status: int, content_type: str) -> dict[str, Any] | None:
    template = _template(path)
    assert template is not None, f"{path} is not in the OpenAPI document"
    responses = spec()["paths"][template]["get"]["responses"]
    assert str(status) in responses, f"{status} for {template} is not documented"
    content = responses[str(status)].get("content", {})
    media = content_type.split(";")[0].strip()
    assert media in content, f"{media} for {status} {template} is not documented"
    return content[media].get("schema")


def validate(instance: Any, schema: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``instance`` matches ``schema``."""
    root = {**schema, "components": spec()["components"]}
    Draft202012Validator(root, format_checker=FormatChecker()).validate(instance)


def check_response(path: str, response: Any) -> bool:
    """Validate one API response; True when a schema was applied."""
    if not path.startswith(API_PREFIX):
        return False
    if _template(path[len(API_PREFIX):]) is None and response.status_code == 404:
        # an unknown route: still a documented problem
        assert response.content_type == "application/problem+json"
        validate(response.get_json(), {"$ref": "#/components/schemas/Problem"})
        return True
    schema = schema_for(path[len(API_PREFIX):] or "/", response.status_code,
                        response.content_type)
    if schema is None:
        return False
    validate(response.get_json(), schema)
    return True

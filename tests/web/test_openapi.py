"""The OpenAPI document: valid, complete, strict — and every response is held to it.

Responses are validated by the ``client`` fixture on every request (tests/web/conftest.py);
this module checks the document itself and that the validation really bites.
"""

from __future__ import annotations

import jsonschema
import pytest
from jsonschema import Draft202012Validator

from web.api.hooks import FORGES

from .openapi_check import spec, validate


def test_document_is_served_and_matches(client):
    body = client.get("/api/v1/openapi.json").get_json()
    assert body["openapi"].startswith("3.1")
    assert body["servers"] == [{"url": "http://localhost/api/v1"}]
    assert body["paths"] == spec()["paths"]


def test_every_schema_is_valid_json_schema():
    for schema in spec()["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)  # raises SchemaError naming the problem


def _objects(schema):
    if isinstance(schema, dict):
        if schema.get("type") == "object" and "properties" in schema:
            yield schema
        for value in schema.values():
            yield from _objects(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _objects(value)


def test_every_object_is_closed():
    for schema in _objects(spec()["components"]["schemas"]):
        assert schema.get("additionalProperties") is False, schema


def test_every_api_route_is_documented(app):
    documented = set(spec()["paths"])
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            template = rule.rule.removeprefix("/api/v1")
            for argument in rule.arguments:
                template = template.replace(f"<int:{argument}>", "{id}")
                template = template.replace(f"<{argument}>", f"{{{argument}}}")
            # one documented path per forge, each with the body that forge sends
            for path in ([template.replace("{forge}", forge) for forge in FORGES]
                         if "{forge}" in template else [template]):
                assert path in documented, rule.rule


def test_an_undocumented_field_fails_validation(client):
    body = client.get("/api/v1/solutions/1").get_json()
    schema = {"$ref": "#/components/schemas/SolutionDetail"}
    validate(body, schema)
    with pytest.raises(jsonschema.ValidationError):
        validate({**body, "secret": 1}, schema)
    body["maintenance"]["colour"] = "green"
    with pytest.raises(jsonschema.ValidationError):
        validate(body, schema)


def test_every_route_answers_as_documented(client):
    """One request per documented route (the client validates each response)."""
    solutions = client.get("/api/v1/solutions?per_page=1")
    publishers = client.get("/api/v1/publishers?per_page=1")
    for path in ("/api/v1/solutions/" + str(solutions.get_json()["items"][0]["id"]),
                 "/api/v1/publishers/" + str(publishers.get_json()["items"][0]["id"]),
                 "/api/v1/sources", "/api/v1/openapi.json", "/api/v1/solutions?q=Termin",
                 "/api/v1/solutions?sort=nope", "/api/v1/publishers/999999"):
        assert client.get(path).status_code in (200, 400, 404)

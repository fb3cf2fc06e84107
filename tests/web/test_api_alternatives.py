"""``/api/v1/alternatives?product=``: a product in a town's words, its open alternatives with
reasons; every answer is checked against the OpenAPI document by the ``client`` fixture."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("words", ["Doodle", "Alternative zu Doodle", "statt Dodle"])
def test_the_product_is_recognised_and_its_alternatives_listed_with_reasons(client, words):
    response = client.get("/api/v1/alternatives", query_string={"product": words})
    assert response.status_code == 200
    body = response.get_json()
    assert body["product"]["id"] == "doodle" and body["product"]["vendor"]
    first = body["alternatives"][0]
    assert first["name"] == "Terminbuchung Bürgeramt"  # the demo's appointment booking
    assert {"code": "category", "categories": ["appointment-scheduling"]} in first["reasons"]
    used_by = next(r for r in first["reasons"] if r["code"] == "used_by")
    assert len(first["adopters"]) == min(used_by["count"], 5) > 0  # the towns to ask
    assert client.get(first["href"].removeprefix("http://localhost")).status_code == 200


def test_limit_bounds_the_list(client):
    body = client.get("/api/v1/alternatives?product=Doodle&limit=1").get_json()
    assert len(body["alternatives"]) == 1


@pytest.mark.parametrize(("query", "status", "says"), [
    ("", 400, "product is required"),
    ("?product=", 400, "product is required"),
    ("?product=Doodle&limit=0", 400, "limit"),
    ("?product=Doodle&limit=abc", 400, "limit"),
    ("?product=Doodle&limit=" + "9" * 5000, 400, "limit"),
    ("?product=Doodle&sort=name", 400, "unknown query parameter"),
    ("?product=Doodle&product=Zoom", 400, "once"),
    ("?product=" + "x" * 600, 400, "at most"),
    ("?product=ein+ganz+normaler+Satz", 404, "no known proprietary product"),
])
def test_bad_or_unknown_products_are_problems(client, query, status, says):
    response = client.get("/api/v1/alternatives" + query)
    assert (response.status_code, response.content_type) == (status,
                                                              "application/problem+json")
    assert says in response.get_json()["detail"]

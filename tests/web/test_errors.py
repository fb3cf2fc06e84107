"""Bad parameters are 400 problems with the reason; hostile input never causes a 500."""

from __future__ import annotations

import pytest

from web import create_app, services

BAD_REQUESTS = {
    "/api/v1/solutions?sort=cheapest": "unknown sort",
    "/api/v1/solutions?colour=red": "unknown query parameter colour",
    "/api/v1/solutions?cursor=42": "cursor is not valid",
    "/api/v1/solutions?cursor=eyJ2IjoxLCJwYWdlIjotMX0": "cursor is not valid",  # page -1
    "/api/v1/solutions?cursor=%00": "cursor is not valid",
    "/api/v1/solutions?per_page=0": "per_page must be",
    "/api/v1/solutions?per_page=101": "per_page must be",
    "/api/v1/solutions?per_page=-5": "per_page must be",
    "/api/v1/solutions?per_page=99999999999999999999": "per_page must be",
    "/api/v1/solutions?per_page=abc": "per_page must be",
    "/api/v1/solutions?q=a&q=b": "q may be given once",
    "/api/v1/solutions?q=" + "x" * 501: "q is longer",
    "/api/v1/solutions?q=%00": "NUL",
    "/api/v1/publishers?q=x": "unknown query parameter q",
    "/api/v1/publishers?cursor=%%%": "cursor is not valid",
    "/api/v1/solutions/1?debug=1": "unknown query parameter debug",
}


@pytest.mark.parametrize("path", list(BAD_REQUESTS))
def test_bad_parameters_are_400_problems_with_the_reason(client, path):
    response = client.get(path)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 400 and BAD_REQUESTS[path] in body["detail"]


HOSTILE = ["q=" + "ä" * 500, "q=%F0%9F%A6%84%20Einhorn", "q=%22unclosed", "q=*:*",
           "q=(((((", "q=name:[a TO", "q=-", "q=%ED%A0%80", "category=%00x",
           "platform=" + "w" * 400, "license=%C3%28", "q=AND%20OR%20NOT",
           "region=%E2%80%AE", "per_page=%00", "cursor=" + "A" * 5000]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_parameters_never_cause_a_500(client, query):
    response = client.get(f"/api/v1/solutions?{query}")
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    if response.status_code == 400:
        assert response.content_type == "application/problem+json"


def test_an_unknown_route_and_a_wrong_method_are_problems(client):
    missing = client.get("/api/v1/nothing-here")
    assert (missing.status_code, missing.content_type) == (404, "application/problem+json")
    post = client.post("/api/v1/solutions", data=b"x")
    assert post.status_code == 405 and "GET" in post.headers["Allow"]
    assert post.content_type == "application/problem+json"


def test_an_unexpected_error_is_a_500_problem_without_internals(database_url, engine,
                                                                 catalogue, caplog):
    app = create_app({"DATABASE_URL": database_url, "INDEX_DIR": str(catalogue)})

    @app.get("/api/v1/boom")
    def boom():
        raise RuntimeError("secret internals /etc/allmende")

    try:
        response = app.test_client().get("/api/v1/boom")
    finally:
        services.dispose(app)
    assert (response.status_code, response.content_type) == (500, "application/problem+json")
    assert "secret" not in response.get_data(as_text=True)
    assert "secret internals" in caplog.text
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_request_bodies_are_capped(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024

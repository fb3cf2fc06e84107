"""Security headers on every response; CORS open for reading the API and exports only."""

from __future__ import annotations

import pytest

ROUTES = ["/api/v1/solutions", "/api/v1/solutions/1", "/api/v1/publishers", "/api/v1/sources",
          "/api/v1/openapi.json", "/export/solutions.json", "/export/solutions.csv",
          "/feeds/solutions.atom", "/api/v1/solutions?sort=bad", "/no-such-page"]


@pytest.mark.parametrize("path", ROUTES)
def test_security_headers_everywhere(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("path", ["/api/v1/solutions", "/api/v1/solutions/999999",
                                  "/export/solutions.csv", "/export/solutions.json"])
def test_cors_is_open_for_reading_the_api_and_exports(client, path):
    assert client.get(path).headers["Access-Control-Allow-Origin"] == "*"
    assert client.head(path).headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(path, headers={"Origin": "https://example.org",
                                              "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in preflight.headers


def test_cors_stays_closed_elsewhere(client):
    assert "Access-Control-Allow-Origin" not in client.get("/feeds/solutions.atom").headers
    assert "Access-Control-Allow-Origin" not in client.get("/no-such-page").headers
    assert "Access-Control-Allow-Origin" not in client.post("/api/v1/solutions").headers

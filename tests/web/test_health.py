"""``/healthz`` answers ``ok`` as plain text, with the usual security headers."""

from __future__ import annotations

from web import create_app, services
from web.security import SECURITY_HEADERS


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
    assert response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "Access-Control-Allow-Origin" not in response.headers
    assert client.head("/healthz").status_code == 200


def test_healthz_reads_no_index(database_url, engine, tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url,
                      "INDEX_DIR": str(tmp_path / "no-index-here")})
    try:
        assert app.test_client().get("/healthz").get_data(as_text=True) == "ok"
        assert not (tmp_path / "no-index-here").exists()
    finally:
        services.dispose(app)

"""``create_app``: configuration from a mapping or from config.toml and the environment."""

from __future__ import annotations

import pytest

from registry import db
from registry.db import SchemaError
from web import create_app, services


def test_configuration_comes_from_the_settings_without_a_mapping(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('data_dir = "data"\n', encoding="utf-8")
    monkeypatch.setenv("ALLMENDE_CONFIG", str(config))
    monkeypatch.delenv("ALLMENDE_DATABASE_URL", raising=False)
    monkeypatch.delenv("ALLMENDE_DATA_DIR", raising=False)
    db.upgrade(f"sqlite:///{tmp_path / 'data' / 'allmende.db'}")
    app = create_app()
    try:
        assert app.config["INDEX_DIR"] == str(tmp_path / "data" / "index")
        response = app.test_client().get("/api/v1/solutions")
        assert response.status_code == 200 and response.get_json()["total"] == 0  # no index
    finally:
        services.dispose(app)


def test_a_database_without_schema_stops_the_start(tmp_path):
    with pytest.raises(SchemaError, match="allmende db upgrade"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
                    "INDEX_DIR": str(tmp_path / "index")})


def test_missing_configuration_is_named(tmp_path):
    with pytest.raises(RuntimeError, match="INDEX_DIR"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})


def test_search_services_are_reused_not_shared(app, client):
    pool = app.extensions["allmende"]["search"]
    client.get("/api/v1/solutions")
    first = pool.acquire()
    pool.release(first)
    client.get("/api/v1/solutions")
    assert pool.acquire() is first  # the idle service came back and is reused
    assert pool.acquire() is not first  # a second concurrent user gets its own

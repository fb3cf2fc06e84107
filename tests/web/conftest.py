"""Fixtures: the web application over a real catalogue and a real search index.

The catalogue is the ``engine`` fixture (SQLite, and PostgreSQL when configured) filled the
way production fills it: the demo source (the bundled examples as Git repositories) harvested
by ``run_source``; the index is built from it by ``search.rebuild``. ``app`` and ``client``
follow the Flask tutorial; ``client`` validates every API response against the OpenAPI
document (tests/web/openapi_check.py), so no test can receive an undocumented shape.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient

from harvesters.demo import DemoHarvester
from harvesters.run import run_source
from registry.config import Settings, SourceConfig
from search import rebuild
from web import create_app, services

from .openapi_check import check_response

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT / "examples"


class ValidatingClient(FlaskClient):
    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if response.request.method == "GET":
            check_response(urlsplit(response.request.path).path, response)
        return response


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory) -> Path:
    """One data directory for the session: the demo's Git repositories and clones are built
    once (the slow part) and every test's harvest reads them like an unchanged forge."""
    return tmp_path_factory.mktemp("demo-data")


@pytest.fixture
def catalogue(engine, tmp_path, demo_data_dir) -> Path:
    """The demo source harvested into ``engine``, and an index of it; the index directory."""
    source = SourceConfig(name="demo", type="demo", path=EXAMPLES)
    settings = Settings(data_dir=demo_data_dir, database_url=str(engine.url),
                        sources=(source,))
    report = run_source(DemoHarvester(source, settings), engine)
    assert report.status == "ok", report.errors
    index_dir = tmp_path / "index"
    rebuild(engine, index_dir)
    return index_dir


@pytest.fixture
def app_settings(database_url, tmp_path, smtp_server) -> Settings:
    """What a deployment configures, pointed at the test's loopback SMTP server; private
    addresses allowed, because the test forges live on 127.0.0.1."""
    from tests.smtp import mail_settings

    return mail_settings(smtp_server, tmp_path / "data", base_url="http://localhost",
                         database_url=database_url, allow_private_addresses=True)


@pytest.fixture
def app(database_url, engine, catalogue, app_settings):
    """The application; throttling off (its own tests turn it on: the limiter's counts are
    shared by every app in the process)."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url,
                      "INDEX_DIR": str(catalogue), "SETTINGS": app_settings,
                      "RATELIMIT_ENABLED": False})
    app.test_client_class = ValidatingClient
    yield app
    services.dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def people(engine):
    """Accounts for every role (tests/web/people.py)."""
    from .people import make_people

    return make_people(engine)

"""The web front end: a Flask application factory (``flask --app web run``).

``create_app`` reads its configuration from the ``test_config`` mapping when given (tests),
else from ``registry.config.load_settings()`` (``config.toml``, ``ALLMENDE_CONFIG``,
``ALLMENDE_DATABASE_URL``, ``ALLMENDE_DATA_DIR``). Configuration keys:

- ``DATABASE_URL``: the catalogue; one engine per application (``registry.db.connect``, which
  refuses a database whose schema is missing or old, with a message saying what to run).
- ``INDEX_DIR``: the search index (``search.SearchService``; see ``web.services``).
- ``MAX_CONTENT_LENGTH``: request bodies are capped (1 MiB).
- ``SETTINGS``: the ``registry.config.Settings`` behind it all (site address, mail, the SSRF
  switch, the data directory with the generated secret key). Tests may leave it out: a default
  with the data directory beside ``INDEX_DIR`` is used.
- ``SECRET_KEY``: signs session cookies and e-mail links; from ``ALLMENDE_SECRET_KEY`` or
  generated once into the data directory (``registry.secret_key``) unless given.
- ``RATELIMIT_ENABLED``: throttling of login, sign-up and mail routes (on; tests turn it off).
- ``SEARCH_CACHE_ENTRIES`` / ``SEARCH_CACHE_SECONDS`` / ``SEARCH_CACHE_BYTES``: the search
  page's response cache for anonymous readers (``web.pages.response_cache``; 0 entries: off).
- ``BACKGROUND_HARVEST_MANUAL``: tests keep the background harvester's thread off and drain
  the queue themselves (``web.background``).

Blueprints: ``api`` under ``/api/v1``, ``exports`` (``/export/…``, ``/feeds/…``), ``pages``
(the HTML front end, German and English via Flask-Babel; see ``web.pages``), ``community``
(organisations, adoption declarations, moderation under ``/verwaltung``) and ``accounts``
(sign-up, login, password reset, the account page with API tokens; see ``web.accounts``),
``maintainers`` (repository registration, the dashboard and its feed) and ``health``
(``/healthz``).
An unreachable catalogue database is answered with 503 and ``Retry-After``
(``web.database_outage``), a damaged search index likewise (``web.index_repair``).
Security headers and CORS are added to every response by ``web.security``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

from .catalogue_reads import MAX_ID

log = logging.getLogger(__name__)

MAX_CONTENT_LENGTH = 1024 * 1024


class DatabaseId(IntegerConverter):
    """``<int:…>`` in every route: an id the database can hold (1 … 2³¹−1), else no match
    (404). SQLite raises OverflowError for larger numbers, which would otherwise be a 500."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 (Werkzeug's parameter name)
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: configuration, catalogue engine, search pool, blueprints."""
    app = Flask(__name__)
    app.config.from_mapping(MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH)
    if test_config is None:
        app.config.from_mapping(_settings_config())
    else:
        app.config.from_mapping(test_config)
    app.json.sort_keys = False  # the documented field order is easier to read
    app.url_map.converters["int"] = DatabaseId

    from . import api, exports, health, index_repair, pages, security, services, sessions
    from .api import errors

    services.init_app(app)
    sessions.init_app(app, services.settings(app))
    security.init_app(app, services.settings(app))
    errors.init_app(app)
    index_repair.init_app(app)
    from . import database_outage
    database_outage.init_app(app)
    app.register_blueprint(api.blueprint, url_prefix="/api/v1")
    sessions.csrf.exempt(api.blueprint)  # bearer tokens only, never the cookie: no CSRF
    app.register_blueprint(exports.blueprint)
    app.register_blueprint(health.blueprint)
    pages.init_app(app)
    from . import accounts
    app.register_blueprint(accounts.blueprint)
    from . import community
    app.register_blueprint(community.blueprint)
    from . import maintainers
    app.register_blueprint(maintainers.blueprint)
    return app


def _settings_config() -> dict[str, Any]:
    """The configuration a deployment gives: config.toml and the environment."""
    from registry.config import load_settings

    settings = load_settings()
    return {"DATABASE_URL": settings.database_url, "INDEX_DIR": str(settings.index_dir),
            "SETTINGS": settings}

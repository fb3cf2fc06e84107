"""The web front end: a Flask application factory (``flask --app web run``).

``create_app`` reads its configuration from the ``test_config`` mapping when given (tests),
else from ``registry.config.load_settings()`` (``config.toml``, ``ALLMENDE_CONFIG``,
``ALLMENDE_DATABASE_URL``, ``ALLMENDE_DATA_DIR``). Configuration keys:

- ``DATABASE_URL``: the catalogue; one engine per application (``registry.db.connect``, which
  refuses a database whose schema is missing or old, with a message saying what to run).
- ``INDEX_DIR``: the search index (``search.SearchService``; see ``web.services``).
- ``MAX_CONTENT_LENGTH``: request bodies are capped (1 MiB) although the API only reads.

Blueprints: ``api`` under ``/api/v1``, ``exports`` (``/export/…``, ``/feeds/…``) and ``pages``
(the HTML front end, German and English via Flask-Babel; see ``web.pages``). Security headers
and CORS are added to every response by ``web.security``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)

MAX_CONTENT_LENGTH = 1024 * 1024


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: configuration, catalogue engine, search pool, blueprints."""
    app = Flask(__name__)
    app.config.from_mapping(MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH)
    if test_config is None:
        app.config.from_mapping(_settings_config())
    else:
        app.config.from_mapping(test_config)
    app.json.sort_keys = False  # the documented field order is easier to read

    from . import api, exports, pages, security, services
    from .api import errors

    services.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(api.blueprint, url_prefix="/api/v1")
    app.register_blueprint(exports.blueprint)
    pages.init_app(app)
    return app


def _settings_config() -> dict[str, Any]:
    """The configuration a deployment gives: config.toml and the environment."""
    from registry.config import load_settings

    settings = load_settings()
    return {"DATABASE_URL": settings.database_url, "INDEX_DIR": str(settings.index_dir)}

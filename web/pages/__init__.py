"""The HTML front end: server-rendered pages that work without JavaScript.

Pages read the catalogue through ``web.catalogue_reads`` and ``web.api.solution_shapes`` and
search through ``web.services.search_service`` — the same reads as the JSON API, so a page and
the API never disagree. Modules: ``language`` (German default, English by switch),
``error_pages``, ``search_state`` (the query string as the search's whole state), ``home_search``,
``solution_page`` with ``solution_text`` and ``publiccode_extras``, ``vocabulary`` (codes in
words, a template global, with ``vocabulary_words``), ``alternative_pages`` (proprietary
products and their open alternatives) and ``other_pages`` (publishers, sources, about).
Templates: web/templates; the one stylesheet: web/static/allmende.css (the CSP allows no
inline style or script).
"""

from __future__ import annotations

from flask import Blueprint, Flask

blueprint = Blueprint("pages", __name__)


def init_app(app: Flask) -> None:
    """Language, HTML error pages and the routes; call after the API's error handlers."""
    from ..finding_words import finding_text
    from . import (  # noqa: F401 (routes register)
        alternative_pages,
        error_pages,
        home_search,
        language,
        other_pages,
        solution_page,
        vocabulary,
    )
    from .solution_text import http_url, pick_language

    language.init_app(app)
    app.jinja_env.filters["http_url"] = http_url
    app.jinja_env.filters["finding_text"] = finding_text
    app.jinja_env.globals["pick_language"] = pick_language
    app.jinja_env.globals["vocabulary"] = vocabulary
    error_pages.init_app(app)
    app.register_blueprint(blueprint)

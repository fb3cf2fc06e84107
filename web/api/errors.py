"""Errors as RFC 9457 problem details (``application/problem+json``), for every route.

Three kinds: ``ApiError`` raised by our code (a 400 with the reason, a 404 for an unknown id);
Werkzeug's HTTP errors (an unknown route, a wrong method); and anything unexpected, which is
logged with its traceback and answered with a plain 500 that reveals nothing about the server.
The machine-readable routes (``MACHINE_PATH_PREFIXES``: the API, exports, feeds) always get
problem+json. Every other path belongs to the HTML pages: when they registered a renderer
(``set_page_renderer``), unknown routes and unexpected errors there are answered in HTML.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
MACHINE_PATH_PREFIXES = ("/api/", "/export/", "/feeds/")
KEPT_ERROR_HEADERS = ("WWW-Authenticate", "Retry-After")
"""Headers an HTTP error carries that clients act on (401: how to authenticate; 429, 503: when
to come back); our own error bodies replace Werkzeug's but keep these."""
PAGE_RENDERER = "allmende_error_page"
"""``app.extensions`` key of ``(status, title, detail) -> Response`` for HTML error pages."""


class ApiError(Exception):
    """A problem the client can fix: ``status`` and a ``detail`` saying what and how."""

    def __init__(self, status: int, detail: str, title: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.title = status, detail, title


def bad_request(detail: str) -> ApiError:
    return ApiError(400, detail, "Bad Request")


def not_found(detail: str) -> ApiError:
    return ApiError(404, detail, "Not Found")


def problem(status: int, title: str, detail: str | None = None, **extra: Any) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def set_page_renderer(app: Flask, render: Callable[[int, str, str | None], Response]) -> None:
    """Answer errors on non-machine paths with ``render`` (the HTML pages) instead of JSON."""
    app.extensions[PAGE_RENDERER] = render


def _page_renderer() -> Callable[[int, str, str | None], Response] | None:
    if request.path.startswith(MACHINE_PATH_PREFIXES):
        return None
    return current_app.extensions.get(PAGE_RENDERER)


def _api_error(error: ApiError) -> Response:
    return problem(error.status, error.title or "Error", error.detail)


def _http_error(error: HTTPException) -> Response:
    render = _page_renderer()
    if render is not None:
        # Werkzeug's stock descriptions are English boilerplate; pages say it in their words
        custom = error.description if error.description != type(error).description else None
        response = render(error.code or 500, error.name, custom)
    else:
        response = problem(error.code or 500, error.name, error.description)
    if error.code == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    for name, value in error.get_headers():
        if name in KEPT_ERROR_HEADERS:
            response.headers[name] = value
    return response


def _unexpected(error: Exception) -> Response:
    log.exception("unexpected error answering %s %s", request.method, request.path)
    render = _page_renderer()
    if render is not None:
        return render(500, "Internal Server Error", None)
    return problem(500, "Internal Server Error",
                   "The server could not answer this request; the error has been logged.")

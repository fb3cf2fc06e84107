"""Headers every response carries: security headers everywhere, CORS on the open data.

CSP: ``default-src 'self'`` and no ``'unsafe-inline'``, so pages must load scripts and styles
from files; ``frame-ancestors 'none'`` (and ``X-Frame-Options`` for old browsers) forbids
framing. CORS: the API and the exports are public, read-only data, so any origin may *read*
them (``GET``/``HEAD``/``OPTIONS``); nothing else is opened, and no credentials are allowed.
"""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = ("default-src 'self'; base-uri 'none'; object-src 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
CORS_PATH_PREFIXES = ("/api/", "/export/")
CORS_METHODS = ("GET", "HEAD", "OPTIONS")


def init_app(app: Flask) -> None:
    app.after_request(add_headers)


def add_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.method in CORS_METHODS and request.path.startswith(CORS_PATH_PREFIXES):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "Link"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = ", ".join(CORS_METHODS)
            response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response

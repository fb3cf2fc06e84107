"""Headers every response carries: security headers everywhere, CORS on the open data.

CSP: ``default-src 'self'`` and no ``'unsafe-inline'``, so pages must load scripts and styles
from files; ``frame-ancestors 'none'`` (and ``X-Frame-Options`` for old browsers) forbids
framing. CORS: the API and the exports are public, read-only data, so any origin may *read*
them (``GET``/``HEAD``/``OPTIONS``); nothing else is opened, and no credentials are allowed.
HSTS: a site whose ``[site] base_url`` is https tells browsers to use https only, for a year
(no ``includeSubDomains``: the operator's other hosts are not ours to decide for).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request

from registry.config import Settings

CONTENT_SECURITY_POLICY = ("default-src 'self'; base-uri 'none'; object-src 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
STRICT_TRANSPORT_SECURITY = "max-age=31536000"
CORS_PATH_PREFIXES = ("/api/", "/export/")
CORS_METHODS = ("GET", "HEAD", "OPTIONS")


def init_app(app: Flask, settings: Settings) -> None:
    headers = dict(SECURITY_HEADERS)
    if urlsplit(settings.site.base_url).scheme == "https":
        headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY

    def add_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return _cors(response)

    app.after_request(add_headers)


def _cors(response: Response) -> Response:
    if request.method in CORS_METHODS and request.path.startswith(CORS_PATH_PREFIXES):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "Link"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = ", ".join(CORS_METHODS)
            response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response

"""Who is asking: login sessions, CSRF protection and throttling for the HTML front end.

Sessions are Flask's signed cookies holding the account id and its ``session_version``; each
request re-reads the account, so a suspension or a new password (both raise the version) ends
every open session at once, and a suspended account is logged out at its next click. Cookies
are ``HttpOnly``, ``SameSite=Lax`` and ``Secure`` unless the site runs on a loopback ``http``
address (local development: browsers treat loopback as secure, but the test client does not).

Every form posts a CSRF token (Flask-WTF's ``CSRFProtect``). The JSON API is exempt: it
authenticates with bearer tokens only and never reads the session cookie, so a forged
cross-site request has nothing to ride on. Flask-Limiter throttles the routes that guess or
send mail (login, sign-up, password reset), by client address.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, g, redirect, request, session, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from registry.accounts import permissions
from registry.config import Settings
from registry.db import session_scope
from registry.models import Account
from registry.secret_key import secret_key

from . import services

SESSION_LIFETIME = timedelta(hours=12)
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[],
                  headers_enabled=True, strategy="moving-window")
LOGIN_LIMIT = "10 per minute; 50 per hour"
SIGN_UP_LIMIT = "5 per minute; 20 per hour"
MAIL_LIMIT = "3 per minute; 10 per hour"
"""Routes that send e-mail (sign-up, password reset, new verification link): per address."""
CHECK_LIMIT = "10 per minute; 60 per hour"
"""Routes that make the registry fetch from a forge (registering, checking again): per client
address, and in the API per token as well (:func:`per_token`)."""


def per_token() -> str:
    """The rate-limit key of an API request: its bearer token, hashed (never kept as is). Set
    before the token is checked, so a request without a valid one is counted too."""
    given = request.headers.get("Authorization", "")
    return "token:" + hashlib.sha256(given.encode("utf-8", "replace")).hexdigest()


def init_app(app: Flask, settings: Settings) -> None:
    if not app.config.get("SECRET_KEY"):  # Flask's default config has SECRET_KEY = None
        app.config["SECRET_KEY"] = secret_key(settings)
    app.config.update(
        SESSION_COOKIE_NAME="allmende_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not _local_development(settings.site.base_url),
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        WTF_CSRF_TIME_LIMIT=int(SESSION_LIFETIME.total_seconds()),
        RATELIMIT_STORAGE_URI=settings.site.rate_limit_storage,
    )
    app.config.setdefault("RATELIMIT_ENABLED", True)
    if settings.site.trusted_proxies:  # the visitor's address, not the proxy's, for throttling
        hops = settings.site.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    csrf.init_app(app)
    limiter.init_app(app)
    app.before_request(_load_account)
    app.context_processor(lambda: {"current_account": current_account()})


def _local_development(base_url: str) -> bool:
    parts = urlsplit(base_url)
    if parts.scheme != "http":
        return False
    host = parts.hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _load_account() -> None:
    g.account = None
    if request.endpoint == "static" or request.blueprint == "api":
        return  # files need nobody, and the API authenticates by token only
    account_id = session.get("account_id")
    if account_id is None:
        return
    with session_scope(services.engine()) as db_session:
        account = db_session.get(Account, account_id)
    if (account is None or account.suspended_at is not None
            or account.session_version != session.get("version")):
        session.clear()
        return
    g.account = account


def current_account() -> Account | None:
    return g.get("account")


def log_in(account: Account) -> None:
    """Start a fresh session (nothing carried over from before the login) for ``account``."""
    session.clear()
    session.permanent = True
    session["account_id"] = account.id
    session["version"] = account.session_version
    g.account = account


def log_out() -> None:
    session.clear()
    g.account = None


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Anonymous visitors are sent to the login page and brought back afterwards."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_account() is None:
            return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not permissions.is_admin(current_account()):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site paths: ``next=https://evil.example`` or ``//evil.example`` would turn
    the login page into an open redirect."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    if any(ord(c) < 32 for c in target):
        return fallback
    return target

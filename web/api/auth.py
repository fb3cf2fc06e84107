"""Bearer tokens for the API's write endpoints: ``Authorization: Bearer alm_…``.

The API never looks at the session cookie, which is why it needs no CSRF token: a request
another site makes a browser send carries the cookie but never the bearer token.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from registry.accounts import tokens
from registry.db import session_scope
from registry.models import Account

from .. import services


def token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """401 (problem+json, with ``WWW-Authenticate``) unless a live token is presented; the
    view finds the account in ``g.api_account``."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        account = _bearer_account()
        if account is None:
            raise Unauthorized(
                description="This endpoint needs a personal API token: "
                            "Authorization: Bearer <token>. Create one on your account page.",
                www_authenticate=WWWAuthenticate("bearer", {"realm": "allmende"}))
        g.api_account = account
        return view(*args, **kwargs)

    return wrapped


def _bearer_account() -> Account | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    with session_scope(services.engine()) as session:
        account = tokens.account_for_token(session, value.strip())
        session.commit()
        return account

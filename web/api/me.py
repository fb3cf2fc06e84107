"""``/me``: the account a personal API token belongs to — a way to check a token, and to find
one's organisations. Only the token's own account is ever shown; the answer is not cached."""

from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify

from registry.accounts import organisations
from registry.db import session_scope
from registry.models import Account, Organisation

from .. import services
from . import blueprint, params
from .auth import token_required


@blueprint.get("/me")
@token_required
def me() -> Response:
    params.reject_unknown(())
    account: Account = g.api_account
    with session_scope(services.engine()) as session:
        rows = [(organisation, membership.role) for organisation, membership
                in organisations.memberships_of(session, account)]
    response = jsonify(_shape(account, rows))
    response.headers["Cache-Control"] = "no-store"
    return response


def _shape(account: Account, rows: list[tuple[Organisation, str]]) -> dict[str, Any]:
    return {"id": account.id, "email": account.email, "name": account.name,
            "is_admin": account.is_admin,
            "organisations": [{"id": organisation.id, "name": organisation.name,
                               "slug": organisation.slug, "role": role}
                              for organisation, role in rows]}

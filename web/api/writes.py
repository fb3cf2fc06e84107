"""The API's write endpoints for maintainers, all with a personal API token:

- ``POST /api/v1/registrations`` ``{"url": …, "forge_type": …}``: register a repository; it is
  checked at once (publiccode.yml findings, ownership proof) and the answer says what is
  missing. ``GET /api/v1/registrations``: the token owner's registrations.
  ``POST /api/v1/registrations/{id}/check``: check again after committing the proof.
- ``POST /api/v1/solutions/{id}/harvest``: harvest a solution now (its maintainers and admins).

The shapes are in ``openapi_writes``; errors are problem+json like everywhere in the API.
"""

from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify, request
from sqlmodel import select

from registry.accounts import permissions
from registry.db import session_scope
from registry.models import Registration, Solution, iso_utc
from registry.registrations import VERIFY_FILE, RegistrationError, start_registration

from .. import services
from ..maintainers.reads import owned_registration
from ..registration_actions import check, queue_harvest, webhook
from ..sessions import CHECK_LIMIT, limiter, per_token
from . import blueprint
from .auth import token_required
from .errors import ApiError, bad_request, not_found


@blueprint.post("/registrations")
@limiter.limit(CHECK_LIMIT)
@limiter.limit(CHECK_LIMIT, key_func=per_token)
@token_required
def register_repository() -> tuple[Response, int]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("url"), str):
        raise bad_request('send JSON like {"url": "https://gitlab.example/town/project"}')
    forge_type = body.get("forge_type")
    if forge_type is not None and not isinstance(forge_type, str):
        raise bad_request("forge_type must be gitlab, github, gitea or git")
    account = g.api_account
    settings = services.settings()
    with session_scope(services.engine()) as session:
        try:
            registration = start_registration(session, account, body["url"], forge_type,
                                              allow_private=settings.allow_private_addresses)
        except RegistrationError as exc:
            raise bad_request(str(exc)) from None
        check(session, registration, account.email)
        return jsonify(registration_shape(registration)), 201


@blueprint.get("/registrations")
@token_required
def my_registrations() -> Response:
    with session_scope(services.engine()) as session:
        rows = session.exec(select(Registration).where(
            Registration.account_id == g.api_account.id).order_by(Registration.id)).all()
        return jsonify({"items": [registration_shape(r) for r in rows]})


@blueprint.post("/registrations/<int:registration_id>/check")
@limiter.limit(CHECK_LIMIT)
@limiter.limit(CHECK_LIMIT, key_func=per_token)
@token_required
def check_again(registration_id: int) -> Response:
    with session_scope(services.engine()) as session:
        registration = owned_registration(session, g.api_account.id, registration_id)
        if registration is None:
            raise not_found(f"you have no registration {registration_id}")
        check(session, registration, g.api_account.email)
        return jsonify(registration_shape(registration))


@blueprint.post("/solutions/<int:solution_id>/harvest")
@token_required
def harvest_now(solution_id: int) -> tuple[Response, int]:
    with session_scope(services.engine()) as session:
        solution = session.get(Solution, solution_id)
        if solution is None:
            raise not_found(f"no solution with id {solution_id}")
        if not permissions.maintains(session, g.api_account, solution):
            raise ApiError(403, "only the solution's verified maintainers and admins can "
                                "request a harvest", "Forbidden")
        request_id = queue_harvest(session, solution.url, g.api_account)
    return jsonify({"status": "queued", "url": solution.url, "request": request_id}), 202


def registration_shape(registration: Registration) -> dict[str, Any]:
    """What a maintainer needs: the state, what to do next, every finding, the webhook."""
    return {
        "id": registration.id, "url": registration.url, "forge_type": registration.forge_type,
        "status": registration.status, "proof": registration.proof,
        "verify_file": VERIFY_FILE, "verify_token": registration.verify_token,
        "message": registration.last_check_message,
        "checked_at": iso_utc(registration.last_checked_at),
        "verified_at": iso_utc(registration.verified_at),
        "findings": [{k: f.get(k) for k in ("key", "line", "column", "message", "severity")}
                     for f in registration.findings],
        "webhook": webhook(registration),
    }

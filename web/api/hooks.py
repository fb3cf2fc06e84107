"""Webhooks: a push on the forge triggers a harvest of that repository now.

``POST /api/v1/hooks/gitlab|github|gitea`` — each with the forge's own authentication, checked
against every *verified* registration of the repository the payload names (each registration
has its own derived secret, ``registry.registrations.webhook``):

- GitLab: ``X-Gitlab-Token`` is the secret itself;
- GitHub: ``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body>``;
- Gitea and Forgejo: ``X-Gitea-Signature`` / ``X-Forgejo-Signature``, the same HMAC in hex.

A valid call queues a harvest and answers 202 without waiting. Replays are harmless: the
forge's delivery id is remembered (a replayed delivery changes nothing), and requests for the
same repository are coalesced, so a burst of pushes costs one harvest.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, jsonify, request
from sqlmodel import select

from registry import harvest_requests
from registry.db import session_scope
from registry.models import Registration
from registry.normalise import normalise_repository_url
from registry.registrations import in_standing, signature_matches, webhook_secret_matches

from .. import background, services
from ..sessions import limiter
from . import blueprint
from .errors import ApiError, problem

WEBHOOK_LIMIT = "120 per minute"


def _gitlab_url(payload: dict[str, Any]) -> Any:
    return (payload.get("project") or {}).get("web_url") or \
        (payload.get("repository") or {}).get("homepage")


def _html_url(payload: dict[str, Any]) -> Any:
    return (payload.get("repository") or {}).get("html_url")


FORGES: dict[str, dict[str, Any]] = {
    "gitlab": {"url": _gitlab_url, "delivery": ("X-Gitlab-Event-UUID", "X-Gitlab-Webhook-UUID"),
               "ping": ()},
    "github": {"url": _html_url, "delivery": ("X-GitHub-Delivery",),
               "ping": ("ping",), "event": "X-GitHub-Event"},
    "gitea": {"url": _html_url, "delivery": ("X-Gitea-Delivery", "X-Forgejo-Delivery"),
              "ping": ()},
}


@blueprint.post("/hooks/<forge>")
@limiter.limit(WEBHOOK_LIMIT)
def webhook(forge: str) -> Response:
    if forge not in FORGES:
        raise ApiError(404, f"unknown forge {forge!r}; use gitlab, github or gitea",
                       "Not Found")
    spec = FORGES[forge]
    body = request.get_data(cache=True)
    url = _repository_url(spec["url"], body)
    with session_scope(services.engine()) as session:
        candidates = session.exec(in_standing(select(Registration))
                                  .where(Registration.url == url)).all()
        if not candidates:
            raise ApiError(404, f"no verified registration of {url}: register the repository "
                                "and prove ownership first", "Not Found")
        check = _authenticator(forge, body)
        if not any(check(registration) for registration in candidates):
            return problem(401, "Unauthorized", "the webhook's signature or token does not "
                           "match the secret shown for this repository on Allmende")
        if request.headers.get(spec.get("event", ""), "") in spec["ping"]:
            return jsonify({"status": "pong", "url": url})
        delivery = next((request.headers[h] for h in spec["delivery"] if request.headers.get(h)),
                        None)
        queued = harvest_requests.request_harvest(
            session, url, "webhook", delivery_id=f"{forge}:{delivery[:200]}" if delivery else None)
    if queued is not None:
        background.submit()
    response = jsonify({"status": "queued" if queued else "duplicate", "url": url})
    response.status_code = 202
    return response


def _repository_url(find: Callable[[dict[str, Any]], Any], body: bytes) -> str:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "the body is not JSON; configure the webhook to send "
                            "application/json", "Bad Request") from None
    url = find(payload) if isinstance(payload, dict) else None
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise ApiError(400, "the payload names no repository URL", "Bad Request")
    try:
        return normalise_repository_url(url)
    except ValueError:  # "https://" with no host, say
        raise ApiError(400, "the payload names no repository URL", "Bad Request") from None


def _authenticator(forge: str, body: bytes) -> Callable[[Registration], bool]:
    key = current_app.config["SECRET_KEY"]
    if forge == "gitlab":
        token = request.headers.get("X-Gitlab-Token", "")
        return lambda registration: bool(token) and webhook_secret_matches(key, registration,
                                                                            token)
    header = "X-Hub-Signature-256" if forge == "github" else None
    signature = (request.headers.get(header, "") if header else
                 request.headers.get("X-Gitea-Signature")
                 or request.headers.get("X-Forgejo-Signature", ""))
    return lambda registration: bool(signature) and signature_matches(key, registration, body,
                                                                      signature)

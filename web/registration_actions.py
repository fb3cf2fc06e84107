"""What the JSON API (``web.api.writes``) and the maintainer pages (``web.maintainers``) both do
with registrations and harvests, so the two never drift apart:

- :func:`check`: check a registration now (publiccode.yml findings, ownership proof) through
  the SSRF guard, and wake the background harvester when verification queued a harvest;
- :func:`queue_harvest`: queue a harvest of a repository for a maintainer and wake the worker;
- :func:`webhook`: the webhook addresses per forge and the secret, for verified registrations.

Permission checks stay with the callers: each answers a refusal in its own shape (problem+json
or an HTML page).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from sqlmodel import Session

from registry import harvest_requests
from registry.fetch import SafeFetcher
from registry.models import Account, Registration
from registry.registrations import CheckResult, check_registration, webhook_secret

from . import background, services

WEBHOOK_FORGES = ("gitlab", "github", "gitea")
HARVEST_REASON = "api"
"""A maintainer asked (API or the "harvest now" buttons): one of ``harvest_requests.REASONS``."""


def check(session: Session, registration: Registration, email: str) -> CheckResult:
    """Check ``registration`` for the account with address ``email``; commits."""
    settings = services.settings()
    was_verified = registration.status == "verified"
    result = check_registration(session, registration,
                                fetcher=SafeFetcher(allow_private=settings.allow_private_addresses),
                                settings=settings, account_email=email)
    if registration.status == "verified" and not was_verified:
        background.submit()  # this verification queued the first harvest
    return result


def queue_harvest(session: Session, url: str, account: Account) -> int:
    """Queue a harvest of ``url`` requested by ``account`` (coalesced with a waiting one);
    commits and wakes the worker. Returns the request's id."""
    queued = harvest_requests.request_harvest(session, url, HARVEST_REASON,
                                              requested_by_id=account.id)
    assert queued is not None  # no delivery id, so never a replay
    request_id = queued.id
    background.submit()
    return request_id


def webhook_urls() -> dict[str, str]:
    return {forge: url_for("api.webhook", forge=forge, _external=True)
            for forge in WEBHOOK_FORGES}


def webhook(registration: Registration) -> dict[str, Any] | None:
    """``{"urls": {forge: url}, "secret": hex}`` once verified, else ``None``."""
    if registration.status != "verified":
        return None
    return {"urls": webhook_urls(),
            "secret": webhook_secret(current_app.config["SECRET_KEY"], registration)}

"""Webhooks: each forge's own authentication, 202 without waiting, replays harmless."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from sqlmodel import select

from registry.db import session_scope
from registry.models import HarvestRequest, Registration
from registry.registrations import start_registration, webhook_secret

REPO = "https://git.musterstadt.example/it/ratsinfo"


@pytest.fixture
def app(app):
    app.config["BACKGROUND_HARVEST_MANUAL"] = True  # queue only; no worker thread
    return app


@pytest.fixture
def secret(app, engine, people) -> str:
    """A verified registration of REPO by the member; its webhook secret."""
    with session_scope(engine) as session:
        registration = start_registration(session, people.member, REPO, "gitea",
                                          allow_private=True)
        registration.status, registration.proof = "verified", "file"
        session.add(registration)
        session.commit()
        return webhook_secret(app.config["SECRET_KEY"], registration)


def payload(forge: str, url: str = REPO) -> bytes:
    if forge == "gitlab":
        return json.dumps({"object_kind": "push", "project": {"web_url": url}}).encode()
    return json.dumps({"ref": "refs/heads/main", "repository": {"html_url": url}}).encode()


def signed_headers(forge: str, key: str, body: bytes, delivery: str = "d-1") -> dict[str, str]:
    digest = hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
    return {
        "gitlab": {"X-Gitlab-Token": key, "X-Gitlab-Event-UUID": delivery},
        "github": {"X-Hub-Signature-256": f"sha256={digest}", "X-GitHub-Delivery": delivery,
                   "X-GitHub-Event": "push"},
        "gitea": {"X-Gitea-Signature": digest, "X-Gitea-Delivery": delivery},
    }[forge]


def requests(engine) -> list[HarvestRequest]:
    with session_scope(engine) as session:
        return list(session.exec(select(HarvestRequest)).all())


def post(client, forge, body, headers):
    return client.post(f"/api/v1/hooks/{forge}", data=body, headers=headers,
                       content_type="application/json")


@pytest.mark.parametrize("forge", ["gitlab", "github", "gitea"])
def test_valid_call_queues_a_harvest_and_answers_202(client, engine, secret, forge):
    body = payload(forge)
    response = post(client, forge, body, signed_headers(forge, secret, body))
    assert response.status_code == 202, response.get_json()
    assert response.get_json() == {"status": "queued", "url": REPO}
    [queued] = requests(engine)
    assert (queued.url, queued.reason, queued.delivery_id) == (REPO, "webhook", f"{forge}:d-1")


@pytest.mark.parametrize("forge", ["gitlab", "github", "gitea"])
def test_wrong_or_missing_authentication_is_rejected(client, engine, secret, forge):
    body = payload(forge)
    wrong = signed_headers(forge, "0" * 64, body)
    assert post(client, forge, body, wrong).status_code == 401
    missing = {k: v for k, v in signed_headers(forge, secret, body).items()
               if "Token" not in k and "Signature" not in k}
    response = post(client, forge, body, missing)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    tampered = body.replace(b"main", b"evil")
    if forge != "gitlab":  # GitLab sends the secret itself, not a signature of the body
        assert post(client, forge, tampered, signed_headers(forge, secret, body)).status_code == 401
    assert requests(engine) == []


def test_replays_change_nothing(client, engine, secret):
    body = payload("github")
    headers = signed_headers("github", secret, body, delivery="same")
    assert post(client, "github", body, headers).get_json()["status"] == "queued"
    again = post(client, "github", body, headers)
    assert again.status_code == 202 and again.get_json()["status"] == "duplicate"
    other = post(client, "github", body, signed_headers("github", secret, body, "next"))
    assert other.status_code == 202
    assert len(requests(engine)) == 1  # a waiting request for the same repository absorbs it


def test_ping_is_answered_after_authentication(client, engine, secret):
    body = payload("github")
    headers = signed_headers("github", secret, body) | {"X-GitHub-Event": "ping"}
    response = post(client, "github", body, headers)
    assert response.status_code == 200 and response.get_json()["status"] == "pong"
    assert requests(engine) == []


def test_unknown_repository_unknown_forge_and_bad_bodies(client, engine, secret):
    body = payload("gitea", "https://git.musterstadt.example/it/other")
    assert post(client, "gitea", body, signed_headers("gitea", secret, body)).status_code == 404
    assert post(client, "bitbucket", b"{}", {}).status_code == 404
    assert post(client, "gitea", b"not json", {}).status_code == 400
    assert post(client, "gitea", b'{"repository": {"html_url": "file:///etc"}}',
                {}).status_code == 400


def test_a_pending_registration_gives_no_webhook(client, engine, app, people):
    with session_scope(engine) as session:
        registration = start_registration(session, people.outsider, REPO, "gitea",
                                          allow_private=True)
        key = webhook_secret(app.config["SECRET_KEY"], registration)
        assert session.exec(select(Registration)).one().status == "pending"
    body = payload("gitea")
    assert post(client, "gitea", body, signed_headers("gitea", key, body)).status_code == 404


def test_a_suspended_maintainers_registration_triggers_nothing(client, engine, secret, people):
    from registry.accounts import accounts
    from registry.models import Account

    with session_scope(engine) as session:
        accounts.suspend(session, session.get(Account, people.member.id),
                         actor_id=people.admin.id, reason="Missbrauch")
        session.commit()
    body = payload("gitea")
    assert post(client, "gitea", body, signed_headers("gitea", secret, body)).status_code == 404
    assert requests(engine) == []

"""The API's write endpoints: registrations and "harvest now", with personal API tokens."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import select

from registry.accounts import tokens
from registry.db import session_scope
from registry.models import HarvestRequest, Registration, Solution

EXAMPLE = (Path(__file__).resolve().parents[3] / "examples" / "terminbuchung" /
           "publiccode.yml").read_bytes()
BROKEN = b'publiccodeYmlVersion: "0.4"\nname: Kaputt\nurl: "https://git.example/x"\n' \
         b"developmentStatus: finished\n"


@pytest.fixture
def app(app):
    app.config["BACKGROUND_HARVEST_MANUAL"] = True
    return app


def bearer(engine, account) -> dict[str, str]:
    with session_scope(engine) as session:
        _stored, plain = tokens.create_token(session, account, "test")
        session.commit()
    return {"Authorization": f"Bearer {plain}"}


@pytest.fixture
def forge(http_server):
    """A GitLab-shaped forge on loopback with the project stadt/termine."""
    http_server.add("/stadt/termine/-/raw/HEAD/publiccode.yml", EXAMPLE)
    return http_server


def test_register_then_prove_by_file(client, engine, people, forge):
    headers = bearer(engine, people.member)
    url = forge.url("/stadt/termine")
    response = client.post("/api/v1/registrations", headers=headers,
                           json={"url": url, "forge_type": "gitlab"})
    assert response.status_code == 201, response.get_json()
    registration = response.get_json()
    assert registration["status"] == "pending"
    assert registration["findings"] == [] and registration["webhook"] is None
    assert ".allmende-verify" in registration["message"]
    forge.add("/stadt/termine/-/raw/HEAD/.allmende-verify", registration["verify_token"] + "\n")
    checked = client.post(f"/api/v1/registrations/{registration['id']}/check", headers=headers)
    assert checked.status_code == 200
    body = checked.get_json()
    assert (body["status"], body["proof"]) == ("verified", "file")
    assert len(body["webhook"]["secret"]) == 64
    assert body["webhook"]["urls"]["github"].endswith("/api/v1/hooks/github")
    with session_scope(engine) as session:
        [queued] = session.exec(select(HarvestRequest)).all()
        assert (queued.url, queued.reason) == (url, "registration")
    listed = client.get("/api/v1/registrations", headers=headers).get_json()["items"]
    assert [item["id"] for item in listed] == [registration["id"]]


def test_findings_come_with_line_and_column(client, engine, people, http_server):
    http_server.add("/stadt/kaputt/-/raw/HEAD/publiccode.yml", BROKEN)
    response = client.post("/api/v1/registrations", headers=bearer(engine, people.member),
                           json={"url": http_server.url("/stadt/kaputt"),
                                 "forge_type": "gitlab"})
    findings = response.get_json()["findings"]
    assert any(f["key"] == "developmentStatus" and f["line"] == 4 and f["column"]
               for f in findings), findings


def test_refused_addresses_store_nothing(client, app, engine, people):
    app.config["SETTINGS"] = replace(app.config["SETTINGS"], allow_private_addresses=False)
    headers = bearer(engine, people.member)
    for url in ("https://127.0.0.1/a/b", "https://[::ffff:127.0.0.1]/a/b",
                "https://2130706433/a/b", "https://169.254.169.254/a/b", "ftp://x.example/a/b"):
        response = client.post("/api/v1/registrations", headers=headers,
                               json={"url": url, "forge_type": "gitlab"})
        assert response.status_code == 400, url
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["detail"]
    with session_scope(engine) as session:
        assert session.exec(select(Registration)).all() == []


def test_tokens_are_required_and_registrations_private(client, engine, people, forge):
    assert client.post("/api/v1/registrations", json={"url": "x"}).status_code == 401
    assert client.get("/api/v1/registrations",
                      headers={"Authorization": "Bearer alm_nope"}).status_code == 401
    mine = client.post("/api/v1/registrations", headers=bearer(engine, people.member),
                       json={"url": forge.url("/stadt/termine"), "forge_type": "gitlab"})
    other = bearer(engine, people.outsider)
    assert client.post(f"/api/v1/registrations/{mine.get_json()['id']}/check",
                       headers=other).status_code == 404
    assert client.post("/api/v1/registrations", headers=other, data="not json",
                       content_type="application/json").status_code == 400


def _demo_solution(engine) -> Solution:
    with session_scope(engine) as session:
        return session.exec(select(Solution).order_by(Solution.id)).first()


def test_harvest_now_for_maintainers_and_admins_only(client, engine, people):
    solution = _demo_solution(engine)
    with session_scope(engine) as session:
        session.add(Registration(account_id=people.member.id, url=solution.url,
                                 forge_type="git", status="verified", verify_token="t",
                                 webhook_salt="s"))
        session.commit()
    path = f"/api/v1/solutions/{solution.id}/harvest"
    assert client.post(path).status_code == 401
    assert client.post(path, headers=bearer(engine, people.outsider)).status_code == 403
    assert client.post("/api/v1/solutions/999999/harvest",
                       headers=bearer(engine, people.admin)).status_code == 404
    response = client.post(path, headers=bearer(engine, people.member))
    assert response.status_code == 202
    assert response.get_json()["status"] == "queued"
    assert client.post(path, headers=bearer(engine, people.admin)).status_code == 202
    with session_scope(engine) as session:
        assert len(session.exec(select(HarvestRequest)).all()) == 1  # coalesced


def test_registering_through_the_api_is_throttled_per_token(database_url, catalogue,
                                                            app_settings, engine, people):
    """Each call may make the registry fetch from a forge: ten a minute, as on the pages."""
    from web import create_app, services
    from web.sessions import limiter

    app = create_app({"TESTING": True, "DATABASE_URL": database_url,
                      "INDEX_DIR": str(catalogue), "SETTINGS": app_settings,
                      "RATELIMIT_ENABLED": True})
    limiter.reset()  # one limiter for every app in the process
    try:
        client = app.test_client()
        headers = bearer(engine, people.member)
        statuses = [client.post("/api/v1/registrations", headers=headers,
                                json={"url": f"ftp://git.example/town/app{n}"}).status_code
                    for n in range(11)]
        assert statuses == [400] * 10 + [429]
        throttled = client.post("/api/v1/registrations/1/check", headers=headers)
        assert throttled.status_code == 404  # another route: its own count
        assert client.get("/api/v1/registrations", headers=headers).status_code == 200
    finally:
        limiter.reset()
        services.dispose(app)

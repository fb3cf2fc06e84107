"""The registration pages: the form, the proof, the findings, the webhook, the buttons."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from sqlmodel import select

from registry.db import session_scope
from registry.models import AuditEntry, HarvestRequest, Registration

from ..people import csrf_token, log_in
from .helpers import BROKEN, gitea, prove, register, registration

NEW = "/meine-repositorien/neu"


@pytest.fixture
def app(app):
    app.config["BACKGROUND_HARVEST_MANUAL"] = True  # queue only; no worker thread
    return app


def submit(client, url: str, forge_type: str = "gitea"):
    token = csrf_token(client, NEW)
    return client.post(NEW, data={"url": url, "forge_type": forge_type, "csrf_token": token})


def post(client, path: str):
    return client.post(path, data={"csrf_token": csrf_token(client, NEW)})


def switch_to(client, account) -> None:
    """Act as ``account`` keeping the session's CSRF token (``log_in`` starts afresh)."""
    with client.session_transaction() as session:
        session["account_id"], session["version"] = account.id, account.session_version


def queued(engine) -> list[HarvestRequest]:
    with session_scope(engine) as session:
        return list(session.exec(select(HarvestRequest).order_by(HarvestRequest.id)))


def actions(engine) -> list[str]:
    with session_scope(engine) as session:
        return list(session.exec(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_register_then_prove_by_file(client, engine, people, http_server):
    url = gitea(http_server, "stadt", "termine")
    log_in(client, people.member)
    response = submit(client, url)
    assert response.status_code == 302
    page_path = response.headers["Location"]
    assert re.fullmatch(r"/meine-repositorien/\d+", page_path)
    page = client.get(page_path).get_data(as_text=True)
    assert "wartet auf den Nachweis" in page
    assert "Das Eigentum ist noch nicht nachgewiesen" in page  # the check, in German
    [stored] = _registrations(engine)
    assert stored.verify_token in page and ".allmende-verify" in page
    assert "webhook-secret" not in page and queued(engine) == []

    prove(http_server, "stadt", "termine", stored.verify_token)
    checked = post(client, f"{page_path}/pruefen")
    assert checked.status_code == 302 and checked.headers["Location"] == page_path
    page = client.get(page_path).get_data(as_text=True)
    assert "bestätigt" in page and "Eigentum nachgewiesen" in page
    assert 'id="webhook-secret"' in page
    for forge in ("gitlab", "github", "gitea"):
        assert f"http://localhost/api/v1/hooks/{forge}" in page
    [request] = queued(engine)
    assert (request.url, request.reason) == (url, "registration")
    assert actions(engine)[-1] == "registration.verify"
    dashboard = client.get("/meine-repositorien").get_data(as_text=True)
    assert url in dashboard and "bestätigt" in dashboard


def test_every_finding_is_shown_with_line_and_column(client, engine, people, http_server):
    url = gitea(http_server, "stadt", "kaputt", BROKEN)
    log_in(client, people.member)
    page_path = submit(client, url).headers["Location"]
    page = client.get(page_path).get_data(as_text=True)
    [stored] = _registrations(engine)
    assert stored.findings
    for finding in stored.findings:
        cells = (f"<td>{finding['line']}</td><td>{finding['column']}</td>"
                 f"<td><code>{finding['key']}</code></td>")
        assert cells in page, finding
    status = next(f for f in stored.findings if f["key"] == "developmentStatus")
    assert status["line"] == 4 and status["column"]
    # the summary, in German: a file without a description cannot be shown
    assert ("kann nicht im Katalog erscheinen (Die publiccode.yml enthält keine brauchbare "
            "Beschreibung)." in page)
    # the validator's findings in German too (web/finding_words.py), as written in English
    assert status["message"].startswith("developmentStatus must be one of the following: ")
    assert "<td>developmentStatus muss einer dieser Werte sein: " in page
    english = client.get(page_path + "?lang=en").get_data(as_text=True)
    assert f"<td>{status['message']}</td>" in english.replace("&#34;", '"')


def test_a_refused_address_is_explained_and_nothing_stored(client, app, engine, people):
    app.config["SETTINGS"] = replace(app.config["SETTINGS"], allow_private_addresses=False)
    log_in(client, people.member)
    for url in ("http://127.0.0.1/a/b", "https://127.0.0.1/a/b", "https://10.0.0.1/a/b"):
        response = submit(client, url)
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert 'role="alert"' in page
        assert ("muss mit https:// beginnen" in page
                or "keine öffentliche Adresse" in page), page
    response = submit(client, "https://example.org/a/b", forge_type="svn")
    assert response.status_code == 400 and "aus der Liste" in response.get_data(as_text=True)
    assert _registrations(engine) == [] and not any(a.startswith("registration.")
                                                    for a in actions(engine))


def test_only_the_owner_sees_a_registration(client, engine, people, http_server):
    registration_id = register(engine, people.member, http_server.url("/stadt/termine"))
    log_in(client, people.outsider)
    path = f"/meine-repositorien/{registration_id}"
    assert client.get(path).status_code == 404
    for action in ("pruefen", "geheimnis", "ernten", "entfernen"):
        assert post(client, f"{path}/{action}").status_code == 404
    assert client.get("/meine-repositorien/999999").status_code == 404
    assert registration(engine, registration_id) is not None


def test_anonymous_visitors_are_sent_to_the_login(client, engine, people):
    for path in ("/meine-repositorien", NEW, "/meine-repositorien/1"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/anmelden" in response.headers["Location"]


def test_an_unverified_account_is_told_to_verify_first(client, engine, people, http_server):
    log_in(client, people.unverified)
    page = client.get(NEW)
    assert page.status_code == 403
    assert "bestätigen Sie zuerst Ihre E-Mail-Adresse" in page.get_data(as_text=True)
    assert "<form" not in page.get_data(as_text=True).split("<main", 1)[1]
    dashboard = client.get("/meine-repositorien").get_data(as_text=True)
    assert "bestätigen Sie zuerst Ihre E-Mail-Adresse" in dashboard
    log_in(client, people.member)
    token = csrf_token(client, NEW)  # the unverified account has no form to take one from
    switch_to(client, people.unverified)
    response = client.post(NEW, data={"url": gitea(http_server, "a", "b"), "csrf_token": token})
    assert response.status_code == 403 and _registrations(engine) == []


def test_webhook_secret_only_when_verified_and_new_on_request(client, app, engine, people,
                                                              http_server):
    registration_id = register(engine, people.member, http_server.url("/stadt/termine"))
    path = f"/meine-repositorien/{registration_id}"
    log_in(client, people.member)
    assert "webhook-secret" not in client.get(path).get_data(as_text=True)
    with session_scope(engine) as session:
        row = session.get(Registration, registration_id)
        row.status, row.proof = "verified", "file"
        session.add(row)
        session.commit()
    first = _secret(client.get(path).get_data(as_text=True))
    response = post(client, f"{path}/geheimnis")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    second = _secret(page)
    assert first != second and len(second) == 64
    assert "Das Webhook-Geheimnis ist neu" in page
    assert actions(engine)[-1] == "registration.rotate_secret"


def test_harvest_now_and_remove(client, engine, people, http_server):
    url = http_server.url("/stadt/termine")
    pending_id = register(engine, people.member, http_server.url("/stadt/other"))
    registration_id = register(engine, people.member, url, verified=True)
    log_in(client, people.member)
    post(client, f"/meine-repositorien/{pending_id}/ernten")
    assert queued(engine) == []  # not before the proof
    response = post(client, f"/meine-repositorien/{registration_id}/ernten")
    assert response.status_code == 302
    [request] = queued(engine)
    assert (request.url, request.reason) == (url, "api")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Der Abruf ist eingeplant" in page and "Abruf angefordert" in page

    response = post(client, f"/meine-repositorien/{registration_id}/entfernen")
    assert response.headers["Location"] == "/meine-repositorien"
    assert registration(engine, registration_id) is None
    assert actions(engine)[-1] == "registration.delete"


def test_every_post_needs_the_csrf_token(client, engine, people, http_server):
    registration_id = register(engine, people.member, http_server.url("/stadt/termine"),
                               verified=True)
    log_in(client, people.member)
    path = f"/meine-repositorien/{registration_id}"
    for target in (NEW, f"{path}/pruefen", f"{path}/geheimnis", f"{path}/ernten",
                   f"{path}/entfernen"):
        assert client.post(target, data={"url": "https://example.org/a/b"}).status_code == 400
    assert registration(engine, registration_id) is not None
    assert queued(engine) == []


def _registrations(engine) -> list[Registration]:
    with session_scope(engine) as session:
        return list(session.exec(select(Registration).order_by(Registration.id)))


def _secret(page: str) -> str:
    found = re.search(r'<code id="webhook-secret">([0-9a-f]+)</code>', page)
    assert found, "no webhook secret on the page"
    return found.group(1)

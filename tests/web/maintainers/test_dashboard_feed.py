"""The dashboard, the maintainer's Atom feed, and "Jetzt neu einlesen" on the solution page."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest
from sqlmodel import select

from registry.db import session_scope
from registry.models import HarvestRequest, Notification, Solution, utcnow
from registry.registrations import repository_urls as urls
from registry.registrations import service

from ..people import csrf_token, log_in
from .helpers import a_solution, maintain

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def app(app):
    app.config["BACKGROUND_HARVEST_MANUAL"] = True
    return app


@pytest.fixture
def maintained(engine, people) -> Solution:
    """A demo solution the member maintains, gone invalid once (a notification)."""
    solution = a_solution(engine)
    maintain(engine, people.member, solution)
    with session_scope(engine) as session:
        stored = session.get(Solution, solution.id)
        stored.findings = [{"key": "name", "line": 3, "column": 7, "message": "name is too long",
                            "severity": "warning"}]
        session.add(stored)
        session.add(Notification(solution_id=solution.id, kind="became_invalid",
                                 detail="developmentStatus: unknown value", created_at=utcnow()))
        session.commit()
    return solution


def test_the_empty_dashboard_explains_registering(client, people):
    log_in(client, people.outsider)
    page = client.get("/meine-repositorien").get_data(as_text=True)
    assert "Was heißt „ein Repository registrieren“?" in page
    assert "/meine-repositorien/neu" in page
    assert "feed" not in page.split("<main", 1)[1]


def test_the_dashboard_shows_solution_status_findings_and_history(client, people, maintained):
    log_in(client, people.member)
    page = client.get("/meine-repositorien").get_data(as_text=True)
    assert f'href="/loesungen/{maintained.id}"' in page and maintained.name in page
    assert "gültig" in page
    assert "1 Hinweis" in page and "3:7" in page and "name is too long" in page
    assert "Die publiccode.yml ist ungültig geworden" in page  # the notification, in history


def test_the_feed_lists_the_maintainers_solutions(client, people, maintained):
    log_in(client, people.member)
    page = client.get("/meine-repositorien").get_data(as_text=True)
    feed_url = re.search(r'href="(http://localhost/meine-repositorien/feed/[^"]+\.atom)"',
                         page).group(1)
    log_in(client, None)  # feed readers have no session
    response = client.get(feed_url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)  # noqa: S314 (our own output)
    assert root.tag == f"{ATOM}feed"
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert any(maintained.name in t and "neue Fassung" in t for t in titles), titles
    assert any("ungültig geworden" in t for t in titles), titles
    ids = [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))

    token = feed_url.rsplit("/", 1)[1].removesuffix(".atom")
    assert client.get("/meine-repositorien/feed/x" + token[1:] + ".atom").status_code == 404
    assert client.get("/meine-repositorien/feed/1.atom").status_code == 404
    assert client.get("/meine-repositorien/feed/" + token.split(".")[0] + ".x.atom"
                      ).status_code == 404


def test_log_out_everywhere_revokes_the_feed_address(client, engine, people, maintained):
    from registry.accounts import accounts
    from registry.models import Account

    log_in(client, people.member)
    page = client.get("/meine-repositorien").get_data(as_text=True)
    feed_url = re.search(r'href="(http://localhost/meine-repositorien/feed/[^"]+\.atom)"',
                         page).group(1)
    assert client.get(feed_url).status_code == 200
    with session_scope(engine) as session:
        accounts.end_sessions(session, session.get(Account, people.member.id))
        session.commit()
    assert client.get(feed_url).status_code == 404


def test_the_feed_of_an_account_without_solutions_is_empty(client, app, people):
    from web.maintainers.feed import feed_token

    with app.test_request_context():
        token = feed_token(people.outsider)
    root = ET.fromstring(client.get(f"/meine-repositorien/feed/{token}.atom").data)  # noqa: S314
    assert list(root.iter(f"{ATOM}entry")) == []


def test_maintainers_can_harvest_from_the_solution_page(client, engine, people, maintained):
    path = f"/loesungen/{maintained.id}"
    log_in(client, people.member)
    page = client.get(path).get_data(as_text=True)
    assert "Jetzt neu einlesen" in page
    response = client.post(f"{path}/ernten", data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(path)
    assert "wird in Kürze neu eingelesen" in client.get(path).get_data(as_text=True)
    with session_scope(engine) as session:
        [request] = session.exec(select(HarvestRequest)).all()
        assert (request.url, request.reason, request.requested_by_id) == (
            maintained.url, "api", people.member.id)


def test_others_get_no_harvest_button(client, engine, people, maintained):
    path = f"/loesungen/{maintained.id}"
    log_in(client, people.outsider)
    assert "Jetzt neu einlesen" not in client.get(path).get_data(as_text=True)
    token = csrf_token(client, "/meine-repositorien/neu")
    assert client.post(f"{path}/ernten", data={"csrf_token": token}).status_code == 403
    assert client.post(f"{path}/ernten").status_code == 400  # no CSRF token
    log_in(client, None)
    assert "Jetzt neu einlesen" not in client.get(path).get_data(as_text=True)
    with session_scope(engine) as session:
        assert session.exec(select(HarvestRequest)).all() == []


def test_back_end_sentences_are_translated(app):
    from web.maintainers.words import translate

    token = "allmende-verify-abc"
    with app.test_request_context():
        message = (f"publiccode.yml has 2 errors; the solution is shown in the catalogue with a "
                   f"notice until they are fixed. {service.NOT_PROVEN.format(token=token)}")
        german = translate(message)
        assert german.startswith("publiccode.yml enthält 2 Fehler")
        assert "Das Eigentum ist noch nicht nachgewiesen" in german and token in german
        still = service.STILL_VERIFIED.format(detail=service.NO_PUBLICCODE)
        assert translate(still).startswith("Das Repository bleibt registriert. Im Hauptzweig")
        refused = urls.PRIVATE_IP.format(host="10.0.0.1", reason="a private address")
        assert translate(refused).startswith("„10.0.0.1“ ist keine öffentliche Adresse")
        assert translate("Something new.") == "Something new."
    with app.test_request_context("/?lang=en"):
        assert translate(message) == message  # English readers get the original

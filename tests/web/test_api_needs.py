"""``/api/v1/needs``: posting and changing with a token (who may, what is refused, with the
rule's code), the life cycle up to solved-with, hidden needs, filters and cursor paging, the
stored matches, throttling. Every answer is held to the OpenAPI document (GETs by the client
fixture, writes here)."""

from __future__ import annotations

from sqlmodel import Session, select

from registry.accounts import accounts, tokens
from registry.db import session_scope
from registry.models import Account, Adoption, Need
from registry.needs import service

from .community.conftest import solution_id
from .community.test_needs_pages import DESCRIPTION, add_match, make_need, other_town
from .openapi_check import spec, validate

NEEDS = "/api/v1/needs"
BODY = {"title": "Schlaglöcher melden", "description": DESCRIPTION,
        "field_of_action": "urban_planning", "categories": ["geographic-information-systems"],
        "operating_models": ["self_hosted"], "budget_band": "under_10k",
        "platforms": ["web"], "deadline": "2030-06-30", "contact_ok": True}


def bearer(engine, account: Account) -> dict[str, str]:
    with session_scope(engine) as session:
        _stored, plain = tokens.create_token(session, session.get(Account, account.id), "t")
        session.commit()
    return {"Authorization": f"Bearer {plain}"}


def documented(response, method: str, template: str):
    """Validate a write's answer against the document; its JSON."""
    answer = spec()["paths"][template][method]["responses"][str(response.status_code)]
    media = response.content_type.split(";")[0]
    validate(response.get_json(), answer["content"][media]["schema"])
    return response.get_json()


def stored(engine) -> list[Need]:
    with Session(engine) as session:
        return list(session.exec(select(Need).order_by(Need.id)))


def test_member_posts_a_need(client, people, engine):
    headers = bearer(engine, people.member)
    response = client.post(NEEDS, headers=headers,
                           json={**BODY, "organisation_id": people.town.id})
    assert response.status_code == 201
    body = documented(response, "post", "/needs")
    assert response.headers["Location"] == body["href"]
    assert (body["title"], body["status"], body["organisation"]["slug"]) == (
        "Schlaglöcher melden", "open", "stadt-musterstadt")
    assert body["deadline"] == "2030-06-30" and body["contact_ok"] is True
    assert client.get(body["href"]).get_json() == body
    assert [item["id"] for item in client.get(NEEDS).get_json()["items"]] == [body["id"]]
    assert client.get(body["page"].replace("http://localhost", "")).status_code == 200


def test_refusals_say_why_and_store_nothing(client, people, engine):
    headers = bearer(engine, people.member)
    town = people.town.id
    for body, code in (({**BODY, "organisation_id": town, "title": "   "}, "title_missing"),
                       ({**BODY, "organisation_id": town, "description": " " * 30},
                        "description_too_short")):
        response = client.post(NEEDS, headers=headers, json=body)
        assert response.status_code == 400
        assert documented(response, "post", "/needs")["code"] == code
    for body in (None, [], {**BODY}, {**BODY, "organisation_id": town, "colour": "red"},
                 {**BODY, "organisation_id": True}, {**BODY, "organisation_id": town,
                                                     "field_of_action": "astrology"},
                 {**BODY, "organisation_id": town, "title": "x" * 151},
                 {**BODY, "organisation_id": town, "categories": ["nope"]},
                 {**BODY, "organisation_id": town, "platforms": [""]},
                 {**BODY, "organisation_id": town, "deadline": "20300630"},
                 {**BODY, "organisation_id": town, "contact_ok": "yes"}):
        response = client.post(NEEDS, headers=headers, json=body)
        assert response.status_code == 400, body
        documented(response, "post", "/needs")
    assert stored(engine) == []


def test_who_may_post(client, people, engine):
    body = {**BODY, "organisation_id": people.town.id}
    assert client.post(NEEDS, json=body).status_code == 401
    assert client.post(NEEDS, json=body,
                       headers=bearer(engine, people.unverified)).status_code == 401
    refused = client.post(NEEDS, json=body, headers=bearer(engine, people.outsider))
    assert refused.status_code == 403
    assert documented(refused, "post", "/needs")["code"] == "not_member"
    missing = client.post(NEEDS, json={**body, "organisation_id": 999999},
                          headers=bearer(engine, people.member))
    assert missing.status_code == 404
    headers = bearer(engine, people.member)
    with session_scope(engine) as session:
        accounts.suspend(session, session.get(Account, people.member.id),
                         actor_id=people.admin.id, reason="Test")
        session.commit()
    assert client.post(NEEDS, json=body, headers=headers).status_code == 401
    assert stored(engine) == []


def test_changes_only_by_the_towns_members(client, people, engine):
    need_id = make_need(engine, people.member.id, people.town.id)
    _town, stranger = other_town(engine, people.admin.id)
    with Session(engine) as session:
        stranger_headers = bearer(engine, session.get(Account, stranger))
    path = f"{NEEDS}/{need_id}"
    for headers in (stranger_headers, bearer(engine, people.outsider)):
        response = client.patch(path, headers=headers, json={"title": "Übernommen"})
        assert response.status_code == 403
        documented(response, "patch", "/needs/{id}")
    assert client.patch(path, json={"title": "Übernommen"}).status_code == 401
    assert client.patch(f"{NEEDS}/999999", headers=stranger_headers,
                        json={}).status_code == 404
    response = client.patch(path, headers=bearer(engine, people.member),
                            json={"title": "Mängelmelder 2", "platforms": ["web", "ios"]})
    body = documented(response, "patch", "/needs/{id}")
    assert (body["title"], body["platforms"], body["description"]) == (
        "Mängelmelder 2", ["web", "ios"], DESCRIPTION)


def test_life_cycle_up_to_solved_with_the_adoption(client, people, engine):
    need_id = make_need(engine, people.member.id, people.town.id)
    sid = solution_id(engine, "Parkraum-App")
    headers, path = bearer(engine, people.member), f"{NEEDS}/{need_id}"

    def change(body, status=200, code=None):
        response = client.patch(path, headers=headers, json=body)
        assert response.status_code == status, response.get_json()
        answer = documented(response, "patch", "/needs/{id}")
        if code:
            assert answer["code"] == code
        return answer

    assert change({"status": "in_exchange"})["status"] == "in_exchange"
    # nothing is stored when a part is refused: the title stays with the refused status
    change({"title": "Neuer Titel", "status": "solved"}, 400, "solution_required")
    assert stored(engine)[0].title == "Mängelmelder"
    change({"status": "open", "solution_id": sid}, 400, "solution_unexpected")
    change({"status": "solved", "solution_id": 999999}, 400, "solution_unknown")
    solved = change({"status": "solved", "solution_id": sid})
    assert (solved["status"], solved["solved_with_id"]) == ("solved", sid)
    with Session(engine) as session:
        assert session.exec(select(Adoption).where(
            Adoption.solution_id == sid,
            Adoption.organisation_id == people.town.id)).one().origin == "declared"
    change({"status": "withdrawn"}, 400, "status_transition")
    assert change({"status": "open", "solution_id": None})["solved_with_id"] is None
    assert change({"status": "withdrawn"})["status"] == "withdrawn"
    assert client.get(NEEDS).get_json()["total"] == 0
    assert client.get(f"{NEEDS}?status=withdrawn").get_json()["total"] == 1


def test_hidden_needs_are_gone_except_for_admins(client, people, engine):
    need_id = make_need(engine, people.member.id, people.town.id)
    with session_scope(engine) as session:
        service.set_hidden(session, session.get(Account, people.admin.id),
                           session.get(Need, need_id), hidden=True, reason="Werbung")
        session.commit()
    path = f"{NEEDS}/{need_id}"
    assert client.get(path).status_code == 404
    assert client.get(f"{path}/matches").status_code == 404
    assert client.get(NEEDS).get_json()["items"] == []
    assert client.get(path, headers=bearer(engine, people.member)).status_code == 404
    assert client.patch(path, headers=bearer(engine, people.member),
                        json={"title": "Trotzdem"}).status_code == 404
    seen = client.get(path, headers=bearer(engine, people.admin))
    assert seen.status_code == 200 and seen.get_json()["hidden"] is True
    assert "no-store" in seen.headers["Cache-Control"]


def test_filters_and_cursor_paging(client, people, engine):
    other_id, other_member = other_town(engine, people.admin.id)
    for n in range(5):
        make_need(engine, people.member.id, people.town.id, title=f"Bedarf {n}", minutes=n)
    make_need(engine, other_member, other_id, title="Radwege zählen", minutes=50,
              field_of_action="mobility", categories=("data-collection",))
    first = client.get(f"{NEEDS}?per_page=4").get_json()
    assert first["total"] == 6 and first["items"][0]["title"] == "Radwege zählen"
    second = client.get(first["links"]["next"].replace("http://localhost", "")).get_json()
    assert [i["title"] for i in second["items"]] == ["Bedarf 1", "Bedarf 0"]
    assert second["links"]["next"] is None
    for query in ("field_of_action=mobility", "state=Hessen", "category=data-collection",
                  "q=RADWEGE", "status=open&q=radwege"):
        items = client.get(f"{NEEDS}?{query}").get_json()["items"]
        assert [i["title"] for i in items] == ["Radwege zählen"], query
    for bad in ("field_of_action=astrology", "state=Atlantis", "status=gone", "colour=red",
                "q=" + "x" * 201, "status=open&status=solved", "cursor=nope"):
        assert client.get(f"{NEEDS}?{bad}").status_code == 400, bad


def test_matches_as_stored_with_reasons(client, people, engine):
    need_id = make_need(engine, people.member.id, people.town.id)
    other_id, _member = other_town(engine, people.admin.id)
    parking = solution_id(engine, "Parkraum-App")
    add_match(engine, need_id, "solution", parking, 1,
              [{"code": "field_of_action", "field": "urban_planning"}])
    add_match(engine, need_id, "organisation", other_id, 1, [{"code": "same_land",
                                                              "land": "Hessen"}])
    body = client.get(f"{NEEDS}/{need_id}/matches").get_json()
    [solution] = body["solutions"]
    assert (solution["id"], solution["rank"], solution["reasons"]) == (
        parking, 1, [{"code": "field_of_action", "field": "urban_planning"}])
    [peer] = body["organisations"]
    assert (peer["slug"], peer["reasons"]) == ("gemeinde-beispielheim",
                                               [{"code": "same_land", "land": "Hessen"}])
    assert client.get(f"{NEEDS}/999999/matches").status_code == 404


def test_posting_is_throttled(database_url, catalogue, app_settings, engine, people):
    from web import create_app, services
    from web.sessions import limiter

    app = create_app({"TESTING": True, "DATABASE_URL": database_url,
                      "INDEX_DIR": str(catalogue), "SETTINGS": app_settings,
                      "RATELIMIT_ENABLED": True})
    limiter.reset()  # one limiter for every app in the process
    try:
        client = app.test_client()
        headers = bearer(engine, people.member)
        statuses = [client.post(NEEDS, headers=headers, json={"title": "x"}).status_code
                    for _ in range(21)]
        assert statuses == [400] * 20 + [429]
        throttled = client.post(NEEDS, headers=headers, json={"title": "x"})
        assert throttled.headers["Retry-After"]
        documented(throttled, "post", "/needs")
    finally:
        limiter.reset()
        services.dispose(app)

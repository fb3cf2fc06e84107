"""'Wir nutzen das': members declare, edit and withdraw; the declaration shows on the solution
page, the organisation page, in the API and in the "most adopted" sort; usedBy links; XSS."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from registry.accounts import organisations
from registry.models import Adoption
from web.community.adoption_reads import link_used_by

from ..people import log_in
from .conftest import html, post, solution_id

TOWN = "/organisationen/stadt-musterstadt"


def declare(client, engine, name: str = "Parkraum-App", **fields):
    sid = solution_id(engine, name)
    data = {"organisation_id": str(fields.pop("organisation_id")), "action": "declare",
            "use_case": "Anwohnerparken in der Altstadt", "since": "2023-04-01",
            "instance_url": "https://parken.musterstadt.de", "contact_ok": "yes", **fields}
    return post(client, f"/loesungen/{sid}/nutzung", data, form_page=f"/loesungen/{sid}")


def adopted_order(client) -> list[str]:
    body = client.get("/api/v1/solutions?sort=adopted").get_json()
    return [item["name"] for item in body["items"]]


def test_member_declares_and_it_shows_everywhere(client, people, engine):
    before = adopted_order(client)
    assert before.index("Parkraum-App") > before.index("Abfallkalender")
    log_in(client, people.member)
    sid = solution_id(engine, "Parkraum-App")
    form = html(client.get(f"/loesungen/{sid}"))
    assert "Wir nutzen das" in form and 'name="csrf_token"' in form
    answer = declare(client, engine, organisation_id=people.town.id)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("#nutzung")

    page = html(client.get(f"/loesungen/{sid}"))
    assert "Gespeichert: Stadt Musterstadt nutzt diese Lösung." in page
    assert f'<a href="{TOWN}">Stadt Musterstadt</a>' in page
    assert "Anwohnerparken in der Altstadt" in page
    assert "für Erfahrungsaustausch ansprechbar" in page
    assert '<a href="https://parken.musterstadt.de" rel="nofollow noopener">' in page

    organisation = html(client.get(TOWN))
    assert "Parkraum-App" in organisation and "Anwohnerparken in der Altstadt" in organisation

    declared = client.get(f"/api/v1/solutions/{sid}").get_json()["adoptions"]["declared"]
    assert declared == [{
        "organisation": "Stadt Musterstadt", "organisation_id": people.town.id,
        "organisation_slug": "stadt-musterstadt",
        "organisation_href": f"http://localhost/api/v1/organisations/{people.town.id}",
        "publisher_id": None, "use_case": "Anwohnerparken in der Altstadt",
        "since": "2023-04-01", "instance_url": "https://parken.musterstadt.de",
        "contact_ok": True}]
    detail = client.get(f"/api/v1/organisations/{people.town.id}").get_json()
    assert [a["name"] for a in detail["adoptions"]] == ["Parkraum-App"]

    after = adopted_order(client)
    assert after.index("Parkraum-App") < after.index("Abfallkalender")


def test_member_edits_and_withdraws(client, people, engine):
    log_in(client, people.member)
    sid = solution_id(engine, "Parkraum-App")
    declare(client, engine, organisation_id=people.town.id)
    declare(client, engine, organisation_id=people.town.id, use_case="Jetzt auch Gewerbe",
            contact_ok="")
    with Session(engine, expire_on_commit=False) as session:
        rows = session.exec(select(Adoption).where(Adoption.solution_id == sid,
                                                   Adoption.origin == "declared")).all()
    assert len(rows) == 1 and rows[0].use_case == "Jetzt auch Gewerbe"
    assert rows[0].contact_ok is False
    page = html(client.get(f"/loesungen/{sid}"))
    assert "Ihre Angabe für Stadt Musterstadt" in page
    assert ">Jetzt auch Gewerbe</textarea>" in page and 'value="2023-04-01"' in page
    assert "Angabe zurückziehen" in page

    answer = declare(client, engine, organisation_id=people.town.id, action="withdraw")
    assert answer.status_code == 302
    page = html(client.get(f"/loesungen/{sid}"))
    assert "Die Angabe für Stadt Musterstadt wurde zurückgezogen." in page
    assert "Jetzt auch Gewerbe" not in page
    assert client.get(f"/api/v1/solutions/{sid}").get_json()["adoptions"]["declared"] == []


def test_outsiders_and_anonymous_cannot_declare(client, people, engine):
    sid = solution_id(engine, "Parkraum-App")
    anonymous = client.post(f"/loesungen/{sid}/nutzung",
                            data={"organisation_id": str(people.town.id)})
    assert anonymous.status_code in (302, 400)  # no session: login (or the CSRF check)
    log_in(client, people.outsider)
    assert "Wir nutzen das" not in html(client.get(f"/loesungen/{sid}"))
    answer = post(client, f"/loesungen/{sid}/nutzung",
                  {"organisation_id": str(people.town.id), "use_case": "x"}, form_page=TOWN)
    assert answer.status_code == 403
    with Session(engine, expire_on_commit=False) as session:
        assert session.exec(select(Adoption).where(Adoption.origin == "declared")).all() == []


def test_who_to_ask_is_shown_to_logged_in_readers_only(app, client, people, engine):
    log_in(client, people.member)
    declare(client, engine, organisation_id=people.town.id)
    sid = solution_id(engine, "Parkraum-App")
    contact = f'<a href="mailto:{people.member.email}">{people.member.email}</a>'

    anonymous = html(app.test_client().get(f"/loesungen/{sid}"))
    assert "für Erfahrungsaustausch ansprechbar" in anonymous
    assert people.member.email not in anonymous
    assert "Anmelden, um die Ansprechperson zu sehen" in anonymous

    reader = log_in(app.test_client(), people.outsider)
    page = html(reader.get(f"/loesungen/{sid}"))
    assert f"Ansprechperson: {people.member.name}, {contact}" in page
    unverified = html(log_in(app.test_client(), people.unverified).get(f"/loesungen/{sid}"))
    assert people.member.email not in unverified  # an unconfirmed account may not act yet
    api = app.test_client().get(f"/api/v1/solutions/{sid}").get_data(as_text=True)
    assert people.member.email not in api

    declare(client, engine, organisation_id=people.town.id, contact_ok="")
    assert people.member.email not in html(reader.get(f"/loesungen/{sid}"))


def test_hostile_input_is_refused_or_inert(client, people, engine):
    log_in(client, people.member)
    sid = solution_id(engine, "Parkraum-App")
    declare(client, engine, organisation_id=people.town.id, instance_url="javascript:alert(1)")
    page = html(client.get(f"/loesungen/{sid}"))
    assert "muss mit http:// oder https:// beginnen" in page
    assert "javascript:alert(1)" not in page
    huge = "https://parken.musterstadt.de/" + "x" * 100_000
    declare(client, engine, organisation_id=people.town.id, instance_url=huge)
    assert "Die Adresse der Installation ist zu lang" in html(client.get(f"/loesungen/{sid}"))
    with Session(engine) as session:
        assert all(len(a.instance_url or "") < 3000 for a in session.exec(select(Adoption)))

    declare(client, engine, organisation_id=people.town.id,
            use_case="<script>alert(1)</script>", instance_url="")
    page = html(client.get(f"/loesungen/{sid}"))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in html(client.get(TOWN))

    future = (date.today() + timedelta(days=30)).isoformat()
    declare(client, engine, organisation_id=people.town.id, since=future)
    assert "liegt in der Zukunft" in html(client.get(f"/loesungen/{sid}"))
    declare(client, engine, organisation_id=people.town.id, since="gestern")
    assert "kein gültiges Datum" in html(client.get(f"/loesungen/{sid}"))


def test_used_by_names_match_whatever_the_case_and_umlaut_spelling(engine, people):
    with Session(engine) as session:
        munich = organisations.create_organisation(
            session, actor_id=people.admin.id, name="Landeshauptstadt München",
            kind="municipality")
        session.commit()
        written = ["LANDESHAUPTSTADT MÜNCHEN", "Landeshauptstadt Muenchen",
                   "landeshauptstadt  münchen", "Landeshauptstadt Münster"]
        linked = link_used_by(session, [Adoption(solution_id=1, organisation=name)
                                        for name in written])
    assert [entry.organisation.id if entry.organisation else None for entry in linked] == [
        munich.id, munich.id, munich.id, None]


def test_a_used_by_name_the_catalogue_linked_shows_that_organisation(engine, people):
    """The directory's certain match ("Landeshauptstadt München" is "München,
    Landeshauptstadt" in the official data, slug ``muenchen-landeshauptstadt``) wins over
    spelling."""
    with Session(engine) as session:
        official = organisations.create_organisation(
            session, actor_id=people.admin.id, name="München, Landeshauptstadt",
            kind="municipality")
        session.commit()
        linked = link_used_by(session, [
            Adoption(solution_id=1, organisation="Landeshauptstadt München",
                     organisation_id=official.id),
            Adoption(solution_id=1, organisation="Landeshauptstadt München")])
    assert [entry.organisation.id if entry.organisation else None for entry in linked] == [
        official.id, None]


def test_used_by_names_link_to_matching_organisations(client, people, engine):
    page = html(client.get(f"/loesungen/{solution_id(engine, 'Terminbuchung Bürgeramt')}"))
    assert "Angaben der Maintainer (usedBy)" in page
    assert f'<a href="{TOWN}">Stadt Musterstadt</a>' in page
    assert "Stadt Beispielburg" in page  # no organisation: plain text or publisher link

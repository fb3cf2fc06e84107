"""Needs on the pages: posting (with errors at the fields), who may post and change, the life
cycle up to "solved with" (which declares the adoption), moderation, escaping, the list's
filters and paging, the stored matches with their reasons, and the needs sections of the
solution and organisation pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from registry.accounts import accounts, organisations
from registry.db import session_scope
from registry.models import Account, Adoption, Need, NeedMatch, Organisation
from registry.needs import service

from ..people import PASSWORD, csrf_token, log_in
from .conftest import html, post, solution_id

NEW = "/bedarfe/neu"
DESCRIPTION = "Bürgerinnen und Bürger sollen Schlaglöcher mit Foto und Ort melden können."
FORM = {"title": "Schlaglöcher melden", "description": DESCRIPTION,
        "field_of_action": "urban_planning", "categories": ["geographic-information-systems"],
        "operating_models": ["self_hosted", "shared"], "budget_band": "under_10k",
        "platforms": "web, android", "deadline": "2030-06-30", "contact_ok": "y"}
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def make_need(engine, account_id: int, organisation_id: int, *, title: str = "Mängelmelder",
              description: str = DESCRIPTION, field_of_action: str = "urban_planning",
              categories: tuple[str, ...] = (), minutes: int = 0, **fields) -> int:
    """A need posted through the service, at a fixed time (``minutes`` after ``T0``)."""
    with session_scope(engine) as session:
        need = service.post_need(session, session.get(Account, account_id),
                                 session.get(Organisation, organisation_id), title=title,
                                 description=description, field_of_action=field_of_action,
                                 categories=categories, now=T0 + timedelta(minutes=minutes),
                                 **fields)
        session.commit()
        return need.id


def add_match(engine, need_id: int, kind: str, target_id: int, rank: int, reasons: list) -> None:
    with session_scope(engine) as session:
        session.add(NeedMatch(need_id=need_id, kind=kind, target_id=target_id, rank=rank,
                              score=1.0 / rank, reasons=reasons, first_found_at=T0,
                              computed_at=T0))
        session.commit()


def other_town(engine, admin_id: int, *, email: str = "it@beispielheim.de") -> tuple[int, int]:
    """(organisation id, member id) of a second town, in Hessen."""
    with session_scope(engine) as session:
        town = organisations.create_organisation(
            session, actor_id=admin_id, name="Gemeinde Beispielheim", kind="municipality",
            state="Hessen", email_domain="beispielheim.de")
        member = accounts.create_account(session, email=email, password=PASSWORD,
                                         name="Beispielheim IT", verified=True)
        organisations.join(session, member, town)
        session.commit()
        return town.id, member.id


def needs(engine) -> list[Need]:
    with Session(engine) as session:
        return list(session.exec(select(Need).order_by(Need.id)))


def test_member_posts_a_need_and_it_shows(client, people, engine):
    log_in(client, people.member)
    form = html(client.get(NEW))
    assert "Für Stadt Musterstadt" in form and 'name="csrf_token"' in form
    answer = post(client, NEW, {**FORM, "organisation_id": str(people.town.id)}, form_page=NEW)
    assert answer.status_code == 302
    [need] = needs(engine)
    assert answer.headers["Location"].endswith(f"/bedarfe/{need.id}")
    assert (need.title, need.organisation_id, need.author_id) == (
        "Schlaglöcher melden", people.town.id, people.member.id)
    assert need.categories == ["geographic-information-systems"]
    assert need.operating_models == ["self_hosted", "shared"]
    assert need.platforms == ["web", "android"] and need.contact_ok
    assert need.deadline.isoformat() == "2030-06-30"
    page = html(client.get(f"/bedarfe/{need.id}"))
    for text in ("Schlaglöcher melden", "Stadtplanung und Bauen", "Stadt Musterstadt",
                 "Unter 10.000 € im Jahr", "Selbst betrieben (eigene IT)", "offen",
                 "Bedarf bearbeiten", "/organisationen/stadt-musterstadt"):
        assert text in page, text
    assert "/kontakt" not in page  # its own town does not write to itself
    log_in(client, None)
    page = html(client.get(f"/bedarfe/{need.id}"))
    assert f"/bedarfe/{need.id}/kontakt" in page and "Bedarf bearbeiten" not in page
    assert "Schlaglöcher melden" in html(client.get("/bedarfe"))
    assert "Bedarfe" in html(client.get("/"))  # the main navigation


def test_errors_show_at_their_fields_and_nothing_is_stored(client, people, engine):
    log_in(client, people.member)
    answer = post(client, NEW, {**FORM, "title": "", "description": "zu kurz",
                                "field_of_action": "", "deadline": "morgen"}, form_page=NEW)
    page = html(answer)
    assert answer.status_code == 422
    assert 'class="error-summary"' in page and 'href="#title"' in page
    for sentence in ("Bitte füllen Sie dieses Feld aus.",
                     "Die Beschreibung muss 20 bis 5000 Zeichen haben.",
                     "Bitte wählen Sie ein Handlungsfeld.",
                     "Das Datum ist kein gültiges Datum (JJJJ-MM-TT)."):
        assert sentence in page, sentence
    assert 'aria-invalid="true"' in page
    # what only the service knows comes back at its field too
    answer = post(client, NEW, {**FORM, "field_of_action": "astrology"}, form_page=NEW)
    assert answer.status_code == 422
    assert "Bitte wählen Sie ein Handlungsfeld aus der Liste." in html(answer)
    answer = post(client, NEW, {**FORM, "categories": ["no-such-category"]}, form_page=NEW)
    assert "Bitte wählen Sie höchstens 20 Kategorien aus der Liste." in html(answer)
    answer = post(client, NEW, {**FORM, "platforms": "x" * 61}, form_page=NEW)
    assert "Höchstens 20 Plattformen" in html(answer)
    assert needs(engine) == []


def test_who_may_post(app, people, engine):
    client = app.test_client()
    assert client.get(NEW).status_code == 302  # anonymous: to the login
    for account in (people.unverified, people.outsider):
        log_in(client, account)
        assert client.get(NEW).status_code == 403
        answer = client.post(NEW, data={**FORM, "organisation_id": str(people.town.id),
                                        "csrf_token": csrf_token(client, "/")})
        assert answer.status_code == 403
    # a member of one town cannot post for another town
    other_id, _member = other_town(engine, people.admin.id)
    log_in(client, people.member)
    answer = post(client, NEW, {**FORM, "organisation_id": str(other_id)}, form_page=NEW)
    assert answer.status_code == 422
    assert "Bitte wählen Sie eine Ihrer Organisationen." in html(answer)
    # a suspended member is logged out at the next click
    with session_scope(engine) as session:
        accounts.suspend(session, session.get(Account, people.member.id),
                         actor_id=people.admin.id, reason="Test")
        session.commit()
    assert client.get(NEW).status_code == 302
    assert needs(engine) == []


def test_posting_needs_the_csrf_token(client, people, engine):
    log_in(client, people.member)
    answer = client.post(NEW, data={**FORM, "organisation_id": str(people.town.id)})
    assert answer.status_code in (400, 422)
    assert needs(engine) == []


def test_editing_and_status_only_for_the_towns_members(app, people, engine):
    need_id = make_need(engine, people.member.id, people.town.id)
    _other, stranger_id = other_town(engine, people.admin.id)
    client = app.test_client()
    with Session(engine) as session:
        log_in(client, session.get(Account, stranger_id))
    edit = f"/bedarfe/{need_id}/bearbeiten"
    assert client.get(edit).status_code == 403
    token = csrf_token(client, "/")
    assert client.post(edit, data={**FORM, "csrf_token": token}).status_code == 403
    assert client.post(f"/bedarfe/{need_id}/status",
                       data={"status": "withdrawn", "csrf_token": token}).status_code == 403
    assert "Bedarf verwalten" not in html(client.get(f"/bedarfe/{need_id}"))
    [need] = needs(engine)
    assert (need.title, need.status) == ("Mängelmelder", "open")

    log_in(client, people.member)
    form = html(client.get(edit))
    assert 'value="Mängelmelder"' in form
    answer = post(client, edit, {**FORM, "title": "Mängelmelder für Straßen"}, form_page=edit)
    assert answer.status_code == 302
    answer = post(client, edit, {**FORM, "description": "kurz"}, form_page=edit)
    assert answer.status_code == 422
    assert needs(engine)[0].title == "Mängelmelder für Straßen"


def test_life_cycle_up_to_solved_with_the_adoption(client, people, engine):
    need_id = make_need(engine, people.member.id, people.town.id)
    sid = solution_id(engine, "Parkraum-App")
    add_match(engine, need_id, "solution", sid, 1, [])
    log_in(client, people.member)
    page_path = f"/bedarfe/{need_id}"
    status = f"/bedarfe/{need_id}/status"
    page = html(client.get(page_path))
    assert "Als „im Austausch“ markieren" in page and 'name="solution_ref"' in page
    assert f'<option value="{sid}">Parkraum-App</option>' in page
    post(client, status, {"status": "in_exchange"}, form_page=page_path)
    assert needs(engine)[0].status == "in_exchange"
    # solved without saying with what: refused, nothing changes
    post(client, status, {"status": "solved"}, form_page=page_path)
    assert needs(engine)[0].status == "in_exchange"
    assert "welche Lösung den Bedarf gelöst hat" in html(client.get(page_path))
    post(client, status, {"status": "solved", "solution_ref": "999999"}, form_page=page_path)
    assert needs(engine)[0].status == "in_exchange"
    post(client, status, {"status": "solved", "solution_id": str(sid)}, form_page=page_path)
    need = needs(engine)[0]
    assert (need.status, need.solved_with_id) == ("solved", sid)
    with Session(engine) as session:
        adoption = session.exec(select(Adoption).where(
            Adoption.solution_id == sid, Adoption.organisation_id == people.town.id)).one()
    assert adoption.origin == "declared"
    page = html(client.get(page_path))
    assert "gelöst mit" in page and f"/loesungen/{sid}" in page
    # a solved need can only be opened again
    post(client, status, {"status": "withdrawn"}, form_page=page_path)
    assert needs(engine)[0].status == "solved"
    post(client, status, {"status": "open"}, form_page=page_path)
    post(client, status, {"status": "withdrawn"}, form_page=page_path)
    assert needs(engine)[0].status == "withdrawn"
    assert "Mängelmelder" not in html(client.get("/bedarfe"))
    assert "Mängelmelder" in html(client.get("/bedarfe?status=withdrawn"))


def test_solved_with_a_typed_page_address(client, people, engine):
    need_id = make_need(engine, people.member.id, people.town.id)
    sid = solution_id(engine, "Abfallkalender")
    log_in(client, people.member)
    post(client, f"/bedarfe/{need_id}/status",
         {"status": "solved", "solution_ref": f"https://allmende.example/loesungen/{sid}"},
         form_page=f"/bedarfe/{need_id}")
    assert needs(engine)[0].solved_with_id == sid


def test_admins_hide_and_show_needs(app, people, engine):
    need_id = make_need(engine, people.member.id, people.town.id, title="Anstößiger Bedarf")
    admin, anonymous = app.test_client(), app.test_client()
    log_in(admin, people.admin)
    page = f"/bedarfe/{need_id}"
    hide, show = f"{page}/verbergen", f"{page}/anzeigen"
    assert post(anonymous, hide, {"reason": "x"}, form_page="/registrieren").status_code == 302
    log_in(anonymous, people.member)
    assert post(anonymous, hide, {"reason": "x"}, form_page=page).status_code == 403
    log_in(anonymous, None)
    post(admin, hide, {"reason": ""}, form_page=page)
    assert needs(engine)[0].hidden_at is None  # a reason is required
    post(admin, hide, {"reason": "Werbung"}, form_page=page)
    assert needs(engine)[0].hidden_reason == "Werbung"
    assert anonymous.get(page).status_code == 404
    assert "Anstößiger Bedarf" not in html(anonymous.get("/bedarfe"))
    assert "Anstößiger Bedarf" not in html(anonymous.get("/organisationen/stadt-musterstadt"))
    shown = html(admin.get(page))
    assert "von der Moderation verborgen" in shown and "Werbung" in shown
    assert "verborgen" in html(admin.get("/bedarfe"))
    post(admin, show, {}, form_page=page)
    assert anonymous.get(page).status_code == 200


def test_html_in_title_and_description_is_shown_as_text(client, people, engine):
    need_id = make_need(engine, people.member.id, people.town.id,
                        title='<script>alert("t")</script>',
                        description='Erste Zeile <img src=x onerror=alert(1)>\nzweite Zeile'
                                    '\n\n**kein Markdown** [link](javascript:alert(2))')
    for path in (f"/bedarfe/{need_id}", "/bedarfe"):
        page = html(client.get(path))
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in page
    page = html(client.get(f"/bedarfe/{need_id}"))
    assert "&lt;img src=x onerror=alert(1)&gt;<br>zweite Zeile</p>" in page
    assert "<p>**kein Markdown** [link](javascript:alert(2))</p>" in page
    assert 'href="javascript' not in page


def test_filters_and_paging(client, people, engine):
    other_id, other_member = other_town(engine, people.admin.id)
    for n in range(22):
        make_need(engine, people.member.id, people.town.id, title=f"Bedarf Nummer {n:02d}",
                  minutes=n)
    make_need(engine, other_member, other_id, title="Radwege zählen",
              field_of_action="mobility", categories=("data-collection",), minutes=100,
              description="Wir möchten den Radverkehr an Kreuzungen automatisch zählen.")
    first = html(client.get("/bedarfe"))
    assert "23 Bedarfe" in first and "Seite 1 von 2" in first
    assert first.index("Radwege zählen") < first.index("Bedarf Nummer 21")
    assert "Bedarf Nummer 02" not in first
    second = html(client.get("/bedarfe?page=2"))
    assert "Bedarf Nummer 00" in second and "Bedarf Nummer 21" not in second
    assert client.get("/bedarfe?page=3").status_code == 400
    for query in ("field_of_action=mobility", "state=Hessen", "category=data-collection",
                  "q=RADVERKEHR", "q=radwege&state=Hessen&status=open"):
        page = html(client.get(f"/bedarfe?{query}"))
        assert "1 Bedarf" in page and "Radwege zählen" in page, query
    assert "Kein Bedarf passt" in html(client.get("/bedarfe?q=100%25_"))
    assert "Kein Bedarf passt" in html(client.get("/bedarfe?state=Bayern&field_of_action="
                                                  "mobility"))
    page = html(client.get("/bedarfe?state=Bayern"))
    assert "22 Bedarfe" in page and "state=Bayern&amp;page=2" in page
    for bad in ("field_of_action=astrology", "status=gone", "category=nope", "q=" + "x" * 201,
                "state=Atlantis"):
        assert client.get(f"/bedarfe?{bad}").status_code == 400, bad


def test_stored_matches_show_with_their_reasons(client, people, engine):
    need_id = make_need(engine, people.member.id, people.town.id)
    other_id, _member = other_town(engine, people.admin.id)
    parking, waste = solution_id(engine, "Parkraum-App"), solution_id(engine, "Abfallkalender")
    add_match(engine, need_id, "solution", waste, 2, [{"code": "words", "words": ["Abfall"]}])
    add_match(engine, need_id, "solution", parking, 1, [
        {"code": "field_of_action", "field": "urban_planning"},
        {"code": "category", "categories": ["geographic-information-systems"]},
        {"code": "used_by", "count": 4, "in_land": 1, "land": "Bayern"},
        {"code": "something_new", "weight": 3}])
    add_match(engine, need_id, "organisation", other_id, 1,
              [{"code": "same_land", "land": "Hessen"},
               {"code": "shared_fields", "fields": ["urban_planning", "mobility"]}])
    page = html(client.get(f"/bedarfe/{need_id}"))
    assert page.index("Parkraum-App") < page.index("Abfallkalender")
    assert "Passt zum Handlungsfeld Stadtplanung und Bauen" in page
    assert "In der Kategorie Geoinformationssysteme (GIS)" in page
    assert "Genutzt von 4 Organisationen, davon 1 in Bayern" in page
    assert "something_new (weight: 3)" in page  # a code without words, shown plainly
    assert "Gemeinde Beispielheim" in page and "/organisationen/gemeinde-beispielheim" in page
    assert "Ebenfalls in Hessen" in page
    assert "Bedarfe in denselben Handlungsfeldern: Stadtplanung und Bauen, Mobilität" in page


def test_solution_page_lists_open_needs_it_matches(client, people, engine):
    sid = solution_id(engine, "Parkraum-App")
    still_open = make_need(engine, people.member.id, people.town.id, title="Parken digital")
    withdrawn = make_need(engine, people.member.id, people.town.id, title="Alter Bedarf")
    make_need(engine, people.member.id, people.town.id, title="Ohne Treffer")
    for need_id in (still_open, withdrawn):
        add_match(engine, need_id, "solution", sid, 1, [])
    with session_scope(engine) as session:
        service.set_status(session, session.get(Account, people.member.id),
                           session.get(Need, withdrawn), "withdrawn")
        session.commit()
    page = html(client.get(f"/loesungen/{sid}"))
    assert "Offene Bedarfe, zu denen diese Lösung passt" in page
    assert "Parken digital" in page and f"/bedarfe/{still_open}" in page
    assert "Alter Bedarf" not in page and "Ohne Treffer" not in page
    other = solution_id(engine, "Abfallkalender")
    assert "Offene Bedarfe, zu denen" not in html(client.get(f"/loesungen/{other}"))


def test_organisation_page_lists_its_needs(client, people, engine):
    make_need(engine, people.member.id, people.town.id, title="Parken digital")
    withdrawn = make_need(engine, people.member.id, people.town.id, title="Alter Bedarf")
    with session_scope(engine) as session:
        service.set_status(session, session.get(Account, people.member.id),
                           session.get(Need, withdrawn), "withdrawn")
        session.commit()
    page = html(client.get("/organisationen/stadt-musterstadt"))
    assert "Parken digital" in page and "Alter Bedarf" not in page
    assert "Bedarf einstellen" not in page
    log_in(client, people.member)
    page = html(client.get("/organisationen/stadt-musterstadt"))
    assert "Alter Bedarf" in page and "zurückgezogen" in page and "Bedarf einstellen" in page

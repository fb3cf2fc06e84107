"""Organisation pages, joining (by e-mail domain or approval), and who creates organisations."""

from __future__ import annotations

from sqlmodel import Session, select

from registry.accounts import accounts
from registry.models import Membership, Organisation, Publisher

from ..people import PASSWORD, log_in
from .conftest import html, post, solution_id

TOWN = "/organisationen/stadt-musterstadt"


def test_list_and_page_show_public_facts_only(client, people):
    listing = html(client.get("/organisationen"))
    assert "Stadt Musterstadt" in listing and "Kommune" in listing and "Bayern" in listing
    page = html(client.get(TOWN))
    assert "<h1>Stadt Musterstadt</h1>" in page
    assert "09162000" in page and "AGS" in page
    assert "Mitglieder</dt><dd>1</dd>" in page
    assert "it@musterstadt.de" not in page  # members are private
    assert "Mitgliedschaft beantragen" not in page  # anonymous: no join button
    assert client.get("/organisationen/gibt-es-nicht").status_code == 404


def test_join_by_verified_domain_is_immediate(client, people, engine):
    with Session(engine, expire_on_commit=False) as session:
        colleague = accounts.create_account(session, email="kasse@musterstadt.de",
                                            password=PASSWORD, name="Kasse", verified=True)
        session.commit()
    log_in(client, colleague)
    answer = post(client, f"{TOWN}/beitreten", {}, form_page=TOWN)
    assert answer.status_code == 302 and answer.headers["Location"].endswith(TOWN)
    page = html(client.get(TOWN))
    assert "Sie sind jetzt Mitglied von Stadt Musterstadt." in page
    assert "Mitglieder</dt><dd>2</dd>" in page


def test_other_domains_wait_for_an_organisation_admin(app, people, engine):
    outsider, member, admin = app.test_client(), app.test_client(), app.test_client()
    log_in(outsider, people.outsider)
    post(outsider, f"{TOWN}/beitreten", {}, form_page=TOWN)
    assert "Ihre Anfrage ist gestellt" in html(outsider.get(TOWN))
    assert "Ihre Anfrage wartet" in html(outsider.get(TOWN))
    with Session(engine, expire_on_commit=False) as session:
        request_id = session.exec(select(Membership.id).where(
            Membership.account_id == people.outsider.id)).one()
    decide = f"{TOWN}/anfragen/{request_id}"

    log_in(member, people.member)  # a plain member decides nothing
    assert "Offene Anfragen" not in html(member.get(TOWN))
    member_form = f"/loesungen/{solution_id(engine, 'Abfallkalender')}"
    assert post(member, decide, {"decision": "member"}, form_page=member_form).status_code == 403

    log_in(admin, people.admin)  # a site admin sees and approves, here as organisation admin
    page = html(admin.get(TOWN))
    assert "Offene Anfragen" in page and "jo@example.org" in page
    assert post(admin, decide, {"decision": "admin"}, form_page=TOWN).status_code == 302

    # the new organisation admin decides the next request
    with Session(engine, expire_on_commit=False) as session:
        newcomer = accounts.create_account(session, email="neu2@example.org",
                                           password=PASSWORD, name="Neu", verified=True)
        session.commit()
    third = app.test_client()
    log_in(third, newcomer)
    post(third, f"{TOWN}/beitreten", {}, form_page=TOWN)
    with Session(engine, expire_on_commit=False) as session:
        pending = session.exec(select(Membership).where(
            Membership.account_id == newcomer.id)).one()
    assert pending.status == "pending"
    answer = post(outsider, f"{TOWN}/anfragen/{pending.id}", {"decision": "refuse"},
                  form_page=TOWN)
    assert answer.status_code == 302
    assert "Die Anfrage wurde abgelehnt." in html(outsider.get(TOWN))
    with Session(engine, expire_on_commit=False) as session:
        assert session.get(Membership, pending.id) is None
        assert session.get(Membership, request_id).role == "admin"


def test_unverified_accounts_cannot_join(client, people):
    log_in(client, people.unverified)
    page = html(client.get(TOWN))
    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse" in page
    assert "Mitgliedschaft beantragen" not in page


NEW = "/verwaltung/organisationen/neu"
FIELDS = {"name": "Landkreis Beispielland", "kind": "district", "state": "Hessen",
          "official_key": "064400000000", "other_identifier": "", "website":
          "https://beispielland.example", "email_domain": "beispielland.example",
          "publisher_id": ""}


def test_only_site_admins_create_organisations(client, people, engine):
    anonymous = client.get(NEW)
    assert anonymous.status_code == 302 and "next=" in anonymous.headers["Location"]
    log_in(client, people.member)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, data=FIELDS).status_code in (400, 403)  # no token, no admin

    log_in(client, people.admin)
    form = html(client.get(NEW))
    assert '<option value="Thüringen">Thüringen</option>' in form
    assert '<option value="district">Landkreis</option>' in form
    wrong = post(client, NEW, {**FIELDS, "state": "Bayern"}, form_page=NEW)
    assert wrong.status_code == 400
    assert "anderen Bundesland" in html(wrong) and 'value="Landkreis Beispielland"' in html(wrong)
    created = post(client, NEW, FIELDS, form_page=NEW)
    assert created.status_code == 302
    assert created.headers["Location"].endswith("/organisationen/landkreis-beispielland")
    page = html(client.get("/organisationen/landkreis-beispielland"))
    assert "Landkreis Beispielland" in page and "064400000000" in page and "ARS" in page
    with Session(engine, expire_on_commit=False) as session:
        assert session.exec(select(Organisation).where(
            Organisation.slug == "landkreis-beispielland")).one().state == "Hessen"


def test_admin_links_an_organisation_to_its_publisher(client, people, engine):
    with Session(engine, expire_on_commit=False) as session:
        publisher = session.exec(select(Publisher)).first()
    log_in(client, people.admin)
    answer = post(client, "/verwaltung/organisationen/stadt-musterstadt/herausgeber",
                  {"publisher_id": str(publisher.id)}, form_page=TOWN)
    assert answer.status_code == 302
    page = html(client.get(TOWN))
    assert "Veröffentlichte Lösungen" in page and publisher.name in page
    bad = post(client, "/verwaltung/organisationen/stadt-musterstadt/herausgeber",
               {"publisher_id": "999999"}, form_page=TOWN)
    assert bad.status_code == 302
    assert "Einen Herausgeber mit dieser Nummer gibt es nicht." in html(client.get(TOWN))
    log_in(client, people.member)
    assert "Verknüpfung speichern" not in html(client.get(TOWN))


def test_organisations_api(client, people):
    listing = client.get("/api/v1/organisations").get_json()
    assert listing["total"] == 1
    town = listing["items"][0]
    assert town["name"] == "Stadt Musterstadt" and town["kind"] == "municipality"
    assert town["official_key"] == "09162000" and town["member_count"] == 1
    detail = client.get(f"/api/v1/organisations/{town['id']}").get_json()
    assert detail["adoptions"] == [] and "email_domain" not in detail
    assert client.get("/api/v1/organisations/999999").status_code == 404
    assert client.get("/api/v1/organisations?per_page=0").status_code == 400


def test_the_page_shows_towns_like_ours_with_reasons(client, people, engine):
    """Same kind, size class and Land: a peer, and the page says why; a contact link for those
    who may write, never an address."""
    from registry.accounts import organisations

    with Session(engine) as session:
        town = session.get(Organisation, people.town.id)
        town.population = 48_000
        neighbour = organisations.create_organisation(
            session, actor_id=people.admin.id, name="Stadt Beispielheim", kind="municipality",
            state="Bayern", official_key="09162001", email_domain="beispielheim.de")
        neighbour.population = 61_000
        far = organisations.create_organisation(
            session, actor_id=people.admin.id, name="Stadt Nordhafen", kind="municipality",
            state="Schleswig-Holstein", official_key="01002001", email_domain="nordhafen.de")
        far.population = 55_000
        session.commit()
    page = html(client.get(TOWN))
    peers = page.split('id="peers-heading"', 1)[1].split("</section>", 1)[0]
    assert 'href="/organisationen/stadt-beispielheim">Stadt Beispielheim</a>' in peers
    assert "Nordhafen" not in peers  # as large, but in another Land
    assert "Kontakt" not in peers and "schreiben" not in peers  # anonymous: no contact link
    member_page = html(log_in(client, people.member).get("/organisationen/stadt-beispielheim"))
    assert 'href="/organisationen/stadt-beispielheim/kontakt"' in member_page
    assert "it@beispielheim.de" not in member_page

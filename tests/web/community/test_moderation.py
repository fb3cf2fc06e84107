"""Admins hide declarations and suspend accounts; the audit log records it all."""

from __future__ import annotations

from sqlmodel import Session, select

from registry.models import Account, Adoption

from ..people import log_in
from .conftest import html, post, solution_id
from .test_adoptions import TOWN, adopted_order, declare

DECLARATIONS = "/verwaltung/nutzungen"
ACCOUNTS = "/verwaltung/konten"


def test_hidden_declarations_are_gone_everywhere(app, people, engine):
    member, admin = app.test_client(), app.test_client()
    log_in(member, people.member)
    log_in(admin, people.admin)
    sid = solution_id(engine, "Parkraum-App")
    declare(member, engine, organisation_id=people.town.id, use_case="Geheimer Einsatz")
    with Session(engine, expire_on_commit=False) as session:
        adoption_id = session.exec(select(Adoption.id).where(
            Adoption.origin == "declared")).one()

    listing = html(admin.get(DECLARATIONS))
    assert "Geheimer Einsatz" in listing and "Parkraum-App" in listing
    hide = f"{DECLARATIONS}/{adoption_id}/verbergen"
    post(admin, hide, {"reason": ""}, form_page=DECLARATIONS)
    assert "Bitte geben Sie einen Grund an." in html(admin.get(DECLARATIONS))
    assert post(admin, hide, {"reason": "Werbung"}, form_page=DECLARATIONS).status_code == 302
    assert "verborgen: Werbung" in html(admin.get(DECLARATIONS))

    anonymous = app.test_client()
    assert "Geheimer Einsatz" not in html(anonymous.get(f"/loesungen/{sid}"))
    assert "Geheimer Einsatz" not in html(anonymous.get(TOWN))
    assert anonymous.get(f"/api/v1/solutions/{sid}").get_json()["adoptions"]["declared"] == []
    organisation = anonymous.get(f"/api/v1/organisations/{people.town.id}").get_json()
    assert organisation["adoptions"] == []
    order = adopted_order(anonymous)
    assert order.index("Parkraum-App") > order.index("Abfallkalender")
    # the members still see their hidden declaration, marked, with the reason
    own = html(member.get(f"/loesungen/{sid}"))
    assert "von der Moderation verborgen" in own and "Werbung" in own

    post(admin, f"{DECLARATIONS}/{adoption_id}/anzeigen", {}, form_page=DECLARATIONS)
    assert "Geheimer Einsatz" in html(anonymous.get(f"/loesungen/{sid}"))
    order = adopted_order(anonymous)
    assert order.index("Parkraum-App") < order.index("Abfallkalender")


def test_only_admins_moderate(client, people, engine):
    for path in (DECLARATIONS, ACCOUNTS, "/verwaltung/protokoll", "/verwaltung"):
        assert client.get(path).status_code == 302
    log_in(client, people.member)
    for path in (DECLARATIONS, ACCOUNTS, "/verwaltung/protokoll", "/verwaltung"):
        assert client.get(path).status_code == 403
    answer = post(client, f"{ACCOUNTS}/{people.outsider.id}/sperren", {"reason": "x"},
                  form_page=f"/loesungen/{solution_id(engine, 'Abfallkalender')}")
    assert answer.status_code == 403


def test_suspension_ends_the_session(app, people, engine):
    member, admin = app.test_client(), app.test_client()
    log_in(member, people.member)
    log_in(admin, people.admin)
    assert "Sie sind Mitglied dieser Organisation" in html(member.get(TOWN))
    accounts_page = html(admin.get(ACCOUNTS))
    assert "it@musterstadt.de" in accounts_page and "neu@example.org" in accounts_page

    suspend = f"{ACCOUNTS}/{people.member.id}/sperren"
    post(admin, suspend, {"reason": " "}, form_page=ACCOUNTS)
    assert "Bitte geben Sie einen Grund an." in html(admin.get(ACCOUNTS))
    post(admin, f"{ACCOUNTS}/{people.admin.id}/sperren", {"reason": "Test"}, form_page=ACCOUNTS)
    assert "Sie können Ihr eigenes Konto nicht sperren." in html(admin.get(ACCOUNTS))
    assert post(admin, suspend, {"reason": "Spam"}, form_page=ACCOUNTS).status_code == 302
    assert "ist gesperrt" in html(admin.get(ACCOUNTS))

    page = html(member.get(TOWN))  # the member's session is over
    assert "Mitgliedschaft" not in page
    assert member.get("/verwaltung").status_code == 302
    with Session(engine, expire_on_commit=False) as session:
        assert session.get(Account, people.member.id).suspended_reason == "Spam"

    post(admin, f"{ACCOUNTS}/{people.member.id}/entsperren", {}, form_page=ACCOUNTS)
    with Session(engine, expire_on_commit=False) as session:
        assert session.get(Account, people.member.id).suspended_at is None


def test_audit_log_lists_the_changes(app, people, engine):
    member, admin = app.test_client(), app.test_client()
    log_in(member, people.member)
    log_in(admin, people.admin)
    declare(member, engine, organisation_id=people.town.id)
    with Session(engine, expire_on_commit=False) as session:
        adoption_id = session.exec(select(Adoption.id).where(
            Adoption.origin == "declared")).one()
    post(admin, f"{DECLARATIONS}/{adoption_id}/verbergen", {"reason": "Prüfung"},
         form_page=DECLARATIONS)
    post(admin, f"{ACCOUNTS}/{people.outsider.id}/sperren", {"reason": "Spam"},
         form_page=ACCOUNTS)

    log = html(admin.get("/verwaltung/protokoll"))
    for action in ("adoption.declare", "adoption.hide", "account.suspend",
                   "organisation.create", "membership.request", "account.create"):
        assert f"<code>{action}</code>" in log, action
    assert log.index("account.suspend") < log.index("adoption.hide") < log.index(
        "adoption.declare")  # newest first
    assert "admin@allmende.example" in log and "Prüfung" in log

    only_accounts = html(admin.get("/verwaltung/protokoll?action=account."))
    assert "<code>account.suspend</code>" in only_accounts
    assert "<code>adoption.hide</code>" not in only_accounts
    nothing = html(admin.get("/verwaltung/protokoll?action=%25"))  # % is literal, not LIKE
    assert "Keine Einträge." in nothing

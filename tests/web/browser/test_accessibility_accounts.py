"""axe-core finds no WCAG 2.1 A/AA violation on the pages behind a login, in German and English.

The same check as test_accessibility.py (its axe-core loading, rules and report are imported,
not repeated), on what accounts see: login and sign-up (also with the errors an empty submit
shows), the account page with a token, organisations, a solution page with the "Wir nutzen
das" form and as its maintainer, the maintainer's dashboard and registration pages (with the
findings of a real check against a fake Gitea), and the admin pages. One browser context per
role and language, logged in through the real login form; every page of it is checked and
all violations are reported together.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import select

from registry.accounts import links, tokens
from registry.adoptions import declare
from registry.db import session_scope
from registry.models import Account, NeedMatch, Organisation, Solution
from registry.needs.service import post_need
from registry.registrations import start_registration

from ..maintainers.helpers import BROKEN, gitea, maintain
from ..people import csrf_token
from ..people import log_in as log_in_client
from .test_accessibility import RUN_AXE, WCAG_21_AA, axe_source, describe  # noqa: F401
from .test_xss import log_in

SUBMIT = "main form.account-form button[type=submit]"


@dataclass(frozen=True)
class Paths:
    organisation: str
    declared: str
    """A solution the member's organisation declared it uses (the member's own form)."""
    undeclared: str
    """A solution with the empty "Wir nutzen das" form."""
    maintained: str
    pending: str
    """A pending registration, checked once: proof instructions and findings."""
    verified: str
    """The verified registration of ``maintained``: the webhook section."""
    confirm: str
    """The unverified account's mail link: the confirm-with-password form."""
    need: str
    """A need of the member's town with a stored match (its reasons), open to contact."""


@pytest.fixture
def paths(app, engine, people, http_server) -> Paths:
    with session_scope(engine) as session:
        solutions = session.exec(select(Solution).where(Solution.status == "valid")
                                 .order_by(Solution.id).limit(3)).all()
        member = session.get(Account, people.member.id)
        town = session.get(Organisation, people.town.id)
        tokens.create_token(session, member, "Abgleich mit dem Fachverfahren")
        declare(session, member, town, solutions[0], use_case="Terminvergabe im Bürgerbüro",
                since=None, instance_url="https://termine.musterstadt.de", contact_ok=True)
        need = post_need(session, member, town, title="Termine online vergeben",
                         description="Bürgerinnen und Bürger sollen Termine im Bürgerbüro "
                                     "online buchen können.\n\nMit Erinnerung per E-Mail.",
                         field_of_action="administration", categories=["appointment-scheduling"],
                         contact_ok=True)
        session.add(NeedMatch(need_id=need.id, kind="solution", target_id=solutions[1].id,
                              rank=1, score=0.8, reasons=[{"code": "field_of_action",
                                                           "field": "administration"}]))
        session.commit()
        pending = start_registration(session, member, gitea(http_server, "o", "kaputt", BROKEN),
                                     "gitea", allow_private=True).id
        slug = town.slug
        confirm = "/konto/bestaetigen/" + links.verification_token(
            app.config["SECRET_KEY"], session.get(Account, people.unverified.id))
    verified = maintain(engine, people.member, solutions[2])
    client = log_in_client(app.test_client(), people.member)
    checked = client.post(f"/meine-repositorien/{pending}/pruefen",
                          data={"csrf_token": csrf_token(client, "/meine-repositorien/neu")})
    assert checked.status_code in (302, 303)
    return Paths(organisation=f"/organisationen/{slug}",
                 declared=f"/loesungen/{solutions[0].id}",
                 undeclared=f"/loesungen/{solutions[1].id}",
                 maintained=f"/loesungen/{solutions[2].id}",
                 pending=f"/meine-repositorien/{pending}",
                 verified=f"/meine-repositorien/{verified}", confirm=confirm,
                 need=f"/bedarfe/{need.id}")


def shown(role: str, paths: Paths) -> dict[str, str]:
    """What a page must contain for its check to mean something (CSS selectors)."""
    if role == "admin":
        return {"/verwaltung/protokoll": "main table", "/verwaltung/nutzungen": "main table",
                paths.declared: "#nutzung ul.adoptions", paths.need: "#need-hide-reason"}
    return {"/konto": "#api-tokens ~ .table-scroll table",
            paths.declared: "#nutzung form.adoption-form textarea",
            paths.undeclared: "#nutzung form.adoption-form",
            paths.pending: "#verify-token, #findings-heading ~ .table-scroll table",
            paths.verified: "#webhook-secret",
            "/meine-repositorien": "main section.card",
            paths.need: "ol.matches ul.reasons li", "/bedarfe/neu": "main form.need-form"}


def pages_of(role: str, paths: Paths) -> list[str]:
    """Paths to check; ``!`` after a path: submit its form empty first (field errors)."""
    return {
        "anonymous": ["/anmelden", "/anmelden!", "/registrieren", "/registrieren!",
                      "/organisationen", paths.organisation, paths.confirm, paths.confirm + "!",
                      "/bedarfe", paths.need],
        "member": ["/konto", paths.organisation, paths.declared, paths.undeclared,
                   paths.maintained, "/meine-repositorien", "/meine-repositorien/neu",
                   paths.pending, paths.verified, "/bedarfe", "/bedarfe/neu", "/bedarfe/neu!",
                   paths.need, paths.need + "/bearbeiten"],
        "admin": ["/verwaltung", "/verwaltung/konten", "/verwaltung/protokoll",
                  "/verwaltung/nutzungen", "/verwaltung/organisationen/neu", paths.organisation,
                  paths.declared, paths.need],
    }[role]


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("role", ["anonymous", "member", "admin"])
def test_no_wcag_violations_behind_the_login(axe_source, page, live_server,  # noqa: F811
                                             people, paths, role, language):
    if role != "anonymous":
        log_in(page, live_server, getattr(people, role).email)
        assert page.url.endswith("/konto"), f"{role} did not get in: {page.url}"
    found = []
    for where in pages_of(role, paths):
        path, submit = where.rstrip("!"), where.endswith("!")
        response = page.goto(f"{live_server}{path}?lang={language}")
        assert response is not None and response.ok, f"{path}: HTTP {response.status}"
        if submit:
            page.locator(SUBMIT).click()
            page.wait_for_load_state()
            assert page.locator(".field-error").count() > 0, f"{path}: no field errors shown"
        assert page.locator("html").get_attribute("lang") == language
        expected = shown(role, paths).get(path)
        if expected and not submit:
            assert page.locator(expected).count() > 0, f"{path}: not the page meant"
        page.evaluate(axe_source)
        violations = page.evaluate(RUN_AXE, WCAG_21_AA)
        if violations:
            found.append(f"axe-core on {where} ({role}, {language}):\n{describe(violations)}")
    assert not found, "\n".join(found)

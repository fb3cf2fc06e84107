"""Who may do what: every write route and protected page × anonymous, unverified, outsider,
member, maintainer and admin.

``ROUTES`` names, for each protected route, the roles that may use it. A role outside that set
must be stopped (anonymous: sent to the login page or 401; others: 403, or 404 where the mere
existence of the thing is private); a role inside it must get through (any answer but
401/403/404 and the login redirect — an empty form may well answer 400 or 422). The last test
fails when a route is added that is neither in ``ROUTES`` nor declared public, so no new route
escapes this table.

Each role runs in a fresh catalogue; routes that end the session or delete the thing others
use come last.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import select

from registry.accounts import accounts, organisations, tokens
from registry.adoptions import declare
from registry.db import session_scope
from registry.models import Account, Registration, Solution
from registry.needs.service import post_need

from .people import PASSWORD, csrf_token, log_in

ROLES = ("anonymous", "unverified", "outsider", "member", "maintainer", "admin")
SIGNED_IN = set(ROLES) - {"anonymous"}
VERIFIED = SIGNED_IN - {"unverified"}

# (method, path template, roles that get through[, form fields]); {S} solution, {R} the
# maintainer's registration, {M} a pending membership request, {A} a declared adoption, {X} an
# account to moderate, {T} the admin's API token, {slug} and {town} the town, {N} the town's
# need, {other} another town and {K} its need (open to contact). Order matters for routes that
# change what later ones need.
ROUTES: list[tuple] = [
    ("GET", "/konto", SIGNED_IN),
    ("POST", "/konto/passwort", SIGNED_IN),
    ("POST", "/konto/api-tokens", VERIFIED, {"name": "matrix"}),
    ("GET", "/meine-repositorien", SIGNED_IN),
    ("POST", "/meine-repositorien/neu", VERIFIED),
    ("GET", "/meine-repositorien/{R}", {"maintainer"}),
    ("POST", "/meine-repositorien/{R}/pruefen", {"maintainer"}),
    ("POST", "/meine-repositorien/{R}/geheimnis", {"maintainer"}),
    ("POST", "/meine-repositorien/{R}/ernten", {"maintainer"}),
    ("POST", "/loesungen/{S}/ernten", {"maintainer", "admin"}),
    ("POST", "/loesungen/{S}/nutzung", {"member"}, {"organisation_id": "{town}"}),
    ("POST", "/organisationen/{slug}/beitreten", VERIFIED),
    ("POST", "/organisationen/{slug}/anfragen/{M}", {"admin"}, {"decision": "member"}),
    ("GET", "/verwaltung", {"admin"}),
    ("GET", "/verwaltung/konten", {"admin"}),
    ("GET", "/verwaltung/nutzungen", {"admin"}),
    ("GET", "/verwaltung/protokoll", {"admin"}),
    ("GET", "/verwaltung/organisationen/neu", {"admin"}),
    ("POST", "/verwaltung/organisationen/neu", {"admin"}),
    ("POST", "/verwaltung/organisationen/{slug}/herausgeber", {"admin"}),
    ("POST", "/verwaltung/nutzungen/{A}/verbergen", {"admin"}),
    ("POST", "/verwaltung/nutzungen/{A}/anzeigen", {"admin"}),
    ("POST", "/verwaltung/konten/{X}/sperren", {"admin"}),
    ("POST", "/verwaltung/konten/{X}/entsperren", {"admin"}),
    ("GET", "/bedarfe/neu", {"member"}),
    ("POST", "/bedarfe/neu", {"member"}, {"organisation_id": "{town}"}),
    ("GET", "/bedarfe/{N}/bearbeiten", {"member", "admin"}),
    ("POST", "/bedarfe/{N}/bearbeiten", {"member", "admin"}),
    ("POST", "/bedarfe/{N}/status", {"member", "admin"}, {"status": "in_exchange"}),
    ("GET", "/bedarfe/{K}/kontakt", {"member"}),
    ("POST", "/bedarfe/{K}/kontakt", {"member"}),
    ("GET", "/organisationen/{other}/kontakt", {"member"}),
    ("POST", "/organisationen/{other}/kontakt", {"member"}),
    ("GET", "/verwaltung/nachrichten", {"admin"}),
    ("POST", "/api/v1/needs", {"member"}),
    ("PATCH", "/api/v1/needs/{N}", {"member", "admin"}),
    ("POST", "/bedarfe/{N}/verbergen", {"admin"}, {"reason": "Matrix"}),
    ("POST", "/bedarfe/{N}/anzeigen", {"admin"}),
    ("GET", "/api/v1/me", VERIFIED),
    ("GET", "/api/v1/registrations", VERIFIED),
    ("POST", "/api/v1/registrations", VERIFIED),
    ("POST", "/api/v1/registrations/{R}/check", {"maintainer"}),
    ("POST", "/api/v1/solutions/{S}/harvest", {"maintainer", "admin"}),
    ("POST", "/meine-repositorien/{R}/entfernen", {"maintainer"}),
    ("POST", "/konto/api-tokens/{T}/widerrufen", {"admin"}),
    ("POST", "/konto/ueberall-abmelden", SIGNED_IN),
]
PUBLIC = {"/anmelden", "/registrieren", "/passwort-vergessen", "/passwort-neu/<token>",
          "/konto/bestaetigung-senden", "/konto/bestaetigen/<token>", "/abmelden",
          "/api/v1/hooks/<forge>", "/meine-repositorien/feed/<token>.atom",
          "/nachricht/<token>/antworten", "/nachricht/<token>/melden"}
"""Open to everybody by design (the feed and a relayed message's answer and report links are
protected by their tokens instead; answering also needs a member of the recipient)."""


@dataclass
class World:
    ids: dict[str, object]
    actors: dict[str, Account | None]
    bearer: dict[str, str]


@pytest.fixture
def world(engine, people) -> World:
    with session_scope(engine) as session:
        maintainer = accounts.create_account(session, email="pflege@musterstadt-it.example",
                                             password=PASSWORD, name="Pflege", verified=True)
        solution = session.exec(select(Solution).order_by(Solution.id)).first()
        registration = Registration(account_id=maintainer.id, url=solution.url,
                                    forge_type="git", status="verified", proof="file",
                                    verify_token="allmende-verify-x", webhook_salt="salt")
        session.add(registration)
        town = session.merge(people.town)
        request = organisations.join(session, session.merge(people.outsider), town)
        adoption = declare(session, session.merge(people.member), town, solution,
                           use_case="Ratsinformation", since=None, instance_url=None,
                           contact_ok=True)
        need = post_need(session, session.merge(people.member), town,
                         title="Termine online buchen", field_of_action="administration",
                         description="Bürgerinnen und Bürger buchen Termine selbst online.")
        other = organisations.create_organisation(
            session, actor_id=people.admin.id, name="Stadt Nachbarstadt", kind="municipality",
            state="Bayern", official_key="09162999", email_domain="nachbarstadt.de")
        neighbour = accounts.create_account(session, email="it@nachbarstadt.de",
                                            password=PASSWORD, name="Nachbar", verified=True)
        organisations.join(session, neighbour, other)
        their_need = post_need(session, neighbour, other, title="Abfallkalender gesucht",
                               field_of_action="environment", contact_ok=True,
                               description="Wann wird welche Tonne geleert, nach Straße?")
        session.flush()
        ids = {"S": solution.id, "R": registration.id, "M": request.id, "A": adoption.id,
               "X": people.unverified.id, "slug": town.slug, "town": town.id,
               "N": need.id, "other": other.slug, "K": their_need.id}
        actors = {"anonymous": None, "unverified": people.unverified,
                  "outsider": people.outsider, "member": people.member,
                  "maintainer": maintainer, "admin": people.admin}
        bearer = {}
        for role, account in actors.items():
            if account is not None:
                stored, bearer[role] = tokens.create_token(session, session.merge(account),
                                                           "matrix")
                if role == "admin":
                    ids["T"] = stored.id
        session.commit()
    return World(ids, actors, bearer)


def _through(response) -> bool:
    if response.status_code in (401, 403, 404):
        return False
    return not (response.status_code in (302, 303)
                and "/anmelden" in response.headers.get("Location", ""))


def _stopped(role: str, path: str, response) -> bool:
    if path.startswith("/api/"):  # no usable token: 401; a token without the right: 403/404
        if role in ("anonymous", "unverified"):
            return response.status_code == 401
        return response.status_code in (403, 404)
    if role == "anonymous":
        return (response.status_code == 302
                and "/anmelden" in response.headers["Location"])
    return response.status_code in (403, 404)


@pytest.mark.parametrize("role", ROLES)
def test_every_protected_route_for(role, app, engine, world):
    client = log_in(app.test_client(), world.actors[role])
    form_page = "/anmelden" if role == "anonymous" else "/"
    failures = []
    for method, template, allowed, *fields in ROUTES:
        path = template.format(**world.ids)
        data = {k: v.format(**world.ids) for k, v in (fields[0] if fields else {}).items()}
        if method == "GET":
            response = client.get(path, headers=_auth(world, role, path))
        elif method == "PATCH":
            response = client.patch(path, json={}, headers=_auth(world, role, path))
        elif path.startswith("/api/"):
            response = client.post(path, json={}, headers=_auth(world, role, path))
        else:
            data["csrf_token"] = csrf_token(client, form_page)
            response = client.post(path, data=data)
        if path == "/konto/ueberall-abmelden" and role in allowed:
            ok = _sessions_ended(engine, world.actors[role]) and response.status_code in (302, 303)
        else:
            ok = _through(response) if role in allowed else _stopped(role, path, response)
        if not ok:
            failures.append(f"{method} {path}: {response.status_code} "
                            f"{response.headers.get('Location', '')} "
                            f"({'should pass' if role in allowed else 'should be stopped'})")
    assert not failures, f"{role}:\n" + "\n".join(failures)


def _sessions_ended(engine, account: Account) -> bool:
    """"Log out everywhere" worked: the account's session version moved on."""
    with session_scope(engine) as session:
        return session.get(Account, account.id).session_version > account.session_version


def _auth(world: World, role: str, path: str) -> dict[str, str]:
    if not path.startswith("/api/") or role == "anonymous":
        return {}
    return {"Authorization": f"Bearer {world.bearer[role]}"}


def test_every_route_is_in_the_table(app):
    covered = {template.replace("{S}", "<int:solution_id>").replace("{T}", "<int:token_id>")
               .replace("{R}", "<int:registration_id>").replace("{M}", "<int:membership_id>")
               .replace("{A}", "<int:adoption_id>").replace("{X}", "<int:account_id>")
               .replace("{slug}", "<slug>").replace("{other}", "<slug>")
               .replace("{N}", "<int:need_id>").replace("{K}", "<int:need_id>")
               for _method, template, *_rest in ROUTES}
    covered |= {"/verwaltung/nutzungen/<int:adoption_id>/<any(verbergen, anzeigen):change>",
                "/bedarfe/<int:need_id>/<any(verbergen, anzeigen):change>"}
    missing = []
    for rule in app.url_map.iter_rules():
        writes = bool(rule.methods & {"POST", "PUT", "PATCH", "DELETE"})
        private = rule.rule.startswith(("/konto", "/meine-repositorien", "/verwaltung",
                                        "/api/v1/registrations", "/api/v1/me"))
        if (writes or private) and rule.rule not in covered and rule.rule not in PUBLIC:
            missing.append(rule.rule)
    assert not missing, f"routes missing from the authorisation matrix: {missing}"

"""XSS payloads in every user-entered field are inert when rendered, checked in Chromium.

The payloads go in through the real services (accounts, organisations, tokens, adoptions,
moderation, suspension, a registration check against a fake Gitea on loopback), then the pages
that show them are opened in the browser by the account that sees them, logged in through the
real login form. A page passes when nothing ran (no dialog, ``window.__xss`` unset), no element
or event handler came out of a payload, no ``javascript:`` link exists, the payload is there as
literal text (``<script>`` and ``{{7*7}}`` in ``textContent``, so it was escaped, not dropped
and not evaluated as a template) and no CSP violation was reported: the CSP had nothing to
stop. The same pages are opened once more with the CSP bypassed, which proves the escaping
without the safety net.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from sqlmodel import select

from registry.accounts import AccountError, accounts, organisations, tokens
from registry.adoptions import declare, set_hidden
from registry.db import session_scope
from registry.models import Account, Adoption, Registration, Solution
from registry.registrations import RegistrationError, start_registration

from ..maintainers.helpers import EXAMPLE, gitea
from ..people import PASSWORD, csrf_token
from ..people import log_in as log_in_client

SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=1">'
SVG = '"><svg onload=window.__xss=1>'
TEMPLATE = "{{7*7}}"
JS_URL = "javascript:window.__xss=1"
ALL = SCRIPT + IMG + SVG + TEMPLATE

# one payload per field, each with a tag, so one escaped field cannot hide a missing one
NAME = "name:" + ALL  # account names: up to 120 characters
PENDING_NAME = "eve:" + ALL
EVE_EMAIL = "eve'{{7*7}}@example.org"  # what an address admits: ' and braces
ORG = "org:</title>" + ALL  # also in <title>: try to leave it
IDENTIFIER = "ident:" + ALL
WEBSITE = 'https://x.example/site"><img src=x onerror="window.__xss=1">' + TEMPLATE
USE_CASE = "use:</textarea>" + ALL  # also in the edit form's <textarea>: try to leave it
INSTANCE = 'https://x.example/"><img src=x onerror="window.__xss=1">' + TEMPLATE
HIDE_REASON = "hide:" + ALL
SUSPEND_REASON = "susp:" + ALL
TOKEN_1 = "tok:" + IMG + SVG + TEMPLATE  # token names: up to 80 characters
TOKEN_2 = "tok2:" + SCRIPT
UNKNOWN_KEY = '<img src=x onerror="window.__xss=1">' + TEMPLATE  # echoed by the validator
FILTER = SVG + TEMPLATE + SCRIPT  # reflected: the audit log's filter, up to 100 characters
QUERY = SVG + SCRIPT + TEMPLATE  # reflected: the search box

PUBLICCODE = EXAMPLE.rstrip(b"\n") + f"\n'{UNKNOWN_KEY}': 1\n".encode()

WATCH = """() => {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + (e.sample || e.blockedURI)));
}"""
INJECTED = r"""() => {
  const bad = [];
  const show = el => el.outerHTML.slice(0, 160);
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) bad.push('handler: ' + show(el));
      if (['href', 'src', 'action', 'formaction'].includes(attr.name)
          && /^\s*javascript:/i.test(attr.value)) bad.push('script URL: ' + show(el));
    }
  }
  for (const el of document.querySelectorAll('img[src="x"], svg')) bad.push('element: ' + show(el));
  for (const s of document.scripts) {
    if (s.type !== 'application/ld+json') bad.push('script: ' + show(s));
  }
  return bad;
}"""
HREFS = "() => [...document.links].map(a => a.getAttribute('href'))"
SETTLE = "() => new Promise(r => setTimeout(() => r(window.__violations), 50))"


@dataclass(frozen=True)
class Stored:
    slug: str
    shown: int
    """The solution whose declaration is visible."""
    hidden: int
    """The solution whose declaration an admin hid."""
    registration: int


@pytest.fixture
def stored(app, engine, people, http_server) -> Stored:
    """Every user-entered field filled with a payload through the real services."""
    with session_scope(engine) as session:
        solutions = session.exec(select(Solution).where(Solution.status == "valid")
                                 .order_by(Solution.id).limit(2)).all()
        assert len(solutions) == 2
        admin = session.get(Account, people.admin.id)
        with pytest.raises(AccountError):
            organisations.create_organisation(session, actor_id=admin.id, name="X",
                                              kind="municipality", website=JS_URL)
        org = organisations.create_organisation(
            session, actor_id=admin.id, name=ORG, kind="municipality", website=WEBSITE,
            other_identifier=IDENTIFIER, email_domain="evil.example")
        mallory = accounts.create_account(session, email="mallory@evil.example",
                                          password=PASSWORD, name=NAME, verified=True)
        organisations.join(session, mallory, org)
        eve = accounts.create_account(session, email=EVE_EMAIL, password=PASSWORD,
                                      name=PENDING_NAME, verified=True)
        assert organisations.join(session, eve, org).status == "pending"
        accounts.suspend(session, eve, actor_id=admin.id, reason=SUSPEND_REASON)
        tokens.create_token(session, mallory, TOKEN_1)
        tokens.create_token(session, mallory, TOKEN_2)
        with pytest.raises(AccountError):
            declare(session, mallory, org, solutions[0], use_case="x", since=None,
                    instance_url=JS_URL, contact_ok=False)
        declare(session, mallory, org, solutions[0], use_case=USE_CASE, since=None,
                instance_url=INSTANCE, contact_ok=True)
        hidden = declare(session, mallory, org, solutions[1], use_case=USE_CASE, since=None,
                         instance_url=None, contact_ok=False)
        set_hidden(session, admin, hidden, hidden=True, reason=HIDE_REASON)
        session.commit()
        for url in (JS_URL, 'https://x.example/a/"><img src=x onerror=window.__xss=1>',
                    "https://x.example/a/b?<script>window.__xss=1</script>"):
            with pytest.raises(RegistrationError):
                start_registration(session, mallory, url)
        registration = start_registration(session, mallory, gitea(http_server, "o", "demo",
                                                                  PUBLICCODE),
                                          "gitea", allow_private=True)
        ids = Stored(org.slug, solutions[0].id, solutions[1].id, registration.id)
        mallory_row = session.get(Account, mallory.id)
    # the registration's check through its real route: the validator echoes the unknown key
    client = log_in_client(app.test_client(), mallory_row)
    checked = client.post(f"/meine-repositorien/{ids.registration}/pruefen",
                          data={"csrf_token": csrf_token(client, "/meine-repositorien/neu")})
    assert checked.status_code in (302, 303)
    with session_scope(engine) as session:
        row = session.get(Registration, ids.registration)
        assert any(UNKNOWN_KEY in (f.get("key") or "") for f in row.findings), row.findings
        assert session.exec(select(Adoption).where(Adoption.hidden_at.is_not(None))).first()
    return ids


def as_json(text: str) -> str:
    """How the audit log shows a value: inside the entry's JSON."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/anmelden")
    form = page.locator("main form")
    form.get_by_label("E-Mail-Adresse").fill(email)
    form.get_by_label("Passwort", exact=True).fill(PASSWORD)
    form.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


def visits(stored: Stored, people) -> dict[str | None, dict[str, list[str]]]:
    """Who looks (an e-mail, None: anonymous) → path → the payloads the page must show."""
    solution, hidden = f"/loesungen/{stored.shown}", f"/loesungen/{stored.hidden}"
    organisation = f"/organisationen/{stored.slug}"
    registration = f"/meine-repositorien/{stored.registration}"
    return {
        None: {
            solution: [ORG, USE_CASE],
            "/organisationen": [ORG],
            organisation: [ORG, IDENTIFIER, WEBSITE, USE_CASE],
            f"/suche?q={quote(QUERY)}": [],
        },
        "mallory@evil.example": {
            "/konto": [NAME, ORG, TOKEN_1, TOKEN_2],
            solution: [NAME, ORG, USE_CASE],
            hidden: [NAME, ORG, USE_CASE, HIDE_REASON],
            organisation: [NAME, ORG, IDENTIFIER, WEBSITE, USE_CASE],
            "/meine-repositorien": [NAME, UNKNOWN_KEY],
            registration: [NAME, UNKNOWN_KEY],
        },
        people.admin.email: {
            organisation: [ORG, PENDING_NAME, EVE_EMAIL],
            "/verwaltung/konten": [NAME, PENDING_NAME, EVE_EMAIL, SUSPEND_REASON],
            "/verwaltung/nutzungen": [ORG, USE_CASE, INSTANCE, HIDE_REASON],
            "/verwaltung/protokoll": [as_json(ORG), as_json(SUSPEND_REASON),
                                      as_json(HIDE_REASON), as_json(TOKEN_1), EVE_EMAIL],
            f"/verwaltung/protokoll?action={quote(FILTER)}": [],
        },
        EVE_EMAIL: {"/anmelden": [SUSPEND_REASON]},  # the suspended account's login answer
    }


def check(page, where: str, expected: list[str], dialogs: list[str], csp: list[str]) -> None:
    assert page.evaluate("window.__xss") is None, f"a payload ran on {where}"
    assert not dialogs, f"dialogs on {where}: {dialogs}"
    assert page.evaluate(INJECTED) == [], f"markup from a payload on {where}"
    text = page.evaluate("document.documentElement.textContent")
    for value in expected:
        assert value in text, f"{value!r} is not shown literally on {where}"
    violations = page.evaluate(SETTLE) or []
    assert not violations and not csp, f"the CSP had to stop something on {where}: " \
                                       f"{violations} {csp}"


@pytest.mark.parametrize("csp", ["enforced", "bypassed"])
def test_payloads_are_shown_as_text(new_page, live_server, stored, people, csp):
    for who, pages in visits(stored, people).items():
        page = new_page(bypass_csp=csp == "bypassed")
        page.add_init_script(f"({WATCH})()")
        dialogs: list[str] = []
        refused: list[str] = []
        page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
        page.on("console", lambda m, seen=refused: seen.append(m.text)
                if "Content Security Policy" in m.text else None)
        if who is not None:
            log_in(page, live_server, who)
            if who == EVE_EMAIL:  # suspended: the answer to the login is the page to check
                assert page.get_by_role("heading", level=1).inner_text() \
                    == "Dieses Konto ist gesperrt"
                check(page, f"/anmelden ({who})", pages["/anmelden"], dialogs, refused)
                continue
            assert page.url.endswith("/konto"), f"{who} did not get in: {page.url}"
        for path, expected in pages.items():
            response = page.goto(f"{live_server}{path}")
            assert response is not None and response.ok, f"{path}: HTTP {response.status}"
            check(page, f"{path} ({who or 'anonymous'})", expected, dialogs, refused)
    # the form fields hold the payload as their value, not cut at a quote
    page = new_page(bypass_csp=csp == "bypassed")
    log_in(page, live_server, "mallory@evil.example")
    page.goto(f"{live_server}/loesungen/{stored.shown}")
    own = page.locator("form.adoption-form").first
    assert own.locator("textarea").input_value() == USE_CASE
    assert own.locator('input[name="instance_url"]').input_value() == INSTANCE
    links = page.locator("#nutzung a[rel~=nofollow]")
    assert links.first.get_attribute("href") == INSTANCE
    page.goto(f"{live_server}/organisationen/{stored.slug}")
    assert page.evaluate(HREFS).count(WEBSITE) == 1
    page = new_page(bypass_csp=csp == "bypassed")
    log_in(page, live_server, people.admin.email)
    page.goto(f"{live_server}/verwaltung/protokoll?action={quote(FILTER)}")
    assert page.locator("#audit-action").input_value() == FILTER
    page.goto(f"{live_server}/suche?q={quote(QUERY)}")
    assert page.get_by_role("search").get_by_label("Suchbegriff").input_value() == QUERY

"""``/meine-repositorien/feed/<token>.atom``: what happened to a maintainer's solutions.

Feed readers cannot log in, so the address itself is the key: the account id and its session
version signed with the application's secret key (itsdangerous, salt
``allmende.maintainer-feed``, no expiry). The feed shows only what the solution pages show
anyway, plus harvest outcomes and the notifications about the maintainer's own solutions. An
address given away is revoked like a session: "log out everywhere" or a new password raises
the version and the old address answers 404, as does a suspended account's.
"""

from __future__ import annotations

from flask import abort, current_app, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session, select
from werkzeug.wrappers import Response

from registry.db import session_scope
from registry.models import Account, Registration, Solution, is_shown_in_catalogue

from .. import services
from ..atom import FEED_SIZE, Entry, entries_feed, tag_uri
from . import blueprint, reads
from .words import HARVEST_REASONS, NOTIFICATIONS, SOLUTION_STATES, translate, words

SALT = "allmende.maintainer-feed"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def feed_token(account: Account) -> str:
    return _serializer().dumps([account.id, account.session_version])


def _signed(token: str) -> tuple[int, int] | None:
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        return value[0], value[1]
    return None


def feed_url(account: Account) -> str:
    return url_for("maintainers.feed", token=feed_token(account), _external=True)


@blueprint.get("/meine-repositorien/feed/<token>.atom")
def feed(token: str) -> Response:
    signed = _signed(token)
    with session_scope(services.engine()) as session:
        account = session.get(Account, signed[0]) if signed is not None else None
        if (account is None or account.suspended_at is not None
                or account.session_version != signed[1]):
            abort(404)
        urls = list(session.exec(select(Registration.url).where(
            Registration.account_id == account.id, Registration.status == "verified")))
        solutions = reads.solutions_by_url(session, urls)
        entries = _entries(session, account.id, list(solutions.values()))
    body = entries_feed(tag_uri("maintainer", account.id),
                        _("Allmende – Neuigkeiten zu Ihren Lösungen"),
                        url_for("maintainers.feed", token=token, _external=True),
                        entries[:FEED_SIZE])
    return Response(body, mimetype="application/atom+xml")


def _entries(session: Session, account_id: int, solutions: list[Solution]) -> list[Entry]:
    dashboard = url_for("maintainers.dashboard", _external=True)
    by_id = {s.id: s for s in solutions}
    by_url = {s.url: s for s in solutions}

    def link(solution: Solution) -> str:
        if is_shown_in_catalogue(solution):
            return url_for("pages.solution", solution_id=solution.id, _external=True)
        return dashboard

    entries = []
    for s in solutions:
        name = s.name or s.url
        state = words(SOLUTION_STATES, s.status)
        summary = _("Status: %(state)s.", state=state) + (f" {s.status_reason}"
                                                          if s.status_reason else "")
        entries.append(Entry(tag_uri("maintainer", account_id, "changed", s.id,
                                     int(s.last_changed_at.timestamp())),
                             _("%(name)s: neue Fassung eingelesen", name=name),
                             s.last_changed_at, link(s), summary))
        if s.last_error_at is not None:
            entries.append(Entry(tag_uri("maintainer", account_id, "error", s.id,
                                         int(s.last_error_at.timestamp())),
                                 _("%(name)s: Abruf fehlgeschlagen", name=name),
                                 s.last_error_at, link(s), s.last_error or ""))
    for event in reads.notifications(session, list(by_id), FEED_SIZE):
        s = by_id[event.solution_id]
        entries.append(Entry(tag_uri("maintainer", account_id, "notification", s.id,
                                     int(event.at.timestamp())),
                             f"{s.name or s.url}: {words(NOTIFICATIONS, event.code)}",
                             event.at, link(s), event.detail))
    for request in reads.harvest_requests(session, list(by_url), FEED_SIZE):
        if request.finished_at is None:
            continue
        s = by_url[request.url]
        entries.append(Entry(tag_uri("maintainer", account_id, "harvest", request.id),
                             _("%(name)s: abgerufen (%(why)s)", name=s.name or s.url,
                               why=words(HARVEST_REASONS, request.reason)),
                             request.finished_at, link(s), translate(request.outcome)))
    return sorted(entries, key=lambda e: e.updated, reverse=True)

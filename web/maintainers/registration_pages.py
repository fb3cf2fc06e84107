"""``/meine-repositorien``: a maintainer's registrations, the form to add one, one registration.

A new registration is checked at once (the publiccode.yml and the ownership proof), so the
page it leads to already lists every finding and says what is missing. A registration belongs
to the account that made it: anybody else gets 404, as if it did not exist. Registering needs
an account that may act (verified address, not suspended); the others are told why.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import Session
from werkzeug.wrappers import Response

from registry.accounts import permissions
from registry.db import session_scope
from registry.models import FORGE_TYPES, Registration, is_shown_in_catalogue
from registry.registrations import (
    VERIFY_FILE,
    RegistrationError,
    delete_registration,
    rotate_webhook_secret,
    start_registration,
)

from .. import services
from ..registration_actions import check, queue_harvest, webhook
from ..sessions import CHECK_LIMIT, current_account, limiter, login_required
from . import blueprint, reads, words
from .feed import feed_url


@blueprint.get("/meine-repositorien")
@login_required
def dashboard() -> str:
    account = current_account()
    with session_scope(services.engine()) as session:
        entries = reads.dashboard(session, account.id)
    return render_template("maintainers/dashboard.html", entries=entries, words=words,
                           may_register=permissions.may_register_repositories(account),
                           feed_url=feed_url(account) if entries else None)


@blueprint.route("/meine-repositorien/neu", methods=["GET", "POST"])
@limiter.limit(CHECK_LIMIT, methods=["POST"])
@login_required
def new_registration() -> str | Response | tuple[str, int]:
    account = current_account()
    if not permissions.may_register_repositories(account):
        return render_template("maintainers/new.html", allowed=False, words=words), 403
    if request.method == "GET":
        return render_template("maintainers/new.html", allowed=True, words=words, url="",
                               forge_type="")
    url = request.form.get("url", "")
    forge_type = request.form.get("forge_type", "")
    settings = services.settings()
    try:
        if forge_type and forge_type not in FORGE_TYPES:
            raise RegistrationError(_("Bitte wählen Sie eine Art von Repository aus der Liste."))
        with session_scope(services.engine()) as session:
            registration = start_registration(session, account, url, forge_type or None,
                                              allow_private=settings.allow_private_addresses)
            check(session, registration, account.email)
            registration_id = registration.id
    except RegistrationError as error:
        return render_template("maintainers/new.html", allowed=True, words=words, url=url,
                               forge_type=forge_type, error=words.translate(str(error))), 400
    return redirect(url_for("maintainers.registration", registration_id=registration_id))


@blueprint.get("/meine-repositorien/<int:registration_id>")
@login_required
def registration(registration_id: int) -> str:
    account = current_account()
    with session_scope(services.engine()) as session:
        found = _own_or_404(session, registration_id)
        solution = reads.solutions_by_url(session, [found.url]).get(found.url) \
            if found.status == "verified" else None
        history = reads.history(session, found, solution)
    return render_template("maintainers/registration.html", r=found, words=words,
                           solution=solution, shown=solution is not None and is_shown_in_catalogue(
                               solution), history=history, hook=webhook(found),
                           verify_file=VERIFY_FILE, account_email=account.email,
                           may_act=permissions.may_act(account))


@blueprint.post("/meine-repositorien/<int:registration_id>/pruefen")
@limiter.limit(CHECK_LIMIT)
@login_required
def check_again(registration_id: int) -> Response:
    account = current_account()
    with session_scope(services.engine()) as session:
        found = _own_or_404(session, registration_id)
        was = found.status
        check(session, found, account.email)
        if found.status == "verified" and was != "verified":
            _done(_("Eigentum nachgewiesen. Das Repository wird in Kürze abgerufen."))
        else:
            _done(_("Geprüft. Das Ergebnis steht unten."))
    return _back(registration_id)


@blueprint.post("/meine-repositorien/<int:registration_id>/geheimnis")
@login_required
def rotate_secret(registration_id: int) -> Response:
    with session_scope(services.engine()) as session:
        found = _own_or_404(session, registration_id)
        rotate_webhook_secret(session, found, actor_id=current_account().id)
        session.commit()
    _done(_("Das Webhook-Geheimnis ist neu. Tragen Sie es jetzt bei Ihrer Forge ein; das alte "
            "gilt nicht mehr."))
    return _back(registration_id)


@blueprint.post("/meine-repositorien/<int:registration_id>/ernten")
@login_required
def harvest(registration_id: int) -> Response:
    account = current_account()
    with session_scope(services.engine()) as session:
        found = _own_or_404(session, registration_id)
        if found.status != "verified" or not permissions.may_act(account):
            flash(_("Abrufen lässt sich ein Repository erst, wenn das Eigentum nachgewiesen "
                    "ist."), words.FLASH_ERROR)
            return _back(registration_id)
        queue_harvest(session, found.url, account)
    _done(_("Der Abruf ist eingeplant; das Ergebnis steht in wenigen Minuten hier."))
    return _back(registration_id)


@blueprint.post("/meine-repositorien/<int:registration_id>/entfernen")
@login_required
def remove(registration_id: int) -> Response:
    with session_scope(services.engine()) as session:
        found = _own_or_404(session, registration_id)
        url = found.url
        delete_registration(session, found, actor_id=current_account().id)
        session.commit()
    _done(_("Die Registrierung von %(url)s ist entfernt. Eine Lösung im Katalog bleibt, "
            "solange eine Quelle sie findet.", url=url))
    return redirect(url_for("maintainers.dashboard"))


def _own_or_404(session: Session, registration_id: int) -> Registration:
    found = reads.owned_registration(session, current_account().id, registration_id)
    if found is None:
        abort(404)
    return found


def _done(message: str) -> None:
    flash(message, words.FLASH)


def _back(registration_id: int) -> Response:
    return redirect(url_for("maintainers.registration", registration_id=registration_id))

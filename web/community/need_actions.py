"""The forms that change needs: posting (``/bedarfe/neu``), editing (``…/bearbeiten``), the
status (``…/status``) and, for site admins, hiding and showing (``…/verbergen``, ``…/anzeigen``).

Only verified members of an organisation post needs for it; only members of the need's
organisation (and site admins) change it — everybody else gets 403. Every rule is the
service's (``registry.needs.service``): its refusals come back at the form field they concern
(posting, editing) or as a message (status, moderation), and nothing is stored on a refusal.
A need marked solved names the solution used, which also declares the adoption for the town.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from registry.accounts import AccountError, organisations, permissions
from registry.db import session_scope
from registry.models import NEED_STATUSES, Need
from registry.needs import service

from .. import match_upkeep, services
from ..sessions import admin_required, current_account, limiter, login_required
from . import blueprint, messages
from .need_forms import NeedForm, data_of, organisation_choice, solution_named
from .need_pages import need_or_404
from .need_words import STATUS_WORDS, error_text, word
from .reindexing import reindex_solutions

WRITE_LIMIT = "20 per minute; 200 per hour"
"""Posting and changing needs, per client address (the API also per token)."""


def _may_act_or_403() -> None:
    if not permissions.may_act(current_account()):
        abort(403, description=_("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse."))


@blueprint.route("/bedarfe/neu", methods=["GET", "POST"])
@limiter.limit(WRITE_LIMIT, methods=["POST"])
@login_required
def new_need() -> str | Response | tuple[str, int]:
    _may_act_or_403()
    account = current_account()
    with session_scope(services.engine()) as session:
        mine = organisations.organisations_of(session, account)
        if not mine:
            abort(403, description=_("Bedarfe stellen Mitglieder einer Organisation ein. "
                                     "Treten Sie zuerst Ihrer Organisation bei."))
        form = NeedForm()
        form.organisation_id.choices = [(str(o.id), o.name) for o in mine]
        if request.method == "POST" and form.validate_on_submit():
            try:
                organisation = organisation_choice(form.organisation_id.data, mine)
                fields = form.fields()
                created = service.post_need(
                    session, account, organisation, title=fields.title,
                    description=fields.description, field_of_action=fields.field_of_action,
                    categories=fields.categories, operating_models=fields.operating_models,
                    budget_band=fields.budget_band, platforms=fields.platforms,
                    deadline=fields.deadline, contact_ok=fields.contact_ok)
            except AccountError as error:
                session.rollback()
                form.refuse(error)
            else:
                session.commit()
                match_upkeep.recompute_soon([created.id])
                messages.done(_("Ihr Bedarf ist veröffentlicht."))
                return redirect(url_for("community.need", need_id=created.id))
        status = 422 if request.method == "POST" else 200
        return render_template("community/need_form.html", form=form, organisations=mine,
                               need=None), status


@blueprint.route("/bedarfe/<int:need_id>/bearbeiten", methods=["GET", "POST"])
@limiter.limit(WRITE_LIMIT, methods=["POST"])
@login_required
def edit_need(need_id: int) -> str | Response | tuple[str, int]:
    account = current_account()
    with session_scope(services.engine()) as session:
        found, organisation = need_or_404(session, need_id, account)
        _changeable_or_403(session, found)
        form = NeedForm() if request.method == "POST" else NeedForm(data=data_of(found))
        if request.method == "POST" and form.validate_on_submit():
            try:
                service.edit_need(session, account, found, form.fields())
            except AccountError as error:
                session.rollback()
                form.refuse(error)
            else:
                session.commit()
                match_upkeep.recompute_soon([need_id])
                messages.done(_("Die Änderungen sind gespeichert."))
                return redirect(url_for("community.need", need_id=need_id))
        status = 422 if request.method == "POST" else 200
        return render_template("community/need_form.html", form=form, organisations=[],
                               need=found, organisation=organisation), status


@blueprint.post("/bedarfe/<int:need_id>/status")
@limiter.limit(WRITE_LIMIT)
@login_required
def change_need_status(need_id: int) -> Response:
    account = current_account()
    status = request.form.get("status", "")
    solution_id = None
    with session_scope(services.engine()) as session:
        found, _organisation = need_or_404(session, need_id, account)
        _changeable_or_403(session, found)
        try:
            if status not in NEED_STATUSES:
                raise AccountError("status", "unknown status")
            solution = (solution_named(session, request.form.get("solution_id", ""),
                                       request.form.get("solution_ref", ""))
                        if status == "solved" else None)
            service.set_status(session, account, found, status, solution=solution)
        except AccountError as error:
            session.rollback()
            messages.failed(error_text(error.code, str(error)))
            return redirect(url_for("community.need", need_id=need_id, _anchor="status"))
        session.commit()
        solution_id = solution.id if solution is not None else None
    match_upkeep.recompute_soon([need_id])  # open again: matched again; else left as it was
    if solution_id is not None:
        reindex_solutions([solution_id])  # the adoption it declared counts at once
    messages.done(_("Der Bedarf ist jetzt „%(status)s“.", status=word(STATUS_WORDS, status)))
    return redirect(url_for("community.need", need_id=need_id, _anchor="status"))


@blueprint.post("/bedarfe/<int:need_id>/<any(verbergen, anzeigen):change>")
@admin_required
def moderate_need(need_id: int, change: str) -> Response:
    hide = change == "verbergen"
    reason = request.form.get("reason", "").strip()
    with session_scope(services.engine()) as session:
        found, _organisation = need_or_404(session, need_id, current_account())
        try:
            if hide and not reason:
                raise AccountError("reason_missing", "give a reason")
            service.set_hidden(session, current_account(), found, hidden=hide, reason=reason)
        except AccountError as error:
            messages.failed(error_text(error.code, str(error)))
            return redirect(url_for("community.need", need_id=need_id))
        session.commit()
    match_upkeep.recompute_soon([need_id])
    messages.done(_("Der Bedarf ist verborgen.") if hide
                  else _("Der Bedarf wird wieder angezeigt."))
    return redirect(url_for("community.need", need_id=need_id))


def _changeable_or_403(session, found: Need) -> None:
    account = current_account()
    if not (permissions.may_act(account) and service.may_change(session, account, found)):
        abort(403, description=_("Nur Mitglieder der Organisation können ihren Bedarf "
                                 "ändern."))

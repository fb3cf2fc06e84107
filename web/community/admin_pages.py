"""``/verwaltung``: what site admins do — create organisations (and link them to a catalogue
publisher), suspend and unsuspend accounts, hide and show declarations.

Only site admins create organisations: the official key (AGS/ARS) and the e-mail domain decide
who may speak for a municipality, so they are entered by someone the operator trusts. The
audit log is in ``audit_pages``.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select
from werkzeug.wrappers import Response

from registry import adoptions
from registry.accounts import AccountError, accounts, organisations
from registry.accounts.organisations import LAENDER
from registry.db import session_scope
from registry.models import ORGANISATION_KINDS, Account, Adoption, Organisation, Solution

from .. import services
from ..pages import search_state
from ..sessions import admin_required, current_account
from . import blueprint, messages
from .organisation_admin import link_publisher, parse_publisher_id
from .organisation_reads import by_slug
from .reindexing import reindex_solutions
from .words import KIND_WORDS

PER_PAGE = 50
ORGANISATION_FIELDS = ("name", "kind", "state", "official_key", "other_identifier", "website",
                       "email_domain", "publisher_id")


@blueprint.get("/verwaltung")
@admin_required
def admin_home() -> str:
    return render_template("community/admin_home.html")


@blueprint.route("/verwaltung/organisationen/neu", methods=["GET", "POST"])
@admin_required
def new_organisation() -> str | Response:
    values = {key: request.form.get(key, "").strip() for key in ORGANISATION_FIELDS}
    error = None
    if request.method == "POST":
        with session_scope(services.engine()) as session:
            try:
                publisher_id = parse_publisher_id(values["publisher_id"])
                created = organisations.create_organisation(
                    session, actor_id=current_account().id, name=values["name"],
                    kind=values["kind"], state=values["state"] or None,
                    official_key=values["official_key"],
                    other_identifier=values["other_identifier"], website=values["website"],
                    email_domain=values["email_domain"])
                if publisher_id is not None:
                    link_publisher(session, created, publisher_id,
                                   actor_id=current_account().id)
                session.commit()
            except AccountError as problem:
                session.rollback()
                error = messages.sentence(problem)
            else:
                messages.done(_("Die Organisation %(name)s ist angelegt.", name=created.name))
                return redirect(url_for("community.organisation", slug=created.slug))
    return render_template("community/organisation_form.html", values=values, error=error,
                           kinds=[(k, KIND_WORDS[k]) for k in ORGANISATION_KINDS],
                           laender=sorted(LAENDER.values())), 400 if error else 200


@blueprint.post("/verwaltung/organisationen/<slug>/herausgeber")
@admin_required
def organisation_publisher(slug: str) -> Response:
    with session_scope(services.engine()) as session:
        found = by_slug(session, slug)
        if found is None:
            abort(404)
        try:
            link_publisher(session, found, parse_publisher_id(request.form.get("publisher_id")),
                           actor_id=current_account().id)
        except AccountError as problem:
            messages.failed(problem)
        else:
            session.commit()
            messages.done(_("Die Verknüpfung mit dem Herausgeber ist gespeichert."))
    return redirect(url_for("community.organisation", slug=slug))


@blueprint.get("/verwaltung/konten")
@admin_required
def account_list() -> str:
    page = search_state.page_number(request.args)
    with session_scope(services.engine()) as session:
        total = session.exec(select(sa.func.count()).select_from(Account)).one()
        rows = session.exec(select(Account).order_by(Account.created_at.desc(),
                                                     Account.id.desc())
                            .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    return render_template("community/admin_accounts.html", rows=rows,
                           **search_state.paging(total, page, PER_PAGE, "community.account_list"))


@blueprint.post("/verwaltung/konten/<int:account_id>/sperren")
@admin_required
def suspend_account(account_id: int) -> Response:
    reason = request.form.get("reason", "").strip()
    with session_scope(services.engine()) as session:
        target = session.get(Account, account_id) or abort(404)
        try:
            if not reason:
                raise AccountError("reason_missing", "give a reason")
            accounts.suspend(session, target, actor_id=current_account().id, reason=reason)
        except AccountError as problem:
            messages.failed(problem)
        else:
            session.commit()
            messages.done(_("Das Konto %(email)s ist gesperrt; seine Sitzungen sind beendet.",
                            email=target.email))
    return redirect(_back("community.account_list"))


@blueprint.post("/verwaltung/konten/<int:account_id>/entsperren")
@admin_required
def unsuspend_account(account_id: int) -> Response:
    with session_scope(services.engine()) as session:
        target = session.get(Account, account_id) or abort(404)
        accounts.unsuspend(session, target, actor_id=current_account().id)
        session.commit()
    messages.done(_("Das Konto %(email)s ist wieder freigegeben.", email=target.email))
    return redirect(_back("community.account_list"))


@blueprint.get("/verwaltung/nutzungen")
@admin_required
def declaration_list() -> str:
    page = search_state.page_number(request.args)
    with session_scope(services.engine()) as session:
        declared = Adoption.origin == "declared"
        total = session.exec(select(sa.func.count()).select_from(Adoption)
                             .where(declared)).one()
        rows = session.exec(
            select(Adoption, Solution, Organisation)
            .join(Solution, Solution.id == Adoption.solution_id)
            .outerjoin(Organisation, Organisation.id == Adoption.organisation_id)
            .where(declared)
            .order_by(sa.func.coalesce(Adoption.updated_at, Adoption.created_at).desc(),
                      Adoption.id.desc())
            .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    return render_template("community/admin_declarations.html", rows=rows,
                           **search_state.paging(total, page, PER_PAGE,
                                                 "community.declaration_list"))


@blueprint.post("/verwaltung/nutzungen/<int:adoption_id>/<any(verbergen, anzeigen):change>")
@admin_required
def moderate_declaration(adoption_id: int, change: str) -> Response:
    hide = change == "verbergen"
    reason = request.form.get("reason", "").strip()
    with session_scope(services.engine()) as session:
        adoption = session.get(Adoption, adoption_id)
        if adoption is None or adoption.origin != "declared":
            abort(404)
        try:
            if hide and not reason:
                raise AccountError("reason_missing", "give a reason")
            adoptions.set_hidden(session, current_account(), adoption, hidden=hide,
                                 reason=reason)
        except AccountError as problem:
            messages.failed(problem)
            return redirect(_back("community.declaration_list"))
        session.commit()
        solution_id = adoption.solution_id
    reindex_solutions([solution_id])
    messages.done(_("Die Angabe ist verborgen.") if hide else _("Die Angabe wird wieder "
                                                                 "angezeigt."))
    return redirect(_back("community.declaration_list"))


def _back(endpoint: str) -> str:
    """Back to the list page the form was on (a same-site ``page`` number only)."""
    page = request.form.get("page", "")
    return url_for(endpoint, page=int(page) if page.isascii() and page.isdigit()
                   and 1 < int(page) < 10_000 else None)

"""``/organisationen``: the list and one organisation's page; joining and deciding requests.

An organisation's page also shows "Kommunen wie wir" — similar organisations with the reasons
(market.peers) — and, for people who may write, the way to contact it through the relay.

An account with a verified address asks to join with one button: it is a member at once when
its address is at the organisation's e-mail domain, else the request waits until an admin of
the organisation (or a site admin) approves it as member or admin, or refuses it.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from market.peers import similar_organisations
from registry.accounts import AccountError, organisations, permissions
from registry.db import session_scope
from registry.models import Membership

from .. import catalogue_reads, services
from ..pages import search_state
from ..pages.language import current_language
from ..sessions import current_account, login_required
from . import blueprint, messages, need_pages, organisation_reads
from .need_words import with_reasons
from .words import KIND_WORDS, ROLE_WORDS

PER_PAGE = 50
PEERS_SHOWN = 8
""""Kommunen wie wir": the closest few, each with its reasons (market.peers)."""


@blueprint.get("/organisationen")
def organisation_list() -> str:
    page = search_state.page_number(request.args)
    with session_scope(services.engine()) as session:
        total, rows = organisation_reads.page(session, (page - 1) * PER_PAGE, PER_PAGE)
    return render_template("community/organisations.html", rows=rows, kinds=KIND_WORDS,
                           **search_state.paging(total, page, PER_PAGE,
                                                 "community.organisation_list"))


@blueprint.get("/organisationen/<slug>")
def organisation(slug: str) -> str:
    account = current_account()
    with session_scope(services.engine()) as session:
        found = _organisation_or_404(session, slug)
        may_decide = permissions.is_organisation_admin(session, account, found)
        return render_template(
            "community/organisation.html", organisation=found, kinds=KIND_WORDS,
            roles=ROLE_WORDS, language=current_language(),
            members=organisation_reads.member_count(session, found.id),
            adoptions=organisation_reads.declared_adoptions(session, found.id),
            publisher=(catalogue_reads.publisher(session, found.publisher_id)
                       if found.publisher_id else None),
            published=(catalogue_reads.published_solutions(session, found.publisher_id)
                       if found.publisher_id else []),
            membership=(organisations.membership_of(session, account, found)
                        if account is not None else None),
            may_join=permissions.may_act(account),
            pending=(organisation_reads.pending_requests(session, found.id)
                     if may_decide else []),
            may_decide=may_decide,
            need_section=need_pages.organisation_section(session, found, account),
            peers=with_reasons(similar_organisations(session, found, limit=PEERS_SHOWN)),
            may_write=permissions.may_act(account))


@blueprint.post("/organisationen/<slug>/beitreten")
@login_required
def join(slug: str) -> Response:
    account = current_account()
    if not permissions.may_act(account):
        abort(403, description=_("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse, um einer "
                                 "Organisation beizutreten."))
    with session_scope(services.engine()) as session:
        found = _organisation_or_404(session, slug)
        try:
            membership = organisations.join(session, account, found)
        except AccountError as error:
            messages.failed(error)
            return redirect(url_for("community.organisation", slug=slug))
        session.commit()
    if membership.status == "active":
        messages.done(_("Sie sind jetzt Mitglied von %(name)s.", name=found.name))
    else:
        messages.done(_("Ihre Anfrage ist gestellt. Eine Verwaltungsperson von %(name)s "
                        "entscheidet darüber.", name=found.name))
    return redirect(url_for("community.organisation", slug=slug))


@blueprint.post("/organisationen/<slug>/anfragen/<int:membership_id>")
@login_required
def decide(slug: str, membership_id: int) -> Response:
    account = current_account()
    decision = request.form.get("decision", "")
    with session_scope(services.engine()) as session:
        found = _organisation_or_404(session, slug)
        if not permissions.is_organisation_admin(session, account, found):
            abort(403)  # before looking at the form: outsiders learn nothing from it
        if decision not in ("member", "admin", "refuse"):
            abort(400, description=_("Unbekannte Entscheidung."))
        membership = session.get(Membership, membership_id)
        if membership is None or membership.organisation_id != found.id \
                or membership.status != "pending":
            abort(404, description=_("Diese Anfrage gibt es nicht (mehr)."))
        organisations.decide(session, membership, actor_id=account.id,
                             approve=decision != "refuse",
                             role="admin" if decision == "admin" else "member")
        session.commit()
    messages.done(_("Die Anfrage wurde abgelehnt.") if decision == "refuse"
                  else _("Die Anfrage wurde angenommen."))
    return redirect(url_for("community.organisation", slug=slug))


def _organisation_or_404(session, slug: str):
    found = organisation_reads.by_slug(session, slug)
    if found is None:
        abort(404, description=_("Keine Organisation unter dieser Adresse."))
    return found

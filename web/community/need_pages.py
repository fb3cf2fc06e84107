"""``/bedarfe``: the needs towns posted — the list with its filters, and one need with its
matching solutions and towns (read from the stored ``NeedMatch`` rows, with their reasons in
words). The forms that change needs are in ``need_actions``.

Also the needs sections of other pages: the open needs a solution matches (solution page) and
an organisation's needs (organisation page), each one function the page's view calls.

A need's description is the town's plain text: shown escaped, paragraphs and line breaks kept,
never rendered as HTML or Markdown.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from flask_babel import gettext as _
from sqlmodel import Session
from werkzeug.exceptions import BadRequest

from registry.accounts import organisations, permissions
from registry.accounts.organisations import LAENDER
from registry.db import session_scope
from registry.models import NEED_STATUSES, Account, Need, Organisation
from registry.needs.service import TRANSITIONS, may_change
from registry.needs.vocabulary import FIELDS_OF_ACTION
from registry.publiccode.vocabularies import CATEGORIES

from .. import services
from ..pages import search_state
from ..pages.vocabulary import value_label
from ..sessions import current_account
from . import blueprint, need_reads
from .need_reads import NeedFilters
from .need_words import (
    BUDGET_WORDS,
    FIELD_WORDS,
    OPERATING_MODEL_WORDS,
    STATUS_ACTIONS,
    STATUS_WORDS,
    reasons_text,
)

PER_PAGE = 20


@blueprint.get("/bedarfe")
def need_list() -> str:
    filters = parse_filters(request.args)
    page = search_state.page_number(request.args)
    account = current_account()
    with session_scope(services.engine()) as session:
        total, rows = need_reads.search(session, filters, (page - 1) * PER_PAGE, PER_PAGE,
                                        include_hidden=permissions.is_admin(account))
        may_post = bool(permissions.may_act(account)
                        and organisations.organisations_of(session, account))
    args = {key: value for key, value in (
        ("field_of_action", filters.field_of_action), ("state", filters.state),
        ("status", filters.status), ("category", filters.category), ("q", filters.text))
        if value}
    return render_template(
        "community/needs.html", rows=rows, filters=filters, may_post=may_post,
        choices=filter_choices(), **words(),
        **search_state.paging(total, page, PER_PAGE, "community.need_list", **args))


def parse_filters(args) -> NeedFilters:
    """The list's filters from the query string; a wrong value is a 400 that says so."""
    try:
        return need_reads.parse_filters(args)
    except need_reads.FilterError as error:
        if error.kind == "repeated":
            raise BadRequest(_("Der Parameter %(name)s darf nur einmal vorkommen.",
                               name=error.name)) from None
        if error.kind == "invalid":
            raise BadRequest(_("Ein Filterwert ist zu lang oder enthält ungültige "
                               "Zeichen.")) from None
        raise BadRequest(_("Unbekannter Filterwert „%(value)s“.", value=error.value)) from None


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "field_of_action": [(code, str(FIELD_WORDS.get(code, code)))
                            for code in FIELDS_OF_ACTION],
        "state": [(name, name) for name in sorted(LAENDER.values())],
        "status": [(code, str(STATUS_WORDS[code])) for code in NEED_STATUSES],
        "category": sorted(((code, value_label("category", code)) for code in CATEGORIES),
                           key=lambda choice: choice[1].casefold()),
    }


def words() -> dict[str, Any]:
    return {"field_words": FIELD_WORDS, "status_words": STATUS_WORDS,
            "model_words": OPERATING_MODEL_WORDS, "budget_words": BUDGET_WORDS,
            "status_actions": STATUS_ACTIONS}


@blueprint.get("/bedarfe/<int:need_id>")
def need(need_id: int) -> str:
    account = current_account()
    with session_scope(services.engine()) as session:
        found, organisation = need_or_404(session, need_id, account)
        context = detail_context(session, found, organisation, account)
    return render_template("community/need.html", **context)


def need_or_404(session: Session, need_id: int,
                account: Account | None) -> tuple[Need, Organisation]:
    found = need_reads.need(session, need_id, include_hidden=permissions.is_admin(account))
    if found is None:
        abort(404, description=_("Keinen Bedarf mit der Nummer %(id)d gibt es hier.",
                                 id=need_id))
    return found


def detail_context(session: Session, found: Need, organisation: Organisation,
                   account: Account | None) -> dict[str, Any]:
    """What the need's page shows (also re-rendered by ``need_actions`` on errors)."""
    matches = need_reads.matches(session, found.id)
    changeable = may_change(session, account, found) and permissions.may_act(account)
    member = permissions.is_member(session, account, organisation)
    return {
        "need": found, "organisation": organisation,
        "paragraphs": paragraphs(found.description),
        "solutions": [(m, s, reasons_text(m.reasons)) for m, s in matches.solutions],
        "peers": [(m, o, reasons_text(m.reasons)) for m, o in matches.organisations],
        "solved_with": (need_reads.solution(session, found.solved_with_id)
                        if found.solved_with_id else None),
        "may_change": changeable, "is_member": member,
        "next_statuses": [s for s in TRANSITIONS.get(found.status, ()) if s != "solved"]
        if changeable else [],
        "may_solve": changeable and "solved" in TRANSITIONS.get(found.status, ()),
        "is_admin": permissions.is_admin(account),
        "category_words": [value_label("category", c) for c in found.categories],
        "platform_words": [value_label("platform", p) for p in found.platforms],
        **words(),
    }


def paragraphs(text: str) -> list[list[str]]:
    """Plain text as paragraphs (split at blank lines) of lines; the template escapes them."""
    blocks = [block for block in text.replace("\r\n", "\n").replace("\r", "\n").split("\n\n")
              if block.strip()]
    return [block.strip("\n").split("\n") for block in blocks]


def solution_section(session: Session, solution_id: int) -> list[tuple[Need, Organisation]]:
    """The solution page's "Offene Bedarfe, zu denen diese Lösung passt"."""
    return need_reads.open_needs_for_solution(session, solution_id)


def organisation_section(session: Session, organisation: Organisation,
                         account: Account | None) -> dict[str, Any]:
    """The organisation page's needs: its needs that are not hidden (withdrawn ones for its
    members only), and whether the reader may post one for it."""
    member = permissions.is_member(session, account, organisation)
    return {"needs": need_reads.organisation_needs(session, organisation.id,
                                                   include_withdrawn=member),
            "may_post_need": member, "need_status_words": STATUS_WORDS,
            "need_field_words": FIELD_WORDS}

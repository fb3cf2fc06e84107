"""``POST /loesungen/<id>/nutzung``: a member declares, updates or withdraws "wir nutzen das".

The form is on the solution page (``community/_adoptions.html``). Field ``action`` is
``declare`` (new or update: one declaration per organisation and solution) or ``withdraw``.
Only active members of the chosen organisation may post (others get 403); what the service
refuses (a script address, a date in the future, a too long text) comes back as a message.
"""

from __future__ import annotations

from datetime import date

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from registry import adoptions
from registry.accounts import AccountError, permissions
from registry.db import session_scope
from registry.models import Organisation

from .. import catalogue_reads, services
from ..sessions import current_account, login_required
from . import blueprint, messages
from .reindexing import reindex_solutions


@blueprint.post("/loesungen/<int:solution_id>/nutzung")
@login_required
def declare(solution_id: int) -> Response:
    account = current_account()
    back = url_for("pages.solution", solution_id=solution_id, _anchor="nutzung")
    with session_scope(services.engine()) as session:
        row = catalogue_reads.solution_detail(session, solution_id)
        if row is None:
            abort(404)
        organisation = _organisation(session, request.form.get("organisation_id", ""))
        if organisation is None or not permissions.is_member(session, account, organisation):
            abort(403, description=_("Nur Mitglieder der Organisation können angeben, dass "
                                     "sie diese Lösung nutzen."))
        try:
            if request.form.get("action") == "withdraw":
                existing = adoptions.declared_by(session, organisation, row.solution)
                if existing is None:
                    return redirect(back)
                adoptions.withdraw(session, account, existing)
                message = _("Die Angabe für %(name)s wurde zurückgezogen.",
                            name=organisation.name)
            else:
                adoptions.declare(session, account, organisation, row.solution,
                                  use_case=request.form.get("use_case"),
                                  since=_since(request.form.get("since", "")),
                                  instance_url=request.form.get("instance_url"),
                                  contact_ok=request.form.get("contact_ok") == "yes")
                message = _("Gespeichert: %(name)s nutzt diese Lösung.", name=organisation.name)
        except AccountError as error:
            messages.failed(error)
            return redirect(back)
        session.commit()
    reindex_solutions([solution_id])
    messages.done(message)
    return redirect(back)


def _organisation(session, raw: str) -> Organisation | None:
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        return None
    return session.get(Organisation, int(raw))


def _since(raw: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise AccountError("since_invalid", "the date is not valid (YYYY-MM-DD)") from None

""""Jetzt neu einlesen" on the solution page: its maintainers (and site admins) queue a harvest.

The solution page (``web.pages.solution_page``) stays as it is; its template asks the global
``maintains_solution(id)`` whether to show the button. The queueing is
``web.registration_actions.queue_harvest``, the same as ``POST /api/v1/solutions/{id}/harvest``.
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from registry.accounts import permissions
from registry.db import session_scope
from registry.models import Solution

from .. import services
from ..registration_actions import queue_harvest
from ..sessions import current_account, login_required
from . import blueprint, words


@blueprint.app_template_global()
def maintains_solution(solution_id: int) -> bool:
    """Whether the reader may queue a harvest of the solution (for the solution page)."""
    account = current_account()
    if not permissions.may_act(account):
        return False
    with session_scope(services.engine()) as session:
        solution = session.get(Solution, solution_id)
        return solution is not None and permissions.maintains(session, account, solution)


@blueprint.post("/loesungen/<int:solution_id>/ernten")
@login_required
def harvest_solution(solution_id: int) -> Response:
    account = current_account()
    with session_scope(services.engine()) as session:
        solution = session.get(Solution, solution_id)
        if solution is None:
            abort(404)
        if not permissions.maintains(session, account, solution):
            abort(403, description=_("Neu einlesen lassen können nur die bestätigten "
                                     "Maintainer der Lösung."))
        queue_harvest(session, solution.url, account)
    flash(_("Die Lösung wird in Kürze neu eingelesen; das Ergebnis steht dann auf dieser "
            "Seite."), words.FLASH)
    return redirect(url_for("pages.solution", solution_id=solution_id,
                            _anchor="maintainers-heading"))

"""Two refusals the account pages bring, as pages in the reader's language.

- A form without a valid CSRF token (Flask-WTF's ``CSRFError``, a 400): usually a page left
  open longer than the token lives, or cookies switched off; the page says to reload and send
  the form again.
- Too many attempts (Flask-Limiter's 429): the page says to wait; ``Retry-After`` (added by
  the limiter) says how long.

Machine routes (the API, exports, feeds) keep their problem+json (``web.api.errors``).
"""

from __future__ import annotations

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import TooManyRequests

from ..api import errors
from . import blueprint


@blueprint.app_errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> Response:
    if request.path.startswith(errors.MACHINE_PATH_PREFIXES):
        return errors.problem(400, "Bad Request", error.description)
    return _page(400, _("Das Formular ist abgelaufen"),
                 _("Das Formular konnte nicht angenommen werden, weil sein Sicherheitsmerkmal "
                   "fehlt oder abgelaufen ist."),
                 _("Bitte laden Sie die Seite neu und senden Sie das Formular erneut. Erlauben "
                   "Sie dieser Website Cookies, sonst funktionieren Anmeldung und Formulare "
                   "nicht."))


@blueprint.app_errorhandler(TooManyRequests)
def too_many_requests(error: TooManyRequests) -> Response:
    if request.path.startswith(errors.MACHINE_PATH_PREFIXES):
        response = errors.problem(429, "Too Many Requests",
                                  "Too many requests; wait as long as Retry-After says.")
    else:
        response = _page(429, _("Zu viele Versuche"),
                         _("Von Ihrer Adresse kamen in kurzer Zeit zu viele Versuche."),
                         _("Bitte warten Sie einige Minuten und versuchen Sie es dann erneut."))
    for name, value in error.get_headers():
        if name == "Retry-After":
            response.headers[name] = value
    return response


def _page(status: int, heading: str, detail: str, advice: str) -> Response:
    html = render_template("error.html", status=status, heading=heading, detail=detail,
                           advice=advice)
    return Response(html, status=status, mimetype="text/html")

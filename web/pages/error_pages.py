"""Errors on pages are pages: a 400 says which parameter was wrong, a 404 what was not found.

The API keeps its problem+json (``web.api.errors`` decides by path); this module only gives it
the HTML renderer for every other path.
"""

from __future__ import annotations

from flask import Flask, Response, render_template
from flask_babel import gettext as _

from ..api import errors


def init_app(app: Flask) -> None:
    errors.set_page_renderer(app, render_error)


def render_error(status: int, title: str, detail: str | None) -> Response:
    headings = {400: _("Die Anfrage ist fehlerhaft"),
                404: _("Seite nicht gefunden"),
                405: _("Diese Methode ist hier nicht erlaubt"),
                500: _("Ein Fehler im Server"),
                503: _("Die Suche ist vorübergehend nicht verfügbar")}
    advice = {400: _("Bitte prüfen Sie die Adresse oder starten Sie eine neue Suche."),
              404: _("Die Adresse ist unbekannt oder der Eintrag wird nicht mehr angezeigt. "
                     "Die Suche hilft weiter."),
              500: _("Die Seite konnte nicht erstellt werden; der Fehler wurde protokolliert. "
                     "Bitte versuchen Sie es später erneut."),
              503: _("Bitte versuchen Sie es gleich noch einmal.")}
    html = render_template("error.html", status=status,
                           heading=headings.get(status, title), detail=detail,
                           advice=advice.get(status, advice[400]))
    return Response(html, status=status, mimetype="text/html")

"""``/alternativen``: the proprietary products towns use, by kind, and ``/alternativen/<id>``:
one product with the catalogue's open alternatives to it and why each is listed.

The products are the vocabulary in ``registry.alternatives``; the alternatives are
``market.alternatives``'s, as on the search page and in the API. A town that does not find its
product in the list types it into the form: ``?produkt=`` is read as the search reads it
("statt MS Teams", "Dodle") and leads to the product's page.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from market.alternatives import alternatives_for
from registry.alternatives import KINDS, find_product, products
from registry.db import session_scope

from .. import services
from ..community.need_words import with_reasons
from . import blueprint

ALTERNATIVES_SHOWN = 20
MAX_PRODUCT_TEXT = 200
KIND_WORDS = {
    "office": _l("Büro-Software"), "email": _l("E-Mail und Groupware"),
    "video_conferencing": _l("Videokonferenzen"), "messaging": _l("Messenger und Chat"),
    "collaboration": _l("Zusammenarbeit"), "file_sharing": _l("Dateiablage und -austausch"),
    "survey": _l("Umfragen"), "forms": _l("Formulare"), "appointments": _l("Terminvergabe"),
    "document_management": _l("Dokumentenmanagement und E-Akte"), "gis": _l("Geodaten (GIS)"),
    "cad": _l("CAD"), "ticketing": _l("Ticketsysteme und Helpdesk"),
    "cms": _l("Webseiten (CMS)"), "participation": _l("Bürgerbeteiligung"),
    "council_information": _l("Ratsinformation"), "ai_assistant": _l("KI-Assistenten"),
    "translation": _l("Übersetzung"), "database": _l("Datenbanken"),
    "project_management": _l("Projektmanagement"), "e_learning": _l("E-Learning"),
    "password_manager": _l("Passwortverwaltung"), "remote_support": _l("Fernwartung"),
    "virtualization": _l("Virtualisierung"), "diagram": _l("Diagramme und Whiteboards"),
    "graphics": _l("Grafik und Layout"), "pdf": _l("PDF-Werkzeuge"),
    "operating_system": _l("Betriebssysteme"), "erp": _l("Finanzen und ERP"),
    "crm": _l("Kundenbeziehungen (CRM)"), "hr": _l("Personalwesen"),
    "telephony": _l("Telefonie"), "newsletter": _l("Newsletter"), "other": _l("Sonstiges"),
}
"""Every product kind of ``registry.alternatives.KINDS`` in words (tested)."""


@blueprint.get("/alternativen")
def alternatives() -> str | Response:
    asked = (request.args.get("produkt") or "").strip()[:MAX_PRODUCT_TEXT]
    unknown = None
    if asked:
        product = find_product(asked)
        if product is not None:
            return redirect(url_for("pages.alternative", product_id=product.id))
        unknown = asked
    groups = [(KIND_WORDS.get(kind, kind), sorted(
        (p for p in products() if p.kind == kind), key=lambda p: p.name.casefold()))
        for kind in KINDS]
    return render_template("alternatives.html", groups=[g for g in groups if g[1]],
                           asked=asked, unknown=unknown)


@blueprint.get("/alternativen/<product_id>")
def alternative(product_id: str) -> str:
    product = next((p for p in products() if p.id == product_id), None)
    if product is None:
        abort(404, description=_("Dieses Produkt kennt Allmende nicht."))
    with session_scope(services.engine()) as session:
        found = with_reasons(alternatives_for(session, services.search_service(), product,
                                              limit=ALTERNATIVES_SHOWN))
    return render_template("alternative.html", product=product, alternatives=found,
                           kind=KIND_WORDS.get(product.kind, product.kind))

"""Publisher list, publisher, sources and about pages: small reads, each the API's own
catalogue query (the publisher list pages as ``/api/v1/publishers`` does)."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _

from registry.db import session_scope
from registry.models import RUN_COUNTS

from .. import catalogue_reads, services
from ..api.publishers import DEFAULT_PER_PAGE as PUBLISHERS_PER_PAGE
from ..api.sources import LOCAL_SOURCE_TYPES
from . import blueprint, search_state
from .language import current_language


@blueprint.get("/herausgeber")
def publishers() -> str:
    page = search_state.page_number(request.args)
    with session_scope(services.engine()) as session:
        total, rows = catalogue_reads.publishers_page(
            session, (page - 1) * PUBLISHERS_PER_PAGE, PUBLISHERS_PER_PAGE)
        return render_template("publishers.html", rows=rows,
                               **search_state.paging(total, page, PUBLISHERS_PER_PAGE,
                                                     "pages.publishers"))


@blueprint.get("/herausgeber/<int:publisher_id>")
def publisher(publisher_id: int) -> str:
    with session_scope(services.engine()) as session:
        found = catalogue_reads.publisher(session, publisher_id)
        if found is None:
            abort(404, description=_("Keinen Herausgeber mit der Nummer %(id)d gefunden.",
                                     id=publisher_id))
        published = catalogue_reads.published_solutions(session, publisher_id)
        adopted = catalogue_reads.adopted_solutions(session, publisher_id)
        return render_template("publisher.html", publisher=found, published=published,
                               adopted=adopted,
                               language=current_language())


@blueprint.get("/quellen")
def sources() -> str:
    with session_scope(services.engine()) as session:
        rows = catalogue_reads.sources_with_runs(session)
        return render_template("sources.html", rows=rows, counts=RUN_COUNTS,
                               local_types=LOCAL_SOURCE_TYPES)


@blueprint.get("/ueber")
def about() -> str:
    return render_template("about.html", contact_email=services.settings().site.contact_email)

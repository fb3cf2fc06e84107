"""The home page and the search page: both are one search, shown two ways.

The home page asks the search service for the most recently updated solutions and takes the
category counts and the catalogue size from that same answer; the publisher count comes from
the catalogue read the API uses. The search page shows a full answer: facets, chips, sorts,
pages, snippets, the spelling suggestion and the "relaxed" notice; a repeated anonymous search is
answered from ``response_cache``. When the words name a proprietary product ("Alternative zu
Doodle", "statt MS Teams"), its open alternatives (``market.alternatives``) come first, each with
why it is listed.
"""

from __future__ import annotations

from flask import Response, render_template
from markupsafe import Markup

from market.alternatives import SHOWN_WITH_SEARCH, alternatives_for
from registry.alternatives import find_product
from registry.db import session_scope
from search import FACETS, SORTS, Hit, SearchRequest

from .. import catalogue_reads, services
from ..community import need_reads
from ..community.need_words import with_reasons
from . import blueprint, response_cache, search_state
from .language import LANGUAGES, current_language

RECENT = 6
RECENT_NEEDS = 5
"""Open needs on the home page: the marketplace is half of Allmende, visible on arrival."""
SNIPPET_FIELDS = ("short", "long", "features")


@blueprint.get("/")
def home() -> str:
    results = services.search_service().search(
        SearchRequest(sort="updated", per_page=RECENT, highlight=False, facet_limit=None))
    with session_scope(services.engine()) as session:
        publisher_total, _rows = catalogue_reads.publishers_page(session, 0, 1)
        rows = catalogue_reads.solutions_by_id(session, [hit.id for hit in results.hits])
        needs_total, needs = need_reads.search(session, need_reads.NeedFilters(status="open"),
                                               0, RECENT_NEEDS)
    recent = [rows[hit.id] for hit in results.hits if hit.id in rows]
    return render_template("home.html", results=results, recent=recent,
                           categories=results.facets.get("category", {}),
                           publisher_total=publisher_total, needs=needs,
                           needs_total=needs_total)


@blueprint.get("/suche")
@blueprint.get("/search", endpoint="search_en")
def search() -> Response:
    cached = response_cache.lookup()
    if cached is not None:
        return cached
    state = search_state.parse()
    results = services.search_service().search(SearchRequest(
        text=state.text, filters=state.filters, sort=state.sort, page=state.page,
        per_page=search_state.PER_PAGE))
    last_page = search_state.check_page(state, results.total)
    product = find_product(state.text) if state.text and state.page == 1 else None
    with session_scope(services.engine()) as session:
        rows = catalogue_reads.solutions_by_id(session, [hit.id for hit in results.hits])
        alternatives = [] if product is None else with_reasons(alternatives_for(
            session, services.search_service(), product, limit=SHOWN_WITH_SEARCH))
    items = [(hit, rows[hit.id], snippet(hit)) for hit in results.hits if hit.id in rows]
    return response_cache.store(render_template(
        "search.html", state=state, results=results, items=items, facets=FACETS, sorts=SORTS,
        last_page=last_page, title_html=title_html, product=product,
        alternatives=alternatives))


def snippet(hit: Hit) -> tuple[Markup, str | None] | None:
    """The best highlighted passage and its language: the reader's language first, then any.

    The search service escapes everything and adds only ``<mark>``; this is the one place a
    page trusts HTML it did not build itself. Fields end in their language (``short_de``);
    ``_other`` means unknown, so no ``lang`` is claimed for it.
    """
    fields = [f"{kind}_{current_language()}" for kind in SNIPPET_FIELDS]
    fields += sorted(name for name in hit.highlights if name != "name" and name not in fields)
    for name in fields:
        if hit.highlights.get(name):
            language = name.rsplit("_", 1)[-1]
            return (Markup(hit.highlights[name]),  # noqa: S704 - escaped by search.highlight
                    language if language in LANGUAGES else None)
    return None


def title_html(hit: Hit) -> Markup | str:
    """The solution's name with matched words marked, when the search marked any."""
    marked = hit.highlights.get("name")
    return Markup(marked) if marked else hit.name  # noqa: S704 - escaped by search.highlight

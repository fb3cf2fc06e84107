"""``/solutions``: search with filters, sorts, facets and cursor pagination; one solution.

The list runs through ``search.SearchService`` (the web never touches Whoosh), then loads the
page's solutions from the catalogue in one query so items carry the same fields as the detail.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from registry.db import session_scope
from search import FACETS, InvalidSearchRequest, SearchRequest, SearchResults

from .. import catalogue_reads, services
from . import blueprint, params
from .errors import bad_request, not_found
from .solution_shapes import detail, search_hit

LIST_PARAMETERS = ("q", "sort", "cursor", "per_page", *FACETS)


@blueprint.get("/solutions")
def solutions() -> Response:
    params.reject_unknown(LIST_PARAMETERS)
    text, sort, chosen = params.query_text(), params.sort(), params.filters()
    paging = params.paging()
    try:
        search = SearchRequest(text=text, filters=chosen, sort=sort, page=paging.page,
                               per_page=paging.per_page, highlight=False)
    except InvalidSearchRequest as exc:
        raise bad_request(str(exc)) from None
    results = services.search_service().search(search)
    with session_scope(services.engine()) as session:
        rows = catalogue_reads.solutions_by_id(session, [hit.id for hit in results.hits])
    items = [search_hit(rows[hit.id], hit) for hit in results.hits if hit.id in rows]
    return params.paged_response({
        "items": items,
        "total": results.total,
        "per_page": paging.per_page,
        "sort": results.sort,
        "suggestion": results.suggestion,
        "facets": _facets(results, chosen),
    }, paging, results.total)


@blueprint.get("/solutions/<int:solution_id>")
def solution(solution_id: int) -> Response:
    params.reject_unknown(())
    with session_scope(services.engine()) as session:
        row = catalogue_reads.solution_detail(session, solution_id)
    if row is None:
        raise not_found(f"no solution with id {solution_id} is shown in the catalogue")
    return jsonify(detail(row))


def _facets(results: SearchResults, chosen: dict[str, list[str]]) -> dict[str, Any]:
    selected = {facet: {v.casefold() for v in values} for facet, values in chosen.items()}
    return {facet: [{"value": value, "count": count,
                     "selected": value.casefold() in selected.get(facet, set())}
                    for value, count in results.facets.get(facet, {}).items()]
            for facet in FACETS}

"""``/publishers``: the organisations behind solutions, paged; one publisher with what it
publishes and what it uses."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, url_for

from registry.db import session_scope
from registry.models import Publisher

from .. import catalogue_reads, services
from . import blueprint, params
from .errors import not_found
from .solution_shapes import summary

DEFAULT_PER_PAGE = 50


@blueprint.get("/publishers")
def publishers() -> Response:
    params.reject_unknown(("cursor", "per_page"))
    paging = params.paging(DEFAULT_PER_PAGE)
    offset = (paging.page - 1) * paging.per_page
    with session_scope(services.engine()) as session:
        total, rows = catalogue_reads.publishers_page(session, offset, paging.per_page)
    return params.paged_response({
        "items": [_publisher(p, count) for p, count in rows],
        "total": total,
        "per_page": paging.per_page,
    }, paging, total)


@blueprint.get("/publishers/<int:publisher_id>")
def publisher(publisher_id: int) -> Response:
    params.reject_unknown(())
    with session_scope(services.engine()) as session:
        found = catalogue_reads.publisher(session, publisher_id)
        if found is None:
            raise not_found(f"no publisher with id {publisher_id}")
        published = catalogue_reads.published_solutions(session, publisher_id)
        adopted = catalogue_reads.adopted_solutions(session, publisher_id)
    return jsonify({
        **_publisher(found, len(published)),
        "solutions": [summary(row) for row in published],
        "uses": [{"solution_id": solution.id, "name": solution.name,
                  "href": url_for("api.solution", solution_id=solution.id, _external=True),
                  "origin": "used_by" if adoption.origin == "publiccode" else "declared"}
                 for adoption, solution in adopted],
    })


def _publisher(publisher: Publisher, solution_count: int) -> dict[str, Any]:
    return {"id": publisher.id, "name": publisher.name, "slug": publisher.slug,
            "website": publisher.website, "region": publisher.region,
            "solution_count": solution_count,
            "href": url_for("api.publisher", publisher_id=publisher.id, _external=True)}


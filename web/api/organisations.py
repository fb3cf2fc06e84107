"""``/organisations``: the registered organisations, paged; one with its declarations.

Public information only: no member names or addresses, only how many members are active.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, url_for
from sqlmodel import select

from registry.db import session_scope
from registry.models import Organisation, Publisher

from .. import services
from ..community import organisation_reads
from . import blueprint, params
from .errors import not_found
from .solution_shapes import publisher_ref

DEFAULT_PER_PAGE = 50


@blueprint.get("/organisations")
def organisations() -> Response:
    params.reject_unknown(("cursor", "per_page"))
    paging = params.paging(DEFAULT_PER_PAGE)
    with session_scope(services.engine()) as session:
        total, rows = organisation_reads.page(session, (paging.page - 1) * paging.per_page,
                                              paging.per_page)
        publishers = _publishers(session, [o for o, _n in rows])
    return params.paged_response({
        "items": [organisation_shape(o, n, publishers.get(o.publisher_id or 0))
                  for o, n in rows],
        "total": total,
        "per_page": paging.per_page,
    }, paging, total)


@blueprint.get("/organisations/<int:organisation_id>")
def organisation(organisation_id: int) -> Response:
    params.reject_unknown(())
    with session_scope(services.engine()) as session:
        found = organisation_reads.by_id(session, organisation_id)
        if found is None:
            raise not_found(f"no organisation with id {organisation_id}")
        members = organisation_reads.member_count(session, found.id)
        publisher = _publishers(session, [found]).get(found.publisher_id or 0)
        adoptions = organisation_reads.declared_adoptions(session, found.id)
    return jsonify({
        **organisation_shape(found, members, publisher),
        "adoptions": [{"solution_id": solution.id, "name": solution.name,
                       "href": url_for("api.solution", solution_id=solution.id, _external=True),
                       "use_case": a.use_case,
                       "since": a.since.isoformat() if a.since else None,
                       "instance_url": a.instance_url, "contact_ok": bool(a.contact_ok)}
                      for a, solution in adoptions],
    })


def organisation_shape(o: Organisation, member_count: int,
                       publisher: Publisher | None) -> dict[str, Any]:
    return {"id": o.id, "name": o.name, "slug": o.slug, "kind": o.kind, "state": o.state,
            "official_key": o.official_key, "other_identifier": o.other_identifier,
            "website": o.website, "publisher": publisher_ref(publisher),
            "member_count": member_count,
            "href": url_for("api.organisation", organisation_id=o.id, _external=True)}


def _publishers(session, found: list[Organisation]) -> dict[int, Publisher]:
    ids = sorted({o.publisher_id for o in found if o.publisher_id})
    if not ids:
        return {}
    return {p.id: p for p in session.exec(select(Publisher).where(Publisher.id.in_(ids)))}

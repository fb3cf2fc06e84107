"""``GET /healthz``: a liveness check for load balancers, systemd and monitoring.

It answers ``ok`` as ``text/plain``: the process serves requests and its database answers.
It does not read the catalogue or the search index, so it does not say the data is sound (use
``/api/v1/solutions`` for that). Two 503s:

- ``database unavailable`` when the catalogue database does not answer
  (``web.database_outage``: one ``SELECT 1`` at most every ``DATABASE_CHECK_SECONDS`` while it
  answers, each time while it does not; a request that met the outage counts too);
- ``index damaged, rebuilding`` after a search found the index damaged, until the rebuild from
  the catalogue has committed (``web.index_repair``).

It is also the trivial route ``bench/web.py`` compares the search page with (its database
check is at most one ``SELECT 1`` in ten seconds).
"""

from __future__ import annotations

from flask import Blueprint, Response

from . import database_outage, index_repair, services

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> Response:
    if not database_outage.available(services.engine()):
        return Response("database unavailable", status=503, mimetype="text/plain",
                        headers={"Cache-Control": "no-store",
                                 "Retry-After": str(database_outage.RETRY_AFTER_SECONDS)})
    if index_repair.damaged_since() is not None:
        return Response("index damaged, rebuilding from the catalogue", status=503,
                        mimetype="text/plain", headers={"Cache-Control": "no-store"})
    return Response("ok", mimetype="text/plain", headers={"Cache-Control": "no-store"})

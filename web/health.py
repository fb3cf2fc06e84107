"""``GET /healthz``: a liveness check for load balancers, systemd and monitoring.

It answers ``ok`` as ``text/plain`` and touches neither the catalogue nor the search index, so
it says the process serves requests, not that the data is sound (use ``/api/v1/solutions``
for that). Two exceptions, from what the process already knows: after a request found the
catalogue database unavailable (``web.database_outage``), it answers 503 ``database
unavailable`` — asking the database with one ``SELECT 1`` each time until it answers again;
and after a search found the index damaged, until the rebuild from the catalogue has committed
(``web.index_repair``), it answers 503 ``index damaged, rebuilding``. It is also the trivial
route ``bench/web.py`` compares the search page with.
"""

from __future__ import annotations

from flask import Blueprint, Response

from . import database_outage, index_repair, services

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> Response:
    if database_outage.unavailable_since() is not None \
            and not database_outage.probe(services.engine()):
        return Response("database unavailable", status=503, mimetype="text/plain",
                        headers={"Cache-Control": "no-store",
                                 "Retry-After": str(database_outage.RETRY_AFTER_SECONDS)})
    if index_repair.damaged_since() is not None:
        return Response("index damaged, rebuilding from the catalogue", status=503,
                        mimetype="text/plain", headers={"Cache-Control": "no-store"})
    return Response("ok", mimetype="text/plain", headers={"Cache-Control": "no-store"})

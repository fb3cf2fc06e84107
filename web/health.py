"""``GET /healthz``: a liveness check for load balancers, systemd and monitoring.

It answers ``ok`` as ``text/plain`` and touches neither the catalogue nor the search index, so
it says the process serves requests, not that the data is sound (use ``/api/v1/solutions``
for that). It is also the trivial route ``bench/web.py`` compares the search page with.
"""

from __future__ import annotations

from flask import Blueprint, Response

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> Response:
    return Response("ok", mimetype="text/plain", headers={"Cache-Control": "no-store"})

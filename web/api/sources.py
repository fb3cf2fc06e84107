"""``/sources``: where the catalogue comes from and how its latest harvests went.

Operators configure sources; their URLs are shown for forges only — ``demo`` and ``files``
sources point at folders on the server, which are nobody else's business.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from registry.db import session_scope
from registry.models import RUN_COUNTS, HarvestRun, Source, iso_utc

from .. import catalogue_reads, services
from . import blueprint, params

LOCAL_SOURCE_TYPES = ("demo", "files")


@blueprint.get("/sources")
def sources() -> Response:
    params.reject_unknown(())
    with session_scope(services.engine()) as session:
        rows = catalogue_reads.sources_with_runs(session)
    return jsonify({"items": [_source(source, runs) for source, runs in rows]})


def _source(source: Source, runs: list[HarvestRun]) -> dict[str, Any]:
    public_url = source.url if source.type not in LOCAL_SOURCE_TYPES else None
    return {"id": source.id, "name": source.name, "type": source.type, "url": public_url,
            "runs": [_run(run) for run in runs]}


def _run(run: HarvestRun) -> dict[str, Any]:
    return {"id": run.id, "status": run.status, "started_at": iso_utc(run.started_at),
            "finished_at": iso_utc(run.finished_at),
            "counts": {name: getattr(run, name) for name in RUN_COUNTS},
            "errors": [{"url": str(e.get("url", "")), "message": str(e.get("message", ""))}
                       for e in run.errors if isinstance(e, dict)]}

"""Bulk data: ``/export/solutions.json`` and ``.csv`` (the rows of ``allmende export``, from
registry/export.py, so the CLI and the site never disagree) and ``/feeds/solutions.atom``."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, jsonify

from registry.db import session_scope
from registry.export import CSV_COLUMNS, csv_row, export_solutions
from search import SearchRequest

from . import catalogue_reads, services
from .api import params
from .atom import FEED_SIZE, solutions_feed

blueprint = Blueprint("exports", __name__)


@blueprint.get("/export/solutions.json")
def solutions_json() -> Response:
    params.reject_unknown(())
    with session_scope(services.engine()) as session:
        rows = export_solutions(session)
    response = jsonify(rows)
    response.headers["Content-Disposition"] = 'inline; filename="allmende-solutions.json"'
    return response


@blueprint.get("/export/solutions.csv")
def solutions_csv() -> Response:
    params.reject_unknown(())
    with session_scope(services.engine()) as session:
        rows = export_solutions(session)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(csv_row(row) for row in rows)
    return Response(buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="allmende-solutions.csv"'})


@blueprint.get("/feeds/solutions.atom")
def solutions_atom() -> Response:
    """The most recently changed shown solutions, newest first (the search index's order)."""
    params.reject_unknown(())
    results = services.search_service().search(
        SearchRequest.ranking_only(sort="updated", per_page=FEED_SIZE))
    with session_scope(services.engine()) as session:
        rows = catalogue_reads.solutions_by_id(session, [hit.id for hit in results.hits])
    ordered = [rows[hit.id] for hit in results.hits if hit.id in rows]
    return Response(solutions_feed(ordered), mimetype="application/atom+xml")

"""``/export/solutions.json`` and ``.csv`` (the rows of registry/export.py) and the Atom feed."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree as ET

from registry.db import session_scope
from registry.export import CSV_COLUMNS, export_solutions

ATOM = "{http://www.w3.org/2005/Atom}"


def test_json_export_is_the_registry_export(client, engine):
    response = client.get("/export/solutions.json")
    assert response.status_code == 200 and response.content_type == "application/json"
    with session_scope(engine) as session:
        assert response.get_json() == export_solutions(session)


def test_csv_export_parses(client):
    response = client.get("/export/solutions.csv")
    assert response.content_type.startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 5
    assert {row["name"] for row in rows} >= {"Terminbuchung Bürgeramt"}
    assert all(row["valid"] == "true" for row in rows)


def test_atom_feed_parses_and_lists_recent_changes(client):
    response = client.get("/feeds/solutions.atom")
    assert response.content_type.startswith("application/atom+xml")
    feed = ET.fromstring(response.data)  # noqa: S314 (our own output)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 5
    updated = [entry.findtext(f"{ATOM}updated") for entry in entries]
    assert updated == sorted(updated, reverse=True)
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == 5 and all(i.startswith("tag:") for i in ids)
    assert all(entry.findtext(f"{ATOM}title") for entry in entries)
    assert feed.findtext(f"{ATOM}updated") == updated[0]


def test_unknown_export_parameters_are_400(client):
    assert client.get("/export/solutions.csv?all=1").status_code == 400

"""A damaged search index never takes the server down: 503 for searches, the rest of the site
works, /healthz says so, and the index is rebuilt from the catalogue by itself (issue 11).

The index files are read, not memory-mapped: a segment truncated under a running server used
to end the process with SIGBUS. Here the segment is truncated after a first search has opened
it, as an operator's mistake or a full disk would do to a serving node.
"""

from __future__ import annotations

import threading
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

from search.schema import INDEX_NAME
from web import index_repair


def truncate_segments(index_dir: Path) -> None:
    segments = sorted(index_dir.glob("*.seg"))
    assert segments
    for segment in segments:
        with segment.open("r+b") as handle:
            handle.truncate(segment.stat().st_size // 3)


def test_a_truncated_segment_is_a_503_and_is_rebuilt_from_the_catalogue(app, client,
                                                                         catalogue):
    assert client.get("/api/v1/solutions?q=Abfall").get_json()["total"] >= 1
    truncate_segments(catalogue)

    api = client.get("/api/v1/solutions?q=Bürgerbeteiligung")
    assert api.status_code == 503 and api.mimetype == "application/problem+json"
    assert "being rebuilt" in api.get_json()["detail"]
    assert api.headers["Retry-After"] == "60"
    page = client.get("/suche?q=Termin")
    assert page.status_code == 503
    assert "Der Suchindex ist beschädigt" in page.get_data(as_text=True)
    assert client.get("/ueber").status_code == 200  # the rest of the site works

    assert index_repair.wait_for_rebuild(timeout=60)
    assert client.get("/healthz").get_data(as_text=True) == "ok"
    body = client.get("/api/v1/solutions?q=Abfall").get_json()
    assert body["total"] >= 1 and body["items"][0]["name"] == "Abfallkalender"



def test_healthz_reports_a_damaged_index_until_it_is_repaired(app, client, catalogue):
    client.get("/api/v1/solutions?q=Abfall")
    truncate_segments(catalogue)
    # Another writer holds the index (as a harvest would): the rebuild waits for it, and
    # meanwhile the node is unhealthy and says why.
    busy = FileStorage(str(catalogue)).open_index(INDEX_NAME).writer()
    try:
        assert client.get("/api/v1/solutions?q=Karte").status_code == 503
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.get_data(as_text=True) == "index damaged, rebuilding from the catalogue"
    finally:
        busy.cancel()
    assert index_repair.wait_for_rebuild(timeout=90)
    assert client.get("/healthz").status_code == 200


def test_a_served_node_catches_its_index_up_with_the_catalogue(app, client, engine):
    """An index that is readable but behind (a reindex that found it busy, a harvest killed
    between its two commits) is caught up by content version when the node starts and then
    periodically; here one pass, with the loop told to stop after it."""
    from sqlmodel import select

    from registry.db import session_scope
    from registry.models import Solution

    with session_scope(engine) as session:
        solution = session.exec(select(Solution).where(Solution.name == "Abfallkalender")).one()
        solution.name = "Xylofonix-Kalender"
        session.commit()
    assert client.get("/api/v1/solutions?q=Xylofonix").get_json()["total"] == 0

    stop = threading.Event()
    stop.set()
    index_repair.keep_caught_up(app, 3600, stop).join(timeout=60)

    body = client.get("/api/v1/solutions?q=Xylofonix").get_json()
    assert [item["name"] for item in body["items"]] == ["Xylofonix-Kalender"]
    assert index_repair.catch_up(app) is None  # nothing behind any more


def test_a_segment_deleted_under_a_serving_node_is_found_by_its_catch_up(app, client, catalogue):
    """Open files keep answering, so searches cannot notice; the catch-up opens the index
    afresh, finds the damage and rebuilds, so the files on disk are whole again."""
    assert client.get("/api/v1/solutions?q=Abfall").status_code == 200
    for segment in catalogue.glob("*.seg"):
        segment.unlink()

    assert index_repair.catch_up(app) is None
    assert index_repair.wait_for_rebuild(timeout=90)

    assert list(catalogue.glob("*.seg"))
    assert client.get("/healthz").get_data(as_text=True) == "ok"
    assert client.get("/api/v1/solutions?q=Abfall").get_json()["total"] >= 1


def test_a_search_after_a_segment_was_deleted_says_so_and_the_node_rebuilds(app, client,
                                                                            catalogue):
    """The open files would still answer, but the index on disk is broken: the next search
    notices (segment sizes) and the node repairs it at once instead of at its next catch-up."""
    assert client.get("/api/v1/solutions?q=Termin").status_code == 200
    for segment in catalogue.glob("*.seg"):
        segment.unlink()
    assert client.get("/api/v1/solutions?q=Karte").status_code == 503
    assert index_repair.wait_for_rebuild(timeout=90)
    assert client.get("/healthz").get_data(as_text=True) == "ok"
    assert client.get("/api/v1/solutions?q=Termin").get_json()["total"] >= 1

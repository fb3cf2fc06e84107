"""``/api/v1/solutions``: search, filters, sorts, facets, cursor pagination, the detail."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

DEMO_NAMES = {"Abfallkalender", "Beteiligungsportal", "Parkraum-App", "Ratsinfo Light",
              "Terminbuchung Bürgeramt"}


def walk(client, url: str) -> list[dict]:
    """Follow ``next`` links to the end; every page is validated by the client."""
    items, seen = [], set()
    while url:
        assert url not in seen, "pagination loops"
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        items += body["items"]
        url = body["links"]["next"]
        if url:
            assert response.headers["Link"] == f'<{url}>; rel="next"'
            url = url.removeprefix("http://localhost")
    return items


def test_lists_every_shown_solution_by_name(client):
    body = client.get("/api/v1/solutions").get_json()
    assert body["total"] == 5 and body["sort"] == "name"
    assert [item["name"] for item in body["items"]] == sorted(DEMO_NAMES)
    assert body["links"]["next"] is None
    first = body["items"][0]
    assert first["href"] == f"http://localhost/api/v1/solutions/{first['id']}"
    assert first["maintenance"] == {"type": "none", "level": 0}
    assert first["short_descriptions"]["de"].startswith("Abfuhrtermine")


@pytest.mark.parametrize("per_page", [1, 2, 3, 5])
def test_cursor_pagination_walks_every_solution_once(client, per_page):
    items = walk(client, f"/api/v1/solutions?per_page={per_page}&sort=name")
    assert [item["name"] for item in items] == sorted(DEMO_NAMES)


def test_next_links_keep_filters_and_an_opaque_cursor(client):
    body = client.get("/api/v1/solutions?per_page=1&platform=web&sort=updated").get_json()
    query = urlsplit(body["links"]["next"]).query
    assert "platform=web" in query and "sort=updated" in query and "per_page=1" in query
    cursor = query.split("cursor=")[1]
    assert not cursor.isdigit()
    assert len(walk(client, "/api/v1/solutions?per_page=1&platform=web")) == body["total"]


def test_text_search_finds_by_german_stem(client):
    body = client.get("/api/v1/solutions?q=Abfuhrtermin").get_json()
    assert body["sort"] == "relevance"
    assert [item["name"] for item in body["items"]][0] == "Abfallkalender"


def test_filters_and_facets(client):
    everything = client.get("/api/v1/solutions").get_json()
    platforms = {f["value"]: f["count"] for f in everything["facets"]["platform"]}
    assert platforms["web"] >= 1
    body = client.get("/api/v1/solutions?maintenance_type=internal").get_json()
    assert {item["maintenance"]["type"] for item in body["items"]} == {"internal"}
    assert body["total"] == 2
    chosen = [f for f in body["facets"]["maintenance_type"] if f["selected"]]
    assert [f["value"] for f in chosen] == ["internal"]
    both = client.get("/api/v1/solutions?maintenance_type=internal"
                      "&maintenance_type=community").get_json()
    assert both["total"] == 3


def test_sorts(client):
    updated = client.get("/api/v1/solutions?sort=updated").get_json()["items"]
    times = [item["last_changed_at"] for item in updated]
    assert times == sorted(times, reverse=True)
    adopted = client.get("/api/v1/solutions?sort=adopted").get_json()
    assert adopted["sort"] == "adopted" and adopted["total"] == 5


def test_a_query_without_hits_is_an_empty_page(client):
    body = client.get("/api/v1/solutions?q=zzzqqqxxx").get_json()
    assert (body["total"], body["items"], body["links"]["next"]) == (0, [], None)


def test_detail_has_descriptions_findings_signals_and_adoptions(client):
    items = client.get("/api/v1/solutions").get_json()["items"]
    ids = {item["name"]: item["id"] for item in items}
    body = client.get(f"/api/v1/solutions/{ids['Beteiligungsportal']}").get_json()
    assert body["descriptions"]["de"]["features"][0].startswith("Vorschläge")
    assert body["signals"]["level"] == 3
    assert {rule["id"] for rule in body["signals"]["rules"]} >= {"active", "team", "dormant"}
    assert all(rule["derivation_de"] for rule in body["signals"]["rules"])
    assert {a["organisation"] for a in body["adoptions"]["used_by"]} >= {"Stadt Musterstadt"}
    assert body["adoptions"]["declared"] == []
    assert body["source"] == "demo" and body["harvest"]["last_error"] is None
    assert body["forge"]["default_branch"] == "main"
    old = client.get(f"/api/v1/solutions/{ids['Abfallkalender']}").get_json()
    assert old["findings"][0]["severity"] == "warning"
    assert set(old["findings"][0]) == {"key", "line", "column", "message", "severity"}


@pytest.mark.parametrize("path", ["/api/v1/solutions/999999", "/api/v1/solutions/0",
                                  "/api/v1/solutions/99999999999999999999999",
                                  "/api/v1/solutions/-1", "/api/v1/solutions/abc"])
def test_unknown_solutions_are_404_problems(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.get_json()["status"] == 404

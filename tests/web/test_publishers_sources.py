"""``/api/v1/publishers`` and ``/api/v1/sources``."""

from __future__ import annotations

import pytest

from .test_solutions import walk


def test_publishers_are_listed_by_name_with_counts(client):
    body = client.get("/api/v1/publishers").get_json()
    names = [p["name"] for p in body["items"]]
    assert names == sorted(names) and "Stadt Musterstadt" in names
    assert body["total"] == len(names) and body["links"]["next"] is None
    assert sum(p["solution_count"] for p in body["items"]) == 5


def test_publisher_pages_walk_every_publisher_once(client):
    everything = client.get("/api/v1/publishers").get_json()["items"]
    assert walk(client, "/api/v1/publishers?per_page=2") == everything


def test_a_publisher_with_its_solutions_and_what_it_uses(client):
    items = client.get("/api/v1/publishers").get_json()["items"]
    musterstadt = next(p for p in items if p["name"] == "Stadt Musterstadt")
    body = client.get(musterstadt["href"].removeprefix("http://localhost")).get_json()
    assert [s["name"] for s in body["solutions"]] == ["Beteiligungsportal"]
    assert {u["name"] for u in body["uses"]} >= {"Beteiligungsportal"}
    assert {u["origin"] for u in body["uses"]} == {"used_by"}


@pytest.mark.parametrize("path", ["/api/v1/publishers/424242", "/api/v1/publishers/0",
                                  "/api/v1/publishers/18446744073709551616"])
def test_unknown_publishers_are_404_problems(client, path):
    response = client.get(path)
    assert (response.status_code, response.content_type) == (404, "application/problem+json")


def test_sources_show_their_latest_runs_and_hide_local_paths(client):
    body = client.get("/api/v1/sources").get_json()
    [source] = body["items"]
    assert (source["name"], source["type"], source["url"]) == ("demo", "demo", None)
    [run] = source["runs"]
    assert run["status"] == "ok" and run["counts"]["new"] == 5 and run["errors"] == []
    assert run["finished_at"].endswith("Z")

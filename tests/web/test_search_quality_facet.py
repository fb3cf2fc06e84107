"""The search facet ``quality`` on the page and in the API: values in words, chips, filters."""

from __future__ import annotations

import re

from search import reindex

from .test_pages_quality import readable_solution


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def with_readable(app, engine) -> int:
    solution_id = readable_solution(engine)
    reindex(engine, app.config["INDEX_DIR"], [solution_id])
    return solution_id


def test_the_facet_shows_the_grades_in_words(app, client, engine):
    with_readable(app, engine)
    html = page(client, "/suche")
    facet = re.search(r"<legend>Metadaten</legend>.*?</fieldset>", html, re.S)
    assert facet, "no quality facet"
    assert re.search(r'value="readable">\s*<label[^>]*>lesbar, mit Hinweisen '
                     r'<span class="count">\(1\)</span>', facet.group(0))
    assert re.search(r'value="valid">\s*<label[^>]*>gültig <', facet.group(0))
    assert ">readable <" not in html
    assert "<legend>Metadata</legend>" in page(client, "/suche?lang=en")


def test_the_chip_filters_and_removes(app, client, engine):
    with_readable(app, engine)
    html = page(client, "/suche?quality=readable")
    assert "Ratsinfo Nachsichtig" in html and "1 Lösung gefunden" in html
    chip = re.search(r'<a class="chip" href="([^"]*)">Metadaten: lesbar, mit Hinweisen ', html)
    assert chip and "quality" not in chip.group(1)
    assert "readable, with notes" in page(client, "/suche?quality=readable&lang=en")


def test_the_api_filters_by_quality(app, client, engine):
    solution_id = with_readable(app, engine)
    body = client.get("/api/v1/solutions?quality=readable").get_json()
    assert [item["id"] for item in body["items"]] == [solution_id]
    assert {"value": "readable", "count": 1, "selected": True} in body["facets"]["quality"]
    valid = client.get("/api/v1/solutions?quality=valid&per_page=100").get_json()
    assert valid["total"] >= 1 and all(item["quality"] == "valid" for item in valid["items"])
    assert client.get("/api/v1/solutions?quality=complete").get_json()["total"] == 0
    parameters = client.get("/api/v1/openapi.json").get_json()["paths"]["/solutions"]["get"]
    assert "quality" in {p["name"] for p in parameters["parameters"]}

"""``allmende match``: the matches a need with this text gets, as the web shows them."""

from __future__ import annotations

import json

from click.testing import CliRunner

from market import match_solutions
from registry.cli import main
from registry.models import Need
from search import SearchService

from .conftest import OPAS, declare


def test_match_without_an_index_exits_2(run):
    result = run("match", "Luftqualität")
    assert result.exit_code == 2 and "index rebuild" in result.output


def test_match_gives_what_the_library_gives_in_json_and_in_words(run, engine, towns,
                                                                 tmp_path):
    assert run("index", "rebuild").exit_code == 0
    declare(engine, towns, "nordhafen", OPAS)
    result = run("match", "Luftqualität überwachen", "--field", "environment", "--format",
                 "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    first = data["results"][0]
    assert first["url"] == OPAS and set(first) == {"id", "name", "url", "score", "reasons"}
    assert {"code": "concept", "query": "Luftqualität", "term": "qualità dell'aria",
            "language": "it"} in first["reasons"]
    assert data["organisations"][0]["name"] == "Stadt Nordhafen"
    assert data["organisations"][0]["reasons"][0]["code"] == "uses"
    service = SearchService(tmp_path / "data" / "index")
    need = Need(title="Luftqualität überwachen", description="", field_of_action="environment")
    assert [m.to_json() for m in match_solutions(engine, service, need)] == data["results"]

    text = run("match", "Luftqualität überwachen", "--field", "environment", "--limit", "2")
    assert text.exit_code == 0
    assert text.output.startswith("Passende Lösungen:\n1. ") and OPAS in text.output
    assert "Sprachübergreifend gefunden" in text.output
    assert "Stadt Nordhafen: Nutzt" in text.output
    assert "found across languages" not in text.output.casefold()

    english = run("match", "Luftqualität überwachen", "--field", "environment", "--limit", "2",
                  "--lang", "en")
    assert english.exit_code == 0
    assert "Found across languages" in english.output and "Stadt Nordhafen: Uses" in english.output


def test_unknown_field_is_a_usage_error():
    result = CliRunner().invoke(main, ["match", "Luftqualität", "--field", "weltraum"])
    assert result.exit_code == 2

"""``allmende index rebuild``, ``allmende index check`` and ``allmende search`` via CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from registry.cli import main
from registry.cli import search as search_cli

from .conftest import EXAMPLE_URLS, PORTAL_BYTES, record


@pytest.fixture
def run(tmp_path, database_url, engine, catalogue_ids, monkeypatch):
    """The CLI against the test catalogue, with the index in a private data directory."""
    config = tmp_path / "allmende.toml"
    config.write_text(f'data_dir = "{tmp_path / "data"}"\ndatabase_url = "{database_url}"\n')
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str):
        return CliRunner().invoke(main, ["--config", str(config), *args],
                                  catch_exceptions=False)

    return invoke


def test_rebuild_then_check_then_search(run):
    rebuilt = run("index", "rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "indexed" in rebuilt.stderr

    checked = run("index", "check")
    assert checked.exit_code == 0
    assert "index and catalogue agree" in checked.stdout

    found = run("search", "Bürgerbeteiligung", "--format", "json")
    assert found.exit_code == 0
    payload = json.loads(found.stdout)
    assert set(payload) == {"product", "alternatives", "total", "results", "facets",
                            "suggestion", "relaxed"}
    assert payload["product"] is None and payload["alternatives"] == []
    assert payload["suggestion"] is None and payload["relaxed"] is False
    hit, *others = payload["results"]
    assert set(hit) == {"id", "name", "url", "score", "highlights", "matched_via"}
    assert hit["name"] == "Beteiligungsportal" and hit["url"] == EXAMPLE_URLS["beteiligungsportal"]
    assert "<mark>Bürgerbeteiligung</mark>" in hit["highlights"]["short_de"]
    assert hit["matched_via"] == []  # it says the word itself
    # the others are Italian: found through the concept, and they say so
    assert others and all(other["matched_via"] for other in others)
    assert {"query": "Bürgerbeteiligung", "language": "it", "kind": "concept"}.items() <= \
        others[0]["matched_via"][0].items()
    assert payload["facets"]["category"]["survey"] == 1


def test_a_query_naming_a_product_gives_the_search_pages_alternatives(run, engine):
    """The same answer as the search page: the product's open alternatives first, with the
    page's reasons (market.alternatives, web/community/need_words.py)."""
    from market.alternatives import alternatives_for
    from registry.alternatives import find_product

    assert run("index", "rebuild").exit_code == 0
    found = json.loads(run("search", "statt Doodle", "--format", "json").stdout)
    assert found["product"]["id"] == "doodle"
    expected = alternatives_for(engine, "data/index", find_product("Doodle"), limit=5)
    assert found["alternatives"] == [alternative.to_json() for alternative in expected]
    assert found["alternatives"][0]["name"] == "Terminbuchung Bürgeramt"

    text = run("search", "Alternative zu Doodle").stdout
    assert text.startswith("Offene Alternativen zu Doodle:\n  Terminbuchung Bürgeramt")
    assert "In der Kategorie" in text


def test_check_exits_1_and_names_the_difference(run, engine):
    assert run("index", "rebuild").exit_code == 0
    url = "https://git.example/allmende-demo/neu"
    new_id = record(engine, url, PORTAL_BYTES.replace(b"allmende-demo/beteiligungsportal",
                                                      b"allmende-demo/neu")).solution_id
    checked = run("index", "check")
    assert checked.exit_code == 1
    assert f"1 missing from the index: {new_id}" in checked.stdout
    assert "allmende index rebuild" in checked.stderr


def test_check_compares_content_not_only_ids(run, engine):
    """A solution renamed in the catalogue after the index was written: same ids, same count,
    yet the index would find the old name. The check says so; a harvest catches it up."""
    assert run("index", "rebuild").exit_code == 0
    portal = EXAMPLE_URLS["beteiligungsportal"]
    solution_id = record(engine, portal, PORTAL_BYTES.replace(
        b"name: Beteiligungsportal", b"name: Mitmachportal", 1)).solution_id
    checked = run("index", "check")
    assert checked.exit_code == 1
    assert (f"1 indexed from an older version of their catalogue entry: {solution_id}"
            in checked.stdout)
    assert "the next harvest catches the index up" in checked.stderr
    assert run("reread").exit_code == 0  # like a harvest, it follows by content version
    assert run("index", "check").exit_code == 0


def test_a_damaged_index_is_said_clearly_with_its_own_exit_code(run, tmp_path):
    assert run("index", "rebuild").exit_code == 0
    for segment in (tmp_path / "data" / "index").glob("*.seg"):
        with segment.open("r+b") as handle:
            handle.truncate(segment.stat().st_size // 3)
    for command in (("search", "Bürgerbeteiligung"), ("index", "check")):
        result = run(*command)
        assert result.exit_code == search_cli.INDEX_DAMAGED_EXIT == 4, command
        assert "the search index in" in result.stderr and "cannot be read" in result.stderr
        assert "allmende index rebuild" in result.stderr and "Aborted" not in result.output
    assert run("index", "rebuild").exit_code == 0
    assert run("index", "check").exit_code == 0


def test_a_deleted_segment_is_damage_too(run, tmp_path):
    assert run("index", "rebuild").exit_code == 0
    for segment in (tmp_path / "data" / "index").glob("*.seg"):
        segment.unlink()
    for command in (("search", "Bürgerbeteiligung"), ("index", "check")):
        result = run(*command)
        assert result.exit_code == search_cli.INDEX_DAMAGED_EXIT, command
        assert "cannot be read" in result.stderr and "Traceback" not in result.output
    assert run("index", "rebuild").exit_code == 0
    assert run("index", "check").exit_code == 0


def test_check_without_an_index_exits_1(run):
    checked = run("index", "check")
    assert checked.exit_code == 1
    assert "missing from the index" in checked.stdout


def test_search_filters_sort_limit_and_text_output(run):
    assert run("index", "rebuild").exit_code == 0
    result = run("search", "--filter", "category=survey", "--filter", "category=mobile-payment",
                 "--sort", "name", "--limit", "1")
    assert result.exit_code == 0
    portal = EXAMPLE_URLS["beteiligungsportal"]
    assert result.stdout.splitlines() == [f"Beteiligungsportal  {portal}"]
    assert "2 solution(s), sorted by name" in result.stderr

    anded = json.loads(run("search", "--filter", "category=survey", "--filter", "license=MIT",
                           "--format", "json").stdout)
    assert anded["total"] == 0 and anded["results"] == []


def test_search_offers_a_suggestion(run):
    assert run("index", "rebuild").exit_code == 0
    result = run("search", "Bürgerbeteiliung")
    assert result.exit_code == 0
    assert "Meinten Sie: Bürgerbeteiligung" in result.stderr
    payload = json.loads(run("search", "Bürgerbeteiliung", "--format", "json").stdout)
    assert payload["suggestion"] == "Bürgerbeteiligung" and payload["total"] == 0


@pytest.mark.parametrize("bad", ["colour=red", "category", "category="])
def test_search_rejects_unknown_filters(run, bad):
    assert run("index", "rebuild").exit_code == 0
    result = run("search", "x", "--filter", bad)
    assert result.exit_code == 2
    assert "FIELD=VALUE" in result.output


def test_search_without_an_index_says_what_to_do(run):
    result = run("search", "x")
    assert result.exit_code == 2
    assert "allmende index rebuild" in result.stderr


def test_the_cli_knows_the_services_facets_and_sorts():
    import search

    assert tuple(search.FACETS) == search_cli.FACET_NAMES
    assert search_cli.SORT_NAMES == search.SORTS


def test_commands_facets_and_sorts_are_documented():
    import search

    from .conftest import REPO_ROOT

    cli_doc = (REPO_ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    search_doc = (REPO_ROOT / "docs" / "search.md").read_text(encoding="utf-8")
    for heading in ("## `allmende index rebuild`", "## `allmende index check`",
                    "## `allmende search [QUERY]"):
        assert heading in cli_doc
    for name in (*search.FACETS, *search.SORTS):
        assert f"`{name}`" in search_doc and name in cli_doc, name

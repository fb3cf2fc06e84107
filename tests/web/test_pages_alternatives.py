"""``/alternativen`` and ``/alternativen/<id>``: the proprietary products by kind, one product
with its open alternatives and reasons, and the form that finds a product in a town's words."""

from __future__ import annotations

import pytest

from registry.alternatives import KINDS
from web.pages.alternative_pages import KIND_WORDS


def test_every_product_kind_has_words():
    assert set(KIND_WORDS) == set(KINDS)


def test_the_products_are_listed_by_kind_and_linked(client):
    page = client.get("/alternativen").text
    assert "Offene Alternativen zu proprietärer Software" in page
    assert "Videokonferenzen" in page and "Terminvergabe" in page
    assert 'href="/alternativen/doodle"' in page and "Doodle AG" in page
    assert 'href="/alternativen"' in client.get("/").text  # in the main navigation


@pytest.mark.parametrize("words", ["statt Doodle", "Dodle", "Alternative zu Doodle"])
def test_the_form_leads_to_the_product_named(client, words):
    response = client.get("/alternativen", query_string={"produkt": words})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/alternativen/doodle")


def test_words_naming_no_product_say_so_and_offer_the_catalogue_search(client):
    page = client.get("/alternativen?produkt=Gartenzwerg").text
    assert "„Gartenzwerg“ kennt Allmende nicht als Produkt" in page
    assert 'href="/suche?q=Gartenzwerg"' in page
    hostile = client.get("/alternativen", query_string={"produkt": "<script>x</script>" * 50})
    assert hostile.status_code == 200 and "<script>x" not in hostile.text


def test_a_product_page_lists_its_alternatives_with_reasons(client):
    page = client.get("/alternativen/doodle").text
    assert "Offene Alternativen zu Doodle" in page and "Doodle AG" in page
    assert "Terminbuchung Bürgeramt" in page and "In der Kategorie" in page
    assert "Genutzt von:" in page
    english = client.get("/alternativen/doodle?lang=en").text
    assert "Open alternatives to Doodle" in english and "Vendor" in english


def test_an_unknown_product_is_a_404_page(client):
    response = client.get("/alternativen/gibt-es-nicht")
    assert response.status_code == 404 and "Dieses Produkt kennt Allmende nicht." in response.text


def test_a_solution_page_shows_similar_solutions_with_reasons(client):
    items = client.get("/api/v1/solutions").get_json()["items"]
    by_name = {item["name"]: item["id"] for item in items}
    page = client.get(f"/loesungen/{by_name['Abfallkalender']}").text
    section = page[page.index('id="similar-heading"'):]
    section = section[:section.index("</section>")]
    assert "Terminbuchung Bürgeramt" in section and "Nennt" in section
    english = client.get(f"/loesungen/{by_name['Abfallkalender']}?lang=en").text
    assert "Similar solutions" in english
    assert 'id="similar-heading"' not in client.get(
        f"/loesungen/{by_name['Parkraum-App']}").text  # nothing similar enough: no section


def test_variants_are_shown_both_ways(client, engine):
    """A solution whose isBasedOn names the demo's appointment booking: each page links the
    other (the base as a catalogue entry beside its repository, the variant under
    "Varianten, die hierauf beruhen")."""
    from tests.search.conftest import EXAMPLES, record

    items = client.get("/api/v1/solutions").get_json()["items"]
    base = next(item for item in items if item["name"] == "Terminbuchung Bürgeramt")
    base_id, base_url = base["id"], base["url"]
    variant_url = "https://git.example/kreis/terminbuchung-kreis"
    text = (EXAMPLES / "terminbuchung" / "publiccode.yml").read_text(encoding="utf-8")
    text = text.replace('url: "https://git.example/allmende-demo/terminbuchung"',
                        f'url: "{variant_url}"')
    text = text.replace("name: Terminbuchung Bürgeramt", "name: Terminbuchung Kreis")
    text += f"\nisBasedOn:\n  - {base_url}.git\n"
    variant_id = record(engine, variant_url, text.encode()).solution_id

    variant_page = client.get(f"/loesungen/{variant_id}").text
    assert f'href="/loesungen/{base_id}">Terminbuchung Bürgeramt</a> (im Katalog' in variant_page
    base_page = client.get(f"/loesungen/{base_id}").text
    assert "Varianten, die hierauf beruhen" in base_page
    assert f'href="/loesungen/{variant_id}">Terminbuchung Kreis</a>' in base_page

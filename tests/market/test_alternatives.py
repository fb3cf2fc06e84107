"""Open alternatives to a proprietary product: what says it replaces it comes first, then what
serves the same categories; a mere mention is no reason. On the search tests' catalogue
(examples and the shared corpus) and two variants of the appointment example made here."""

from __future__ import annotations

from market.alternatives import alternatives_for
from registry.alternatives import find_product, replaced_products
from tests.search.conftest import EXAMPLES, record

from .conftest import TERMINE

TEMPLATE = (EXAMPLES / "terminbuchung" / "publiccode.yml").read_text(encoding="utf-8")
REPLACING_URL = "https://git.example/allmende-demo/umfrage-termine"
MENTIONING_URL = "https://git.example/allmende-demo/kalender-export"


def variant(url: str, name: str, short: str) -> bytes:
    text = TEMPLATE.replace("https://git.example/allmende-demo/terminbuchung", url)
    text = text.replace("name: Terminbuchung Bürgeramt", f"name: {name}")
    start = text.index("    shortDescription: >-")
    end = text.index("    longDescription:", start)
    return (text[:start] + f"    shortDescription: '{short}'\n" + text[end:]).encode()


def reasons(alternative) -> dict[str, dict]:
    return {reason.code: dict(reason.values) for reason in alternative.reasons}


def test_what_says_it_replaces_the_product_comes_first_a_mention_is_no_reason(
        engine, catalogue_ids, index_dir):
    from search import rebuild

    record(engine, REPLACING_URL, variant(REPLACING_URL, "Terminumfrage",
                                          "Termine finden im Team – eine freie Alternative zu "
                                          "Doodle, ohne Werbung und ohne Datenabfluss."))
    record(engine, MENTIONING_URL, variant(MENTIONING_URL, "Kalenderexport",
                                           "Exportiert Termine aus Doodle in den Kalender der "
                                           "Verwaltung."))
    rebuild(engine, index_dir)
    doodle = find_product("Alternative zu Doodle")

    found = alternatives_for(engine, index_dir, doodle, limit=20)
    by_url = {alternative.url: alternative for alternative in found}
    assert found[0].url == REPLACING_URL
    assert reasons(found[0])["replaces"] == {"product": "Doodle"}
    assert reasons(found[0])["category"] == {"categories": ["appointment-scheduling"]}
    mention = by_url[MENTIONING_URL]  # listed for its category, not as a replacement
    assert "replaces" not in reasons(mention) and "category" in reasons(mention)
    assert reasons(by_url[TERMINE])["category"] == {"categories": ["appointment-scheduling"]}
    assert [a.score for a in found] == sorted((a.score for a in found), reverse=True)
    assert found[0].to_json()["reasons"][0] == {"code": "replaces", "product": "Doodle"}


def test_every_alternative_is_listed_for_what_it_does_not_only_for_its_standing(
        engine, catalogue_ids, index_dir):
    """Adoptions and maintenance order alternatives; they never make one."""
    oracle = find_product("statt Oracle Database")
    assert oracle is not None and oracle.id == "oracle-database"
    found = alternatives_for(engine, index_dir, oracle)
    assert all({"category", "replaces", "same_purpose"} & set(reasons(a)) for a in found)


def test_what_does_the_same_job_is_found_by_the_words_for_the_job(engine, catalogue_ids,
                                                                  index_dir):
    """SessionNet's kind says "Ratsinformationssystem": the demo's council information
    system is found for it, and says so."""
    found = alternatives_for(engine, index_dir, find_product("Ersatz für SessionNet"))
    ratsinfo = next(a for a in found if a.name == "Ratsinfo Light")
    assert reasons(ratsinfo)["same_purpose"] == {"term": "Ratsinformationssystem"}


def test_only_a_product_after_a_lead_phrase_is_replaced():
    text = "Eine Alternative zu Doodle; exportiert nach Excel und streamt zu Webex."
    assert [product.id for product in replaced_products(text)] == ["doodle"]
    assert replaced_products("") == ()


"""registry.alternatives: the shipped product vocabulary, finding a product in a user's words,
and the loader's refusals of broken data."""

from __future__ import annotations

import time

import pytest

from registry.alternatives import (
    KINDS,
    LEAD_PHRASES,
    Product,
    ProductVocabularyError,
    find_product,
    parse_products,
    products,
)
from registry.alternatives.products import words
from registry.publiccode.vocabularies import CATEGORIES

VALID = """
[[product]]
id = "doodle"
name = "Doodle"
vendor = "Doodle AG"
misspellings = ["Dodle"]
categories = ["appointment-scheduling"]
kind = "appointments"
"""


def _with(**fields: str | None) -> str:
    """One more product after VALID, its fields given as TOML values."""
    entry = {"id": '"other"', "name": '"Other"', "vendor": '"Vendor"',
             "categories": '["survey"]', "kind": '"survey"', **fields}
    lines = [f"{key} = {value}" for key, value in entry.items() if value is not None]
    return VALID + "\n[[product]]\n" + "\n".join(lines) + "\n"


# -- the shipped data --


def test_the_shipped_vocabulary_loads_with_many_products():
    shipped = products()
    assert len(shipped) >= 80
    assert all(isinstance(product, Product) for product in shipped)
    assert products() is shipped  # read once


def test_every_shipped_product_is_well_formed():
    shipped = products()
    assert len({product.id for product in shipped}) == len(shipped)
    for product in shipped:
        assert set(product.categories) <= CATEGORIES, product.id
        assert product.kind in KINDS, product.id
        assert product.name and product.vendor, product.id
        assert isinstance(product.aliases, tuple) and isinstance(product.misspellings, tuple)
        assert product.wikidata is None or product.wikidata.startswith("Q")


def test_every_kind_is_used_or_other():
    used = {product.kind for product in products()}
    assert set(KINDS) - used <= {"other"}


def test_every_shipped_name_finds_its_own_product():
    for product in products():
        for name in product.names():
            assert find_product(name) == product, (name, product.id)


# -- finding a product --


@pytest.mark.parametrize(("text", "expected"), [
    ("Alternative zu Doodle", "doodle"),
    ("statt MS Teams", "microsoft-teams"),
    ("Ersatz für SharePoint", "microsoft-sharepoint"),
    ("alternative to zoom", "zoom"),
    ("Microsoft Temas", "microsoft-teams"),
    ("Outlook", "microsoft-outlook"),
    ("ArcGIS", "esri-arcgis"),
    ("Teams", "microsoft-teams"),
    ("Microsoft Teams Premium", "microsoft-teams"),
    ("MS-Teams", "microsoft-teams"),
    ("ALTERNATIVEN FÜR DODLE?", "doodle"),
    ("anstelle von Office 365", "microsoft-365"),
    ("Microsoft Office", "microsoft-office"),
    ("Microsoft 365 Copilot", "microsoft-copilot"),
    ("Windows Server 2022", "windows-server"),
    ("instead of SurveyMonkey", "surveymonkey"),
    ("replacement for Google Forms", "google-forms"),
    ("anstatt Sternberg SD.NET", "sternberg-sd-net"),
    ("Maengelmelder", "maengelmelder"),
    ("Mängelmelder", "maengelmelder"),
    ("microsoft-teams", "microsoft-teams"),
])
def test_find_product(text, expected):
    found = find_product(text)
    assert found is not None and found.id == expected


def test_the_product_after_a_lead_phrase_wins():
    assert find_product("Alternative zu Doodle für Microsoft Teams").id == "doodle"
    assert find_product("Teams statt Zoom").id == "zoom"


def test_without_a_lead_phrase_the_longest_name_wins():
    assert find_product("Teams oder Microsoft Office").id == "microsoft-office"


@pytest.mark.parametrize("text", [
    "ein ganz normaler Satz ohne Produkt", "", "   ", "?!", "Alternative zu", "statt",
    "Teamsitzung", "Session",
])
def test_no_product(text):
    assert find_product(text) is None


def test_folding():
    assert words("Ersatz für MS-Office!") == ("ersatz", "fur", "ms", "office")
    assert words("Straße") == ("strasse",)
    assert words("Maengelmelder") == words("Mängelmelder") == words("Mangelmelder")
    assert words("Queue") == ("queu",)  # the u after q stays


def _seconds(text: str, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(repeat):
            find_product(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("unit", [
    "Alternative zu Microsoft ",  # every word starts a longer name or lead phrase
    "Microsoft Office 365 ",
    "a" * 99 + " ",
    "ü" * 25,
])
def test_a_long_text_takes_time_linear_in_its_length(unit):
    short = unit * (1_000 // len(unit) + 1)
    long = unit * (100_000 // len(unit) + 1)
    assert len(long) >= 100_000
    find_product(long)  # returns at all
    # 100× the text; 20× more room for a busy machine; quadratic work would be ~10,000×
    assert _seconds(long, repeat=1) < 2_000 * _seconds(short, repeat=1) + 0.05


# -- the loader's refusals --


def test_a_valid_text_parses():
    (doodle,) = parse_products(VALID)
    assert doodle == Product(id="doodle", name="Doodle", vendor="Doodle AG", kind="appointments",
                             categories=("appointment-scheduling",), misspellings=("Dodle",))


@pytest.mark.parametrize(("text", "message"), [
    (_with(categories='["survey", "surveys"]'), "'surveys' is not a publiccode.yml category"),
    (_with(categories="[]"), "needs at least one"),
    (_with(kind='"poll"'), "unknown kind 'poll'"),
    (_with(id='"doodle"'), "the same id is used by an earlier product"),
    (_with(aliases='["DOODLE"]'), "'DOODLE' already names doodle"),
    (_with(name='"Dodle"'), "'Dodle' already names doodle"),
    (_with(misspellings='["Doödle"]'), "'Doödle' already names doodle"),
    (_with(name='""'), "must be a non-empty string"),
    (_with(name='"   "'), "must be a non-empty string"),
    (_with(name='"!!"'), "has no letters or digits"),
    (_with(name=None), "must be a non-empty string"),
    (_with(id='"Other"'), "is not a slug"),
    (_with(id='"other product"'), "is not a slug"),
    (_with(id='"other--product"'), "is not a slug"),
    (_with(id='"-other"'), "is not a slug"),
    (_with(aliases='"Other"'), "must be a list of non-empty strings"),
    (_with(aliases='["Statt"]'), "is a lead phrase"),
    (_with(wikidata='"12345"'), "is not a Wikidata Q-id"),
    (_with(wikidata='"Q0"'), "is not a Wikidata Q-id"),
    (_with(homepage='"https://example.org"'), "unknown field"),
    ("[[product]]\nid = ", "not valid TOML"),
    ("title = 'no products'", "no [[product]] tables"),
])
def test_broken_data_is_refused(text, message):
    with pytest.raises(ProductVocabularyError) as refusal:
        parse_products(text)
    assert message in str(refusal.value)


@pytest.mark.parametrize(("text", "entry", "field"), [
    (_with(kind='"poll"'), "#2 (other)", "'kind'"),
    (_with(categories='["nope"]'), "#2 (other)", "'categories'"),
    (_with(aliases='["Doodle"]'), "#2 (other)", "'aliases'"),
    (_with(misspellings='["doodle"]'), "#2 (other)", "'misspellings'"),
    (_with(id='"doodle"'), "#2 (doodle)", "'id'"),
])
def test_a_refusal_names_the_entry_and_the_field(text, entry, field):
    with pytest.raises(ProductVocabularyError) as refusal:
        parse_products(text)
    assert f"product {entry}, field {field}" in str(refusal.value)


def test_lead_phrases_are_declared_once_and_name_no_product():
    assert len(set(LEAD_PHRASES)) == len(LEAD_PHRASES)
    assert all(find_product(phrase) is None for phrase in LEAD_PHRASES)


def test_every_kind_has_words_for_its_job_and_a_product_may_name_its_own():
    from registry.alternatives import KIND_PURPOSES, purpose_terms

    assert set(KIND_PURPOSES) == set(KINDS)
    assert all(KIND_PURPOSES[kind] for kind in KINDS if kind != "other")
    finereader = find_product("ABBYY FineReader")
    assert purpose_terms(finereader) == ("Texterkennung", "OCR")  # its own, not the kind's
    assert purpose_terms(find_product("Webex")) == KIND_PURPOSES["video_conferencing"]

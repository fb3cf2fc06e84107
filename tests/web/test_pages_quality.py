"""The metadata grade for readers: a calm notice, the grade in words, a sentence per reason,
in German and English; the API's ``quality`` fields (web/pages/quality_words.py)."""

from __future__ import annotations

import re

from sqlmodel import Session

from registry import catalogue
from registry.config import SourceConfig
from registry.publiccode import validate_bytes
from registry.quality import GRADES, REASON_CODES
from web.pages.quality_words import GRADE_MEANINGS, GRADE_WORDS, NOTICES, reason_text

from .test_pages_solution import hostile_solution

READABLE_URL = "https://git.example/allmende-demo/ratsinfo"
READABLE_YAML = """\
publiccodeYmlVersion: "0.2"
name: Ratsinfo Nachsichtig
url: "https://git.example/allmende-demo/ratsinfo"
softwareVersion: 1.10
platforms: web
categories:
  - document-management
developmentStatus: stable
softwareType: "standalone/web"
description:
  de:
    shortDescription: "Sitzungen und Beschlüsse online"
maintenance:
  type: internal
  contacts:
    - name: Rita Rat
      email: rita@example.org
localisation:
  localisationReady: true
  availableLanguages: [de]
"""
"""Never valid (no licence, no long description, no features, 0.2), but readable: a number
read as text and a single platform read as a list."""


def readable_solution(engine) -> int:
    result = validate_bytes(READABLE_YAML.encode())
    assert result.readable and not result.valid
    with Session(engine) as session:
        source = catalogue.ensure_source(session, SourceConfig(
            name="lenient", type="gitlab", url="https://git.example"))
        return catalogue.record_solution(session, source=source, repository_url=READABLE_URL,
                                         result=result).solution_id


def text(html: str) -> str:
    """The page's words without tags or line breaks, as a reader sees them."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def notice(html: str) -> str:
    found = re.search(r'<section class="notice quality-notice".*?</section>', html, re.S)
    assert found, "no notice"
    return found.group(0)


def test_a_readable_solution_has_a_calm_notice_with_a_line_per_reason(client, engine):
    html = client.get(f"/loesungen/{readable_solution(engine)}").get_data(as_text=True)
    box = notice(html)
    words = text(box)
    assert "Die Beschreibung dieser Lösung ist unvollständig oder folgt nicht in allem dem " \
           "Standard publiccode.yml. Die Software selbst kann trotzdem gut sein" in words
    assert "4 Pflichtangaben fehlen: Lizenz, Plattformen, Funktionen, Langbeschreibung" in words
    assert "1 Angabe verstößt gegen eine Regel des Standards" in words
    assert "geschrieben für die ältere Version 0.2 des Standards" in words
    assert "2 Angaben nur nachsichtig gelesen" in words
    assert '<a href="#maintainers-heading">' in box
    assert html.index("quality-notice") < html.index('id="description-heading"')  # near the top
    facts = text(html[html.index('id="facts-heading"'):html.index("</dl>")])
    assert "Metadaten lesbar, mit Hinweisen Die Beschreibung ließ sich lesen" in facts
    assert "ungültig – gezeigt wird, was sich lesen ließ" in text(html)
    assert re.search(r"<strong>Hinweis</strong> Zeile 4 <code>softwareVersion</code>", html)


def test_the_notice_in_english(client, engine):
    html = client.get(f"/loesungen/{readable_solution(engine)}?lang=en").get_data(as_text=True)
    words = text(notice(html))
    assert "This solution's description is incomplete" in words.replace("&#39;", "'")
    assert "4 required details are missing: Licence, Platforms, Features, Long description" \
        in words
    assert "1 detail breaks a rule of the standard" in words
    assert "written for the older version 0.2 of the standard" in words
    assert "2 details read only leniently" in words
    assert "readable, with notes" in text(html)


def test_a_never_valid_solution_shows_the_extra_sections_of_the_file_it_was_read_from(
        client, engine):
    html = client.get(f"/loesungen/{readable_solution(engine)}").get_data(as_text=True)
    assert 'id="contacts-heading"' in html
    assert "Rita Rat" in html and 'href="mailto:rita@example.org"' in html


def test_a_valid_solution_names_what_is_recommended_and_missing(client, engine):
    html = client.get(f"/loesungen/{hostile_solution(engine)}").get_data(as_text=True)
    assert "quality-notice" not in html  # no box for a valid entry: the grade says it
    words = text(html)
    assert "Metadaten gültig" in words
    assert "2 empfohlene Angaben fehlen: Logo, Versionsnummer." in words
    assert "unvollständig" not in words


def test_every_grade_and_reason_has_words(app):
    assert set(GRADE_WORDS) == set(GRADE_MEANINGS) == set(NOTICES) == set(GRADES)
    with app.test_request_context("/?lang=en"):
        for code in REASON_CODES:
            sentence = reason_text({"code": code, "args": {"keys": ["name"], "count": 1,
                                                           "version": "0.1", "reason": "x"}})
            assert sentence and "<code>" not in sentence, code


def test_reason_sentences_count_and_escape(app):
    with app.test_request_context("/"):
        one = reason_text({"code": "missing_recommended", "args": {"keys": ["logo"]}})
        assert one == "1 empfohlene Angabe fehlt: Logo"
        odd = reason_text({"code": "missing_required",
                           "args": {"keys": ["description.it.features", "x<script>"]}})
        assert odd == "2 Pflichtangaben fehlen: Funktionen, <code>x&lt;script&gt;</code>"
        version = reason_text({"code": "old_version", "args": {"version": "<b>0.1</b>"}})
        assert "&lt;b&gt;0.1&lt;/b&gt;" in version
        assert reason_text({"code": "from_the_future", "args": {}}) == \
            "<code>from_the_future</code>"
    with app.test_request_context("/?lang=en"):
        assert reason_text({"code": "lenient_readings", "args": {"count": 1}}) == \
            "1 detail read only leniently (a number as text, say)"


def test_the_api_gives_the_grade_and_its_reasons(client, engine):
    solution_id = readable_solution(engine)
    body = client.get(f"/api/v1/solutions/{solution_id}").get_json()
    assert body["quality"] == "readable"
    assert body["quality_reasons"][0] == {"code": "missing_required", "args": {"keys": [
        "legal.license", "platforms", "description.de.features",
        "description.de.longDescription"]}}
    assert [r["code"] for r in body["quality_reasons"]] == [
        "missing_required", "rule_errors", "old_version", "lenient_readings"]
    listed = client.get("/api/v1/solutions?per_page=100").get_json()["items"]
    assert listed and all(item["quality"] in GRADES for item in listed)


def test_the_search_facet_quality_takes_the_same_words(app):
    from web.pages import vocabulary

    with app.test_request_context("/"):
        assert str(vocabulary.FACET_NAMES["quality"]) == "Metadaten"
        assert [label for _value, label, _count in vocabulary.facet_values(
            "quality", {"complete": 1, "valid": 1, "readable": 1})] == [
            "gültig", "lesbar, mit Hinweisen", "vollständig"]
    with app.test_request_context("/?lang=en"):
        assert vocabulary.value_label("quality", "readable") == "readable, with notes"

"""Validator findings in German on German pages, unchanged in English and in the API.

The messages come from the validator itself, run over the reference validator's cases (the
conformance rows), the files next to a publiccode.yml, broken YAML, and every real file of the
shared corpus; each must be recognised, so a new or reworded validator message fails here
until it has its German sentence in web/finding_words.py.
"""

from __future__ import annotations

import pytest

from registry import db
from registry.config import Settings
from registry.publiccode import validate_bytes
from tests.registry.publiccode import test_conformance as conformance
from tests.registry.publiccode.helpers import BASE, variant
from tests.registry.publiccode.test_corpus import CORPUS
from web import create_app
from web.finding_words import finding_text

BROKEN_YAML = [
    b"",
    b"- just\n- a list\n",
    b"name: a\nname: b\n",
    b"name: a\n---\nname: b\n",
    b"name: \xff\n",
    b"name: a\x07\n",
    b"name: *nowhere\n",
    b"{a: [" * 60 + b"]}" * 60,
    b"? [a, b]\n: c\n",
    b"name: [unclosed\n",
    b"name: !!float abc\n",
    b"name: !!map [a]\n",
    b"name: !!seq x\n",
]
READ_LENIENTLY = [  # every note of the best-effort reader, and every reason not to show a file
    b"publiccodeYmlVersion: 0.2\nplatforms: web\nname: [a, b]\nlandingUrl: x\n"
    b"releaseDate: 01.02.2024\nintendedAudience: {countries: [De]}\n"
    b"localisation: {localisationReady: yes}\ndescription: {EN: {shortDescription: a},"
    b" shortDescription: b}\nfeatures: [c]\n",
    b"name: x\ndescription: {en: text}\n",
    b"localisation: {localisationReady: 1}\n",
    b"name: x\n",
    b"url: x\n",
    b"description: {en: {shortDescription: x}}\n",
]
ENGLISH_MARKS = (" read ", " usable ", " must ", " is a required ", "DEPRECATED", " not reachable",
                 "unknown field")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data = tmp_path_factory.mktemp("finding-words")
    database_url = f"sqlite:///{data}/allmende.db"
    db.upgrade(database_url)
    settings = Settings(data_dir=data, database_url=database_url)
    return create_app({"TESTING": True, "DATABASE_URL": database_url,
                       "INDEX_DIR": str(data / "index"), "SETTINGS": settings})


def messages_of(data: bytes, base_dir=None) -> set[str]:
    result = validate_bytes(data, base_dir=base_dir, network=False)
    reasons = {result.unreadable_reason} if result.reading and not result.readable else set()
    return {f.message for f in (*result.findings, *result.notes)} | reasons


def validator_messages(tmp_path) -> set[str]:
    found: set[str] = set()
    for case, replacements, _expected in conformance.INVALID:
        text = variant(*replacements, append=conformance.APPENDED.get(case, ""))
        found |= messages_of(text.encode())
    for _case, replacements, append, _expected in conformance.WARNINGS:
        found |= messages_of(variant(*replacements, append=append).encode())
    (tmp_path / "not_an_image.png").write_text("this is not a PNG\n")
    (tmp_path / "small.png").write_bytes(conformance.png(width=20))
    for _case, added, _expected in conformance.FILES:
        found |= messages_of(variant(conformance.after(conformance.URL, added)).encode(), tmp_path)
    for added in ("logo: small.png\n", "logo: ../outside.png\n", "logo: https\n"):
        found |= messages_of(variant(conformance.after(conformance.URL, added)).encode(), tmp_path)
    for data in BROKEN_YAML + READ_LENIENTLY:
        found |= messages_of(data)
    for path in sorted(CORPUS.glob("*.yml")):
        found |= messages_of(path.read_bytes())
    return found


def test_every_validator_message_is_german_on_german_pages(app, tmp_path):
    messages = validator_messages(tmp_path)
    assert len(messages) > 60  # the sources above do reach the validator's variety
    with app.test_request_context("/?lang=de"):
        untranslated = sorted(m for m in messages if finding_text(m) == m)
        english_left = sorted(finding_text(m) for m in messages
                              if any(mark in finding_text(m) for mark in ENGLISH_MARKS))
    assert untranslated == []
    assert english_left == []


def test_values_are_kept_and_english_readers_get_the_original(app):
    message = "shortDescription must be a maximum of 150 characters in length"
    with app.test_request_context("/?lang=de"):
        assert finding_text(message) == "shortDescription darf höchstens 150 Zeichen lang sein."
        nested = ("'https://x.example/logo.png' not reachable: HTTP GET returned 404 for "
                  "https://x.example/logo.png; 200 was expected")
        assert finding_text(nested) == ("„https://x.example/logo.png“ ist nicht erreichbar: "
                                        "https://x.example/logo.png antwortete mit HTTP 404 "
                                        "statt 200.")
        choice = 'type must be one of the following: "internal", "contract" or "none"'
        assert finding_text(choice).endswith('"internal", "contract" oder "none".')
        unknown = "a message the validator does not have yet"
        assert finding_text(unknown) == unknown
    with app.test_request_context("/?lang=en"):
        assert finding_text(message) == message


def test_a_longer_template_is_not_taken_for_a_shorter_one(app):
    with app.test_request_context("/?lang=de"):
        conditional = 'contacts is a required field when "type" is "community"'
        assert finding_text(conditional) == ("contacts ist Pflicht, wenn „type“ den Wert "
                                             "„community“ hat.")
        ipa = ("This key is DEPRECATED and will be removed in the future. Use 'organisation.uri' "
               "and set it to 'urn:x-italian-pa:pcm' instead")
        assert "urn:x-italian-pa:pcm" in finding_text(ipa)
        assert "„organisation.uri“ mit dem Wert" in finding_text(ipa)


def test_base_document_is_valid_so_the_cases_above_are_what_they_say():
    assert messages_of(BASE.encode()) == set()

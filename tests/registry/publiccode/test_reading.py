"""registry.publiccode.reading: what a file says, read leniently, with a note per lenient step.

The validator's verdict is asserted elsewhere (test_conformance.py) and must not move; here the
question is only what a town would see of files written for older versions or with mistakes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.publiccode import Severity, read_bytes, validate_bytes
from registry.publiccode.reading import read_date

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "publiccode"


def reading(text: str):
    result = validate_bytes(text.encode())
    assert result.reading is not None
    return result


def notes(result) -> dict[str, str]:
    assert all(n.severity is Severity.NOTE for n in result.notes)
    return {n.key: n.message for n in result.notes}


def test_numbers_are_read_as_their_source_text():
    result = reading("publiccodeYmlVersion: 0.2\nname: 2048\nsoftwareVersion: 1.10\n")
    doc = result.reading.document
    assert (doc["publiccodeYmlVersion"], doc["name"], doc["softwareVersion"]) == (
        "0.2", "2048", "1.10")  # the source text, not float("1.10") == 1.1
    assert notes(result)["softwareVersion"] == 'read the number 1.10 as the text "1.10"'


def test_a_single_value_where_a_list_belongs():
    result = reading("platforms: web\ncategories: [it-development]\n")
    assert result.reading.document["platforms"] == ["web"]
    assert notes(result) == {"platforms": "read a single value as a list of one"}


def test_a_description_without_a_language_key_takes_the_first_available_language():
    result = reading("name: X\nlocalisation:\n  availableLanguages: [de, en]\n"
                     "description:\n  shortDescription: Kurz\n  features: [A]\n")
    assert result.reading.document["description"] == {
        "de": {"shortDescription": "Kurz", "features": ["A"]}}
    assert result.readable
    assert 'as language "de"' in notes(result)["description"]


def test_description_keys_at_the_top_level_join_the_described_language():
    result = reading("name: X\nshortDescription: Kurz\ndescription:\n  it:\n"
                     "    longDescription: Lungo\n")
    assert result.reading.document["description"] == {
        "it": {"longDescription": "Lungo", "shortDescription": "Kurz"}}


def test_a_language_given_only_a_text():
    result = reading("name: X\ndescription:\n  en: A to-do app.\n")
    assert result.reading.descriptions == {"en": {"shortDescription": "A to-do app."}}
    assert result.readable


def test_renamed_and_differently_cased_keys_of_older_versions():
    result = reading("name: X\nlandingUrl: https://x.example\nintendedaudience:\n"
                     "  countries: [De]\nlocalization:\n  localizationReady: yes\n")
    doc = result.reading.document
    assert doc["landingURL"] == "https://x.example"
    assert doc["intendedAudience"] == {"countries": ["DE"]}
    assert doc["localisation"] == {"localisationReady": True}
    assert notes(result)["landingURL"] == 'read "landingUrl" as "landingURL"'
    assert notes(result)["localisation.localisationReady"] == 'read "yes" as the boolean true'


@pytest.mark.parametrize(("written", "read_as"), [
    ("2024-03-05", "2024-03-05"), ("2024-3-5", "2024-03-05"), ("2024/03/05", "2024-03-05"),
    ("05.03.2024", "2024-03-05"), ("05/03/2024", "2024-03-05"),
    ("2024-03-05T10:00:00Z", "2024-03-05"), ("2024-03-05 10:00", "2024-03-05"),
])
def test_dates_in_other_common_formats(written, read_as):
    assert read_date(written).isoformat() == read_as
    result = reading(f"releaseDate: '{written}'\n")
    assert result.reading.document["releaseDate"] == read_as


@pytest.mark.parametrize("written", ["31.02.2024", "sometime", "2024", "9" * 10_000])
def test_what_is_not_a_date_is_left_out(written):
    assert read_date(written) is None
    assert "releaseDate" not in reading(f"releaseDate: '{written}'\n").reading.document


def test_readable_needs_a_name_and_a_description():
    assert reading("name: X\ndescription: {de: {longDescription: Lang}}\n").readable
    nameless = reading("description: {de: {shortDescription: Kurz}}\n")
    assert not nameless.readable
    assert nameless.unreadable_reason == "publiccode.yml has no usable name"
    bare = reading("url: https://x.example\n")
    assert bare.unreadable_reason == "publiccode.yml has no usable name and no description"


def test_a_localised_name_is_a_name():
    result = reading("description:\n  de:\n    localisedName: Bürgerportal\n"
                     "    shortDescription: Kurz\n")
    assert result.reading.name == "Bürgerportal" and result.readable


@pytest.mark.parametrize("data", [
    b"\xff\xfe not utf-8", b"- a list\n- not a mapping\n", b"a: [unclosed\n",
    b"a: 1\n---\nb: 2\n", b"a: &x [*x]\n",
])
def test_hostile_or_broken_files_have_no_reading(data):
    result = validate_bytes(data)
    assert result.reading is None and not result.readable
    assert read_bytes(data).reading is None


def test_the_reading_never_changes_the_verdict():
    files = sorted(CORPUS.glob("*.yml"))
    if not files:
        pytest.skip(f"the shared corpus is missing at {CORPUS}")
    readable = 0
    for path in files:
        result = validate_bytes(path.read_bytes())
        assert not any(f.severity is Severity.NOTE for f in result.findings), path
        readable += result.readable
    # Every valid file is readable; most invalid ones are too (measured: 154 of 178).
    assert readable >= 150

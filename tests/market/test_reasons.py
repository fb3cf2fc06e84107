"""Reason codes are declared once and every one has its sentence in German and English, in the
web's catalogue, which the command line speaks too."""

from __future__ import annotations

import pytest

from market.reasons import CODES, Reason
from web.community.need_words import reason_text
from web.pages.language import speaking

VALUES = {
    "words": {"words": ["Termine"]},
    "concept": {"query": "Lärm", "term": "rumore", "language": "it"},
    "abbreviation": {"query": "KI", "term": "künstliche Intelligenz"},
    "compound": {"query": "Lärmmessung", "term": "Lärm + Messung"},
    "field_of_action": {"field": "environment"},
    "category": {"categories": ["survey"]},
    "used_by": {"count": 3, "in_land": 1, "land": "Bayern"},
    "maintained": {"level": 2},
    "operating_model": {"model": "saas", "basis": "maintenance_contract"},
    "uses": {"solution_id": 1, "solution": "OPAS"},
    "similar_need": {"need_id": 2, "status": "solved", "title": "Luft", "words": [],
                     "categories": []},
    "same_land": {"land": "Hessen"},
    "same_kind": {"kind": "municipality", "size_class": "town"},
    "shared_fields": {"fields": ["energy"]},
    "shared_solutions": {"solution_ids": [1], "solutions": ["OPAS"]},
    "replaces": {"product": "Doodle"},
    "same_purpose": {"term": "Ratsinformationssystem"},
}


@pytest.mark.parametrize("code", CODES)
def test_every_code_is_said_in_both_languages_and_survives_json(code):
    reason = Reason(code, VALUES[code])
    assert Reason.from_json(reason.to_json()) == reason
    with speaking("de"):
        german = reason_text(reason.to_json())
    with speaking("en"):
        english = reason_text(reason.to_json())
    assert german and english and german != english
    assert not german.startswith(code) and not english.startswith(code)  # a sentence, no code


@pytest.mark.parametrize(("count", "german", "english"), [
    (1, "Genutzt von 1 Organisation, davon 1 in Bayern",
     "Used by 1 organisation, 1 of them in Bayern"),
    (3, "Genutzt von 3 Organisationen, davon 1 in Bayern",
     "Used by 3 organisations, 1 of them in Bayern"),
])
def test_a_count_is_said_in_the_right_number(count, german, english):
    reason = {"code": "used_by", "count": count, "in_land": 1, "land": "Bayern"}
    with speaking("de"):
        assert reason_text(reason) == german
    with speaking("en"):
        assert reason_text(reason) == english


def test_an_unknown_code_is_refused():
    with pytest.raises(ValueError, match="unknown reason code"):
        Reason("because")

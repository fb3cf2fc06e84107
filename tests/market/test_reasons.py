"""Reason codes are declared once and every one has its sentence in German and English."""

from __future__ import annotations

import pytest

from market.reasons import CODES, Reason, sentence

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
}


@pytest.mark.parametrize("code", CODES)
def test_every_code_is_said_in_both_languages_and_survives_json(code):
    reason = Reason(code, VALUES[code])
    assert Reason.from_json(reason.to_json()) == reason
    german, english = sentence(reason, "de"), sentence(reason.to_json(), "en")
    assert german and english and german != english


def test_an_unknown_code_is_refused():
    with pytest.raises(ValueError, match="unknown reason code"):
        Reason("because")

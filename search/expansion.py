"""What else a query's words may mean: abbreviations, compound parts, the same concept in
another language.

A query is read as *units*: runs of words that are one vocabulary entry ("künstliche
Intelligenz", "E-Akte") or single words. Each unit gets alternatives, searched beside the
words typed with a lower weight (``WEIGHTS``), so a solution that says what was typed still
ranks first:

- ``abbreviation``: "KI" ↔ "künstliche Intelligenz" (search/data/abbreviations.toml), searched
  in every field like the words typed;
- ``concept``: "Lärm" → "noise" (en), "rumore" (it), "geluid" (nl), "bruit" (fr)
  (search/data/concepts.toml), each term searched in the descriptions of its language; also for
  an abbreviation's long forms ("KI" → "artificial intelligence");
- ``compound``: a German compound typed whole is also searched as its parts, all of them, each
  part with its own concepts: "Lärmmessung" → ("Lärm" or "noise" or "rumore" …) and ("Messung"
  or "measurement" or "meter" …).

This module decides *what* to search; search/query.py turns it into index queries, and every
alternative keeps the words it stands for, so a hit can say "gefunden über: noise ≈ Lärm".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import compounds
from .analysis import digraphs_to_umlauts
from .vocabulary import Term, folded_words, vocabulary

WEIGHTS = {"abbreviation": 0.8, "compound": 0.6, "concept": 0.5}
"""An alternative's share of the boost the words typed get."""
MAX_EXPANDED_WORDS = 8
"""Longer queries are searched as typed: they already say enough, and stay cheap."""
MAX_ALTERNATIVES = 24
"""Per unit: a word in many concepts must not become a query of hundreds of terms."""
COMPOUND_LANGUAGE = "de"
"""Queries are split as German compounds: German-speaking staff are the readers."""


@dataclass(frozen=True, slots=True)
class Alternative:
    kind: str
    """``abbreviation``, ``concept`` or ``compound`` (a key of ``WEIGHTS``)."""
    query: str
    """The words typed (or the compound part) this stands for: "Lärm"."""
    term: str
    """What is searched instead: "noise"; for a compound its parts joined by " + "."""
    language: str
    parts: tuple[Unit, ...] = ()
    """For a compound: each part, with its own alternatives."""


@dataclass(frozen=True, slots=True)
class Unit:
    text: str
    """The words of the query this unit covers, as typed."""
    alternatives: tuple[Alternative, ...] = ()


def units(text: str, words: list[re.Match[str]]) -> list[Unit]:
    """The query's ``words`` (matches in ``text``) as units, longest vocabulary entries first,
    left to right. A unit's text is the query's own spelling of it ("E-Akte")."""
    if len(words) > MAX_EXPANDED_WORDS:
        return [Unit(word.group()) for word in words]
    longest = vocabulary().longest
    found: list[Unit] = []
    start = 0
    while start < len(words):
        for size in range(min(longest, len(words) - start), 0, -1):
            typed = text[words[start].start():words[start + size - 1].end()]
            alternatives = _alternatives(typed, single=size == 1)
            if alternatives or size == 1:
                break
        found.append(Unit(typed, alternatives))
        start += size
    return found


def _alternatives(text: str, *, single: bool) -> tuple[Alternative, ...]:
    found = [*_abbreviations(text), *_concepts(text)]
    if single and (compound := _compound(text)) is not None:
        found.append(compound)
    unique: dict[tuple[str, str], Alternative] = {}
    for alternative in found:
        unique.setdefault((alternative.term.casefold(), alternative.language), alternative)
    return tuple(unique.values())[:MAX_ALTERNATIVES]


def _abbreviations(text: str) -> list[Alternative]:
    found = []
    for term in vocabulary().alternates(folded_words(text)):
        found.append(Alternative("abbreviation", text, term.text, term.language))
        found += _concepts(term.text, typed=text)
    return found


def _concepts(text: str, typed: str | None = None) -> list[Alternative]:
    """``typed``: what the reader wrote, when ``text`` is not it (an abbreviation's long
    form); a compound's part is shown as the concept's own term ("Zahlung", not "zahlungs")."""
    return [Alternative("concept", typed or (text if text[:1].isupper() else own.text),
                        other.text, other.language)
            for own, other in vocabulary().related(text)]


def _compound(word: str) -> Alternative | None:
    halves = compounds.halves(digraphs_to_umlauts(word.lower()), COMPOUND_LANGUAGE)
    if not halves:
        return None
    return Alternative("compound", word, " + ".join(half.capitalize() for half in halves),
                       COMPOUND_LANGUAGE,
                       parts=tuple(Unit(half, tuple(_concepts(half))) for half in halves))


__all__ = ["MAX_EXPANDED_WORDS", "WEIGHTS", "Alternative", "Term", "Unit", "units"]

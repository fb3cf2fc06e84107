"""The informative words of a need: what is searched for it, bounded however long it is.

A need is free text ("Wir suchen eine Lösung, mit der Bürgerinnen und Bürger Schäden an
Straßen melden können …"). Searching all of it would make every query long (slow) and would
switch off the search's cross-language expansion, which reads queries of at most
``search.expansion.MAX_EXPANDED_WORDS`` words. So a need is searched as at most
``MAX_QUERY_WORDS`` *units*, picked by what makes a word informative:

- not a stop word (the search's own list, five languages) and not a word every need says
  (``NEED_PHRASING``: "suchen", "Lösung", "Kommune" …);
- in the title (the town's own summary) rather than only in the description;
- a vocabulary entry of the search (an abbreviation or a concept in other languages: these
  are what carry a German need to an Italian or Dutch description), or a long word (German
  compounds, split by the search into their parts);
- said more than once.

Ties keep the order of the text. Multi-word vocabulary entries ("künstliche Intelligenz")
count as one unit. Only the first ``MAX_SCANNED_WORDS`` words are read, so the cost of picking
is bounded too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.analysis import STOP_WORDS, WORD_PATTERN, fold
from search.expansion import MAX_EXPANDED_WORDS
from search.vocabulary import analysed, folded_words, vocabulary

MAX_QUERY_WORDS = MAX_EXPANDED_WORDS
"""Units searched per need: as many as the search still expands across languages."""
MAX_SCANNED_WORDS = 400
"""Words of title and description read at most (a 5,000-character need has ~700)."""
MIN_WORD_CHARS = 3
LONG_WORD_CHARS = 10
"""A word this long is most likely a compound or a technical term: informative."""

_PHRASING = """
    suchen suche sucht gesucht brauchen brauche braucht benötigen benötigt bräuchten möchten
    möchte wollen wünschen wünschen gewünscht sollen soll sollte sollten können kann könnte
    müssen muss gibt geben haben hätten wäre wären werden wird wurde bitte gerne
    lösung lösungen software anwendung anwendungen tool tools werkzeug programm system systeme
    plattform möglichkeit möglich einfach gut neue neuen neues aktuell derzeit bisher bereits
    stadt städte kommune kommunen gemeinde gemeinden landkreis kreis verwaltung verwaltungen
    bürger bürgerin bürgerinnen einwohner einwohnerinnen online digital digitale digitalen
    unsere unserer unseren unser wir uns ihr ihre jemand etwas andere anderen
    open source opensource free frei freie kostenlos
    need needs looking want wants solution solutions our town towns municipality
"""
NEED_PHRASING = frozenset(fold(word) for word in _PHRASING.split())
"""Words nearly every need uses ("Wir suchen eine Software für unsere Kommune"): searched,
they find everything and say nothing. Folded (lower case, no accents)."""

_WORD = re.compile(WORD_PATTERN)


@dataclass(frozen=True, slots=True)
class Candidate:
    text: str
    """As written in the need (the first time)."""
    in_title: bool
    weight: float
    position: int


def informative_words(title: str, description: str = "", *,
                      limit: int = MAX_QUERY_WORDS) -> list[str]:
    """At most ``limit`` units of the need's text, most informative first (as written)."""
    return [unit.text for unit in informative_units(title, description, limit=limit)]


def informative_units(title: str, description: str = "", *,
                      limit: int = MAX_QUERY_WORDS) -> list[Candidate]:
    """:func:`informative_words`, each saying whether the title has it."""
    title_words = [m.group() for m in _WORD.finditer(title or "")][:MAX_SCANNED_WORDS]
    rest = MAX_SCANNED_WORDS - len(title_words)
    body_words = [m.group() for m in _WORD.finditer(description or "")][:max(rest, 0)]
    candidates: dict[str, Candidate] = {}
    counts: dict[str, int] = {}
    for in_title, words in ((True, title_words), (False, body_words)):
        skip = False
        for index, word in enumerate(words):
            if skip:
                skip = False
                continue
            if not _content(word):
                continue
            unit = word
            if index + 1 < len(words) and _content(words[index + 1]):
                pair = f"{word} {words[index + 1]}"
                if _vocabulary_entry(pair):
                    unit, skip = pair, True
            key = _key(unit)
            counts[key] = counts.get(key, 0) + 1
            if key in candidates:
                continue
            weight = (3.0 if in_title else 0.0) + (2.0 if _vocabulary_entry(unit) else 0.0) \
                + (1.0 if len(unit) >= LONG_WORD_CHARS else 0.0)
            candidates[key] = Candidate(unit, in_title, weight, len(candidates))
    ranked = sorted(candidates.items(),
                    key=lambda item: (-(item[1].weight + 0.5 * min(counts[item[0]], 3) - 0.5),
                                      item[1].position))
    return [candidate for _key, candidate in ranked[:limit]]


def word_keys(text: str) -> frozenset[str]:
    """The content words of ``text`` as comparable keys (German stems, folded): "Bürger-
    beteiligung" and "Buergerbeteiligungen" are one key. For comparing needs with each other."""
    words = [m.group() for m in _WORD.finditer(text or "")][:MAX_SCANNED_WORDS]
    return frozenset(_key(word) for word in words if _content(word))


def _content(word: str) -> bool:
    """Worth searching: not a stop word or need phrasing, not a number, and three letters or
    more — or a known abbreviation ("KI", "IT" are short and say a lot)."""
    folded = fold(word)
    if word.isdigit() or folded in STOP_WORDS or word.lower() in STOP_WORDS \
            or folded in NEED_PHRASING:
        return False
    return len(word) >= MIN_WORD_CHARS or (
        len(word) > 1 and word.isupper() and bool(vocabulary().alternates(folded_words(word))))


def _key(unit: str) -> str:
    stems = analysed(unit, "de")
    return " ".join(stems) if stems else fold(unit)


def _vocabulary_entry(unit: str) -> bool:
    """An abbreviation or long form, or a concept's term in some language."""
    known = vocabulary()
    return bool(known.alternates(folded_words(unit)) or known.related(unit))

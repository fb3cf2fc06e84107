"""The declared vocabularies of search: abbreviations and multilingual concepts, as lookups.

The words themselves are data in ``search/data/`` (``abbreviations.toml``,
``concepts.toml``; their headers say how to extend them); this module reads them once and
indexes them the way queries are compared with them:

- an abbreviation and its long forms by their *folded words* (lower case, accents folded,
  split like the index splits words): "E-Akte", "e akte" and "E-AKTE" are one key;
- a concept's terms per language by that language's *analysed words* (stemmed as the index
  stems that language), so "Zahlungen" meets the term "Zahlung" and "rifiuti" "rifiuto".
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from .analysis import WORD_PATTERN, description_analyzer, fold
from .languages import STEMMED_LANGUAGES

Key = tuple[str, ...]
_WORD = re.compile(WORD_PATTERN)


@dataclass(frozen=True, slots=True)
class Term:
    """One word or phrase of a vocabulary, in the language it is written in."""

    text: str
    language: str


@dataclass(slots=True)
class Vocabulary:
    abbreviations: dict[Key, list[Term]] = field(default_factory=dict)
    """Folded words of an abbreviation or of a long form → the other side."""
    concepts: list[tuple[Term, ...]] = field(default_factory=list)
    terms: dict[str, dict[Key, list[int]]] = field(default_factory=dict)
    """Language → analysed words of a term → the concepts it belongs to."""
    longest: int = 1
    """Most words in any entry: how far a query is scanned for multi-word entries."""

    def alternates(self, words: Key) -> list[Term]:
        """The long forms of an abbreviation, or the abbreviations of a long form."""
        return self.abbreviations.get(words, [])

    def related(self, text: str) -> list[tuple[Term, Term]]:
        """(the term ``text`` was read as, another term of its concept) for every concept
        that has ``text`` as a term in some language."""
        found: list[tuple[Term, Term]] = []
        seen: set[int] = set()
        for language in STEMMED_LANGUAGES:
            for concept in self.terms[language].get(analysed(text, language), ()):
                if concept in seen:
                    continue
                seen.add(concept)
                terms = self.concepts[concept]
                own = next(t for t in terms if t.language == language
                           and analysed(t.text, language) == analysed(text, language))
                found.extend((own, other) for other in terms
                             if analysed(other.text, other.language)
                             != analysed(text, other.language))
        return found


def folded_words(text: str) -> Key:
    return tuple(fold(word) for word in _WORD.findall(text))


ANALYSED_TEXTS = 8192


@lru_cache(maxsize=ANALYSED_TEXTS)
def analysed(text: str, language: str) -> Key:
    """``text`` as the query side of ``language``'s description fields reads it."""
    return tuple(token.text for token in _analyzer(language)(text, mode="query"))


@cache
def _analyzer(language: str):  # type: ignore[no-untyped-def]
    return description_analyzer(language)


@cache
def vocabulary() -> Vocabulary:
    """Both files, read and indexed once per process."""
    data = resources.files(__package__) / "data"
    abbreviations = tomllib.loads((data / "abbreviations.toml").read_text(encoding="utf-8"))
    concepts = tomllib.loads((data / "concepts.toml").read_text(encoding="utf-8"))
    result = Vocabulary(terms={language: defaultdict(list) for language in STEMMED_LANGUAGES})
    pairs: dict[Key, list[Term]] = defaultdict(list)
    for language, table in abbreviations.items():
        for short, longs in table.items():
            for long in longs:
                pairs[folded_words(short)].append(Term(long, language))
                pairs[folded_words(long)].append(Term(short, language))
    result.abbreviations = dict(pairs)
    for entry in concepts["concept"]:
        terms = tuple(Term(text, language) for language in STEMMED_LANGUAGES
                      for text in entry.get(language, ()))
        number = len(result.concepts)
        result.concepts.append(terms)
        for term in terms:
            key = analysed(term.text, term.language)
            if key and number not in result.terms[term.language][key]:
                result.terms[term.language][key].append(number)
    result.longest = max(len(_WORD.findall(term.text))
                         for term in (*(t for ts in pairs.values() for t in ts),
                                      *(t for ts in result.concepts for t in ts)))
    return result

"""Text analysis: how words in the catalogue and in queries become index terms.

Index and query go through the *same* analyzer per field, so every normalisation here holds in
both directions:
- German: lower case, ``ae/oe/ue`` read as ``ä/ö/ü`` (people type "Buergerbeteiligung"),
  Snowball German stemming (which also drops the umlaut dots and turns ß into ss), then any
  remaining accents folded — "Bürgerbeteiligung", "Burgerbeteiligung" and "Buergerbeteiligung"
  all become ``burgerbeteilig``.
- English: lower case, accents folded, Snowball English (Porter2) stemming.
- Italian, Dutch, French: lower case, Snowball stemming of that language (which expects the
  accents), then accents folded.
- German and Dutch compounds: when a text is *indexed*, a compound's parts (search/compounds.py)
  follow the whole word as extra terms at its position, with ``PART_WEIGHT`` of a word's
  weight: "Restmüll" is indexed as ``restmull``, ``rest``, ``mull``, so "Müll" finds it, and a
  text that says "Müll" itself still ranks above it. Queries keep the whole word (the query
  builder adds the parts of a query's compounds as a weaker alternative, search/expansion.py).
- Everything else (other description languages, names, categories, publishers …): lower case and
  accents folded, no stemming.

One stop list (the five languages' together) applies to every field: a query like "Alternative
zu Doodle" must not require "zu" to occur in a field that happens to keep stop words, which it
would under AND.
"""

from __future__ import annotations

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.lang.stopwords import stoplists
from whoosh.support.charset import accent_map

from registry.text import digraphs_to_umlauts

from . import compounds
from .languages import STEMMED_LANGUAGES
from .lru import BoundedLRU

WORD_PATTERN = r"\w+(?:[.']\w+)*"
"""Words, keeping "2.0" and "residents'" style tokens together; hyphens split compounds."""

FOLD_MAP = {**accent_map, ord("ß"): "ss", ord("ẞ"): "ss"}
"""Accents folded to their base letter; ß as ss, the German way."""
KEPT_WORDS = frozenset({"ai"})
"""Stop words of one language that are content words in another: "AI" (Italian "ai", French
"(j')ai") must stay findable."""
STOP_WORDS = frozenset().union(*(stoplists[language] for language in STEMMED_LANGUAGES)
                               ) - KEPT_WORDS
MIN_WORD_CHARS = 2
PART_WEIGHT = 0.5
"""A compound's part counts half a word: "Müll" ranks a text saying "Müll" above "Restmüll"."""


class GermanUmlautDigraphs(Filter):
    """``ae``/``oe``/``ue`` → ``ä``/``ö``/``ü`` (not ``ue`` after ``q``), as Snowball "german2".

    Applied to German fields only, before the stemmer, so the digraph spelling someone types on
    a keyboard without umlauts reaches the same stem as the umlaut spelling.
    """

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for token in tokens:
            token.text = digraphs_to_umlauts(token.text)
            yield token


class CompoundParts(Filter):
    """When indexing, each compound is followed by its parts, at the same position and span.

    Queries (``mode="query"``) pass unchanged: a query's compound must not turn into a demand
    for each of its parts. The highlighter reads index-mode tokens, so "Restmüll" is marked for
    a query "Müll".
    """

    def __init__(self, language: str):
        self.language = language

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CompoundParts) and other.language == self.language

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for token in tokens:
            if token.mode == "query":
                yield token
                continue
            split = compounds.parts(token.text, self.language)
            boost = token.boost
            yield token
            for part in split:
                token.text, token.boost = part, boost * PART_WEIGHT
                yield token
            token.boost = boost


STEMMED_WORDS = 32768
"""Stems remembered per language, for the whole process."""
_STEMS: dict[str, BoundedLRU] = {language: BoundedLRU(STEMMED_WORDS)
                                 for language in STEMMED_LANGUAGES}


class SharedStemFilter(StemFilter):
    """Snowball stemming with one bounded, thread-safe cache per language for the process.

    Whoosh's own ``StemFilter`` keeps a 50,000-word cache per filter instance, and every
    schema has one filter per stemmed field: each pooled search service, each reopened index
    generation (its schema is unpickled anew) and the highlighter filled their own copies, a
    climb of megabytes an hour in the soak (bench/soak.py). Whoosh's cache is also not safe to
    share between threads, hence :class:`~search.lru.BoundedLRU`.

    Index files pickle this class by name (``search.analysis.SharedStemFilter``): renaming it
    means bumping ``SCHEMA_VERSION``.
    """

    def clear(self) -> None:  # called by __init__ and on unpickling
        from whoosh.lang import stemmer_for_language

        stem = stemmer_for_language(self.lang)
        cache = _STEMS[self.lang]
        self._stem = lambda word: cache.get(word, lambda: stem(word))


def _base() -> Analyzer:
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter()


def _stop() -> StopFilter:
    return StopFilter(stoplist=STOP_WORDS, minsize=MIN_WORD_CHARS)


def german_analyzer() -> Analyzer:
    return (_base() | GermanUmlautDigraphs() | _stop() | CompoundParts("de")
            | SharedStemFilter(lang="de") | CharsetFilter(FOLD_MAP))


def english_analyzer() -> Analyzer:
    return _base() | CharsetFilter(FOLD_MAP) | _stop() | SharedStemFilter(lang="en")


def dutch_analyzer() -> Analyzer:
    return (_base() | _stop() | CompoundParts("nl") | SharedStemFilter(lang="nl")
            | CharsetFilter(FOLD_MAP))


def romance_analyzer(language: str) -> Analyzer:
    """Italian and French: Snowball reads the accents ("città", "données"), so fold after it."""
    return _base() | _stop() | SharedStemFilter(lang=language) | CharsetFilter(FOLD_MAP)


def description_analyzer(group: str) -> Analyzer:
    """The analyzer of one language group's description fields (``other``: plain)."""
    if group == "de":
        return german_analyzer()
    if group == "en":
        return english_analyzer()
    if group == "nl":
        return dutch_analyzer()
    if group in ("it", "fr"):
        return romance_analyzer(group)
    return plain_analyzer()


def plain_analyzer() -> Analyzer:
    return _base() | CharsetFilter(FOLD_MAP) | _stop()


def spelling_analyzer() -> Analyzer:
    """Words as written (lower case, umlauts kept): suggestions must read like real words."""
    return _base() | StopFilter(stoplist=STOP_WORDS, minsize=3)


def fold(word: str) -> str:
    """What ``plain_analyzer`` makes of one word, for prefix terms (not stemmed)."""
    return word.lower().translate(FOLD_MAP)

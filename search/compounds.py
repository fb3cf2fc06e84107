"""German and Dutch compounds split into their parts, so "Müll" finds "Restmüll".

German and Dutch write compounds as one word ("Abfallkalender", "afvalkalender"); a reader
searching for "Abfall" or "Kalender" expects to find it. The splitting comes from
`compound-split <https://pypi.org/project/compound-split/>`_ (CharSplit, Tuggener 2016: the
probabilities of character n-grams at the start, inside and at the end of words, trained on
large German and Dutch corpora; ~95 % of GermaNet compound heads right). We chose it over
``german-nouns`` (a Wiktionary noun list with a greedy parser) because it split every word of
our checks correctly (Restmüll, Sitzungsdienst, Bürgerbeteiligung, Hinweisgebersystem,
Lärmmessung, Zahlungsplattform, Abfallkalender, Ratsinformationssystem) where the noun list made
"Hinweisgebersystem" into "Eber" + "System" and "Kindertagesstätte" into "Inder" + …, because
it also splits Dutch (a third of the catalogue), and because it needs no other package. Its
model ships inside the package: nothing is downloaded at run time. Costs, measured: loading the
model takes ~2 s and ~350 MB per process (once, on the first split); a split ~0.1 ms, cached.

The model always proposes a split point, also for words that are not compounds ("Kalender" →
"Kalen" + "der"), so a split is kept only when the model is confident enough and both parts
look like words (``MIN_SCORE``, ``MIN_PART_CHARS``, no stop word, no inflection or derivation
ending as the head: "Sitzungen" is not "Sitz" + "ungen"). A part is split again only on a
confident split (``MIN_INNER_SCORE``): "Ratsinformationssystem" gives "rats",
"informationssystem", and "informations" + "system" from it. Some false splits remain
("enthalten" → "enth" + "alten"); parts are indexed with a lower weight than whole words
(search/analysis.py), so such a stray part ranks low.
"""

from __future__ import annotations

from functools import lru_cache

SPLIT_LANGUAGES = ("de", "nl")
"""The languages compound-split has a model for."""
MIN_WORD_CHARS = 7
"""Shorter words are not split ("Bürger", "Termin")."""
MAX_WORD_CHARS = 48
"""Longer tokens are no words (hashes, URLs run together): not split; a split costs O(n²)."""
MIN_PART_CHARS = 4
MIN_SCORE = -0.6
"""The model's score for a split (its best is ~1); "Hinweisgeber|system" scores -0.55, the
non-compounds we checked ("Verwalt|ung", "Bür|ger") -1 and below."""
MIN_INNER_SCORE = 0.5
"""A part is split again only when the model is sure: "Sitzungs" → "Sitz" + "ungs" scores 0.16."""
NOT_HEADS = ("ung", "heit", "keit", "schaft", "isch", "lich", "ion", "innen", "ing", "eren")
"""German and Dutch endings the model sometimes takes for the head of a compound; no head
begins with them."""
MAX_DEPTH = 3
CACHED_WORDS = 65536


def parts(word: str, language: str) -> tuple[str, ...]:
    """The parts of a lower-case compound ``word``, or ``()`` when it is not one."""
    if (language not in SPLIT_LANGUAGES or not MIN_WORD_CHARS <= len(word) <= MAX_WORD_CHARS
            or not word.isalpha()):
        return ()
    return _parts(word, language)


def halves(word: str, language: str) -> tuple[str, ...]:
    """The first split of a lower-case compound: ``("zahlungs", "plattform")``, or ``()``.

    What a query's compound is searched as: both halves, each a word a text may contain
    whole (where ``parts`` goes on to "platt" + "form", which only the index needs).
    """
    if not parts(word, language):
        return ()
    _score, body, head = _best_split(word, language)
    return (body, head)


@lru_cache(maxsize=CACHED_WORDS)
def _parts(word: str, language: str) -> tuple[str, ...]:
    found = _split(word, language, MAX_DEPTH)
    return tuple(dict.fromkeys(found)) if len(found) > 1 else ()


def _split(word: str, language: str, depth: int, min_score: float = MIN_SCORE) -> list[str]:
    if depth == 0 or len(word) < MIN_WORD_CHARS:
        return [word]
    score, body, head = _best_split(word, language)
    if score < min_score or not _word_like(body, head):
        return [word]
    return ([word] if depth < MAX_DEPTH else []) + [
        *_split(body, language, depth - 1, MIN_INNER_SCORE),
        *_split(head, language, depth - 1, MIN_INNER_SCORE)]


def _word_like(body: str, head: str) -> bool:
    from .analysis import STOP_WORDS

    return (len(body) >= MIN_PART_CHARS and len(head) >= MIN_PART_CHARS
            and body not in STOP_WORDS and head not in STOP_WORDS
            and not head.startswith(NOT_HEADS))


@lru_cache(maxsize=CACHED_WORDS)
def _best_split(word: str, language: str) -> tuple[float, str, str]:
    score, body, head = _model().split_compound(word, language)[0]
    return float(score), body.lower(), head.lower()


@lru_cache(maxsize=1)
def _model():  # type: ignore[no-untyped-def]
    """The n-gram model, imported on first use: loading it is the expensive part.

    Its tables add ~100,000 objects the garbage collector tracks, and every full collection
    would walk them again (~70 ms, landing in whichever search happens to allocate then):
    ``gc.freeze`` sets everything loaded so far aside for good. The tables live as long as
    the process anyway."""
    import gc

    from compound_split import char_split

    gc.freeze()
    return char_split

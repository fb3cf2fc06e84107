"""“Meinten Sie …”: a corrected query string for a query that found nothing.

Corrections come from the ``spell`` field, which holds the words of names, short descriptions
and features as written (lower case, umlauts kept), so a suggestion reads like a real word
("bürgerbeteiligung"), not like a stem ("burgerbeteil"). Only words the index does not know
are replaced; the caller offers the result only when it actually finds something.
"""

from __future__ import annotations

import re
from typing import Any

from .analysis import WORD_PATTERN
from .query import OPERATORS

SPELL_FIELD = "spell"
MIN_WORD_CHARS = 3
MAX_DISTANCE = 2
_WORD = re.compile(WORD_PATTERN)


def corrected(text: str, searcher: Any) -> str | None:
    """``text`` with unknown words replaced by the closest known ones, or ``None``."""
    reader = searcher.reader()
    if SPELL_FIELD not in reader.indexed_field_names():
        return None
    corrector = searcher.corrector(SPELL_FIELD)
    pieces: list[str] = []
    position = 0
    changed = False
    for match in _WORD.finditer(text):
        word = match.group()
        replacement = None
        if (len(word) >= MIN_WORD_CHARS and word not in OPERATORS and not word.isdigit()
                and (SPELL_FIELD, word.lower()) not in reader):
            found = corrector.suggest(word.lower(), limit=1, maxdist=MAX_DISTANCE, prefix=1)
            if found:
                replacement = _same_case(word, found[0])
        pieces.append(text[position:match.start()])
        pieces.append(replacement or word)
        changed |= replacement is not None and replacement != word
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces) if changed else None


def _same_case(original: str, suggestion: str) -> str:
    if original.isupper() and len(original) > 1:
        return suggestion.upper()
    if original[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion

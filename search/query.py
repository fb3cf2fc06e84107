"""Turning what a person typed into an index query, without ever failing on their syntax.

The syntax is deliberately small: words (all must match: AND by default), ``"quoted
phrases"``, ``OR``/``AND``/``NOT`` and parentheses, and ``field:word`` for the text fields
(``name:``, ``publisher:``, ``categories:`` …). Wildcards, ranges and ``*:*`` are switched off:
a leading ``*`` would make Whoosh enumerate every term in the index.

As-you-type prefix matching: in a simple query (only words, at most ``PREFIX_MAX_WORDS``) the
last word also matches as a prefix ("Ratsinfo" finds "Ratsinformationssystem"), unless the text
ends with a space, which says the word is complete.

Whatever Whoosh's parser makes of broken input, ``parse`` returns a query; when parsing raises,
the text is searched as plain words (``plain``), which cannot fail.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from whoosh import qparser
from whoosh import query as wq

from .analysis import WORD_PATTERN, fold
from .schema import BOOSTS, PREFIX_FIELDS, TEXT_FIELDS

log = logging.getLogger(__name__)

PREFIX_MAX_WORDS = 3
PREFIX_MIN_CHARS = 3
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
_WORD = re.compile(WORD_PATTERN)
_SIMPLE = re.compile(r"^[\w\s\-.'’]*$")
_KEEP_PLUGINS = (qparser.FieldsPlugin, qparser.PhrasePlugin, qparser.GroupPlugin,
                 qparser.OperatorsPlugin)


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    query: Any
    """A Whoosh query, or ``None`` when the text has nothing to search for (list everything)."""
    fallback: bool = False
    """True when the text was searched as plain words because its syntax could not be used."""


class QueryBuilder:
    """Parsers are built once per schema: constructing them costs more than parsing."""

    def __init__(self, schema: Any):
        self._full = qparser.MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=BOOSTS,
                                              group=qparser.AndGroup)
        for plugin in list(self._full.plugins):
            if not isinstance(plugin, (*_KEEP_PLUGINS, qparser.WhitespacePlugin,
                                       qparser.MultifieldPlugin)):
                self._full.remove_plugin(plugin)
        self._plain = qparser.MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=BOOSTS,
                                               group=qparser.AndGroup, plugins=[])
        self._any = qparser.MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=BOOSTS,
                                             group=qparser.OrGroup, plugins=[])

    def parse(self, text: str) -> ParsedQuery:
        """The query for ``text``; never raises."""
        text = (text or "").strip() if not (text or "").endswith(" ") else text
        if not _WORD.search(text or ""):
            return ParsedQuery(None)
        try:
            if _SIMPLE.match(text) and not OPERATORS & set(text.split()):
                return ParsedQuery(self._simple(text))
            query = self._full.parse(text)
            if _has_errors(query):
                raise ValueError(f"unusable query syntax: {text!r}")
        except Exception as exc:  # any parser failure means: search plain words
            log.debug("falling back to a plain search for %r: %s", text, exc)
            return ParsedQuery(self.plain(text), fallback=True)
        return ParsedQuery(_normalised(query))

    def plain(self, text: str) -> Any:
        """Every word of ``text`` must match, all syntax ignored."""
        words = [w for w in _WORD.findall(text) if w not in OPERATORS]
        if not words:
            return wq.NullQuery
        return _normalised(self._plain.parse(" ".join(words)))

    def any_word(self, text: str) -> ParsedQuery | None:
        """Some of the words must match: the relaxed second try for a plain query of several
        words that found nothing. ``None`` for a single word, and for phrases, operators or
        fields — whoever wrote those said exactly what they want."""
        text = text or ""
        if not _SIMPLE.match(text) or OPERATORS & set(text.split()):
            return None
        words = _WORD.findall(text)
        if len(words) < 2:
            return None
        query = _normalised(self._any.parse(" ".join(words)))
        return ParsedQuery(query, fallback=True) if query is not None else None

    def _simple(self, text: str) -> Any:
        words = list(_WORD.finditer(text))
        last = words[-1] if words else None
        if (last is None or text.endswith((" ", "\t")) or len(words) > PREFIX_MAX_WORDS
                or len(last.group()) < PREFIX_MIN_CHARS):
            return _normalised(self._plain.parse(text))
        head = text[:last.start()]
        stem = fold(last.group())
        last_word = self._plain.parse(last.group())
        prefix = wq.Or([wq.Prefix(fieldname, stem, boost=BOOSTS[fieldname] * 0.5)
                        for fieldname in PREFIX_FIELDS])
        parts = [] if not _WORD.search(head) else [self._plain.parse(head)]
        parts.append(wq.Or([last_word, prefix]) if last_word is not wq.NullQuery else prefix)
        return _normalised(wq.And(parts) if len(parts) > 1 else parts[0])


def _normalised(query: Any) -> Any:
    normal = query.normalize()
    return None if normal is wq.NullQuery else normal


def _has_errors(query: Any) -> bool:
    """Whoosh marks syntax it could not use with ``Error`` nodes instead of raising."""
    return any(type(node).__name__ == "Error" for node in _nodes(query))


def _nodes(query: Any) -> Any:
    yield query
    for child in query.children() if query.is_leaf() is False else ():
        yield from _nodes(child)

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

Expansion: in a simple query (only words) each word — or run of words that is one vocabulary
entry — is searched as typed *or* as its alternatives (search/expansion.py: abbreviations,
compound parts, the same concept in other languages), these with a lower boost. Queries with
operators, phrases or fields are searched exactly as written.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from whoosh import qparser
from whoosh import query as wq

from . import expansion
from .analysis import WORD_PATTERN, fold
from .lru import BoundedLRU
from .model import MatchedVia
from .schema import BOOSTS, DESCRIPTION_KINDS, PREFIX_FIELDS, TEXT_FIELDS

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
    explanations: tuple[Explanation, ...] = ()
    """The alternatives searched beside the words typed, to tell each hit what found it."""


@dataclass(frozen=True, slots=True)
class Explanation:
    via: MatchedVia
    query: Any
    """The alternative alone."""
    literal: Any
    """What the words it stands for match as typed: a hit matching this needs no explaining."""


CONCEPT_FIELDS = ("name",)
"""Where a concept's term is searched besides the descriptions of its language."""


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
        self._words = lambda text: _PARSED.get(text, lambda: self._parse_words(text))
        """``text`` as typed words, each in any field."""
        self._analysed = lambda fieldname, text: _ANALYSED.get(
            (fieldname, text), lambda: self._analyse(fieldname, text))

    def parse(self, text: str) -> ParsedQuery:
        """The query for ``text``; never raises."""
        text = (text or "").strip() if not (text or "").endswith(" ") else text
        if not _WORD.search(text or ""):
            return ParsedQuery(None)
        try:
            if _SIMPLE.match(text) and not OPERATORS & set(text.split()):
                return self._simple(text)
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
        words — or of one compound, as its parts ("Wasserqualität": "Wasser" or "Qualität") —
        that found nothing. ``None`` for any other single word, and for phrases, operators or
        fields — whoever wrote those said exactly what they want."""
        text = text or ""
        if not _SIMPLE.match(text) or OPERATORS & set(text.split()):
            return None
        words = list(_WORD.finditer(text))
        units = expansion.units(text, words) if words else []
        explanations: list[Explanation] = []
        if len(words) == 1:
            compound = next((a for a in units[0].alternatives if a.kind == "compound"), None)
            if compound is None:
                return None
            query = _combined(self._compound(compound, self._words(compound.query),
                                             explanations, every=False))
        elif len(words) > 1:
            queries = [self._unit(unit, explanations) for unit in units]
            query = _combined(wq.Or([q for q in queries if q is not wq.NullQuery]))
        else:
            return None
        return (ParsedQuery(query, fallback=True, explanations=tuple(explanations))
                if query is not None else None)

    def _simple(self, text: str) -> ParsedQuery:
        words = list(_WORD.finditer(text))
        last = words[-1] if words else None
        explanations: list[Explanation] = []
        units = expansion.units(text, words)
        queries = [self._unit(unit, explanations) for unit in units]
        if not (last is None or text.endswith((" ", "\t")) or len(words) > PREFIX_MAX_WORDS
                or len(last.group()) < PREFIX_MIN_CHARS or units[-1].text != last.group()):
            stem = fold(last.group())
            prefix = wq.Or([wq.Prefix(fieldname, stem, boost=BOOSTS[fieldname] * 0.5)
                            for fieldname in PREFIX_FIELDS])
            queries[-1] = (wq.Or([queries[-1], prefix]) if queries[-1] is not wq.NullQuery
                           else prefix)
        kept = [q for q in queries if q is not wq.NullQuery]
        query = _combined(wq.And(kept)) if kept else None
        return ParsedQuery(query, explanations=tuple(explanations))

    def _unit(self, unit: expansion.Unit, explanations: list[Explanation]) -> Any:
        """The words of ``unit`` as typed, or any of their alternatives."""
        literal = self._words(unit.text)
        alternatives = []
        for alternative in unit.alternatives:
            if alternative.kind == "compound":
                query = self._compound(alternative, literal, explanations)
            else:
                query = (self._concept(alternative) if alternative.kind == "concept"
                         else _weighted(self._words(alternative.term),
                                        expansion.WEIGHTS[alternative.kind]))
                explanations.append(Explanation(_via(alternative), query, literal))
            if query is not wq.NullQuery:
                alternatives.append(query)
        if not alternatives:
            return literal
        return wq.Or([q for q in (literal, *alternatives) if q is not wq.NullQuery])

    def _compound(self, alternative: expansion.Alternative, literal: Any,
                  explanations: list[Explanation], every: bool = True) -> Any:
        """Every part of the compound (``every=False``: any), each as typed or as one of its
        concepts."""
        weight = expansion.WEIGHTS["compound"]
        parts, typed = [], []
        for part in alternative.parts:
            words = _weighted(self._words(part.text), weight)
            if words is wq.NullQuery:
                return wq.NullQuery
            typed.append(words)
            either = [words]
            for concept in part.alternatives:
                query = self._concept(concept)
                if query is not wq.NullQuery:
                    either.append(query)
                    explanations.append(Explanation(_via(concept), query,
                                                    wq.Or([words, literal])))
            parts.append(wq.Or(either) if len(either) > 1 else words)
        if not every:
            return wq.Or(parts)
        explanations.append(Explanation(_via(alternative), wq.And(typed), literal))
        return wq.And(parts)

    def _concept(self, alternative: expansion.Alternative) -> Any:
        """A concept's term in the descriptions of its language (and in names)."""
        weight = expansion.WEIGHTS["concept"]
        fields = (*(f"{kind}_{alternative.language}" for kind in DESCRIPTION_KINDS),
                  *CONCEPT_FIELDS)
        per_field = []
        for fieldname in fields:
            terms = self._analysed(fieldname, alternative.term)
            if terms:
                leaves = [wq.Term(fieldname, term, boost=BOOSTS[fieldname] * weight)
                          for term in terms]
                per_field.append(leaves[0] if len(leaves) == 1 else wq.And(leaves))
        return wq.Or(per_field) if per_field else wq.NullQuery

    def _parse_words(self, text: str) -> Any:
        return self._plain.parse(text)

    def _analyse(self, fieldname: str, text: str) -> tuple[str, ...]:
        analyzer = self._plain.schema[fieldname].analyzer
        return tuple(token.text for token in analyzer(text, mode="query"))


PARSED_TEXTS = 2048
"""Words and vocabulary terms kept parsed, once per process for every builder (all build the
same schema, so a word parses the same in each): parsing a word over every field costs more
than the rest of a small query. Shared, because a server keeps one builder per thread and
eight copies of the same words took ~170 MiB at their ceiling (bench/soak.py). Whoosh queries
are not changed after parsing (``_weighted`` copies), so threads may share them."""
_PARSED = BoundedLRU(PARSED_TEXTS)
_ANALYSED = BoundedLRU(PARSED_TEXTS)


def _weighted(query: Any, weight: float) -> Any:
    """A copy of ``query`` with every term's boost times ``weight``.

    Rebuilt node by node: Whoosh's own ``with_boost`` deep-copies each leaf, which cost more
    than the rest of an expanded query's parsing."""
    if isinstance(query, (wq.Term, wq.Prefix)):
        return type(query)(query.fieldname, query.text, boost=query.boost * weight)
    if isinstance(query, (wq.And, wq.Or)):
        return type(query)([_weighted(child, weight) for child in query.subqueries])
    if query is wq.NullQuery:
        return query
    return query.with_boost(query.boost * weight)


def _via(alternative: expansion.Alternative) -> MatchedVia:
    return MatchedVia(query=alternative.query, term=alternative.term,
                      language=alternative.language, kind=alternative.kind)


def _combined(query: Any) -> Any:
    """An expanded query as it is: the parts came from the parser already normalised, and
    Whoosh's ``normalize`` of the whole tree copies every leaf again (most of a query's
    parsing time). ``None`` when nothing is left to search."""
    if query is wq.NullQuery or (isinstance(query, (wq.And, wq.Or)) and not query.subqueries):
        return None
    return query


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

"""Highlighted snippets that are safe to put into HTML as they are.

Every character of the stored text is HTML-escaped, and the only markup added is ``<mark>``
around words that matched: a description containing ``<script>`` comes back as
``&lt;script&gt;``. The web front end renders snippets with ``|safe``, so this module is where
that safety is decided.

Why the analysis is cached: Whoosh's ``highlight()`` runs the field's analyzer (tokenise,
fold, stem) over the whole text for every hit of every search (half of an uncached search
page's time under the profiler, a few per cent when served), although a text's tokens never
depend on the query. :func:`_analysed`
keeps them per (field, text) in a bounded LRU, compactly (two arrays of offsets and a tuple of
interned terms); the fragmenter, scorer and formatter are still Whoosh's, fed from the cache,
so the snippets are the ones ``highlight()`` makes, except that between equally good passages
the earlier one wins (Whoosh picked by object address).
"""

from __future__ import annotations

import html
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from whoosh import highlight
from whoosh.analysis import Token

from .schema import VALUE_SEPARATOR, build_schema

LONG_SNIPPET_CHARS = 240
HIGHLIGHT_SCAN_CHARS = 4000
"""Long texts are searched for a snippet in their first this many characters only."""
FEATURE_JOINER = " · "


class MarkFormatter(highlight.Formatter):
    """``<mark>`` around matches, everything else escaped, fragments joined with an ellipsis."""

    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(text, quote=True)

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{html.escape(highlight.get_text(text, token, replace), quote=True)}</mark>"


_FORMATTER = MarkFormatter()
_SCORER = highlight.BasicFragmentScorer()
_WHOLE = highlight.WholeFragmenter(charlimit=None)
_CONTEXT = highlight.ContextFragmenter(maxchars=LONG_SNIPPET_CHARS, surround=60)
ANALYSED_TEXTS = 2048
"""Texts whose tokens are kept (a long description's are about 10 KB)."""


@dataclass(frozen=True, slots=True)
class _Tokens:
    """One text as its analyzer indexes it: each word's character span and index terms (the
    word's own and, for a compound, its parts': "Restmüll" is marked for "Müll")."""

    starts: array
    ends: array
    terms: tuple[tuple[str, ...], ...]

    def marked(self, wanted: frozenset[str]) -> Iterator[Token]:
        """The tokens with ``matched`` set, as Whoosh's fragmenters expect them (one reused
        object, as Whoosh's own tokenizers yield; the fragmenters copy what they keep)."""
        token = Token(chars=True)
        for start, end, terms in zip(self.starts, self.ends, self.terms, strict=True):
            token.startchar, token.endchar, token.text = start, end, terms[0]
            token.matched = not wanted.isdisjoint(terms)
            yield token


@lru_cache(maxsize=1)
def _analyzers() -> dict[str, Any]:
    return {name: field.analyzer for name, field in build_schema().items()
            if getattr(field, "analyzer", None) is not None}


@lru_cache(maxsize=ANALYSED_TEXTS)
def _analysed(fieldname: str, text: str) -> _Tokens:
    starts, ends, terms = array("I"), array("I"), []
    for token in _analyzers()[fieldname](text, chars=True, mode="index", removestops=False):
        if starts and starts[-1] == token.startchar and ends[-1] == token.endchar:
            terms[-1] = (*terms[-1], sys.intern(token.text))  # a compound's part
            continue
        starts.append(token.startchar)
        ends.append(token.endchar)
        terms.append((sys.intern(token.text),))
    return _Tokens(starts, ends, tuple(terms))


def _highlight(fieldname: str, text: str, wanted: frozenset[str], fragmenter: Any,
               top: int) -> str:
    """What ``whoosh.highlight.highlight`` returns, from the cached tokens, and the same
    every time."""
    fragments = fragmenter.fragment_tokens(text, _analysed(fieldname, text).marked(wanted))
    scored = [(_SCORER(fragment), fragment) for fragment in fragments]
    # Whoosh breaks ties between equal scores by object address, so the same search could
    # show another snippet each time; here the earlier place in the text wins.
    best = sorted((pair for pair in scored if pair[0] >= 1),
                  key=lambda pair: (-pair[0], pair[1].startchar))[:top]
    return _FORMATTER(text, sorted((fragment for _, fragment in best), key=highlight.FIRST))


def snippets(stored: dict[str, Any], terms: dict[str, frozenset[str]]) -> dict[str, str]:
    """Field → escaped snippet with ``<mark>``s, for the fields of one hit that matched.

    ``terms`` are the index terms found per field (stemmed, folded), so the field's own analyzer
    re-reads the stored text and marks the words that produce them.
    """
    out: dict[str, str] = {}
    for fieldname, wanted in terms.items():
        text = stored.get(fieldname)
        if not text:
            continue
        if fieldname.startswith("long_"):
            text = text[:HIGHLIGHT_SCAN_CHARS]
            snippet = _highlight(fieldname, text, wanted, _CONTEXT, top=2)
        else:
            snippet = _highlight(fieldname, text, wanted, _WHOLE, top=1)
            if fieldname.startswith("features_") or fieldname == "name":
                snippet = FEATURE_JOINER.join(line for line in snippet.split(VALUE_SEPARATOR)
                                              if "<mark>" in line)
        if "<mark>" in snippet:
            out[fieldname] = snippet
    return out

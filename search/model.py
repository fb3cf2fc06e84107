"""The search service's requests and answers: plain dataclasses, nothing from Whoosh.

These are the types the web front end, the JSON API and the CLI see; they are checked here so
that a bad sort or facet name fails with a message before any index work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .schema import FACETS

SORTS = ("relevance", "updated", "adopted", "name")
"""relevance: best match first; updated: most recently changed (``last_changed_at``) first;
adopted: most adoptions (usedBy and declared) first; name: alphabetical."""
MAX_PER_PAGE = 100


class InvalidSearchRequest(ValueError):
    """A request names an unknown sort or facet, or a page that cannot exist."""


MAX_TEXT_CHARS = 500
"""The longest search text (and facet value) the front ends accept: far beyond any real query,
short enough that no request can make the parser and highlighter work for long."""


class IndexBusy(RuntimeError):
    """Another process holds the index's write lock (there is only ever one writer)."""


class IndexDamaged(RuntimeError):
    """The index files cannot be read (a truncated or deleted segment, a broken table of
    contents): the catalogue is fine, the index must be rebuilt from it."""


@dataclass(frozen=True, slots=True)
class SearchRequest:
    text: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Facet name → accepted values: OR within a facet, AND across facets; case-insensitive."""
    sort: str | None = None
    """One of ``SORTS``; ``None`` means relevance for a text query, name for an empty one."""
    page: int = 1
    per_page: int = 20
    highlight: bool = True
    facet_limit: int | None = 50
    """Values shown per facet (most frequent first; selected values always); None: all;
    0: no facet counts at all (callers that only rank, such as need matching)."""
    suggest: bool = True
    """Look for a spelling suggestion ("Meinten Sie …") when nothing is found; callers that
    never show one save the look-up."""

    @classmethod
    def ranking_only(cls, text: str = "", **fields: Any) -> SearchRequest:
        """A request for callers that only rank what is found (need matching, alternatives,
        feeds): no snippets, no facet counts, no spelling suggestion — each costs time and
        none is shown."""
        return cls(text=text, highlight=False, facet_limit=0, suggest=False, **fields)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.filters) - set(FACETS))
        if unknown:
            raise InvalidSearchRequest(f"unknown filter {', '.join(unknown)}; "
                                       f"filters are {', '.join(FACETS)}")
        if self.sort is not None and self.sort not in SORTS:
            raise InvalidSearchRequest(f"unknown sort {self.sort!r}; sorts are {', '.join(SORTS)}")
        if self.page < 1:
            raise InvalidSearchRequest("page starts at 1")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise InvalidSearchRequest(f"per_page must be from 1 to {MAX_PER_PAGE}")


@dataclass(frozen=True, slots=True)
class MatchedVia:
    """Why a hit was found although it lacks some words of the query: ``term`` (in
    ``language``) stands for ``query``. Shown as "gefunden über: noise ≈ Lärm"."""

    query: str
    """The words typed: "Lärm" (for a compound's part: the part, "Lärm" of "Lärmmessung")."""
    term: str
    """What the hit contains instead: "noise"; a compound's parts as "Lärm + Messung"."""
    language: str
    """The language of ``term`` (``de``, ``en``, ``it``, ``nl``, ``fr``)."""
    kind: str
    """``abbreviation``, ``concept`` or ``compound`` (docs/search.md)."""

    def to_json(self) -> dict[str, str]:
        """The shape the CLI's and the API's JSON use."""
        return {"query": self.query, "term": self.term, "language": self.language,
                "kind": self.kind}

    def __str__(self) -> str:
        """"noise ≈ Lärm": how the web and the CLI say it."""
        return f"{self.term} ≈ {self.query}"


@dataclass(frozen=True, slots=True)
class Hit:
    id: int
    name: str
    url: str
    score: float | None
    """The relevance score when sorted by relevance, else ``None``."""
    highlights: dict[str, str] = field(default_factory=dict)
    """Field (``name``, ``short_de``, ``features_en``, ``long_other`` …) → an HTML snippet:
    everything escaped, ``<mark>`` around the matched words. Safe to render as is."""
    matched_via: tuple[MatchedVia, ...] = ()
    """The abbreviations, compound parts and other-language terms that found this hit where
    the words typed did not (empty when the words typed explain it)."""


@dataclass(frozen=True, slots=True)
class SearchResults:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    """Facet → value → matching solutions, counted with every *other* facet's filter applied,
    so a person can widen a facet they already narrowed."""
    suggestion: str | None = None
    """For a query without hits: a corrected query that has some ("Meinten Sie …")."""
    sort: str = "name"
    """The sort actually applied."""
    relaxed: bool = False
    """No solution contains all the words, so these contain some of them ("Alternative zu
    Doodle" finds the appointment tools that call themselves an alternative). Say so."""

    @classmethod
    def empty(cls, sort: str = "name") -> SearchResults:
        return cls(total=0, hits=[], facets={facet: {} for facet in FACETS}, sort=sort)


@dataclass(frozen=True, slots=True)
class UpdateReport:
    written: list[int]
    removed: list[int]
    unchanged: int


@dataclass(frozen=True, slots=True)
class IndexCheck:
    """How the index compares with the catalogue's shown solutions."""

    missing: list[int]
    """In the catalogue, not in the index."""
    extra: list[int]
    """In the index, not (or no longer) shown in the catalogue."""
    stale: list[int]
    """In both, but indexed from an older (or other) content version than the catalogue's."""
    duplicates: list[int]
    index_count: int
    catalogue_count: int

    @property
    def ok(self) -> bool:
        return (not self.missing and not self.extra and not self.stale and not self.duplicates
                and self.index_count == self.catalogue_count)

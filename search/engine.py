"""One search against an opened index generation: match, filter, count, sort, page, highlight.

Whoosh parses, stores, analyses and highlights; matching and ranking are bitmask work on term
postings (search/ranking.py), and filters, facet counts and the non-relevance sorts are set
operations on the generation's ``Snapshot`` bitmasks. A query's cost is close to the cost of
reading its terms' postings, however many facets are shown.
"""

from __future__ import annotations

from typing import Any

from .highlight import snippets
from .model import Hit, MatchedVia, SearchRequest, SearchResults
from .query import Explanation, ParsedQuery, QueryBuilder
from .ranking import Evaluator, top_scored
from .schema import FACETS, HIGHLIGHT_FIELDS
from .snapshot import Snapshot, first_in_order
from .spelling import corrected


def execute(searcher: Any, snapshot: Snapshot, builder: QueryBuilder, request: SearchRequest,
            parsed: ParsedQuery) -> SearchResults:
    query = parsed.query
    evaluation = (None if query is None
                  else Evaluator(searcher, snapshot, snapshot.terms).evaluate(query))
    text_mask = snapshot.live if evaluation is None else evaluation.mask
    filter_masks = {facet: snapshot.value_mask(facet, list(values))
                    for facet, values in request.filters.items() if values}
    selected = text_mask
    for mask in filter_masks.values():
        selected &= mask
    total = selected.bit_count()
    sort = request.sort or ("relevance" if query is not None else "name")
    offset = (request.page - 1) * request.per_page

    if total == 0:
        ranked: list[tuple[int, float | None]] = []
    elif sort == "relevance" and evaluation is not None:
        ranked = top_scored(evaluation, selected, offset, request.per_page,
                            snapshot.orders["name"], snapshot.priors)
    else:
        order = snapshot.orders["name" if sort == "relevance" else sort]
        ranked = [(docnum, None)
                  for docnum in first_in_order(order, selected, offset, request.per_page)]

    terms = evaluation.terms if request.highlight and evaluation is not None else {}
    explain = _explainer(searcher, snapshot, parsed.explanations) if ranked else None
    hits = []
    for docnum, score in ranked:
        stored = searcher.stored_fields(docnum)
        hits.append(Hit(id=int(stored["id"]), name=stored.get("title") or stored["url"],
                        url=stored["url"], score=None if score is None else round(score, 4),
                        highlights=_highlights(stored, terms, evaluation, docnum, searcher),
                        matched_via=explain(docnum) if explain else ()))

    suggestion = None
    if total == 0 and query is not None and request.suggest:
        suggestion = _suggestion(searcher, snapshot, builder, request.text, filter_masks)
    return SearchResults(total=total, hits=hits,
                         facets=_facet_counts(snapshot, text_mask, filter_masks, request),
                         suggestion=suggestion, sort=sort)


def _highlights(stored: dict, terms: dict, evaluation: Any, docnum: int,
                searcher: Any) -> dict[str, str]:
    """Snippets only for the fields the postings say this document matched in.

    A long description is left out when the short one of its language matched: its snippet
    costs the most (a scan of up to 4,000 characters), and since queries reach every
    language's descriptions a hit often matches several."""
    if not terms or evaluation is None:
        return {}
    matched = evaluation.fields_matching(docnum) & set(HIGHLIGHT_FIELDS)
    matched -= {"long_" + name.removeprefix("short_") for name in matched
                if name.startswith("short_")}
    wanted = {name: frozenset(terms[name]) for name in matched if name in terms}
    return snippets(stored, wanted) if wanted else {}


def _explainer(searcher: Any, snapshot: Snapshot,
               explanations: tuple[Explanation, ...]) -> Any:
    """A function giving, for a document number, the alternatives that found it where the
    words they stand for did not. Masks come from the cached postings: a few bit operations."""
    if not explanations:
        return None
    masks: dict[int, int] = {}

    def mask(query: Any) -> int:
        if id(query) not in masks:
            masks[id(query)] = _matching(searcher, snapshot, query)
        return masks[id(query)]

    def explain(docnum: int) -> tuple[MatchedVia, ...]:
        bit = 1 << docnum
        found = {(e.via.term.casefold(), e.via.language): e.via for e in reversed(explanations)
                 if mask(e.query) & bit and not mask(e.literal) & bit}
        return tuple(reversed(found.values()))

    return explain


def _matching(searcher: Any, snapshot: Snapshot, query: Any) -> int:
    """The live documents matching ``query``, unscored."""
    return Evaluator(searcher, snapshot, snapshot.terms).evaluate(query).mask


def _facet_counts(snapshot: Snapshot, text_mask: int, filter_masks: dict[str, int],
                  request: SearchRequest) -> dict[str, dict[str, int]]:
    """Counts per facet value, each facet counted under the *other* facets' filters."""
    if request.facet_limit == 0:
        return {facet: {} for facet in FACETS}
    facets: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        base = text_mask
        for other, mask in filter_masks.items():
            if other != facet:
                base &= mask
        counts = {}
        if base:
            for value, mask in snapshot.facets[facet].items():
                count = (base & mask).bit_count()
                if count:
                    counts[value] = count
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
        if request.facet_limit is not None:
            ordered = ordered[:request.facet_limit]
        shown = dict(ordered)
        for value in request.filters.get(facet, ()):
            canonical = snapshot.canonical(facet, value)
            shown.setdefault(canonical, counts.get(canonical, 0))
        facets[facet] = shown
    return facets


def _suggestion(searcher: Any, snapshot: Snapshot, builder: QueryBuilder, text: str,
                filter_masks: dict[str, int]) -> str | None:
    """A corrected query string, offered only when it finds something under the same filters."""
    candidate = corrected(text, searcher)
    if candidate is None:
        return None
    query = builder.parse(candidate).query
    if query is None:
        return None
    mask = _matching(searcher, snapshot, query)
    for filter_mask in filter_masks.values():
        mask &= filter_mask
    return candidate if mask else None

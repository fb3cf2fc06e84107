"""Matching and ranking on term bitmaps, instead of walking Whoosh's matcher trees.

Whoosh evaluates a query by stepping through a tree of matchers document by document in
Python; with every word searched in ~20 fields that costs 60–150 ms for a common word at 10k
solutions. Here a query's leaves are read once as posting arrays (document numbers and term
frequencies, block by block), cached per index generation, and combined as ``int`` bitmasks:
AND is ``&``, OR is ``|``, NOT is ``live & ~x``. Relevance is a field-boosted BM25 sum over the
leaves (idf × saturated tf × the field's boost), computed only for the documents that matched.

Query types this module does not combine itself (phrases) are matched by Whoosh
(``docs_for_query``) and their words still count for the score.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from itertools import islice
from math import log
from typing import Any

from whoosh import query as wq

from .lru import BoundedLRU
from .snapshot import Snapshot, mask_of

K1 = 1.2
"""BM25 term-frequency saturation."""
MAX_PREFIX_TERMS = 64
"""Expansions of one prefix per field; a two-letter prefix must not read the whole lexicon."""
CACHED_TERMS = 16384
"""(field, term) postings kept per index generation, shared by the process's search services.
Need matching searches each need's words over every text field, ~180 (field, term) pairs per
word: at 4,096 the cache thrashed (bench/match.py). 16,384 entries of a 10k index take about
20 MiB (most are rare terms; a mask costs an eighth of a byte per document)."""


@dataclass(slots=True)
class Postings:
    ids: list[int]
    saturated: list[float]
    """Per document, its term frequency saturated as BM25 does (``tf·(K1+1)/(tf+K1)``):
    computed once when the term is read, not in every query that scores it."""
    mask: int


@dataclass(slots=True)
class Evaluation:
    mask: int
    leaves: list[tuple[str, Postings, float]] = field(default_factory=list)
    """Scoring leaves: field, postings and weight (boost × idf), one per (field, term): an
    expanded query names the same term many times ("dati" in several Italian terms), and the
    postings are summed over once with the weights added up."""
    positions: dict[tuple[str, bytes], int] = field(default_factory=dict)
    """(field, term) → its index in ``leaves``."""

    terms: dict[str, set[str]] = field(default_factory=dict)
    """Field → the query's terms found in it (prefixes expanded), for highlighting."""

    def fields_matching(self, docnum: int) -> set[str]:
        """The fields in which ``docnum`` contains one of the query's words."""
        bit = 1 << docnum
        return {fieldname for fieldname, postings, _ in self.leaves if postings.mask & bit}


class TermCache:
    """Posting arrays of recently queried terms, and the terms of recently expanded
    prefixes, for one index generation."""

    def __init__(self) -> None:
        self._postings = BoundedLRU(CACHED_TERMS)
        self._prefixes = BoundedLRU(CACHED_TERMS)

    def get(self, reader: Any, size: int, fieldname: str, term: bytes) -> Postings:
        def read() -> Postings:
            ids, tfs = read_postings(reader, fieldname, term)
            saturated = [tf * (K1 + 1) / (tf + K1) for tf in tfs]
            return Postings(ids, saturated, mask_of(ids, size))

        return self._postings.get((fieldname, term), read)

    def expansions(self, reader: Any, fieldname: str, prefix: bytes | str) -> tuple[Any, ...]:
        """The terms a prefix stands for (at most ``MAX_PREFIX_TERMS``). Finding them is a
        binary search in the on-disk term table, dozens of small reads now that index files
        are read rather than memory-mapped (service.DAMAGE), so they are kept per generation
        like the postings."""
        return self._prefixes.get((fieldname, prefix), lambda: tuple(
            islice(reader.expand_prefix(fieldname, prefix), MAX_PREFIX_TERMS)))


def read_postings(reader: Any, fieldname: str, term: bytes) -> tuple[list[int], list[float]]:
    """All (document number, term frequency) of one term, deleted documents included."""
    ids: list[int] = []
    tfs: list[float] = []
    for segment, offset in reader.leaf_readers():
        if (fieldname, term) not in segment:
            continue
        matcher = _raw_matcher(segment, fieldname, term)
        if matcher is None or not hasattr(matcher, "_read_ids"):
            matcher = segment.postings(fieldname, term)
            while matcher.is_active():
                ids.append(matcher.id() + offset)
                tfs.append(matcher.weight())
                matcher.next()
            continue
        # Whoosh's on-disk leaf matcher: take each block's decoded arrays whole.
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(docnum + offset for docnum in matcher._ids)
            tfs.extend(matcher._weights)
            matcher._next_block()
    return ids, tfs


def _raw_matcher(segment: Any, fieldname: str, term: bytes) -> Any:
    terms = getattr(segment, "_terms", None)
    if terms is None:
        return None
    try:
        return terms.matcher(fieldname, term, segment.schema[fieldname].format)
    except Exception:  # an unexpected reader: use the public, slower path
        return None


class Evaluator:
    """Evaluates one query against one generation: a mask of matches and scoring leaves."""

    def __init__(self, searcher: Any, snapshot: Snapshot, cache: TermCache):
        self._searcher = searcher
        self._reader = searcher.reader()
        self._snapshot = snapshot
        self._cache = cache
        self._count = max(snapshot.size, 1)

    def evaluate(self, query: Any) -> Evaluation:
        result = Evaluation(0)
        result.mask = self._mask(query, result) & self._snapshot.live
        return result

    def _mask(self, q: Any, out: Evaluation | None) -> int:
        """The documents matching ``q``; its scoring leaves go to ``out`` (None: not scored)."""
        if isinstance(q, wq.Term):
            return self._term(q.fieldname, q.text, q.boost, out)
        if isinstance(q, wq.Prefix):
            terms = self._cache.expansions(self._reader, q.fieldname, q.text)
            mask = 0
            for term in terms:
                mask |= self._term(q.fieldname, term, q.boost, out)
            return mask
        if isinstance(q, wq.AndNot):
            return self._mask(q.a, out) & ~self._mask(q.b, None)
        if isinstance(q, wq.AndMaybe):
            self._mask(q.b, out)
            return self._mask(q.a, out)
        if isinstance(q, wq.Require):
            return self._mask(q.a, out) & self._mask(q.b, None)
        if isinstance(q, wq.Not):
            return self._snapshot.live & ~self._mask(q.query, None)
        if isinstance(q, wq.And):
            masks = [self._mask(child, out) for child in q.subqueries]
            mask = masks[0] if masks else 0
            for other in masks[1:]:
                mask &= other
            return mask
        if isinstance(q, wq.Or):
            mask = 0
            for child in q.subqueries:
                mask |= self._mask(child, out)
            return mask
        if q is wq.NullQuery:
            return 0
        # Anything else (phrases): Whoosh matches it; its words still score.
        if out is not None:
            for fieldname, text in q.iter_all_terms():
                self._term(fieldname, text, q.boost, out)
        return mask_of(self._searcher.docs_for_query(q), self._snapshot.size)

    def _term(self, fieldname: str, text: Any, boost: float, out: Evaluation | None) -> int:
        schema_field = self._reader.schema[fieldname]
        term = text if isinstance(text, bytes) else schema_field.to_bytes(text)
        postings = self._cache.get(self._reader, self._snapshot.size, fieldname, term)
        if out is not None and postings.ids:
            weight = boost * (log(self._count / (len(postings.ids) + 1)) + 1)
            at = out.positions.setdefault((fieldname, term), len(out.leaves))
            if at == len(out.leaves):
                out.leaves.append((fieldname, postings, weight))
                out.terms.setdefault(fieldname, set()).add(term.decode("utf-8"))
            else:
                out.leaves[at] = (fieldname, postings, out.leaves[at][2] + weight)
        return postings.mask


def top_scored(evaluation: Evaluation, selected: int, offset: int, limit: int,
               fallback_order: list[int],
               priors: dict[int, float] | None = None) -> list[tuple[int, float]]:
    """The ``limit`` best documents in ``selected`` after ``offset``, best first.

    Each score is multiplied by the document's prior factor (search/prior.py: at most +5 % for
    complete metadata and a maintained repository). Documents that matched without a scoring
    word (``NOT x`` alone) follow the scored ones in ``fallback_order`` with score 0.
    """
    data = selected.to_bytes((selected.bit_length() + 7) // 8, "little")
    length = len(data)
    scores: dict[int, float] = {}
    for _fieldname, postings, weight in evaluation.leaves:
        for docnum, saturated in zip(postings.ids, postings.saturated, strict=True):
            index = docnum >> 3
            if index < length and data[index] >> (docnum & 7) & 1:
                scores[docnum] = scores.get(docnum, 0.0) + weight * saturated
    if priors:
        scores = {docnum: score * priors.get(docnum, 1.0) for docnum, score in scores.items()}
    best = heapq.nsmallest(offset + limit, scores.items(), key=lambda item: (-item[1], item[0]))
    if len(best) < offset + limit and len(scores) < selected.bit_count():
        rest = (docnum for docnum in fallback_order
                if docnum >> 3 < length and data[docnum >> 3] >> (docnum & 7) & 1
                and docnum not in scores)
        best += [(docnum, 0.0) for docnum in islice(rest, offset + limit - len(best))]
    return best[offset:]

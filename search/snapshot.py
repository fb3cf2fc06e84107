"""Per-generation caches of one opened index: facet value sets and sort orders as bitmasks.

Whoosh computes facets and sorts by walking documents in Python on every query, which costs
tens of milliseconds at 10k solutions. An index generation never changes once committed, so
everything a query needs besides the text match is computed once per generation here:

- ``facets[facet][value]``: the documents with that value, as a Python ``int`` bitmask (bit n =
  document number n). Counting a facet value under a query is ``(matched & mask).bit_count()``.
- ``orders[sort]``: live document numbers in the order of each non-relevance sort.
- ``priors[docnum]``: the factor that ranks better metadata and maintenance first at equal
  text relevance (search/prior.py).

A reader builds a new snapshot only after it has refreshed to a new generation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .prior import factor
from .schema import FACETS

_BITS = [tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)]


def mask_of(docnums: Any, size: int) -> int:
    """A bitmask with the bits of ``docnums`` set (document numbers below ``size``)."""
    buffer = bytearray((size + 7) // 8)
    for docnum in docnums:
        buffer[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(buffer, "little")


def docnums_of(mask: int) -> list[int]:
    """The set bits of ``mask`` in ascending order."""
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    out: list[int] = []
    for index, byte in enumerate(data):
        if byte:
            base = index << 3
            out.extend(base + bit for bit in _BITS[byte])
    return out


def first_in_order(order: list[int], mask: int, skip: int, take: int) -> list[int]:
    """``take`` document numbers from ``order`` that are in ``mask``, after skipping ``skip``."""
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    length = len(data)
    out: list[int] = []
    for docnum in order:
        index = docnum >> 3
        if index < length and data[index] >> (docnum & 7) & 1:
            if skip:
                skip -= 1
                continue
            out.append(docnum)
            if len(out) >= take:
                break
    return out


@dataclass(slots=True)
class Snapshot:
    size: int
    live: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    folded: dict[str, dict[str, str]] = field(default_factory=dict)
    """facet → casefolded value → the value as indexed (filters match case-insensitively)."""
    orders: dict[str, list[int]] = field(default_factory=dict)
    priors: dict[int, float] = field(default_factory=dict)
    """Document number → what its relevance score is multiplied by (search/prior.py)."""
    terms: Any = None
    """A ``ranking.TermCache`` of this generation's recently queried terms."""

    @property
    def count(self) -> int:
        return self.live.bit_count()

    def value_mask(self, facet: str, values: list[str]) -> int:
        """Documents having any of ``values`` (OR within one facet); unknown values match none."""
        known = self.folded.get(facet, {})
        masks = self.facets.get(facet, {})
        result = 0
        for value in values:
            indexed = known.get(value.casefold())
            if indexed is not None:
                result |= masks[indexed]
        return result

    def canonical(self, facet: str, value: str) -> str:
        return self.folded.get(facet, {}).get(value.casefold(), value)


def build_snapshot(reader: Any) -> Snapshot:
    """Read facet postings and sort columns of every live document once."""
    size = reader.doc_count_all()
    live_docnums = list(reader.all_doc_ids())
    live = mask_of(live_docnums, size)
    from .ranking import TermCache

    snapshot = Snapshot(size=size, live=live, terms=TermCache())
    for facet, fieldname in FACETS.items():
        masks: dict[str, int] = {}
        if fieldname in reader.indexed_field_names():
            for term in reader.lexicon(fieldname):
                docnums = reader.postings(fieldname, term).all_ids()
                mask = mask_of(docnums, size) & live
                if mask:
                    masks[term.decode("utf-8")] = mask
        snapshot.facets[facet] = masks
        snapshot.folded[facet] = {value.casefold(): value for value in sorted(masks)}
    name_key = _column(reader, "name_key", live_docnums)
    by_name = sorted(live_docnums, key=lambda d: name_key[d] or "")
    name_rank = {docnum: rank for rank, docnum in enumerate(by_name)}
    updated = _column(reader, "updated", live_docnums)
    adopted = _column(reader, "adopted", live_docnums)
    snapshot.priors = {docnum: factor(stored)
                       for docnum, stored in _column(reader, "prior", live_docnums).items()}
    snapshot.orders = {
        "name": by_name,
        "updated": sorted(live_docnums, key=lambda d: (-(updated[d] or 0), name_rank[d])),
        "adopted": sorted(live_docnums, key=lambda d: (-(adopted[d] or 0), name_rank[d])),
    }
    return snapshot


def _column(reader: Any, fieldname: str, docnums: list[int]) -> dict[int, Any]:
    if not reader.has_column(fieldname):
        return dict.fromkeys(docnums)
    column = reader.column_reader(fieldname)
    return {docnum: column[docnum] for docnum in docnums}

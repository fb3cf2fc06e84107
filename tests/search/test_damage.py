"""An index file cut short anywhere is damage, never a server error (bench/faults.py found a
truncation that Whoosh reports as a bare ``Exception("Block tag error")``: 500s for good, and
nobody rebuilt the index).

Each cut keeps a different share of the segment; after it, every search either answers or
raises ``IndexDamaged`` (which the web turns into a 503 and a rebuild) — nothing else.
"""

from __future__ import annotations

import shutil

import pytest

from search import IndexDamaged, SearchRequest, SearchService

QUERIES = ["Bürgerbeteiligung", "Abfall", "Termin", "Parken", "Rat", "open data", "Karte",
           "Umfragen", "municipio", "gemeente", "", "B*"]


@pytest.mark.parametrize("kept", [0.2, 0.5, 0.8, 0.9, 0.97, 0.995])
def test_a_segment_cut_short_anywhere_is_damage_or_still_answers(index_dir, tmp_path, kept):
    damaged = tmp_path / f"cut-{kept}"
    shutil.copytree(index_dir, damaged)
    service = SearchService(damaged)
    assert service.search(SearchRequest(text="Abfall")).total >= 1  # opened before the cut
    for segment in damaged.glob("*.seg"):
        with segment.open("r+b") as handle:
            handle.truncate(int(segment.stat().st_size * kept))
    outcomes = set()
    for text in QUERIES:
        for sort in (None, "name", "updated"):
            try:
                service.search(SearchRequest(text=text, sort=sort))
                outcomes.add("answered")
            except IndexDamaged:
                outcomes.add("damaged")
    assert outcomes <= {"answered", "damaged"}

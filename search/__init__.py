"""Search over the catalogue: a Whoosh index behind a small service; no Whoosh type leaks out.

- ``SearchService(index_dir)``: ``search(SearchRequest) -> SearchResults``, ``update``,
  ``rebuild``, ``check``, ``doc_ids``.
- ``catch_up(engine, index_dir)`` / ``reindex(engine, index_dir, ids_or_urls)`` /
  ``rebuild(engine, index_dir, progress)``: what the harvest, the web and the CLI call to keep
  the index in step with the catalogue (by content version: search/sync.py); ``follow`` picks
  after a harvest.
- ``index_generation(index_dir)``: a token that changes with every commit (for caches).

How it works (fields, analysis, query syntax, crash safety): docs/search.md.
"""

from .documents import IndexDocument, LanguageText, documents_for
from .model import (
    MAX_TEXT_CHARS,
    SORTS,
    Hit,
    IndexBusy,
    IndexCheck,
    IndexDamaged,
    InvalidSearchRequest,
    MatchedVia,
    SearchRequest,
    SearchResults,
    UpdateReport,
)
from .schema import FACETS
from .service import SearchService, index_generation
from .sync import catalogue_size, catch_up, check, follow, rebuild, reindex

__all__ = [
    "FACETS", "MAX_TEXT_CHARS", "SORTS", "Hit", "IndexBusy", "IndexCheck", "IndexDamaged",
    "IndexDocument",
    "InvalidSearchRequest", "LanguageText", "MatchedVia", "SearchRequest", "SearchResults",
    "SearchService", "UpdateReport", "catalogue_size", "catch_up", "check", "documents_for",
    "follow",
    "index_generation", "rebuild", "reindex",
]

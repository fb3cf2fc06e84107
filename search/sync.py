"""Keeping the index in step with the catalogue: what the harvest, the web and the CLI call.

Every index document records the catalogue content version it was built from
(``Solution.content_version``, counted by registry.models.versions). So the index never has
to trust that the last writer finished:

- ``catch_up`` compares the versions of the whole catalogue with those of the whole index
  (two column reads, no documents built) and rewrites what differs, adds what is missing and
  removes what is no longer shown. A harvest killed between its database commit and its index
  commit, or a reindex that found the index busy, is caught up by the next one.
- ``reindex`` writes the given solutions (by id or repository URL) now: a quick path for a
  single change in a web request; ``catch_up`` covers it if it fails.
- ``rebuild`` recreates the index from the whole catalogue.

Each reads the catalogue in a few queries and writes in one commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from registry.db import session_scope

from .documents import count_shown, documents_for, ids_for_urls, shown_versions
from .model import IndexCheck, UpdateReport
from .service import Progress, SearchService

log = logging.getLogger(__name__)


def reindex(engine: Any, index_dir: str | Path,
            solution_urls_or_ids: Iterable[int | str]) -> UpdateReport:
    """Bring the index up to date for these solutions (ids or repository URLs)."""
    ids: set[int] = set()
    urls: list[str] = []
    for item in solution_urls_or_ids:
        if isinstance(item, int) or (isinstance(item, str) and item.isdigit()):
            ids.add(int(item))
        else:
            urls.append(item)
    with session_scope(engine) as session:
        if urls:
            found = ids_for_urls(session, urls)
            unknown = sorted(set(urls) - set(found))
            if unknown:
                log.info("not in the catalogue, nothing to index: %s", ", ".join(unknown))
            ids.update(found.values())
        documents = list(documents_for(session, ids))
    shown = {document.id for document in documents}
    return SearchService(index_dir).update(documents, removed_ids=ids - shown)


def rebuild(engine: Any, index_dir: str | Path, progress: Progress | None = None) -> int:
    """Recreate the index from every solution the catalogue shows; returns how many."""
    with session_scope(engine) as session:
        return SearchService(index_dir).rebuild(documents_for(session), progress=progress)


def catch_up(engine: Any, index_dir: str | Path) -> UpdateReport:
    """Bring every document whose content version differs from the catalogue's up to date."""
    with session_scope(engine) as session:
        wanted = shown_versions(session)
    service = SearchService(index_dir)
    indexed = service.versions()
    behind = {i for i, version in wanted.items() if indexed.get(i) != version}
    gone = set(indexed) - set(wanted)
    if not behind and not gone:
        return UpdateReport(written=[], removed=[], unchanged=len(indexed))
    with session_scope(engine) as session:
        documents = list(documents_for(session, behind))
    shown = {document.id for document in documents}
    return service.update(documents, removed_ids=gone | (behind - shown))


def follow(engine: Any, index_dir: str | Path) -> str | None:
    """After catalogue writes (a harvest, a reread): build the index when there is none yet,
    else :func:`catch_up` by content version — which also repairs what an earlier run left
    behind. Returns what was done in a few words (``None``: nothing to do); failures are
    raised, for the caller to report with the way to repair (``allmende index rebuild``)."""
    if not SearchService(index_dir).exists():
        return f"built with {rebuild(engine, index_dir)} solutions"
    update = catch_up(engine, index_dir)
    if not update.written and not update.removed:
        return None
    return f"{len(update.written)} written, {len(update.removed)} removed"


def catalogue_size(engine: Any) -> int:
    """How many solutions the catalogue shows (for progress bars)."""
    with session_scope(engine) as session:
        return count_shown(session)


def check(engine: Any, index_dir: str | Path) -> IndexCheck:
    """Compare the index with the catalogue's shown solutions, by content version."""
    with session_scope(engine) as session:
        expected = shown_versions(session)
    return SearchService(index_dir).check(expected)

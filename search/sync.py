"""Keeping the index in step with the catalogue: what the harvest and the CLI call.

``reindex`` is incremental — given the solutions a harvest touched (by id or repository URL), it
writes those the catalogue shows and removes those it no longer shows (unlisted, removed, invalid
without a last valid version, or deleted rows). ``rebuild`` recreates the index from the whole
catalogue. Both read the catalogue in a few queries and write in one commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from registry.db import session_scope

from .documents import count_shown, documents_for, ids_for_urls, shown_ids
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


def follow(engine: Any, index_dir: str | Path, changed: Iterable[int | str]) -> str | None:
    """After a harvest: build the index when there is none yet, else :func:`reindex` what
    ``changed``. Returns what was done in a few words (``None``: nothing to do); failures are
    raised, for the caller to report with the way to repair (``allmende index rebuild``)."""
    if not SearchService(index_dir).exists():
        return f"built with {rebuild(engine, index_dir)} solutions"
    changed = list(changed)
    if not changed:
        return None
    update = reindex(engine, index_dir, changed)
    return f"{len(update.written)} written, {len(update.removed)} removed"


def catalogue_size(engine: Any) -> int:
    """How many solutions the catalogue shows (for progress bars)."""
    with session_scope(engine) as session:
        return count_shown(session)


def check(engine: Any, index_dir: str | Path) -> IndexCheck:
    """Compare the index with the catalogue's shown solutions."""
    with session_scope(engine) as session:
        expected = shown_ids(session)
    return SearchService(index_dir).check(expected)

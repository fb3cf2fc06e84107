"""Counting ``Solution.content_version``: one rule at flush time, whoever writes.

The search index is derived from the catalogue and can fall behind it: a harvest killed after
its database commit and before its index commit, a web worker whose reindex found the index
busy, a second node with its own index. Each index document therefore records the content
version it was built from, and ``search.sync`` rewrites every document whose version differs.
That only works if *every* change to what the index holds counts, so the counting is not left
to the code paths that write: a ``before_flush`` listener on every session sees each flushed
change and counts it —

- a solution row changed in a column the index reads (``UNINDEXED_COLUMNS`` are the harvest's
  bookkeeping; of the JSON columns ``PARTLY_INDEXED`` only the named keys count);
- an adoption added, changed or removed (``used_by`` and the adoption count are indexed): the
  solution it belongs to (both, if it moved);
- a publisher renamed or moved to another region: every solution it publishes.

Statements that bypass the ORM (``sa.update(Solution)``) bypass this listener: the catalogue
writes solutions and adoptions through the ORM only (tests/registry/test_content_version.py
keeps it so). Versions are raised with SQL (``content_version + 1``), so two writers at once
both count.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from .catalogue import Adoption, Publisher, Solution

UNINDEXED_COLUMNS = frozenset({
    "raw_text", "content_hash", "findings", "quality_reasons", "read_with", "valid_text",
    "status_reason", "forge_id", "change_marker", "last_error", "last_error_at",
    "first_seen_at", "last_harvested_at", "last_valid_at", "missing_count", "content_version",
    "based_on",
})
"""Solution columns search/documents.py does not read: what the harvest keeps for itself, the
stored files, the validator's findings. A change here leaves the index right."""
PARTLY_INDEXED: dict[str, tuple[str, ...]] = {"signals": ("level",), "forge": ("topics",)}
"""JSON columns of which the index reads only these keys: the commit counts and star numbers
that move every night must not make every night's index update a full rebuild."""
INDEXED_PUBLISHER_COLUMNS = ("name", "region")
_COUNTED = "allmende.content_versions_counted"
"""``session.info`` key: solutions counted in this transaction. One count per transaction is
enough (the index asks "has it changed?", not "how often?"); the several flushes of one
harvested file would otherwise count several times."""


def next_version() -> sa.ColumnElement[int]:
    """The SQL for "one more than now", atomic under concurrent writers."""
    return Solution.content_version + 1


def indexed_change(solution: Solution) -> bool:
    """Whether a loaded, modified solution changed in anything the index reads."""
    state = inspect(solution)
    for attribute in state.mapper.column_attrs:
        key = attribute.key
        if key in UNINDEXED_COLUMNS:
            continue
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        keys = PARTLY_INDEXED.get(key)
        if keys is None:
            return True
        before = _first(history.deleted)
        after = _first(history.added)
        if any(_get(before, k) != _get(after, k) for k in keys):
            return True
    return False


@event.listens_for(Session, "before_flush")
def _count_versions(session: Session, _context: Any, _instances: Any) -> None:
    counted: set[int] = session.info.setdefault(_COUNTED, set())
    solution_ids: set[int] = set()
    publisher_ids: set[int] = set()
    for item in session.dirty:
        if isinstance(item, Solution):
            if item.id not in counted and indexed_change(item):
                item.content_version = next_version()  # type: ignore[assignment]
                counted.add(item.id)
        elif isinstance(item, Adoption):
            if session.is_modified(item, include_collections=False):
                history = inspect(item).attrs["solution_id"].history
                solution_ids.update(i for i in (*history.deleted, *history.unchanged,
                                                *history.added) if i is not None)
        elif isinstance(item, Publisher) and _publisher_renamed(item):
            publisher_ids.add(item.id)
    for item in (*session.new, *session.deleted):
        if isinstance(item, Adoption) and item.solution_id is not None:
            solution_ids.add(item.solution_id)  # a new solution starts at version 1 anyway
    solution_ids -= counted
    counted |= solution_ids
    if solution_ids or publisher_ids:
        condition = sa.or_(Solution.id.in_(sorted(solution_ids)),
                           Solution.publisher_id.in_(sorted(publisher_ids)))
        session.execute(sa.update(Solution).where(condition)
                        .values(content_version=next_version()),
                        execution_options={"synchronize_session": False})


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_counted(session: Session) -> None:
    session.info.pop(_COUNTED, None)


def _publisher_renamed(publisher: Publisher) -> bool:
    state = inspect(publisher)
    return publisher.id is not None and any(
        state.attrs[key].history.has_changes() for key in INDEXED_PUBLISHER_COLUMNS)


def _first(values: Any) -> Any:
    return values[0] if values else None


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None

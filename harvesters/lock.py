"""Only one harvest at a time: a second one stops at once with a clear message (exit code 3).

Two locks, both released by the operating system or the database when the holder dies, so a
killed harvest never leaves a stale lock behind:
- an exclusive ``flock`` on ``<data_dir>/harvest.lock`` (the git cache is per machine);
- with PostgreSQL, a session advisory lock, so harvests on several machines sharing one
  catalogue exclude each other too.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

ADVISORY_LOCK_KEY = 0x416C6D65  # "Alme": any constant, the same for every Allmende process


class HarvestAlreadyRunning(Exception):
    """Another harvest holds the lock; the message says which and what to do."""


@contextmanager
def harvest_lock(data_dir: Path, engine: Engine) -> Iterator[None]:
    with _file_lock(data_dir / "harvest.lock"), _database_lock(engine):
        yield


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise HarvestAlreadyRunning(
                f"another harvest is running ({holder}, lock {path}); this one stops. "
                "It ends by itself; if it hangs, stop that process.") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _database_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        acquired = connection.execute(
            sa.select(sa.func.pg_try_advisory_lock(ADVISORY_LOCK_KEY))).scalar()
        connection.commit()
        if not acquired:
            raise HarvestAlreadyRunning("another harvest is running against the same catalogue "
                                        "database (PostgreSQL advisory lock); this one stops.")
        try:
            yield
        finally:
            connection.execute(sa.select(sa.func.pg_advisory_unlock(ADVISORY_LOCK_KEY)))
            connection.commit()

"""A full disk, said as such: the one check every writer uses to turn ENOSPC, SQLite's
"database or disk is full" and PostgreSQL's disk_full into a sentence an operator can act on.

Nothing is lost when the disk fills: SQLite and PostgreSQL roll the transaction back, the
search index keeps its previous generation. What must not happen is a traceback per
repository that hides the one thing to do — free space.
"""

from __future__ import annotations

import errno

FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
FULL_SQLSTATE = "53100"
"""PostgreSQL's ``disk_full``."""


def disk_full(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or an exception it wraps) says the disk or quota is full."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in FULL_ERRNOS:
            return True
        if getattr(exc, "sqlstate", None) == FULL_SQLSTATE:
            return True
        if type(exc).__name__ == "OperationalError" and "disk is full" in str(exc):
            return True  # sqlite3, also as wrapped by SQLAlchemy
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    return False


def full_disk_message(where: str) -> str:
    return (f"the disk is full ({where}); nothing was stored half (the previous data is "
            "intact). Free space there and run the command again.")

"""After a declaration, a withdrawal or a moderation: the solution's index document again, so
the "most adopted" sort and the ``used_by`` search field are current at once, and the needs are
matched again in the background (who uses a solution is a reason a need finds it).

The catalogue change is already committed when this runs; a busy index (a harvest holds the
writer lock) only delays the sort until the next harvest or ``allmende index rebuild``, so a
failure is logged, not shown as an error.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from flask import current_app

import search

from .. import match_upkeep, services

log = logging.getLogger(__name__)


def reindex_solutions(solution_ids: Iterable[int]) -> bool:
    """True when the index took the change."""
    ids = sorted(set(solution_ids))
    if not ids:
        return True
    match_upkeep.recompute_soon()
    try:
        search.reindex(services.engine(), current_app.config["INDEX_DIR"], ids)
    except (search.IndexBusy, OSError):
        log.warning("could not reindex solutions %s; the next harvest will", ids,
                    exc_info=True)
        return False
    return True

"""Matches follow the needs without making anybody wait: recomputed in a background thread.

A need posted or edited, or an adoption declared, changes what matches; computing that in the
request would make the form wait for the search. ``recompute_soon(need_ids)`` notes which needs
to match again (``None``: all of them) and wakes one worker thread per application, which
coalesces what piled up meanwhile into one run of ``market.recompute``. The thread starts on
the first call, not at import, so commands and tests that never post a need never start one;
tests wait for it with ``wait_until_idle``. The harvest recomputes every need itself after its
index update (registry/cli/catalogue.py), so a stopped server loses nothing for long.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from flask import Flask, current_app

from . import services

log = logging.getLogger(__name__)

KEY = "allmende_match_upkeep"
SETTLE_SECONDS = 120.0


class MatchUpkeep:
    def __init__(self, app: Flask):
        self._app = app
        self._wake = threading.Condition()
        self._pending: set[int] | None = set()
        """Need ids to recompute; ``None`` means every need."""
        self._busy = False
        self._thread: threading.Thread | None = None

    def submit(self, need_ids: Iterable[int] | None) -> None:
        with self._wake:
            if need_ids is None or self._pending is None:
                self._pending = None
            else:
                self._pending.update(need_ids)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="allmende-matches",
                                                 daemon=True)
                self._thread.start()
            self._wake.notify_all()

    def wait_until_idle(self, timeout: float) -> bool:
        """True when nothing is pending or running (for tests and shutdown)."""
        with self._wake:
            return self._wake.wait_for(lambda: not self._busy and self._pending == set(),
                                       timeout)

    def _run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._pending != set())
                need_ids, self._pending, self._busy = self._pending, set(), True
            try:
                self._recompute(need_ids)
            except Exception:  # noqa: BLE001 - logged; the next change or harvest tries again
                log.exception("recomputing matches failed")
            finally:
                with self._wake:
                    self._busy = False
                    self._wake.notify_all()

    def _recompute(self, need_ids: set[int] | None) -> None:
        from market.recompute import recompute

        with self._app.app_context():
            report = recompute(services.engine(), self._app.config["INDEX_DIR"],
                               None if need_ids is None else sorted(need_ids))
        log.info("matches recomputed for %d need(s): %d new", report.needs, len(report.new))


def upkeep(app: Flask | None = None) -> MatchUpkeep:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    worker = app.extensions.get(KEY)
    if worker is None:
        worker = app.extensions.setdefault(KEY, MatchUpkeep(app))
    return worker


def settle(app: Flask, timeout: float = SETTLE_SECONDS) -> bool:
    """Wait for a started worker to finish what is pending (shutdown, tests); True when idle."""
    worker = app.extensions.get(KEY)
    return worker is None or worker.wait_until_idle(timeout)


def recompute_soon(need_ids: Iterable[int] | None = None) -> None:
    """Match these needs again (all when ``None``) shortly, in the background."""
    upkeep().submit(None if need_ids is None else list(need_ids))

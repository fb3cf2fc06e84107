"""The web application's background harvester: webhooks and "harvest now" answer at once
(202) and the repository is harvested by one worker thread per application.

The queue itself is the ``harvestrequest`` table (``registry.harvest_requests``), so a request
survives a restart and ``allmende harvest --requested`` from cron drains whatever a stopped
server left. The thread starts on the first request that needs it, not at import, so commands
and tests that never queue anything never start one.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app

from harvesters.on_demand import BackgroundHarvester

from . import services

KEY = "allmende_background_harvester"
_starting = threading.Lock()


def harvester(app: Flask | None = None) -> BackgroundHarvester:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    with _starting:
        worker = app.extensions.get(KEY)
        if worker is None:
            worker = BackgroundHarvester(app.extensions[services.EXTENSION]["engine"],
                                         services.settings(app))
            app.extensions[KEY] = worker
            if not app.config.get("BACKGROUND_HARVEST_MANUAL"):
                worker.start()
    return worker


def submit() -> None:
    """A request is queued: wake the worker (which starts if it has not yet)."""
    harvester().submit()


def stop(app: Flask) -> None:
    worker = app.extensions.pop(KEY, None)
    if worker is not None:
        worker.stop()

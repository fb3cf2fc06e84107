"""What requests share: one catalogue engine per application, a pool of search services.

Search: a ``SearchService`` runs one query at a time (it holds a lock while Whoosh reads), so
a threaded server must not share one across threads. One per *request* would reopen the index
and rebuild its snapshot every time; one per *thread* leaks with servers that start a thread
per request (Werkzeug's). So services live in a pool: a request checks one out (a new one when
all are busy) and gives it back at teardown. The pool never holds more services than requests
ran at once, and each keeps its opened index warm between requests.
"""

from __future__ import annotations

import queue
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy.engine import Engine

from registry import db
from registry.config import Settings
from search import SearchService

EXTENSION = "allmende"


class SearchPool:
    """Idle ``SearchService`` objects for one index directory."""

    def __init__(self, index_dir: str):
        self.index_dir = index_dir
        self._idle: queue.SimpleQueue[SearchService] = queue.SimpleQueue()

    def acquire(self) -> SearchService:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            return SearchService(self.index_dir)

    def release(self, service: SearchService) -> None:
        self._idle.put(service)


def init_app(app: Flask) -> None:
    """Connect the catalogue (fails at start-up, not on the first request) and the pool."""
    for key in ("DATABASE_URL", "INDEX_DIR"):
        if not app.config.get(key):
            raise RuntimeError(f"the web application needs {key} in its configuration")
    engine = db.connect(app.config["DATABASE_URL"])
    app.extensions[EXTENSION] = {"engine": engine,
                                 "search": SearchPool(str(app.config["INDEX_DIR"]))}
    app.teardown_appcontext(_release_search)


def settings(app: Flask | None = None) -> Settings:
    """The deployment's settings (``SETTINGS``), or a default for tests that gave none."""
    config = (app or current_app).config
    if config.get("SETTINGS") is None:
        config["SETTINGS"] = Settings(data_dir=Path(config["INDEX_DIR"]).parent,
                                      database_url=config["DATABASE_URL"])
    return config["SETTINGS"]


def engine() -> Engine:
    return _state()["engine"]


def search_service() -> SearchService:
    """This request's search service (checked out of the pool on first use)."""
    if "search_service" not in g:
        g.search_service = _state()["search"].acquire()
    return g.search_service


def dispose(app: Flask) -> None:
    """Stop the background harvester, let the match worker finish, and close the catalogue
    engine (tests, shutdown)."""
    from . import background, match_upkeep

    background.stop(app)
    match_upkeep.settle(app)
    app.extensions[EXTENSION]["engine"].dispose()


def _release_search(_error: BaseException | None) -> None:
    service = g.pop("search_service", None)
    if service is not None:
        _state()["search"].release(service)


def _state() -> dict[str, Any]:
    return current_app.extensions[EXTENSION]

"""A damaged search index: answer 503, say so on ``/healthz``, and rebuild it from the catalogue.

The index is derived data; the catalogue is the truth. When a search finds the index files
unreadable (``search.IndexDamaged``: a truncated or deleted segment), the request gets a clear
503 (problem+json on the API, a friendly page elsewhere; the rest of the site keeps working),
``/healthz`` reports the index as unhealthy, and this process rebuilds the index from the
catalogue in a background thread — one rebuild at a time per process; a rebuild that finds the
write lock taken (another process is already writing) leaves it to that process. When the
rebuild has committed, searches work again and ``/healthz`` says ``ok``.

An index can also be *behind* without being damaged: this node's own reindex after an adoption
found the index busy, or a harvest was killed between its database and its index commit. A
served node therefore catches its index up with the catalogue by content version
(``search.follow``) when it starts and then every few minutes (``keep_caught_up``, started by
``allmende serve``): two column reads when nothing changed.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import Flask, Response, current_app, request
from flask_babel import gettext as _

from search import IndexBusy, IndexDamaged, follow, rebuild

from .api.errors import MACHINE_PATH_PREFIXES, problem
from .pages.error_pages import render_error

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60
CATCH_UP_SECONDS = 300
"""How often a served node compares its index with the catalogue (``allmende serve
--catch-up-every``)."""
_state: dict[str, Any] = {"damaged_since": None, "rebuilding": False}
_lock = threading.Condition()


def init_app(app: Flask) -> None:
    app.register_error_handler(IndexDamaged, _answer_damage)


def damaged_since() -> float | None:
    """When this process last found the index damaged and has not yet repaired it."""
    return _state["damaged_since"]


def wait_for_rebuild(timeout: float) -> bool:
    """Wait until no rebuild is running (for tests and shutdown); True when none is."""
    with _lock:
        return _lock.wait_for(lambda: not _state["rebuilding"], timeout)


def _answer_damage(error: IndexDamaged) -> Response:
    log.error("search index damaged: %s", error)
    _start_rebuild(current_app._get_current_object())  # type: ignore[attr-defined]
    if request.path.startswith(MACHINE_PATH_PREFIXES):
        response = problem(503, "Service Unavailable",
                           "The search index is damaged and is being rebuilt from the "
                           "catalogue; try again in a minute.")
    else:
        response = render_error(503, "Service Unavailable",
                                _("Der Suchindex ist beschädigt und wird gerade aus dem "
                                  "Katalog neu aufgebaut. Bitte versuchen Sie es in einer "
                                  "Minute erneut; alle anderen Seiten funktionieren."))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _start_rebuild(app: Flask) -> None:
    with _lock:
        if _state["damaged_since"] is None:
            _state["damaged_since"] = time.time()
        if _state["rebuilding"]:
            return
        _state["rebuilding"] = True
    threading.Thread(target=_rebuild, args=(app,), name="allmende-index-repair",
                     daemon=True).start()


def _rebuild(app: Flask) -> None:
    from . import services

    try:
        with app.app_context():
            count = rebuild(services.engine(), app.config["INDEX_DIR"])
        log.warning("search index rebuilt from the catalogue: %d solutions", count)
        with _lock:
            _state["damaged_since"] = None
    except IndexBusy:
        log.warning("search index damaged; another process is writing it, leaving it to that")
    except Exception:  # noqa: BLE001 - logged; the next damaged search tries again
        log.exception("search index rebuild failed")
    finally:
        with _lock:
            _state["rebuilding"] = False
            _lock.notify_all()


def catch_up(app: Flask) -> str | None:
    """Bring this node's index up to the catalogue's content versions (building it when there
    is none); what was done in a few words, ``None`` when nothing was behind. A damaged index
    starts the rebuild; a busy one is left to its writer, which catches up itself."""
    from . import services

    try:
        with app.app_context():
            done = follow(services.engine(), app.config["INDEX_DIR"])
    except IndexDamaged as exc:
        log.error("search index damaged: %s", exc)
        _start_rebuild(app)
        return None
    except IndexBusy:
        return None
    if done:
        log.warning("search index caught up with the catalogue: %s", done)
    return done


def keep_caught_up(app: Flask, every_seconds: float,
                   stop: threading.Event | None = None) -> threading.Thread:
    """Catch up now and then every ``every_seconds`` in a daemon thread, until ``stop``."""
    stop = stop or threading.Event()

    def run() -> None:
        while True:
            try:
                catch_up(app)
            except Exception:  # noqa: BLE001 - logged; the database may be back next time
                log.exception("search index catch-up failed")
            if stop.wait(every_seconds):
                return

    thread = threading.Thread(target=run, name="allmende-index-catch-up", daemon=True)
    thread.start()
    return thread

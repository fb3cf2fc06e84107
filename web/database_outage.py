"""The catalogue database unreachable: answer 503 and say so, instead of a 500 or a hang.

When PostgreSQL is stopped, restarted or cut off (or SQLite reports it cannot work, e.g. a
full disk), SQLAlchemy raises ``OperationalError``/``InterfaceError`` (or ``TimeoutError``
when every pooled connection is stuck). That is not a bug in the request: the request gets a
503 with ``Retry-After`` — problem+json on the machine paths, a page elsewhere — and
``/healthz`` reports the database as unavailable from then on. ``/healthz`` also asks the
database itself (one ``SELECT 1``), at most every ``DATABASE_CHECK_SECONDS`` while it answers
(so an idle node's outage is seen too, and frequent probes cost nothing) and every time while
it does not, saying ``ok`` again as soon as it answers. Connecting gives up after a few seconds
(``registry.db.CONNECT_TIMEOUT_SECONDS``), so a silent database host cannot hang the check.
The engine pings a pooled connection before handing it out (``registry.db``), so once the
database is back the same server process answers normally, with no restart.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask, Response, current_app, render_template, request

from .api.errors import MACHINE_PATH_PREFIXES, problem

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
OUTAGE_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)
"""What an unreachable or unusable database raises (connection refused or dropped, the server
shutting down, a pool with no free connection); other database errors are bugs and stay 500s."""

EXTENSION = "allmende_database_outage"
CHECK_SECONDS = 10.0
"""``/healthz`` asks a database that answered at most this often (config
``DATABASE_CHECK_SECONDS``)."""
_state_lock = threading.Lock()

# Not through gettext: the error page must not depend on anything that could fail with the
# database, and these two sentences are all there is to say.
_PAGE = {
    "de": ("Der Katalog ist vorübergehend nicht erreichbar",
           "Die Datenbank des Katalogs antwortet gerade nicht.",
           "Bitte versuchen Sie es in einer halben Minute erneut."),
    "en": ("The catalogue is unavailable for a moment",
           "The catalogue's database is not answering right now.",
           "Please try again in half a minute."),
}


@dataclass(slots=True)
class _State:
    since: float | None = None
    """When the outage began; None while the database answers."""
    checked: float | None = None
    """When ``/healthz`` last found it answering (``time.monotonic``)."""


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = _State()
    app.config.setdefault("DATABASE_CHECK_SECONDS", CHECK_SECONDS)
    for error in OUTAGE_ERRORS:
        app.register_error_handler(error, _answer_outage)


def unavailable_since() -> float | None:
    """When the database was found unavailable (None: not since it answered)."""
    state = _state()
    with _state_lock:
        return state.since


def available(engine: sa.Engine) -> bool:
    """For ``/healthz``: whether the database answers, asked when it is due (see above)."""
    state = _state()
    with _state_lock:
        due = state.since is not None or state.checked is None or (
            time.monotonic() - state.checked
            >= float(current_app.config["DATABASE_CHECK_SECONDS"]))
    return probe(engine) if due else True


def probe(engine: sa.Engine) -> bool:
    """Ask the database whether it answers; records the outage's start or its end."""
    state = _state()
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except OUTAGE_ERRORS as exc:
        first = _outage_begins()
        (log.error if first else log.warning)("catalogue database unavailable: %s",
                                              _first_line(exc))
        return False
    with _state_lock:
        if state.since is not None:
            log.warning("catalogue database available again after %.0f s",
                        time.time() - state.since)
        state.since, state.checked = None, time.monotonic()
    return True


def _state() -> _State:
    return current_app.extensions[EXTENSION]


def _outage_begins() -> bool:
    """Note that the database does not answer; True when that is news (the outage's start)."""
    state = _state()
    with _state_lock:
        first = state.since is None
        if first:
            state.since = time.time()
    return first


def _answer_outage(error: Exception) -> Response:
    first = _outage_begins()
    # one line, not a traceback per request: the cause is outside this process
    (log.error if first else log.info)("catalogue database unavailable answering %s %s: %s",
                                       request.method, request.path, _first_line(error))
    if request.path.startswith(MACHINE_PATH_PREFIXES):
        response = problem(503, "Service Unavailable",
                           "The catalogue database is not answering; try again in "
                           f"{RETRY_AFTER_SECONDS} seconds.")
    else:
        response = _page()
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _page() -> Response:
    from .pages.language import current_language

    try:
        heading, detail, advice = _PAGE.get(current_language(), _PAGE["de"])
        html = render_template("error.html", status=503, heading=heading, detail=detail,
                               advice=advice)
        return Response(html, status=503, mimetype="text/html")
    except Exception:  # noqa: BLE001 - the page itself needed something that is down
        log.exception("the 503 page could not be rendered; answering in plain text")
        return Response(f"503 {_PAGE['de'][0]} / {_PAGE['en'][0]}\n", status=503,
                        mimetype="text/plain")


def _first_line(error: BaseException) -> str:
    orig = getattr(error, "orig", None) or error
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__

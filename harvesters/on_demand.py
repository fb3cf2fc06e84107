"""Harvest one repository now, for a queued ``HarvestRequest`` (webhook, API call, registration).

Why the plain-Git path for every forge: the forge harvesters list whole organisations; asking
one of them for a single repository would need a second code path per forge. git answers the
same question for all of them — ``ls-remote`` for the head, a partial clone for the file and
the activity — so a request runs the ordinary work item (``base.harvest_item``, ``full``
semantics) with a plain-Git harvester, and the result is recorded under the solution's own
source (or the ``registered`` source for a repository new to the catalogue).

Which URLs are checked: a solution from an operator's forge or Git source is trusted as that
source is; anything else (registrations, a source no longer configured) passes the SSRF check
first (``RegisteredHarvester.guard``). Local sources (``files``, ``demo``) are only harvested
with their source.

:class:`BackgroundHarvester` runs the queue in one daemon thread of the web process; cron runs
``allmende harvest --requested`` (``drain``) for requests a web process did not get to.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.engine import Engine
from sqlmodel import select

from registry import catalogue, harvest_requests
from registry.config import Settings, SourceConfig
from registry.db import session_scope
from registry.models import HarvestRequest, Registration, Solution, Source
from registry.normalise import normalise_repository_url
from registry.notifications import send_pending_logged

from .base import Harvester, ItemOutcome, RepositoryRef, harvest_item
from .plain_git import PlainGitHarvester
from .registered import RegisteredHarvester, registered_source

log = logging.getLogger(__name__)

FORGE_TYPES = ("gitlab", "github", "gitea")
LOCAL_TYPES = ("files", "demo")
IDLE_POLL_SECONDS = 60.0
"""The background worker also looks at the queue this often (requests other processes
queued, claims a killed worker abandoned)."""


def harvest_requested(engine: Engine, settings: Settings, request: HarvestRequest) -> str:
    """Harvest the request's repository; return the outcome as a sentence. Never raises for
    what the repository or the network does."""
    url = normalise_repository_url(request.url)
    with session_scope(engine) as session:
        solution = session.exec(select(Solution).where(Solution.url == url)).first()
        source = session.get(Source, solution.source_id) if solution else None
        registered = session.exec(select(Registration.forge_type).where(
            Registration.url == url, Registration.status == "verified")).first()
        if solution is None:
            if registered is None:
                return (f"nothing harvested: {url} is neither in the catalogue nor a verified "
                        "registration")
            source = catalogue.ensure_source(session, registered_source(settings))
    assert source is not None and source.id is not None
    if source.type in LOCAL_TYPES:
        return f"nothing harvested: {url} belongs to the local source {source.name}, which is " \
               "only harvested as a whole (allmende harvest --source NAME)"
    config = next((s for s in settings.sources if s.name == source.name), None)
    harvester, ref = _plan(engine, settings, source, config, solution, url, registered or "git")
    try:
        outcome = harvest_item(harvester, engine, source.id, ref, None, full=True)
    finally:
        harvester.close()
    return _describe(outcome, _reindex(engine, settings, outcome))


def _plan(engine: Engine, settings: Settings, source: Source, config: SourceConfig | None,
          solution: Solution | None, url: str,
          forge_type: str) -> tuple[Harvester, RepositoryRef]:
    """The harvester and the work item's ref for one repository."""
    if config is not None and config.type == "git":  # an operator's Git source: trusted
        git = PlainGitHarvester(config, settings)
        clone_url = next((r for r in config.repositories
                          if normalise_repository_url(r) == url), url)
        return git, git.ref_for(clone_url)
    if config is not None and config.type in FORGE_TYPES and solution is not None:
        # An operator's forge source: trusted, and its facts and forge id are kept; no marker,
        # so its next listing fetches once more rather than trusting a git-made marker.
        forge = RegisteredHarvester(config, settings, engine=engine, check_addresses=False)
        clone_url = f"{url}.git"
        return forge, RepositoryRef(url=url, clone_url=clone_url, facts=dict(solution.forge or {}),
                                    forge_id=solution.forge_id)
    # The registered source, or a source no longer configured: the URL is checked first.
    own = config if config is not None and config.type == "registered" else SourceConfig(
        name=source.name, type="registered")
    user = RegisteredHarvester(own, settings, engine=engine)
    return user, user.ref_for(url, forge_type)


def _reindex(engine: Engine, settings: Settings, outcome: ItemOutcome) -> str | None:
    """Catch the search index up with the catalogue (this solution, and whatever an earlier run
    left behind); a problem with it is reported, not raised."""
    import search

    try:
        search.follow(engine, settings.index_dir)
    except Exception as exc:  # noqa: BLE001 - the catalogue is fine; say how to repair
        log.exception("search index update for %s failed", outcome.url)
        return f"the search index was not updated ({exc}); run `allmende index rebuild`"
    return None


def _describe(outcome: ItemOutcome, index_problem: str | None) -> str:
    text = f"{outcome.kind}: {outcome.url}"
    if outcome.error:
        text += f": {outcome.error}"
    return f"{text}; {index_problem}" if index_problem else text


def drain(engine: Engine, settings: Settings, *, limit: int | None = None) -> int:
    """Claim and run queued requests until none is left (or ``limit``); returns how many ran."""
    done = 0
    while limit is None or done < limit:
        with session_scope(engine) as session:
            request = harvest_requests.claim_next(session)
        if request is None:
            break
        try:
            outcome = harvest_requested(engine, settings, request)
        except Exception as exc:  # a bug or a database outage: this request fails, not the loop
            log.exception("harvest request %s for %s failed", request.id, request.url)
            outcome = f"failed: internal error: {exc}"
        with session_scope(engine) as session:
            harvest_requests.finish(session, request, outcome)
        log.info("harvest request %s: %s", request.id, outcome)
        done += 1
    return done


class BackgroundHarvester:
    """One daemon thread that drains the queue whenever :meth:`submit` wakes it.

    The web app starts it and calls ``submit()`` after queuing a request; the answer (202)
    does not wait. Tests call :meth:`drain_now` or wait with :meth:`join_idle`, never sleep.
    """

    def __init__(self, engine: Engine, settings: Settings, *,
                 poll_seconds: float = IDLE_POLL_SECONDS):
        self.engine, self.settings, self.poll_seconds = engine, settings, poll_seconds
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.processed = 0

    def start(self) -> BackgroundHarvester:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="allmende-harvest-requests",
                                            daemon=True)
            self._thread.start()
        return self

    def submit(self) -> None:
        """Wake the worker: a request is waiting."""
        with self._lock:
            self._idle.clear()
            self._wake.set()

    def drain_now(self) -> int:
        """Run the queue in the caller's thread (tests, a CLI); returns how many ran."""
        return drain(self.engine, self.settings)

    def join_idle(self, timeout: float | None = None) -> bool:
        """Wait until the worker has found the queue empty after the last ``submit``."""
        return self._idle.wait(timeout)

    def stop(self, timeout: float | None = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                ran = drain(self.engine, self.settings)
                self.processed += ran
                if ran:  # mail what the harvests found now, not after the nightly run
                    send_pending_logged(self.engine, self.settings)
            except Exception:  # the database is away: try again on the next wake or poll
                log.exception("draining the harvest queue failed")
            with self._lock:
                if not self._wake.is_set():
                    self._idle.set()
        self._idle.set()

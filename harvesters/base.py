"""The one harvester base class: list a source, then harvest each repository as a work item.

The shape follows the Software Heritage listers: a cheap *listing* per source yields
``RepositoryRef``s; each ref becomes an independent *work item* (``harvest_item``): compare the
change marker, fetch the publiccode.yml, validate it, record the outcome, measure activity.
Work items share nothing but the database, so a thread pool today (``harvesters.run``) and a
job queue tomorrow can run them.

A subclass per source type implements ``list_repositories`` and ``fetch``; a forge subclass
usually also fills ``RepositoryRef.marker`` (the forge's activity timestamp) so that an
unchanged repository costs no request beyond its listing page.

What a failure may do: nothing but note itself. A failed fetch leaves the stored solution
exactly as it was (``harvest_state.record_failure`` only notes the reason and forgets the
marker so the next run retries).
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy.engine import Engine

from registry import catalogue, harvest_state
from registry.config import Settings, SourceConfig
from registry.db import session_scope
from registry.models import Source, utcnow
from registry.normalise import normalise_repository_url
from registry.publiccode import ValidationResult, validate_bytes
from registry.publiccode.loader import oversize

from .git import GitCache, GitError, maintenance_level, maintenance_signals
from .http import ForgeError

log = logging.getLogger(__name__)

SIGNALS_MAX_AGE = timedelta(hours=20)
"""Activity windows move with time: an unchanged repository's signals are recomputed from the
local git cache (no network) once they are older than this."""


class HarvestError(Exception):
    """One repository or the whole listing could not be harvested; the message says why."""


RECOVERABLE = (HarvestError, ForgeError, GitError)
"""Failures that cost one repository (or one listing), never the run."""


@dataclass(frozen=True, slots=True)
class RepositoryRef:
    """A repository as the listing saw it."""

    url: str
    """The repository's URL: the catalogue's key (normalised when stored)."""
    facts: dict[str, Any] = field(default_factory=dict)
    """What the forge said: default_branch, last_activity_at, archived, stars, forks, topics,
    forge_license, namespace … (stored as ``Solution.forge``)."""
    forge_id: str | None = None
    """The forge's id of the project: keeps the entry when the project is renamed or moved."""
    marker: str | None = None
    """Changes whenever the repository may have changed; ``None`` means always fetch."""
    clone_url: str | None = None
    """Where git can clone it, for activity signals; ``None`` means no activity."""


@dataclass(frozen=True, slots=True)
class FetchedFile:
    """A publiccode.yml as found in a repository."""

    data: bytes
    base_dir: Path | None = None  # for local file checks (logo, screenshots)
    repository_url: str | None = None  # when the file itself names the repository
    oversize: int | None = None  # the size of a file too large to fetch; data is then empty

    def validate(self) -> ValidationResult:
        if self.oversize is not None:  # a finding, not a download
            return ValidationResult(findings=[oversize(self.oversize)])
        return validate_bytes(self.data, base_dir=self.base_dir)


Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware. Injected so tests never depend on the real date."""


class Harvester(ABC):
    """Base class; subclasses set ``type`` and implement the listing and the fetch.

    ``clock`` tells the time for everything that moves with it (activity windows, the age of
    signals, a forge's recent-activity cut-off); the real UTC clock unless a test injects one.
    """

    type: ClassVar[str]

    def __init__(self, source: SourceConfig, settings: Settings, *, clock: Clock = utcnow):
        self.source = source
        self.settings = settings
        self.clock = clock

    @abstractmethod
    def list_repositories(self) -> Iterable[RepositoryRef]:
        """Every repository of the source.

        Raise a ``RECOVERABLE`` error when the listing cannot go on; what was yielded until
        then is still harvested, but the run is partial and nobody is counted as missing.
        """

    @abstractmethod
    def fetch(self, ref: RepositoryRef) -> FetchedFile | None:
        """The repository's publiccode.yml, ``None`` when it has none."""

    def close(self) -> None:  # noqa: B027 (optional hook, deliberately empty by default)
        """Release connections; called once the run is over."""

    # -- activity --------------------------------------------------------------------------

    @property
    def allow_file_urls(self) -> bool:
        """Only an operator-configured local source may make git read ``file://`` URLs."""
        return False

    def git_cache(self) -> GitCache:
        return GitCache(self.settings.git_cache_dir, allow_file=self.allow_file_urls)

    def measure_activity(self, ref: RepositoryRef, *, fetch: bool) -> dict[str, Any] | None:
        """Activity and maintenance signals from the cached clone; ``fetch=False`` reuses the
        cache without touching the network (for unchanged repositories)."""
        if not ref.clone_url or not self.source.activity:
            return None
        cache = self.git_cache()
        if fetch:
            repo = cache.sync(ref.clone_url)
        else:
            repo = cache.path_for(ref.clone_url)
            if not repo.is_dir():
                return None
        now = self.clock()
        activity = cache.activity(repo, now)
        signals = maintenance_signals(activity)
        return {"computed_at": now.isoformat(timespec="seconds"),
                "activity": activity.to_dict(),
                "level": maintenance_level(signals),
                "signals": [signal.to_dict() for signal in signals]}


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    kind: str  # new, updated, unchanged, invalid, unlisted, failed
    url: str
    error: str | None = None


def harvest_item(harvester: Harvester, engine: Engine, source_id: int, ref: RepositoryRef,
                 known: harvest_state.Remembered | None, *, full: bool) -> ItemOutcome:
    """One work item: everything about one repository, in its own small transactions."""
    url = normalise_repository_url(ref.url)
    if (not full and known is not None and ref.marker is not None
            and known.change_marker == ref.marker and known.status != "removed"):
        with session_scope(engine) as session:
            harvest_state.mark_unchanged(session, url, forge_facts=ref.facts or None)
        if _stale(known.signals_computed_at, harvester.clock()):
            _update_signals(harvester, engine, ref, url, fetch=False)
        return ItemOutcome("unchanged", url)
    try:
        fetched = harvester.fetch(ref)
    except RECOVERABLE as exc:
        message = str(exc)
        with session_scope(engine) as session:
            harvest_state.record_failure(session, url, message)
        log.warning("%s: %s failed: %s", harvester.source.name, url, message)
        return ItemOutcome("failed", url, message)

    with session_scope(engine) as session:
        source = session.get(Source, source_id)
        if fetched is None:
            outcome = catalogue.record_unlisted(session, source=source, repository_url=url,
                                                reason="no publiccode.yml in the repository")
        else:
            outcome = catalogue.record_solution(
                session, source=source, repository_url=fetched.repository_url or url,
                result=fetched.validate(), forge_facts=ref.facts or None)
        stored_url = fetched.repository_url if fetched and fetched.repository_url else url
        harvest_state.remember_success(session, stored_url, change_marker=ref.marker,
                                       forge_id=ref.forge_id)
    if fetched is not None:
        _update_signals(harvester, engine, ref, stored_url, fetch=True)
    log.info("%s: %s %s", harvester.source.name, outcome.kind, stored_url)
    return ItemOutcome(outcome.kind, stored_url)


def _stale(computed_at: str | None, now: datetime) -> bool:
    if not computed_at:
        return True
    try:
        return now - datetime.fromisoformat(computed_at) > SIGNALS_MAX_AGE
    except (TypeError, ValueError):
        return True


def _update_signals(harvester: Harvester, engine: Engine, ref: RepositoryRef, url: str, *,
                    fetch: bool) -> None:
    """Activity signals for a recorded repository. A git failure (a project whose API is public
    but whose repository is not, a broken cache) keeps the previous signals: the publiccode.yml
    itself was harvested fine, so the repository does not count as failed."""
    try:
        activity = harvester.measure_activity(ref, fetch=fetch)
    except GitError as exc:
        log.warning("%s: activity of %s not updated: %s", harvester.source.name, url, exc)
        return
    if activity is not None:
        with session_scope(engine) as session:
            harvest_state.record_signals(session, url, activity)

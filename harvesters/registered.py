"""The built-in ``registered`` source: the repositories maintainers registered and proved.

Why it is a plain-Git harvester: a registration may be on any forge, and git works on all of
them, so one listing (``git ls-remote`` per repository, the head commit as change marker) and
one fetch (a partial clone) cover GitLab, GitHub, Gitea/Forgejo and plain Git alike.

Why it is not trusted like an operator's source: these URLs come from users. Before git
touches a URL (listing and fetch), ``SafeFetcher.check_url`` must accept it — so a
registration whose host later resolves to an internal address cannot make the nightly harvest
reach it — git connects only to the address that check accepted (``UntrustedGitCache``), and
follows no HTTP redirects and no ``file://`` URLs. A refused URL fails that repository only;
its stored data stays as it was.

The source needs no configuration: ``allmende harvest`` includes it unless a source of type
``registered`` is configured (e.g. with ``enabled = false`` to switch it off).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import select

from registry import db
from registry.config import Settings, SourceConfig
from registry.fetch import FetchError, SafeFetcher
from registry.models import Registration, Solution, Source
from registry.registrations import clone_candidates, in_standing

from .base import FetchedFile, HarvestError, RepositoryRef
from .git import GitCache, GitError
from .git.runner import DEFAULT_TIMEOUT
from .plain_git import PlainGitHarvester, _facts, _marker

log = logging.getLogger(__name__)

REGISTERED_SOURCE = SourceConfig(name="registered", type="registered")
"""The built-in source when the configuration names none of type ``registered``."""


class UntrustedGitCache(GitCache):
    """The hardened git cache for URLs users gave: git follows no HTTP redirect and no
    ``file://`` URL, and connects only to addresses the SSRF check accepted.

    Pinning: with a ``fetcher``, every git call that names a URL first has it checked
    (``SafeFetcher.checked_target``: resolved once, refused unless public) and git is told to
    use exactly that address (``http.curloptResolve``), so a DNS server that answers
    differently the second time (rebinding) cannot send the clone to an internal host. The
    pins stay for the object's lifetime, so the lazy blob fetches of a partial clone, which
    name no URL, go to the same address. ``-c`` travels to every git that git starts (remote
    helpers, lazy fetches).
    """

    def __init__(self, root: Path, *, timeout: float = DEFAULT_TIMEOUT,
                 fetcher: SafeFetcher | None = None):
        super().__init__(root, allow_file=False, timeout=timeout)
        self.fetcher = fetcher
        self._pins: dict[str, str] = {}

    def _git(self, args: list[str], action: str, **kwargs: Any) -> bytes:
        url = kwargs.get("url") or ""
        if self.fetcher is not None and url.startswith(("http://", "https://")):
            try:
                target = self.fetcher.checked_target(url)
            except FetchError as exc:
                raise GitError(str(exc), url=url) from None
            address = f"[{target.address}]" if ":" in target.address else target.address
            self._pins[f"{target.host}:{target.port}"] = address
        pins = [arg for host, address in self._pins.items()
                for arg in ("-c", f"http.curloptResolve={host}:{address}")]
        return super()._git(["-c", "http.followRedirects=false", *pins, *args], action,
                            **kwargs)


def registered_source(settings: Settings) -> SourceConfig:
    """The configured ``registered`` source, else the built-in one."""
    return next((s for s in settings.sources if s.type == "registered"), REGISTERED_SOURCE)


def with_registered_source(settings: Settings) -> Settings:
    """``settings`` whose sources include the built-in ``registered`` source (for the CLI)."""
    if any(s.type == "registered" for s in settings.sources):
        return settings
    if any(s.name == REGISTERED_SOURCE.name for s in settings.sources):
        log.warning('a source named "registered" of another type hides the built-in source')
        return settings
    return dataclasses.replace(settings, sources=(*settings.sources, REGISTERED_SOURCE))


class RegisteredHarvester(PlainGitHarvester):
    """Harvests the URLs of verified registrations; every URL passes the SSRF check first.

    ``engine`` is the catalogue to read registrations from; without it one is opened from
    ``settings.database_url`` when the listing starts and disposed in :meth:`close`.
    ``check_addresses=False`` is only for URLs an operator's own source supplied (on-demand
    harvests of forge-source solutions, see ``harvesters.on_demand``).
    """

    type = "registered"

    def __init__(self, source: SourceConfig, settings: Settings, *, engine: Engine | None = None,
                 fetcher: SafeFetcher | None = None, check_addresses: bool = True,
                 **options: Any):
        super().__init__(source, settings, **options)
        self._engine = engine
        self._own_engine: Engine | None = None
        self.fetcher = fetcher or SafeFetcher(allow_private=settings.allow_private_addresses)
        self.check_addresses = check_addresses

    @property
    def allow_file_urls(self) -> bool:
        return False

    def git_cache(self) -> GitCache:
        return UntrustedGitCache(self.settings.git_cache_dir,
                                 fetcher=self.fetcher if self.check_addresses else None)

    def guard(self, url: str) -> None:
        """Raise :class:`HarvestError` unless ``url`` may be reached (see module doc)."""
        if not self.check_addresses:
            return
        try:
            self.fetcher.check_url(url)
        except FetchError as exc:
            raise HarvestError(str(exc)) from None

    def registrations(self) -> list[tuple[str, str]]:
        """``(url, forge_type)`` of every verified registration, each URL once, except those
        whose solution belongs to another source."""
        engine = self._engine or self._open_engine()
        # A repository an operator's source already harvests stays with that source: two
        # sources would overwrite each other's change markers and fetch it twice a night.
        elsewhere = (select(Solution.url).join(Source, Source.id == Solution.source_id)
                     .where(Source.name != self.source.name))
        with db.session_scope(engine) as session:
            rows = session.exec(in_standing(select(Registration.url, Registration.forge_type))
                                .where(Registration.url.not_in(elsewhere))  # type: ignore
                                .order_by(Registration.url, Registration.id)).all()
        first: dict[str, str] = {}
        for url, forge_type in rows:  # several maintainers may register one repository
            first.setdefault(url, forge_type)
        return list(first.items())

    def clone_urls(self) -> tuple[str, ...]:
        return tuple(url for url, _ in self.registrations())

    def list_repositories(self) -> Iterator[RepositoryRef]:
        for url, forge_type in self.registrations():
            yield self.ref_for(url, forge_type)

    def ref_for(self, url: str, forge_type: str = "git") -> RepositoryRef:
        """Ask git for the head (after the SSRF check); without an answer the ref has no marker,
        so the work item tries to fetch, fails and records why — keeping the stored data."""
        cache = self.git_cache()
        error: Exception | None = None
        for clone_url in clone_candidates(url, forge_type):
            try:
                self.guard(clone_url)
                head = cache.ls_remote_head(clone_url)
            except (HarvestError, GitError) as exc:
                error = error or exc
                if isinstance(exc, GitError) and exc.kind == "not_found":
                    continue
                break
            return RepositoryRef(url=url, clone_url=clone_url, marker=_marker(head),
                                 facts=_facts(head))
        log.warning("%s: %s: %s", self.source.name, url, error)
        return RepositoryRef(url=url, clone_url=clone_candidates(url, forge_type)[0])

    def fetch(self, ref: RepositoryRef) -> FetchedFile | None:
        self.guard(ref.clone_url or ref.url)  # again: DNS may have changed since the listing
        return super().fetch(ref)

    def close(self) -> None:
        if self._own_engine is not None:
            self._own_engine.dispose()
            self._own_engine = None

    def _open_engine(self) -> Engine:
        if self._own_engine is None:
            self._own_engine = db.connect(self.settings.database_url)
        return self._own_engine

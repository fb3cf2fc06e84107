"""The one harvester base class: list a source, then harvest each repository as a work item.

The shape follows the Software Heritage listers: a cheap *listing* per source yields
``RepositoryRef``s; each ref becomes an independent *work item* (fetch the publiccode.yml,
validate it, record the outcome through the catalogue services) that shares nothing with the
others but the database, so a thread pool today and a job queue tomorrow can run them. The
run's bookkeeping (``HarvestRun`` with counts and errors) is finished in ``finally``, so even
a crashed listing leaves an honest record.

A subclass per source type implements two methods: ``list_repositories`` and ``fetch``.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy.engine import Engine

from registry import catalogue
from registry.config import Settings, SourceConfig
from registry.db import session_scope
from registry.models import Source
from registry.publiccode import ValidationResult, validate_bytes
from registry.publiccode.loader import oversize

log = logging.getLogger(__name__)


class HarvestError(Exception):
    """One repository or the whole listing could not be harvested; the message says why."""


@dataclass(frozen=True, slots=True)
class RepositoryRef:
    """A repository as the listing saw it."""

    url: str
    facts: dict[str, Any] = field(default_factory=dict)


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


@dataclass(slots=True)
class RunReport:
    source: str
    run_id: int | None = None
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, str]] = field(default_factory=list)
    status: str = "running"

    @property
    def failed(self) -> bool:
        return self.status == "failed" or self.counts["failed"] > 0

    def summary(self) -> str:
        order = ("seen", "new", "updated", "unchanged", "unlisted", "invalid", "failed")
        return f"{self.source}: {self.status}; " + ", ".join(
            f"{name} {self.counts[name]}" for name in order)


class Harvester(ABC):
    """Base class; subclasses set ``type`` and implement the listing and the fetch."""

    type: ClassVar[str]

    def __init__(self, source: SourceConfig, settings: Settings):
        self.source = source
        self.settings = settings

    @abstractmethod
    def list_repositories(self) -> Iterable[RepositoryRef]:
        """Every repository of the source. Raise ``HarvestError`` if the listing fails."""

    @abstractmethod
    def fetch(self, ref: RepositoryRef) -> FetchedFile | None:
        """The repository's publiccode.yml, ``None`` when it has none."""

    def run(self, engine: Engine) -> RunReport:
        report = RunReport(self.source.name)
        with session_scope(engine) as session:
            source_row = catalogue.ensure_source(session, self.source)
            source_id = source_row.id
            report.run_id = catalogue.start_run(session, source_row).id
        try:
            for ref in self.list_repositories():
                report.counts["seen"] += 1
                self._harvest_one(engine, source_id, ref, report)
            report.status = "partial" if report.counts["failed"] else "ok"
        except HarvestError as exc:
            report.status = "failed"
            report.errors.append({"url": self.source.url or self.source.name,
                                  "message": str(exc)})
            log.error("%s: listing failed: %s", self.source.name, exc)
        finally:
            if report.status == "running":  # an unexpected exception is on its way up
                report.status = "failed"
            with session_scope(engine) as session:
                catalogue.finish_run(session, report.run_id, dict(report.counts),
                                     report.errors, status=report.status)
        return report

    def _harvest_one(self, engine: Engine, source_id: int, ref: RepositoryRef,
                     report: RunReport) -> None:
        try:
            fetched = self.fetch(ref)
        except HarvestError as exc:
            report.counts["failed"] += 1
            report.errors.append({"url": ref.url, "message": str(exc)})
            log.warning("%s: %s failed: %s", self.source.name, ref.url, exc)
            return
        repository_url = (fetched.repository_url if fetched else None) or ref.url
        with session_scope(engine) as session:
            source_row = session.get(Source, source_id)
            if fetched is None:
                catalogue.record_unlisted(session, source=source_row, repository_url=ref.url,
                                          reason="no publiccode.yml in the repository")
                report.counts["unlisted"] += 1
                return
            result = fetched.validate()
            outcome = catalogue.record_solution(
                session, source=source_row, repository_url=repository_url,
                result=result, forge_facts=ref.facts)
        report.counts[outcome.kind] += 1
        log.info("%s: %s %s", self.source.name, outcome.kind, repository_url)

"""Run one source: its listing feeds a thread pool of work items; the run record is kept honest.

Order of events for a source:
1. close runs a killed harvest left "running", start a ``HarvestRun``, load what earlier runs
   remember (one query);
2. stream the listing: each repository is checked for a rename (same forge id, new path) and
   submitted as a work item at once, with a bounded number in flight;
3. only if the listing completed: count a miss for every known repository it did not list
   (removed after three misses in a row) — a listing that broke off proves nothing;
4. finish the run in ``finally`` with counts and per-repository errors, whatever happened.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from registry import catalogue, harvest_state
from registry.db import session_scope
from registry.normalise import normalise_repository_url
from registry.storage import disk_full, full_disk_message

from .base import RECOVERABLE, Harvester, ItemOutcome, RepositoryRef, harvest_item
from .progress import Progress

log = logging.getLogger(__name__)

COUNTS = ("seen", "new", "updated", "unchanged", "unlisted", "invalid", "failed", "removed")


@dataclass(slots=True)
class RunReport:
    source: str
    run_id: int | None = None
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, str]] = field(default_factory=list)
    status: str = "running"
    listing_complete: bool = False
    changed_urls: list[str] = field(default_factory=list)
    """Solutions whose stored data changed: what the search index must update."""
    disk_full: bool = False
    """Some repositories could not be stored because the catalogue's disk is full."""

    @property
    def failed(self) -> bool:
        return self.status in ("failed", "partial")

    def summary(self) -> str:
        line = f"{self.source}: {self.status}; " + ", ".join(
            f"{name} {self.counts[name]}" for name in COUNTS)
        if self.disk_full:
            line += "\n" + f"{self.source}: " + full_disk_message("the catalogue")
        return line


def run_source(harvester: Harvester, engine: Engine, *, full: bool = False, workers: int = 4,
               progress: Progress | None = None) -> RunReport:
    """Harvest one source completely; never raises for a repository's or listing's failure."""
    progress = progress or Progress.quiet()
    report = RunReport(harvester.source.name)
    with session_scope(engine) as session:
        source = catalogue.ensure_source(session, harvester.source)
        source_id = source.id
        harvest_state.abandon_running_runs(session, source_id)
        report.run_id = catalogue.start_run(session, source).id
        memory = harvest_state.remembered(session, source_id)
    seen: set[str] = set()
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers),
                                thread_name_prefix=f"harvest-{report.source}") as pool:
            in_flight: dict[Future[ItemOutcome], str] = {}
            try:
                for ref in harvester.list_repositories():
                    try:
                        url = normalise_repository_url(ref.url)
                    except ValueError as exc:  # a malformed entry costs itself, not the run
                        report.counts["failed"] += 1
                        report.errors.append({"url": str(ref.url), "message": str(exc)})
                        continue
                    if url in seen:
                        continue  # listings may repeat an entry across pages
                    seen.add(url)
                    report.counts["seen"] += 1
                    progress.add_total(1)
                    known = _follow_rename(engine, source_id, ref, url, memory)
                    future = pool.submit(harvest_item, harvester, engine, source_id, ref, known,
                                         full=full)
                    in_flight[future] = url
                    if len(in_flight) >= workers * 4:
                        _collect(in_flight, report, progress, wait_for=FIRST_COMPLETED)
                report.listing_complete = True
            except RECOVERABLE as exc:
                report.errors.append({"url": harvester.source.url or report.source,
                                      "message": f"listing stopped: {exc}"})
                log.error("%s: listing stopped: %s", report.source, exc)
            _collect(in_flight, report, progress, wait_for=None)
        if report.listing_complete:
            with _room_kept(report):
                with session_scope(engine) as session:
                    removed = harvest_state.record_missing(session, source_id=source_id,
                                                           seen_urls=seen)
                report.counts["removed"] = len(removed)
                report.changed_urls += removed
        report.status = _status(report)
    finally:
        if report.status == "running":  # an unexpected exception is on its way up
            report.status = "failed"
        progress.close()
        harvester.close()
        with _room_kept(report), session_scope(engine) as session:
            catalogue.finish_run(session, report.run_id,
                                 {k: report.counts[k] for k in COUNTS},
                                 report.errors, status=report.status)
    return report


@contextmanager
def _room_kept(report: RunReport) -> Iterator[None]:
    """The run's own bookkeeping on a full disk: rolled back and said once, like an item's."""
    try:
        yield
    except Exception as exc:
        if not disk_full(exc):
            raise
        _note_full_disk(report)


def _note_full_disk(report: RunReport) -> None:
    """Say it once per run, without a traceback: what follows would only repeat it."""
    if not report.disk_full:
        log.error("%s: %s", report.source, full_disk_message("the catalogue"))
    report.disk_full = True


def _follow_rename(engine: Engine, source_id: int, ref: RepositoryRef, url: str,
                   memory: dict[str, harvest_state.Remembered]) -> harvest_state.Remembered | None:
    """The memory for ``url``, moving an entry first when its forge id now lives here."""
    known = memory.get(url)
    if known is not None or not ref.forge_id:
        return known
    for old in memory.values():
        if old.forge_id == ref.forge_id and old.url != url:
            with session_scope(engine) as session:
                moved_from = harvest_state.move(session, source_id=source_id,
                                                forge_id=ref.forge_id, new_url=url)
            if moved_from:
                log.info("moved: %s is now %s", moved_from, url)
                memory.pop(moved_from, None)
                memory[url] = harvest_state.Remembered(url, old.status, old.change_marker,
                                                       old.forge_id, old.signals_computed_at)
                return memory[url]
            break
    return None


def _collect(in_flight: dict[Future[ItemOutcome], str], report: RunReport, progress: Progress,
             *, wait_for: str | None) -> None:
    """Book finished work items; with ``wait_for=None`` wait for all of them."""
    if not in_flight:
        return
    done, _ = wait(list(in_flight), return_when=wait_for or ALL_COMPLETED)
    for future in done:
        url = in_flight.pop(future)
        try:
            outcome = future.result()
        except Exception as exc:  # a bug or a database outage: this item fails, the run goes on
            if disk_full(exc):  # said once, without a traceback per repository
                _note_full_disk(report)
                outcome = ItemOutcome("failed", url, "not stored: the disk is full")
            else:
                log.exception("%s: %s failed unexpectedly", report.source, url)
                outcome = ItemOutcome("failed", url, f"internal error: {exc}")
        report.counts[outcome.kind] += 1
        if outcome.error:
            report.errors.append({"url": outcome.url, "message": outcome.error})
        elif outcome.kind not in ("unchanged", "failed"):
            report.changed_urls.append(outcome.url)
        progress.advance()


def _status(report: RunReport) -> str:
    if not report.listing_complete and report.counts["seen"] == 0:
        return "failed"
    if not report.listing_complete or report.counts["failed"]:
        return "partial"
    return "ok"

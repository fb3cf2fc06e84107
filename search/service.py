"""``SearchService``: the only object outside search/ talks to; Whoosh stays inside.

Readers and the writer:
- Any number of ``SearchService`` objects (web workers, threads) *read*. One object runs one
  query at a time (its Whoosh readers seek in shared files); threads that must query in
  parallel each take their own ``SearchService``. Each keeps one opened searcher and the
  per-generation ``Snapshot`` (shared by all services of the process) and, before every
  query, checks whether a writer committed a newer generation (one directory listing); only
  then does it reopen.
- Only one process *writes* at a time: Whoosh's lock file (``fcntl.flock``, released by the
  kernel even when the writer is killed) makes a second writer wait ``WRITE_LOCK_SECONDS`` and
  then fail with ``IndexBusy``. In practice the harvest and the CLI are the writers.
- A commit writes new segment files, then the table of contents under a temporary name, then
  renames it into place. A writer killed at any moment leaves the previous generation intact;
  its partial files are unreferenced and removed by the next commit. (tests/search/
  test_crash_safety.py kills writers with SIGKILL to hold Whoosh to this.)
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import pickle
import struct
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, LockError
from whoosh.writing import CLEAR

from .documents import IndexDocument
from .engine import execute
from .lru import BoundedLRU
from .model import (
    IndexBusy,
    IndexCheck,
    IndexDamaged,
    SearchRequest,
    SearchResults,
    UpdateReport,
)
from .query import QueryBuilder
from .schema import INDEX_NAME, build_schema, to_fields
from .snapshot import Snapshot, build_snapshot

log = logging.getLogger(__name__)

WRITE_LOCK_SECONDS = 60.0
WRITER_MEMORY_MB = 128
REBUILD_MEMORY_MB = 1024
"""A rebuild sorts postings in memory up to this much; past it Whoosh spills sorted runs to
disk and merges them (pickling every posting twice), which costs more than the CPU saved."""
PROGRESS_EVERY = 200
OPEN_ATTEMPTS = 3
DAMAGE = (EOFError, struct.error, zlib.error, pickle.UnpicklingError, EmptyIndexError,
          FileNotFoundError)
"""What reading index files that were cut short or removed raises. Files are read, never
memory-mapped (``_storage``): a mapped file truncated under a running server ends the process
with SIGBUS; read, the same damage is one of these exceptions and the site stays up. A
segment deleted under a server that has it open goes unnoticed by its readers until they
reopen; the node's periodic catch-up (web.index_repair) opens the index afresh and finds it."""

SHARED_SNAPSHOTS = 3
"""Generations whose snapshot (facet masks, sort orders, term postings) the process keeps:
the newest, and one or two a service may still be reading while others have moved on."""
_SNAPSHOTS = BoundedLRU(SHARED_SNAPSHOTS)
"""One snapshot per index generation for every ``SearchService`` of the process: a pool of
services (one per server thread) would otherwise build the same snapshot and fill the same
term postings once each, several copies of tens of megabytes at 10k solutions."""

Progress = Callable[[int], None]
"""Called with the number of documents just added (as ``tqdm.update``)."""


def index_generation(index_dir: str | Path) -> str | None:
    """A token that changes with every commit to the index in ``index_dir``; None without one.

    Whoosh names each generation's table of contents ``_<index>_<n>.toc`` and renames it into
    place last, so the highest ``n`` is the committed state. The token is ``n`` with that file's
    inode and modification time, so a directory deleted and rebuilt from generation 1 again
    still gives a new token. Cost: one directory listing and one ``stat`` (~10 µs), the same
    check a ``SearchService`` makes before every query. For caches of anything derived from
    the index (the web's search page cache); opaque: compare tokens, do not parse them.
    """
    prefix, suffix = f"_{INDEX_NAME}_", ".toc"
    for _attempt in range(OPEN_ATTEMPTS):
        latest: tuple[int, str] | None = None
        try:
            with os.scandir(index_dir) as entries:
                for entry in entries:
                    number = entry.name[len(prefix):-len(suffix)]
                    if (entry.name.startswith(prefix) and entry.name.endswith(suffix)
                            and number.isdigit() and (latest is None or int(number) > latest[0])):
                        latest = (int(number), entry.path)
        except FileNotFoundError:
            return None
        if latest is None:
            return None
        try:
            stat = os.stat(latest[1])
        except FileNotFoundError:  # a commit removed it just now: its successor is there
            continue
        return f"{latest[0]}:{stat.st_ino}:{stat.st_mtime_ns}"
    return None


@dataclass(frozen=True, slots=True)
class _Opened:
    searcher: Any
    snapshot: Snapshot
    sizes: dict[str, int]
    """Size of each segment file when this generation was opened: a file cut short or
    removed since is told apart from a bug by comparing (``_files_changed``)."""


class SegmentsChanged(EOFError):
    """A segment file of the opened generation is shorter than it was, or gone (damage)."""


def _sizes_differ(sizes: dict[str, int], index_dir: Path) -> bool:
    if not sizes:
        return False
    now = _segment_sizes(index_dir)
    return any(now.get(name) != size for name, size in sizes.items())


def _segment_sizes(index_dir: Path) -> dict[str, int]:
    sizes = {}
    with contextlib.suppress(FileNotFoundError), os.scandir(index_dir) as entries:
        for entry in entries:
            if entry.name.endswith(".seg"):
                with contextlib.suppress(FileNotFoundError):
                    sizes[entry.name] = entry.stat().st_size
    return sizes


class SearchService:
    def __init__(self, index_dir: str | Path):
        self.index_dir = Path(index_dir)
        self._schema = build_schema()
        self._builder = QueryBuilder(self._schema)
        self._lock = threading.Lock()
        self._reading = threading.Lock()
        """Whoosh's posting readers seek in shared files: one query at a time per service."""
        self._opened: _Opened | None = None

    # -- reading ----------------------------------------------------------------------------

    def exists(self) -> bool:
        return self.index_dir.is_dir() and _storage(self.index_dir).index_exists(INDEX_NAME)

    def search(self, request: SearchRequest) -> SearchResults:
        """Run one search; a query whose syntax cannot be used is searched as plain words.

        Raises :class:`IndexDamaged` when the index files cannot be read."""
        with self._damage_reported():
            return self._search(request)

    def _search(self, request: SearchRequest) -> SearchResults:
        opened = self._current()
        if opened is None:
            return SearchResults.empty(request.sort or ("relevance" if request.text else "name"))
        parsed = self._builder.parse(request.text)
        with self._reading:
            try:
                results = execute(opened.searcher, opened.snapshot, self._builder, request,
                                  parsed)
            except Exception as exc:
                if (isinstance(exc, DAMAGE) or parsed.query is None or parsed.fallback
                        or self._files_changed(opened)):
                    raise
                log.warning("query %r failed; searching its words plainly", request.text,
                            exc_info=True)
                fallback = type(parsed)(self._builder.plain(request.text), fallback=True)
                results = execute(opened.searcher, opened.snapshot, self._builder, request,
                                  fallback)
            if results.total == 0 and (relaxed := self._builder.any_word(request.text)):
                some = execute(opened.searcher, opened.snapshot, self._builder, request, relaxed)
                if some.total:
                    return dataclasses.replace(some, relaxed=True,
                                               suggestion=results.suggestion)
            return results

    def doc_ids(self) -> list[int]:
        """The solution ids in the index, one entry per indexed document (duplicates show)."""
        return [solution_id for solution_id, _version in self._indexed()]

    def versions(self) -> dict[int, int]:
        """Id → the catalogue content version each indexed document was built from."""
        return dict(self._indexed())

    def _indexed(self) -> list[tuple[int, int]]:
        """(id, content version) of every document, read from two columns, not the stored
        fields: 50,000 documents in well under a second."""
        with self._damage_reported():
            opened = self._current()
            if opened is None:
                return []
            reader = opened.searcher.reader()
            ids, versions = reader.column_reader("id"), reader.column_reader("version")
            return [(int(ids[docnum]), int(versions[docnum]))
                    for docnum in reader.all_doc_ids()]

    @contextlib.contextmanager
    def _damage_reported(self) -> Iterator[None]:
        """Unreadable index files become :class:`IndexDamaged`, and the broken searcher is
        dropped, so the next request opens whatever is there then (a rebuilt index)."""
        opened = self._opened
        try:
            yield
        except Exception as exc:
            if not (isinstance(exc, DAMAGE) or self._files_changed(opened)):
                raise
            with self._lock:
                self._opened = None
            raise IndexDamaged(f"the search index in {self.index_dir} cannot be read "
                               f"({type(exc).__name__}: {exc}); rebuild it from the "
                               "catalogue with `allmende index rebuild`") from exc

    def _files_changed(self, opened: _Opened | None) -> bool:
        """Whether a segment file of the opened generation was cut short or removed since it
        was opened. Whoosh reports some damage only as a bare ``Exception`` ("Block tag
        error") or a decoding error deep in a posting list; after an unexpected error, the
        files tell damage from a bug. A generation replaced by a writer meanwhile is not
        damage (its files go with the commit)."""
        opened = opened or self._opened
        if opened is None or not opened.searcher.up_to_date():
            return False
        return _sizes_differ(opened.sizes, self.index_dir)

    def check(self, catalogue: Mapping[int, int]) -> IndexCheck:
        """Compare the index with the catalogue's shown solutions (id → content version)."""
        indexed = self._indexed()
        versions = dict(indexed)
        duplicates = sorted(i for i, n in Counter(i for i, _v in indexed).items() if n > 1)
        return IndexCheck(missing=sorted(set(catalogue) - set(versions)),
                          extra=sorted(set(versions) - set(catalogue)),
                          stale=sorted(i for i, version in versions.items()
                                       if i in catalogue and catalogue[i] != version),
                          duplicates=duplicates, index_count=len(indexed),
                          catalogue_count=len(catalogue))

    def _current(self) -> _Opened | None:
        """The opened searcher, refreshed when a writer committed since; None without index."""
        with self._lock:
            opened = self._opened
            if opened is not None and opened.searcher.up_to_date():
                if _sizes_differ(opened.sizes, self.index_dir):
                    # open files keep answering, but the index on disk is broken: say so now,
                    # so the node rebuilds it (one listing and a stat per segment, ~20 µs)
                    raise SegmentsChanged(f"segment files in {self.index_dir} were cut short "
                                          "or removed since they were opened")
                return opened
            if opened is None and not self.exists():
                return None
            for attempt in range(OPEN_ATTEMPTS):
                try:
                    searcher = (opened.searcher.refresh() if opened is not None else
                                _storage(self.index_dir).open_index(INDEX_NAME).searcher())
                    self._opened = _Opened(searcher, self._snapshot(searcher.reader()),
                                           _segment_sizes(self.index_dir))
                    return self._opened
                except OSError:
                    # a commit removed the generation we were opening; the next one is there
                    if attempt == OPEN_ATTEMPTS - 1:
                        raise
            raise AssertionError("unreachable")

    def _snapshot(self, reader: Any) -> Snapshot:
        """The snapshot of ``reader``'s generation, shared with the process's other services.

        Keyed by directory, generation number and segment ids: a directory deleted and
        rebuilt counts generations from 1 again, but its segments have new random ids."""
        segments = tuple(sorted(segment.segment_id() for leaf, _offset in reader.leaf_readers()
                                if (segment := leaf.segment()) is not None))
        key = (str(self.index_dir.resolve()), reader.generation(), segments)
        return _SNAPSHOTS.get(key, lambda: build_snapshot(reader))

    # -- writing ----------------------------------------------------------------------------

    def update(self, documents: Iterable[IndexDocument],
               removed_ids: Iterable[int] = ()) -> UpdateReport:
        """Write the given documents (only those whose content changed) and drop removed ids."""
        writer = self._writer()
        searcher = writer.searcher()
        try:
            written: list[int] = []
            unchanged = 0
            for document in documents:
                docnum = searcher.document_number(id=str(document.id))
                stored = searcher.stored_fields(docnum) if docnum is not None else {}
                fields = to_fields(document)
                if stored.get("fingerprint") == fields["fingerprint"]:
                    unchanged += 1
                    continue
                writer.update_document(**fields)
                written.append(document.id)
            removed = []
            for solution_id in sorted(set(removed_ids)):
                if searcher.document_number(id=str(solution_id)) is not None:
                    writer.delete_by_term("id", str(solution_id))
                    removed.append(solution_id)
        except BaseException:
            writer.cancel()
            raise
        finally:
            searcher.close()
        if written or removed:
            writer.commit()
        else:
            writer.cancel()
        return UpdateReport(written=written, removed=removed, unchanged=unchanged)

    def rebuild(self, documents: Iterable[IndexDocument],
                progress: Progress | None = None) -> int:
        """Replace the whole index with ``documents`` in one commit; returns how many.

        Readers see the old index until the commit and the new one after it; a rebuild that
        fails or is killed leaves the old index as it was.
        """
        writer = self._writer(REBUILD_MEMORY_MB)
        count = pending = 0
        try:
            for document in documents:
                writer.add_document(**to_fields(document))
                count += 1
                pending += 1
                if progress is not None and pending >= PROGRESS_EVERY:
                    progress(pending)
                    pending = 0
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=CLEAR, optimize=True)
        if progress is not None and pending:
            progress(pending)
        self._remove_other_versions()
        return count

    def _writer(self, memory_mb: int = WRITER_MEMORY_MB) -> Any:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        directory = str(self.index_dir)
        storage = _storage(self.index_dir)
        if not storage.index_exists(INDEX_NAME):
            storage.create_index(self._schema, INDEX_NAME)
        ix = storage.open_index(INDEX_NAME)
        try:
            writer = ix.writer(timeout=WRITE_LOCK_SECONDS, limitmb=memory_mb)
        except LockError:
            raise IndexBusy(f"the search index in {directory} is being written by another "
                            "process; try again when it has finished") from None
        # Holding the lock: a table of contents still under its temporary name was left by
        # a writer that died mid-commit. (Its segment files go with the next commit.)
        for leftover in self.index_dir.glob(f"_{INDEX_NAME}_*.toc.*"):
            leftover.unlink(missing_ok=True)
        return writer

    def _remove_other_versions(self) -> None:
        """Files of indexes built by older schema versions, once this version is complete."""
        for path in self.index_dir.iterdir():
            name = path.name.lstrip("_")
            if name.startswith("allmende_v") and not name.startswith(INDEX_NAME + "_"):
                path.unlink(missing_ok=True)


def _storage(index_dir: Path) -> FileStorage:
    """The index's files, read with ordinary reads rather than memory maps (see ``DAMAGE``)."""
    return FileStorage(str(index_dir), supports_mmap=False)

"""A search index writer run as a separate process, so tests can SIGKILL it mid-write.

    python -m tests.search.writer_process INDEX_DIR MODE COUNT

MODE ``write``: rebuild the index from COUNT generated documents; after half of them print
``writing`` and wait (for the kill). MODE ``commit``: write them all, then stop inside the
commit, right before the new table of contents is renamed into place, print ``committing``
and wait. MODE ``update``: like ``commit`` but as an incremental update. The process waits by
reading its stdin, so the test decides the moment; nothing sleeps.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from search import IndexDocument, LanguageText, SearchService


def documents(count: int, pause_at: int | None):
    for number in range(count):
        if number == pause_at:
            print("writing", flush=True)
            sys.stdin.read()
        yield IndexDocument(
            id=100_000 + number, url=f"https://git.example/generated/{number}",
            name=f"Absturzprobe {number}", last_changed_at=datetime(2026, 1, 1, tzinfo=UTC),
            texts={"de": LanguageText(short="Absturzprobe für den Index", long="Text " * 50)},
            categories=("crash-test",))


def stall_before_the_table_of_contents_is_renamed() -> None:
    from whoosh.filedb import filestore

    def stalled(self, old, new, safe=False):
        if new.endswith(".toc"):
            print("committing", flush=True)
            sys.stdin.read()
        return original(self, old, new, safe)

    original = filestore.FileStorage.rename_file
    filestore.FileStorage.rename_file = stalled


def main() -> None:
    index_dir, mode, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    service = SearchService(index_dir)
    if mode == "write":
        service.rebuild(documents(count, pause_at=count // 2))
        return
    stall_before_the_table_of_contents_is_renamed()
    if mode == "commit":
        service.rebuild(documents(count, pause_at=None))
    else:
        service.update(documents(count, pause_at=None), removed_ids=service.doc_ids()[:3])


if __name__ == "__main__":
    main()

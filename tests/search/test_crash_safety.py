"""A writer killed with SIGKILL, mid-write or mid-commit, leaves the previous index usable.

Whoosh writes new segment files, then the table of contents under a temporary name and renames
it into place; readers only ever open a complete table of contents. These tests hold it to that
with a real writer process (tests/search/writer_process.py) killed at chosen moments.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from search import SearchRequest, SearchService

from .conftest import EXAMPLE_URLS, REPO_ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def kill_writer_at(index_dir, mode: str, marker: str, count: int = 1500) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.search.writer_process", str(index_dir), mode, str(count)],
        cwd=REPO_ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        line = writer.stdout.readline().strip()
        assert line == marker, (line, writer.stderr.read() if writer.poll() is not None else "")
        os.kill(writer.pid, signal.SIGKILL)
        assert writer.wait(timeout=30) == -signal.SIGKILL
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
        writer.stdout.close()
        writer.stderr.close()
        writer.stdin.close()


def snapshot(service) -> tuple:
    everything = service.search(SearchRequest(per_page=100, facet_limit=None))
    portal = service.search(SearchRequest(text="Bürgerbeteiligung"))
    return (everything.total, [h.id for h in everything.hits], everything.facets,
            [h.url for h in portal.hits])


@pytest.mark.parametrize(("mode", "marker"), [("write", "writing"), ("commit", "committing"),
                                              ("update", "committing")])
def test_a_killed_writer_leaves_the_previous_index(index_dir, mode, marker):
    before = snapshot(SearchService(index_dir))
    assert before[3][0] == EXAMPLE_URLS["beteiligungsportal"]

    kill_writer_at(index_dir, mode, marker)

    fresh = SearchService(index_dir)  # a reader opening the index after the crash
    assert snapshot(fresh) == before
    assert fresh.search(SearchRequest(text="Absturzprobe")).total == 0
    # the kernel released the dead writer's lock: the next writer gets in and commits
    report = fresh.update([], removed_ids=[before[1][0]])
    assert report.removed == [before[1][0]]
    assert fresh.search(SearchRequest()).total == before[0] - 1
    # and the dead writer's partial files are gone with that commit
    names = sorted(path.name for path in index_dir.iterdir())
    assert len([n for n in names if n.endswith(".toc")]) == 1, names
    assert not [n for n in names if ".toc." in n or n.endswith(".tmp")], names


def test_a_reader_open_during_the_crash_keeps_working(index_dir):
    reader = SearchService(index_dir)
    before = snapshot(reader)
    kill_writer_at(index_dir, "commit", "committing")
    assert snapshot(reader) == before

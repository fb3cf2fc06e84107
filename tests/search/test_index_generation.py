"""``search.index_generation``: a token that changes with every commit, and only then."""

from __future__ import annotations

import shutil

from search import index_generation, rebuild, reindex

from .conftest import EXAMPLE_URLS, PORTAL_BYTES, record


def test_no_index_no_generation(tmp_path):
    assert index_generation(tmp_path / "missing") is None
    assert index_generation(tmp_path) is None


def test_the_token_changes_with_every_commit_and_only_then(engine, catalogue_ids, index_dir):
    first = index_generation(index_dir)
    assert first is not None and first == index_generation(index_dir)
    portal = EXAMPLE_URLS["beteiligungsportal"]
    reindex(engine, index_dir, [portal])  # nothing changed: no commit
    assert index_generation(index_dir) == first

    changed = PORTAL_BYTES.replace(b"Ergebnisberichte\n", b"Haushalt\n", 1)
    record(engine, portal, changed)
    reindex(engine, index_dir, [portal])
    second = index_generation(index_dir)
    assert second not in (None, first)

    rebuild(engine, index_dir)
    assert index_generation(index_dir) not in (None, first, second)


def test_a_directory_rebuilt_from_scratch_gets_a_new_token(engine, catalogue_ids, index_dir):
    before = index_generation(index_dir)
    shutil.rmtree(index_dir)
    assert index_generation(index_dir) is None
    rebuild(engine, index_dir)
    after = index_generation(index_dir)
    assert after is not None and after != before

"""Keeping the index in step with the catalogue: incremental updates, removals, the check,
readers that refresh after another writer's commit, the single-writer lock."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registry import catalogue
from registry.config import SourceConfig
from registry.db import session_scope
from registry.publiccode import validate_bytes
from search import (
    IndexBusy,
    SearchRequest,
    SearchService,
    catch_up,
    check,
    documents_for,
    follow,
    rebuild,
    reindex,
)
from search.documents import shown_versions

from .conftest import EXAMPLE_URLS, EXAMPLES, REPO_ROOT, T0, record

PORTAL = EXAMPLES / "beteiligungsportal" / "publiccode.yml"


def urls(service, text: str) -> list[str]:
    return [hit.url for hit in service.search(SearchRequest(text=text)).hits]


def test_the_index_holds_exactly_what_the_catalogue_shows(engine, index_dir, service):
    with session_scope(engine) as session:
        expected = set(shown_versions(session))
    assert sorted(service.doc_ids()) == sorted(expected)
    assert check(engine, index_dir).ok


def test_changing_one_solution_rewrites_only_it(engine, catalogue_ids, index_dir, service):
    portal = EXAMPLE_URLS["beteiligungsportal"]
    assert urls(service, "Xylofonix") == []
    changed = PORTAL.read_bytes().replace(b"Ergebnisberichte\n", b"Xylofonix\n", 1)
    record(engine, portal, changed, now=T0.replace(year=2027))

    report = reindex(engine, index_dir, list(catalogue_ids.values()))

    assert report.written == [catalogue_ids[portal]]
    assert report.removed == []
    assert report.unchanged == len(service.doc_ids()) - 1
    assert urls(service, "Xylofonix") == [portal]
    assert service.search(SearchRequest(sort="updated")).hits[0].url == portal
    assert check(engine, index_dir).ok


def test_reindex_by_url_with_nothing_changed_writes_nothing(engine, index_dir, service):
    report = reindex(engine, index_dir, [EXAMPLE_URLS["terminbuchung"],
                                         "https://unknown.example/never/harvested"])
    assert report.written == [] and report.removed == [] and report.unchanged == 1


def test_unlisted_and_removed_solutions_leave_the_index(engine, catalogue_ids, index_dir,
                                                        service):
    parking, rats = EXAMPLE_URLS["parkraum-app"], EXAMPLE_URLS["ratsinfo-light"]
    with session_scope(engine) as session:
        source = catalogue.ensure_source(session, SourceConfig(name="test", type="files",
                                                               path=REPO_ROOT))
        catalogue.record_unlisted(session, source=source, repository_url=parking,
                                  reason="publiccode.yml deleted")
        session.execute(sa.text("UPDATE solution SET status = 'removed' WHERE url = :url"),
                        {"url": rats})
        session.commit()
    assert not check(engine, index_dir).ok

    report = reindex(engine, index_dir, [parking, rats])

    assert sorted(report.removed) == sorted([catalogue_ids[parking], catalogue_ids[rats]])
    assert parking not in urls(service, "parking app")
    assert rats not in urls(service, "Ratsinformationssystem")
    assert check(engine, index_dir).ok


def test_an_invalid_new_version_keeps_the_last_valid_one_in_the_index(engine, index_dir,
                                                                      service):
    portal = EXAMPLE_URLS["beteiligungsportal"]
    broken = PORTAL.read_bytes().replace(b"developmentStatus: stable", b"developmentStatus: 7")
    assert not validate_bytes(broken).valid
    record(engine, portal, validate_bytes(broken))
    report = reindex(engine, index_dir, [portal])
    assert report.removed == []
    assert urls(service, "Bürgerbeteiligung")[0] == portal


def test_check_reports_missing_and_extra_solutions(engine, catalogue_ids, index_dir):
    new_url = "https://git.example/allmende-demo/zweites-portal"
    new = PORTAL.read_bytes().replace(b"allmende-demo/beteiligungsportal",
                                      b"allmende-demo/zweites-portal")
    new_id = record(engine, new_url, new).solution_id
    gone = catalogue_ids[EXAMPLE_URLS["abfallkalender"]]
    with session_scope(engine) as session:
        session.execute(sa.text("UPDATE solution SET status = 'unlisted' WHERE id = :id"),
                        {"id": gone})
        session.commit()

    result = check(engine, index_dir)

    assert not result.ok
    assert result.missing == [new_id] and result.extra == [gone]
    assert result.index_count == result.catalogue_count
    reindex(engine, index_dir, [new_id, gone])
    assert check(engine, index_dir).ok


def test_an_index_left_behind_by_a_killed_harvest_is_found_and_caught_up(
        engine, catalogue_ids, index_dir, service):
    """The harvest wrote the catalogue and died before the index: the next run reports the
    repository unchanged, so only the content versions can tell the index is behind."""
    portal = EXAMPLE_URLS["beteiligungsportal"]
    renamed = PORTAL.read_bytes().replace(b"name: Beteiligungsportal",
                                          b"name: Mitmachportal Xylofonix", 1)
    assert renamed != PORTAL.read_bytes()
    record(engine, portal, renamed, now=T0.replace(year=2027))  # ... and no index write

    result = check(engine, index_dir)
    assert not result.ok
    assert result.stale == [catalogue_ids[portal]]
    assert result.missing == [] and result.extra == []
    assert urls(service, "Xylofonix") == []

    assert follow(engine, index_dir) == "1 written, 0 removed"
    assert urls(service, "Xylofonix") == [portal]
    assert check(engine, index_dir).ok
    assert follow(engine, index_dir) is None  # caught up: nothing more to write


def test_catch_up_adds_missing_and_removes_extra_documents(engine, catalogue_ids, index_dir):
    new_url = "https://git.example/allmende-demo/drittes-portal"
    new_id = record(engine, new_url, PORTAL.read_bytes().replace(
        b"allmende-demo/beteiligungsportal", b"allmende-demo/drittes-portal")).solution_id
    gone = catalogue_ids[EXAMPLE_URLS["abfallkalender"]]
    with session_scope(engine) as session:
        session.execute(sa.text("UPDATE solution SET status = 'removed' WHERE id = :id"),
                        {"id": gone})
        session.commit()

    report = catch_up(engine, index_dir)

    assert report.written == [new_id] and report.removed == [gone]
    assert check(engine, index_dir).ok


def test_a_reader_sees_another_writers_commit(engine, index_dir, service):
    reader = SearchService(index_dir)
    assert urls(reader, "Quixotrix") == []
    url = "https://git.example/allmende-demo/zauberwort"
    data = PORTAL.read_bytes().replace(b"name: Beteiligungsportal", b"name: Quixotrix")
    record(engine, url, data.replace(b"allmende-demo/beteiligungsportal",
                                     b"allmende-demo/zauberwort"))
    reindex(engine, index_dir, [url])  # its own SearchService: another writer
    assert urls(reader, "Quixotrix") == [url]
    assert reader.search(SearchRequest()).total == len(reader.doc_ids())


def test_rebuild_replaces_everything_and_drops_what_is_no_longer_shown(engine, catalogue_ids,
                                                                       index_dir, service):
    before = service.search(SearchRequest()).total
    with session_scope(engine) as session:
        session.execute(sa.text("UPDATE solution SET status = 'removed' WHERE url = :url"),
                        {"url": EXAMPLE_URLS["terminbuchung"]})
        session.commit()
    assert rebuild(engine, index_dir) == before - 1
    assert service.search(SearchRequest()).total == before - 1
    assert check(engine, index_dir).ok


def test_only_one_writer_at_a_time(index_dir, monkeypatch):
    from search import service as service_module

    monkeypatch.setattr(service_module, "WRITE_LOCK_SECONDS", 0.05)
    holder = SearchService(index_dir)._writer()
    try:
        with pytest.raises(IndexBusy, match="another process"):
            SearchService(index_dir).update([], removed_ids=[1])
    finally:
        holder.cancel()
    SearchService(index_dir).update([], removed_ids=[1])  # free again


def test_documents_are_read_in_a_few_queries_not_one_per_solution(engine, catalogue_ids):
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute",
                    lambda *args: statements.append(args[2]))
    with session_scope(engine) as session:
        documents = list(documents_for(session))
        some = list(documents_for(session, list(catalogue_ids.values())[:5]))
    assert len(documents) > 20 and len(some) <= 5
    assert len(statements) <= 4
    portal = next(d for d in documents if d.url == EXAMPLE_URLS["beteiligungsportal"])
    assert portal.used_by == ("Stadt Musterstadt", "Landkreis Beispielland")
    assert portal.adoption_count == 2 and portal.region == "Bayern"
    assert set(portal.texts) == {"de", "en"}
    waste = next(d for d in documents if d.url == EXAMPLE_URLS["abfallkalender"])
    assert waste.topics == ("open-data", "waste-management")


def test_one_service_answers_threads_consistently(service):
    from concurrent.futures import ThreadPoolExecutor

    texts = ["Bürgerbeteiligung", "parking app", "data", "Termine", "Stadt", "", "open"] * 4
    expected = {text: urls(service, text) for text in set(texts)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda text: (text, urls(service, text)), texts))
    assert all(found == expected[text] for text, found in answers)

"""Fixtures: a real catalogue filled with real publiccode.yml files, and a real index.

The catalogue is the ``engine`` fixture (SQLite, and PostgreSQL when configured) filled through
``registry.catalogue.record_solution`` with validated YAML: the five bundled examples, a slice
of the shared corpus (../shared/corpus/publiccode, skipped only when absent) and a few variants
made for one test each (a description with HTML in it, forge topics, a publisher region).
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from registry import catalogue
from registry.config import SourceConfig
from registry.db import session_scope
from registry.models import Publisher
from registry.publiccode import ValidationResult, validate_bytes

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT / "examples"
CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "publiccode"
CORPUS_FILES = 40
T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

EXAMPLE_URLS = {name: f"https://git.example/allmende-demo/{name}"
                for name in ("abfallkalender", "beteiligungsportal", "parkraum-app",
                             "ratsinfo-light", "terminbuchung")}
SCRIPT_URL = "https://git.example/allmende-demo/formularserver"
PORTAL_BYTES = (EXAMPLES / "beteiligungsportal" / "publiccode.yml").read_bytes()
SCRIPT_YAML = (EXAMPLES / "abfallkalender" / "publiccode.yml").read_text(encoding="utf-8")


@functools.cache
def validated(data: bytes) -> ValidationResult:
    result = validate_bytes(data)
    assert result.valid, [f.format("publiccode.yml") for f in result.findings]
    return result


@functools.cache
def corpus_results() -> tuple[tuple[str, ValidationResult], ...]:
    """(repository URL, validation result) of the first corpus files, valid or not."""
    files = sorted(CORPUS.glob("*.yml"))[:CORPUS_FILES]
    rat = CORPUS / "Aitema-gmbh__ratsinformationssystem__1.yml"
    if rat.is_file() and rat not in files:
        files.append(rat)
    return tuple((f"https://github.com/{path.stem.rsplit('__', 1)[0].replace('__', '/')}",
                  validate_bytes(path.read_bytes())) for path in files)


def script_variant() -> bytes:
    """A valid file whose description holds HTML that must come back escaped."""
    text = SCRIPT_YAML.replace("name: Abfallkalender", "name: Formularserver")
    text = text.replace(EXAMPLE_URLS["abfallkalender"], SCRIPT_URL)
    marker = "    shortDescription: "
    start = text.index(marker)
    end = text.index("\n    longDescription:", start)
    text = (text[:start] + marker
            + "'Formulare <script>alert(1)</script> & Anträge digital einreichen'" + text[end:])
    return text.encode()


def record(engine, url: str, data: bytes | ValidationResult, *, now: datetime = T0,
           forge: dict | None = None):
    result = data if isinstance(data, ValidationResult) else validated(data)
    with session_scope(engine) as session:
        source = catalogue.ensure_source(session, SourceConfig(name="test", type="files",
                                                               path=REPO_ROOT))
        return catalogue.record_solution(session, source=source, repository_url=url,
                                         result=result, forge_facts=forge, now=now)


def fill_catalogue(engine, *, corpus: bool = True) -> dict[str, int]:
    """Record examples (each a day apart), the HTML variant and the corpus; url → id."""
    ids: dict[str, int] = {}
    for day, (name, url) in enumerate(EXAMPLE_URLS.items()):
        data = (EXAMPLES / name / "publiccode.yml").read_bytes()
        forge = {"topics": ["open-data", "waste-management"]} if name == "abfallkalender" else None
        ids[url] = record(engine, url, data, now=T0 + timedelta(days=day), forge=forge).solution_id
    ids[SCRIPT_URL] = record(engine, SCRIPT_URL, script_variant(),
                             now=T0 - timedelta(days=30)).solution_id
    if corpus:
        if not CORPUS.is_dir():
            pytest.skip(f"the shared corpus is not at {CORPUS}")
        for url, result in corpus_results():
            ids[url] = record(engine, url, result, now=T0 - timedelta(days=60)).solution_id
    with session_scope(engine) as session:
        publisher = session.exec(select(Publisher).where(
            Publisher.slug == "stadt-musterstadt")).one()
        publisher.region = "Bayern"
        session.commit()
    return ids


@pytest.fixture
def catalogue_ids(engine) -> dict[str, int]:
    return fill_catalogue(engine)


@pytest.fixture
def index_dir(engine, catalogue_ids, tmp_path) -> Path:
    from search import rebuild

    directory = tmp_path / "index"
    rebuild(engine, directory)
    return directory


@pytest.fixture
def service(index_dir):
    from search import SearchService

    return SearchService(index_dir)
